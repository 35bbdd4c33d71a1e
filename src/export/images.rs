//! Page images rendered by Typst: the cover thumbnail, the reader's pages and thumbnails.

use std::io::Cursor;
use std::path::Path;

use image::{ImageEncoder, RgbImage};
use typst_layout::Page;

use crate::diag::Diag;
use crate::output;
use crate::typeset::Typeset;

pub const COVER: &str = "cover.webp";

/// Renders a page at `px_per_pt` into an RGB image (white paper, no alpha).
pub fn render_rgb(page: &Page, px_per_pt: f32) -> RgbImage {
    let opts = typst_render::RenderOptions {
        pixel_per_pt: typst::utils::Scalar::new(px_per_pt as f64),
        render_bleed: false,
    };
    let pixmap = typst_render::render(page, &opts);
    let (w, h) = (pixmap.width(), pixmap.height());
    // Premultiplied RGBA over white paper: c + (255 − a) per channel.
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for px in pixmap.data().chunks_exact(4) {
        let under = 255 - px[3];
        rgb.extend_from_slice(&[
            px[0].saturating_add(under),
            px[1].saturating_add(under),
            px[2].saturating_add(under),
        ]);
    }
    RgbImage::from_raw(w, h, rgb).unwrap_or_else(|| RgbImage::new(w, h))
}

/// Lossless WebP: exact, deterministic, and small for text pages.
pub fn webp(img: &RgbImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let enc = image::codecs::webp::WebPEncoder::new_lossless(&mut out);
    let _ = enc.write_image(
        img.as_raw(),
        img.width(),
        img.height(),
        image::ExtendedColorType::Rgb8,
    );
    out.into_inner()
}

/// The catalog's cover thumbnail: the first page, ~240 px wide.
pub fn cover(t: &Typeset, stage: &Path) -> Result<(), Diag> {
    let Some(page) = t.doc.pages().first() else {
        return Ok(());
    };
    let img = render_rgb(page, 0.4);
    output::put(stage, COVER, &webp(&img)).map_err(|e| super::io_err(stage, e))
}
