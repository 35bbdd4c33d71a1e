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
    let mut rgb = RgbImage::new(w, h);
    for (i, px) in pixmap.pixels().iter().enumerate() {
        let c = px.demultiply();
        let a = c.alpha() as u32;
        let blend = |v: u8| ((v as u32 * a + 255 * (255 - a)) / 255) as u8;
        rgb.put_pixel(
            i as u32 % w,
            i as u32 / w,
            image::Rgb([blend(c.red()), blend(c.green()), blend(c.blue())]),
        );
    }
    rgb
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

pub fn png(img: &RgbImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let enc = image::codecs::png::PngEncoder::new_with_quality(
        &mut out,
        image::codecs::png::CompressionType::Best,
        image::codecs::png::FilterType::Adaptive,
    );
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
