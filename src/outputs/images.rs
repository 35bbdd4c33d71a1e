//! Page images rendered by Typst: the cover thumbnail, the reader's pages and thumbnails.

use std::io::Cursor;

use image::{ImageEncoder, RgbImage};
use typst::foundations::{Bytes, Smart};
use typst::layout::{Abs, Frame, FrameItem, Point, Size};
use typst::text::TextItem;
use typst::visualize::{
    Curve, Geometry, Image, ImageKind, Paint, PixelEncoding, PixelFormat, RasterImage, Shape,
};
use typst_layout::Page;

pub const COVER: &str = "cover.webp";

/// Renders a page at `px_per_pt` into an RGB image (white paper, no alpha).
pub fn render_rgb(page: &Page, px_per_pt: f32) -> RgbImage {
    draw(&lightened(page, px_per_pt, false), px_per_pt)
}

/// A page thumbnail at `px_per_pt` (well under 1): as [`render_rgb`], but text too small to read
/// at that size (under [`GREEK_PX`] per em) is drawn as a grey bar over its run, the way layout
/// programs "greek" small type, instead of rasterising glyphs a few pixels high.
pub fn thumbnail(page: &Page, px_per_pt: f32) -> RgbImage {
    draw(&lightened(page, px_per_pt, true), px_per_pt)
}

/// Text smaller than this many pixels per em is a bar in a thumbnail.
pub const GREEK_PX: f64 = 3.5;

fn draw(page: &Page, px_per_pt: f32) -> RgbImage {
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

/// The page to draw at `px_per_pt`: each photo larger than twice its drawn size in pixels
/// is shrunk to that first with a box filter (typst-render would scale the full print image with
/// Lanczos: half of a thumbnail pass went there), and with `greek` small text becomes bars.
fn lightened(page: &Page, px_per_pt: f32, greek: bool) -> Page {
    let mut page = page.clone();
    lighten(&mut page.frame, px_per_pt as f64, greek);
    page
}

fn lighten(frame: &mut Frame, px_per_pt: f64, greek: bool) {
    if !needs_lightening(frame, px_per_pt, greek) {
        return;
    }
    frame.retain(|item| {
        match item {
            FrameItem::Group(g) => {
                let t = g.transform;
                let scale = (t.sx.get().hypot(t.ky.get())).max(t.kx.get().hypot(t.sy.get()));
                lighten(&mut g.frame, px_per_pt * scale, greek);
            }
            FrameItem::Image(img, size, _) => {
                if let Some(small) = shrunk(img, *size, px_per_pt) {
                    *img = small;
                }
            }
            FrameItem::Text(t) if greek && t.size.to_pt() * px_per_pt < GREEK_PX => {
                *item = FrameItem::Shape(bar(t), typst::syntax::Span::detached());
            }
            FrameItem::Tag(_) => return false,
            _ => {}
        }
        true
    });
}

/// Whether anything in `frame` would change (so that frames without photos or small text are
/// shared, not copied).
fn needs_lightening(frame: &Frame, px_per_pt: f64, greek: bool) -> bool {
    frame.items().any(|(_, item)| match item {
        FrameItem::Group(_) => true,
        FrameItem::Image(img, size, _) => too_big(img, *size, px_per_pt).is_some(),
        FrameItem::Text(t) => greek && t.size.to_pt() * px_per_pt < GREEK_PX,
        _ => false,
    })
}

/// The raster image and the pixel size to shrink it to, when it has more than twice the pixels
/// drawn.
fn too_big(img: &Image, size: Size, px_per_pt: f64) -> Option<(&RasterImage, u32, u32)> {
    let ImageKind::Raster(raster) = img.kind() else {
        return None;
    };
    let w = (size.x.to_pt() * px_per_pt * 2.0).ceil().max(1.0);
    let h = (size.y.to_pt() * px_per_pt * 2.0).ceil().max(1.0);
    let big = raster.width() as f64 > w * 1.25 && raster.height() as f64 > h * 1.25;
    (big && w.is_finite() && h.is_finite()).then_some((raster, w as u32, h as u32))
}

fn shrunk(img: &Image, size: Size, px_per_pt: f64) -> Option<Image> {
    let (raster, w, h) = too_big(img, size, px_per_pt)?;
    let small = raster.dynamic().thumbnail_exact(w, h).into_rgba8();
    let format = PixelFormat {
        encoding: PixelEncoding::Rgba8,
        width: small.width(),
        height: small.height(),
    };
    let raster = RasterImage::new(Bytes::new(small.into_raw()), format, Smart::Auto).ok()?;
    Some(Image::new(raster, img.alt().map(Into::into), img.scaling()))
}

/// A run of small text as a bar over the body of its glyphs (0.08–0.78 em above the baseline),
/// in the text's colour at a third of its strength (about the ink of a line of kanji seen from afar).
fn bar(t: &TextItem) -> Shape {
    let w = t.width();
    let (top, bottom) = (-t.size * 0.78, -t.size * 0.08);
    let mut c = Curve::new();
    c.move_(Point::new(Abs::zero(), top));
    c.line(Point::new(w, top));
    c.line(Point::new(w, bottom));
    c.line(Point::new(Abs::zero(), bottom));
    c.close();
    let fill = match &t.fill {
        Paint::Solid(color) => {
            let a = color.alpha().unwrap_or(1.0);
            Paint::Solid(color.clone().with_alpha(a * 0.33))
        }
        other => other.clone(),
    };
    Geometry::Curve(c).filled(fill)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outputs::reader::pagedata::tests::One;
    use typst_layout::PagedDocument;

    const SRC: &str = r##"#set page(width: 200pt, height: 200pt, margin: 10pt)
#set text(font: "BIZ UDPGothic", size: 10pt)
#text(size: 30pt)[大見出し]

本文の一行目です。本文の一行目です。本文の一行目です。

本文の二行目です。本文の二行目です。本文の二行目です。

#image("a.png", width: 20pt)
"##;

    fn page() -> Page {
        let doc: PagedDocument = typst::compile(&One::new(SRC)).output.expect("compiles");
        doc.pages()[0].clone()
    }

    fn count(frame: &Frame) -> (usize, usize, usize, Vec<u32>) {
        let (mut small, mut big, mut shapes, mut widths) = (0, 0, 0, vec![]);
        let ts = typst::layout::Transform::identity();
        crate::typeset::frames::each_item(frame, ts, &mut |_, item, _| match item {
            FrameItem::Text(t) if t.size.to_pt() < 20.0 => small += 1,
            FrameItem::Text(_) => big += 1,
            FrameItem::Shape(..) => shapes += 1,
            FrameItem::Image(img, ..) => {
                if let ImageKind::Raster(r) = img.kind() {
                    widths.push(r.width());
                }
            }
            _ => {}
        });
        (small, big, shapes, widths)
    }

    #[test]
    fn a_thumbnail_greeks_small_text_keeps_large_text_and_shrinks_photos() {
        let p = page();
        let (small, big, shapes, widths) = count(&p.frame);
        assert!(
            small >= 2 && big >= 1,
            "the page has body text and a heading"
        );
        assert_eq!(widths, vec![40], "the 40 px image, drawn 20 pt wide");
        let thin = lightened(&p, 0.25, true);
        let (small2, big2, shapes2, widths2) = count(&thin.frame);
        assert_eq!(small2, 0, "10 pt text at 0.25 px/pt (2.5 px) is greeked");
        assert_eq!(big2, big, "30 pt text (7.5 px) stays glyphs");
        assert_eq!(shapes2, shapes + small, "one bar per greeked run");
        assert_eq!(widths2, vec![10], "shrunk to twice its 5 px drawn width");
        // Without greeking (covers): text stays, the photo is still shrunk.
        let (small3, _, _, widths3) = count(&lightened(&p, 0.25, false).frame);
        assert_eq!((small3, widths3), (small, vec![10]));
        // At 2 px/pt the image is drawn 40 px wide: nothing to shrink.
        assert_eq!(count(&lightened(&p, 2.0, false).frame).3, vec![40]);
    }

    #[test]
    fn a_greeked_thumbnail_has_about_the_ink_of_the_drawn_one() {
        let p = page();
        let mean = |img: &RgbImage| {
            img.pixels()
                .map(|px| px.0.iter().map(|&c| c as f64).sum::<f64>() / 3.0)
                .sum::<f64>()
                / (img.width() * img.height()) as f64
        };
        let (drawn, greeked) = (render_rgb(&p, 0.25), thumbnail(&p, 0.25));
        assert_eq!(drawn.dimensions(), greeked.dimensions());
        let blank = 255.0 - mean(&RgbImage::from_pixel(50, 50, image::Rgb([255, 255, 255])));
        let (a, b) = (255.0 - mean(&drawn), 255.0 - mean(&greeked));
        assert!(blank == 0.0 && a > 3.0, "the drawn thumbnail has ink: {a}");
        assert!((b - a).abs() < a * 0.5, "ink drawn {a:.2}, greeked {b:.2}");
        // Rows with ink are the same rows: bars sit where the lines are.
        let rows = |img: &RgbImage| -> Vec<bool> {
            (0..img.height())
                .map(|y| (0..img.width()).any(|x| img.get_pixel(x, y).0[0] < 200))
                .collect()
        };
        let (ra, rb) = (rows(&drawn), rows(&greeked));
        let same = ra.iter().zip(&rb).filter(|(x, y)| x == y).count();
        assert!(
            same * 10 >= ra.len() * 8,
            "{same} of {} rows agree",
            ra.len()
        );
    }
}
