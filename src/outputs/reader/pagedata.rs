//! One reader page as SVG markup drawn from Typst's frames: glyph runs as `<text>` in the
//! report's PUA web fonts ([`super::pagefont`]), rules and shapes as `<path>`, figures as
//! `<image>` referencing files stored once per report. What plain SVG here does not draw the
//! way Typst does (gradients, tilings, colour-font glyphs) is rasterised alone with
//! typst-render and placed as an image, so nothing goes missing.

use std::collections::BTreeMap;
use std::fmt::Write;

use typst::layout::{Frame, FrameItem, GroupItem, Point, Size, Transform};
use typst::text::{Font, TextItem};
use typst::visualize::{FillRule, Image, ImageKind, Paint, Shape};

use super::pagefont::Plan;
use super::svg::{
    curve_d, fill_attr, geometry_d, is_translation, matrix, n, stroke_attrs, xs_attr,
};

/// Pixels per point of the rasters drawn for elements SVG cannot draw here.
pub const FALLBACK_SCALE: f32 = 3.0;

/// The glyphs a page draws, in drawing order (for [`Plan::new`]).
pub fn glyph_uses(frame: &Frame) -> Vec<(Font, u16)> {
    let mut out = Vec::new();
    uses_in(frame, &mut out);
    out
}

fn uses_in(frame: &Frame, out: &mut Vec<(Font, u16)>) {
    for (_, item) in frame.items() {
        match item {
            FrameItem::Group(g) => uses_in(&g.frame, out),
            FrameItem::Text(t) if vector_text(t) => {
                let font = t.font.font();
                out.extend(t.glyphs.iter().map(|g| (font.clone(), g.id)));
            }
            _ => {}
        }
    }
}

/// Text the web fonts can draw: a solid fill and outline (not colour) glyphs.
fn vector_text(t: &TextItem) -> bool {
    let tables = t.font.ttf().tables();
    let colour = tables.colr.is_some()
        || tables.cbdt.is_some()
        || tables.sbix.is_some()
        || tables.svg.is_some();
    let solid = |p: &Paint| matches!(p, Paint::Solid(_));
    !colour && solid(&t.fill) && t.stroke.as_ref().is_none_or(|s| solid(&s.paint))
}

/// A file the page refers to, stored once under `reader/img/`.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageFile {
    /// Bytes to write (a photo's data, a sanitised SVG, a fallback raster).
    Bytes(Vec<u8>),
    /// A file already written (a report asset's screen version).
    Existing,
}

/// One drawn page.
#[derive(Debug, Default)]
pub struct PageSvg {
    /// The inside of the page's `<svg>` element (viewBox in pt, origin top left).
    pub body: String,
    /// Files under `img/` the page refers to: name → content.
    pub images: BTreeMap<String, ImageFile>,
    /// Elements drawn as rasters (gradients, tilings, colour glyphs).
    pub fallbacks: usize,
}

/// How the drawing finds a figure's web file: by the image's data.
pub trait ImageNames {
    /// `img/` file name of a report asset whose print data is `data`.
    fn asset(&self, data: &[u8]) -> Option<String>;
}

/// Glyphs of one font, size and colour on one baseline, drawn as one `<text>`.
struct Run {
    font: usize,
    style: String,
    y: f64,
    /// x of each glyph in tenths of a point
    xs: Vec<i64>,
    chars: String,
}

struct Ctx<'a> {
    run: Option<Run>,
    page_no: usize,
    plan: &'a Plan,
    names: &'a dyn ImageNames,
    page: &'a typst_layout::Page,
    out: PageSvg,
    clips: usize,
}

/// Draws page `page_no` (1-based).
pub fn page_svg(
    page: &typst_layout::Page,
    page_no: usize,
    plan: &Plan,
    names: &dyn ImageNames,
) -> PageSvg {
    let mut cx = Ctx {
        run: None,
        page_no,
        plan,
        names,
        page,
        out: PageSvg::default(),
        clips: 0,
    };
    if let typst::foundations::Smart::Custom(Some(Paint::Solid(c))) = &page.fill
        && c.to_vec4_u8() != [255, 255, 255, 255]
    {
        let size = page.frame.size();
        let _ = write!(
            cx.out.body,
            "<rect width='{}' height='{}'{}/>",
            n(size.x.to_pt()),
            n(size.y.to_pt()),
            fill_attr("fill", c)
        );
    }
    let mut chain = Vec::new();
    cx.frame(&page.frame, Transform::identity(), &mut chain);
    cx.flush();
    cx.out
}

impl Ctx<'_> {
    fn frame<'f>(
        &mut self,
        frame: &'f Frame,
        ts: Transform,
        chain: &mut Vec<(Point, &'f GroupItem)>,
    ) {
        for (pos, item) in frame.items() {
            let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
            if !matches!(
                item,
                FrameItem::Text(_) | FrameItem::Tag(_) | FrameItem::Link(..)
            ) {
                self.flush();
            }
            match item {
                FrameItem::Group(g) => {
                    let inner = here.pre_concat(g.transform);
                    let clip = g.clip.as_ref().map(|c| {
                        self.clips += 1;
                        let id = format!("p{}c{}", self.page_no, self.clips);
                        let _ = write!(
                            self.out.body,
                            "<clipPath id='{id}'><path transform='{}' d='{}'/></clipPath><g clip-path='url(#{id})'>",
                            matrix(&inner),
                            curve_d(c)
                        );
                    });
                    chain.push((*pos, g));
                    self.frame(&g.frame, inner, chain);
                    chain.pop();
                    if clip.is_some() {
                        self.flush();
                        self.out.body.push_str("</g>");
                    }
                }
                FrameItem::Text(t) => {
                    if vector_text(t) {
                        self.text(t, here);
                    } else {
                        self.flush();
                        self.fallback(chain, *pos, item);
                    }
                }
                FrameItem::Shape(s, _) => {
                    if !self.shape(s, here) {
                        self.fallback(chain, *pos, item);
                    }
                }
                FrameItem::Image(img, size, _) => self.image(img, *size, here, chain, *pos, item),
                FrameItem::Link(..) | FrameItem::Tag(_) => {}
            }
        }
    }

    /// Adds a text item's glyphs to the pending run, or starts runs of its own.
    fn text(&mut self, t: &TextItem, ts: Transform) {
        let Paint::Solid(fill) = &t.fill else { return };
        let size = t.size.to_pt();
        let style = format!(
            "font-size='{}'{}{}",
            n(size),
            fill_attr("fill", fill),
            t.stroke.as_ref().and_then(stroke_attrs).unwrap_or_default()
        );
        let plain = is_translation(&ts);
        let (ox, oy) = if plain {
            (ts.tx.to_pt(), ts.ty.to_pt())
        } else {
            self.flush();
            let _ = write!(self.out.body, "<g transform='{}'>", matrix(&ts));
            (0.0, 0.0)
        };
        let mut cx = 0.0;
        let mut cy = 0.0;
        for g in &t.glyphs {
            let x = ox + cx + g.x_offset.at(t.size).to_pt();
            let y = oy + cy - g.y_offset.at(t.size).to_pt();
            cx += g.x_advance.at(t.size).to_pt();
            cy -= g.y_advance.at(t.size).to_pt();
            let Some((font, _, ch)) = self.plan.code(t.font.font(), g.id) else {
                continue;
            };
            let fits = self
                .run
                .as_ref()
                .is_some_and(|r| r.font == font && r.style == style && (r.y - y).abs() < 0.005);
            if !fits {
                self.flush();
                self.run = Some(Run {
                    font,
                    style: style.clone(),
                    y,
                    xs: Vec::new(),
                    chars: String::new(),
                });
            }
            if let Some(r) = &mut self.run {
                // One x per glyph: a browser without subpixel glyph positioning rounds each
                // advance, and relative positions (dx) would drift along a line.
                r.xs.push((x * 10.0).round() as i64);
                r.chars.push(ch);
            }
        }
        if !plain {
            self.flush();
            self.out.body.push_str("</g>");
        }
    }

    /// Writes the pending glyph run.
    fn flush(&mut self) {
        let Some(r) = self.run.take() else { return };
        let _ = write!(
            self.out.body,
            "<text class='k{}' {} x='{}' y='{}'>{}</text>",
            r.font,
            r.style,
            xs_attr(&r.xs),
            n(r.y),
            r.chars
        );
    }

    /// Draws a shape; false when its paint needs the raster fallback.
    fn shape(&mut self, s: &Shape, ts: Transform) -> bool {
        let fill = match &s.fill {
            None => " fill='none'".to_string(),
            Some(Paint::Solid(c)) => {
                let mut f = fill_attr("fill", c);
                if s.fill_rule == FillRule::EvenOdd {
                    f.push_str(" fill-rule='evenodd'");
                }
                f
            }
            Some(_) => return false,
        };
        let stroke = match &s.stroke {
            None => String::new(),
            Some(st) => match stroke_attrs(st) {
                Some(a) => a,
                None => return false,
            },
        };
        let _ = write!(
            self.out.body,
            "<path transform='{}' d='{}'{fill}{stroke}/>",
            matrix(&ts),
            geometry_d(&s.geometry)
        );
        true
    }

    fn image(
        &mut self,
        img: &Image,
        size: Size,
        ts: Transform,
        chain: &[(Point, &GroupItem)],
        pos: Point,
        item: &FrameItem,
    ) {
        let name = match img.kind() {
            ImageKind::Raster(r) => match self.names.asset(r.data()) {
                Some(name) => {
                    self.out.images.insert(name.clone(), ImageFile::Existing);
                    Some(name)
                }
                None => {
                    let ext = match r.format() {
                        typst::visualize::RasterFormat::Exchange(
                            typst::visualize::ExchangeFormat::Jpg,
                        ) => "jpg",
                        typst::visualize::RasterFormat::Exchange(
                            typst::visualize::ExchangeFormat::Gif,
                        ) => "gif",
                        typst::visualize::RasterFormat::Exchange(
                            typst::visualize::ExchangeFormat::Webp,
                        ) => "webp",
                        _ => "png",
                    };
                    let bytes = if ext == "png" && !r.data().starts_with(b"\x89PNG") {
                        encode_png(r.dynamic())
                    } else {
                        r.data().to_vec()
                    };
                    let name = format!("p-{}.{ext}", short_hash(&bytes));
                    self.out
                        .images
                        .insert(name.clone(), ImageFile::Bytes(bytes));
                    Some(name)
                }
            },
            ImageKind::Svg(svg) => {
                // Re-written by usvg: only paths and embedded rasters remain, no script, no links.
                let opts = resvg::usvg::WriteOptions::default();
                let text = svg.tree().to_string(&opts);
                let bytes = text.into_bytes();
                let name = format!("v-{}.svg", short_hash(&bytes));
                self.out
                    .images
                    .insert(name.clone(), ImageFile::Bytes(bytes));
                Some(name)
            }
            _ => None,
        };
        let Some(name) = name else {
            self.fallback(chain, pos, item);
            return;
        };
        let _ = write!(
            self.out.body,
            "<image transform='{}' width='{}' height='{}' preserveAspectRatio='none' href='img/{}'/>",
            matrix(&ts),
            n(size.x.to_pt()),
            n(size.y.to_pt()),
            attr_esc(&name)
        );
    }

    /// Draws one item alone with typst-render (inside copies of its ancestor groups, so
    /// transforms, clips and gradients relative to a parent come out as on the page) and
    /// places the non-transparent part as an image.
    fn fallback(&mut self, chain: &[(Point, &GroupItem)], pos: Point, item: &FrameItem) {
        let mut child = item.clone();
        let mut child_pos = pos;
        for (gpos, g) in chain.iter().rev() {
            let mut f = Frame::new(g.frame.size(), g.frame.kind());
            f.push(child_pos, child);
            let mut ng = (*g).clone();
            ng.frame = f;
            child = FrameItem::Group(ng);
            child_pos = *gpos;
        }
        let mut root = Frame::hard(self.page.frame.size());
        root.push(child_pos, child);
        let page = typst_layout::Page {
            frame: root,
            fill: typst::foundations::Smart::Custom(None),
            ..self.page.clone()
        };
        let pix = typst_render::render(
            &page,
            &typst_render::RenderOptions {
                pixel_per_pt: typst::utils::Scalar::new(f64::from(FALLBACK_SCALE)),
                render_bleed: false,
            },
        );
        let Some((x0, y0, x1, y1)) = opaque_box(&pix) else {
            return;
        };
        let (w, h) = (x1 - x0, y1 - y0);
        let mut rgba = image::RgbaImage::new(w, h);
        for y in 0..h {
            for x in 0..w {
                let Some(p) = pix.pixel(x0 + x, y0 + y) else {
                    continue;
                };
                let c = p.demultiply();
                rgba.put_pixel(x, y, image::Rgba([c.red(), c.green(), c.blue(), c.alpha()]));
            }
        }
        let bytes = encode_png(&image::DynamicImage::ImageRgba8(rgba));
        let name = format!("r-{}.png", short_hash(&bytes));
        self.out
            .images
            .insert(name.clone(), ImageFile::Bytes(bytes));
        self.out.fallbacks += 1;
        let s = f64::from(FALLBACK_SCALE);
        let _ = write!(
            self.out.body,
            "<image x='{}' y='{}' width='{}' height='{}' href='img/{name}'/>",
            n(f64::from(x0) / s),
            n(f64::from(y0) / s),
            n(f64::from(w) / s),
            n(f64::from(h) / s)
        );
    }
}

fn attr_esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('\'', "&#39;")
        .replace('<', "&lt;")
}

/// Bounds (x0, y0, x1 exclusive, y1 exclusive) of the pixels that are not fully transparent.
fn opaque_box(pix: &resvg::tiny_skia::Pixmap) -> Option<(u32, u32, u32, u32)> {
    let (w, h) = (pix.width(), pix.height());
    let data = pix.pixels();
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for y in 0..h {
        for x in 0..w {
            if data[(y * w + x) as usize].alpha() > 0 {
                x0 = x0.min(x);
                y0 = y0.min(y);
                x1 = x1.max(x + 1);
                y1 = y1.max(y + 1);
            }
        }
    }
    (x1 > x0 && y1 > y0).then_some((x0, y0, x1, y1))
}

fn encode_png(img: &image::DynamicImage) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let _ = img.write_to(&mut out, image::ImageFormat::Png);
    out.into_inner()
}

fn short_hash(bytes: &[u8]) -> String {
    use sha2::Digest;
    hex::encode(&sha2::Sha256::digest(bytes)[..8])
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::outputs::reader::svg::B64;
    use typst::diag::FileResult;
    use typst::foundations::{Bytes, Datetime, Duration};
    use typst::syntax::{FileId, Source};
    use typst::text::FontBook;
    use typst::utils::LazyHash;
    use typst::{Library, LibraryExt, World};
    use typst_layout::PagedDocument;

    const COLOUR_FONT: &str = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";

    /// A World for one Typst source with the shipped fonts (plus a colour font when the system has one).
    pub(crate) struct One {
        lib: LazyHash<Library>,
        book: LazyHash<FontBook>,
        fonts: Vec<Font>,
        main: Source,
        png: Bytes,
    }

    impl One {
        pub(crate) fn new(src: &str) -> One {
            let mut fonts = crate::typeset::fonts::Fonts::load().fonts;
            if let Ok(data) = std::fs::read(COLOUR_FONT) {
                fonts.extend(Font::iter(Bytes::new(data)));
            }
            let id = crate::typeset::world::file_id("/main.typ").expect("path");
            let mut img = image::RgbImage::new(40, 20);
            for (x, _, p) in img.enumerate_pixels_mut() {
                *p = image::Rgb([(x * 6) as u8, 90, 200]);
            }
            One {
                lib: LazyHash::new(Library::default()),
                book: LazyHash::new(FontBook::from_fonts(&fonts)),
                fonts,
                main: Source::new(id, src.to_string()),
                png: Bytes::new(encode_png(&image::DynamicImage::ImageRgb8(img))),
            }
        }
    }

    impl World for One {
        fn library(&self) -> &LazyHash<Library> {
            &self.lib
        }
        fn book(&self) -> &LazyHash<FontBook> {
            &self.book
        }
        fn main(&self) -> FileId {
            self.main.id()
        }
        fn source(&self, _: FileId) -> FileResult<Source> {
            Ok(self.main.clone())
        }
        fn file(&self, _: FileId) -> FileResult<Bytes> {
            Ok(self.png.clone())
        }
        fn font(&self, i: usize) -> Option<Font> {
            self.fonts.get(i).cloned()
        }
        fn today(&self, _: Option<Duration>) -> Option<Datetime> {
            None
        }
    }

    struct NoAssets;
    impl ImageNames for NoAssets {
        fn asset(&self, _: &[u8]) -> Option<String> {
            None
        }
    }

    fn draw(src: &str) -> (PageSvg, Plan) {
        let world = One::new(src);
        let doc: PagedDocument = typst::compile(&world).output.expect("compiles");
        let uses: Vec<_> = doc.pages().iter().map(|p| glyph_uses(&p.frame)).collect();
        let plan = Plan::new(&uses);
        (page_svg(&doc.pages()[0], 1, &plan, &NoAssets), plan)
    }

    const SRC: &str = r##"#set page(width: 200pt, height: 200pt, margin: 10pt)
#set text(font: "BIZ UDPGothic", size: 10pt)
報告書 Report
#line(length: 50pt, stroke: (paint: red, thickness: 1pt, dash: "dashed"))
#rect(width: 40pt, height: 20pt, fill: gradient.linear(red, blue))
#rect(width: 40pt, height: 20pt, fill: tiling(size: (5pt, 5pt))[#place(line(start: (0%, 0%), end: (100%, 100%)))])
#box(width: 20pt, height: 10pt, clip: true, image("a.png", width: 40pt))
#text(font: "Noto Color Emoji")[😀]
#link("https://example.org/")[link]
"##;

    #[test]
    fn a_page_draws_text_rules_and_images_and_rasterises_only_what_svg_cannot() {
        let (p, plan) = draw(SRC);
        let b = &p.body;
        assert!(b.contains("<text class='k"), "glyph runs as text: {b}");
        assert!(
            b.contains("stroke='#ff4136'") && b.contains("stroke-dasharray"),
            "dashed red rule"
        );
        assert!(
            b.contains("clip-path='url(#p1c"),
            "clipped image keeps its clip"
        );
        assert!(
            p.images
                .keys()
                .any(|k| k.starts_with("p-") && k.ends_with(".png")),
            "the photo is stored as a file: {:?}",
            p.images.keys()
        );
        let colour = std::path::Path::new(COLOUR_FONT).exists();
        // gradient + tiling (+ the colour glyph when the system has a colour font)
        assert_eq!(p.fallbacks, 2 + usize::from(colour), "{b}");
        for (name, file) in &p.images {
            if let (true, ImageFile::Bytes(png)) = (name.starts_with("r-"), file) {
                let img = image::load_from_memory(png)
                    .expect("fallback decodes")
                    .to_rgba8();
                assert!(img.pixels().any(|px| px.0[3] == 255), "{name} is not blank");
            }
        }
        // every drawn glyph has a code point in a face
        let text_chars: Vec<char> = b
            .split("<text ")
            .skip(1)
            .filter_map(|t| t.split_once('>').map(|(_, r)| r))
            .flat_map(|r| r.split("</text>").next().unwrap_or("").chars())
            .collect();
        assert!(text_chars.len() >= 10);
        assert!(
            text_chars
                .iter()
                .all(|c| ('\u{E000}'..='\u{F8FF}').contains(c))
        );
        let glyphs: usize = plan.faces.iter().map(|f| f.glyphs.len()).sum();
        assert!(glyphs >= 8);
    }

    /// What pages.js does with a packed list (`xs` in pages.js, the same steps).
    fn unpack(s: &str) -> Vec<i64> {
        let v = |c: u8| B64.iter().position(|d| *d == c).unwrap() as i64;
        let b = s.strip_prefix('~').expect("packed").as_bytes();
        let mut x = v(b[0]) * 4096 + v(b[1]) * 64 + v(b[2]) - 131_072;
        let mut out = vec![x];
        for p in b[3..].chunks(2) {
            x += v(p[0]) * 64 + v(p[1]) - 2048;
            out.push(x);
        }
        out
    }

    #[test]
    fn x_lists_are_packed_and_unpack_to_the_same_positions() {
        for xs in [
            vec![780],
            vec![780, 859, 931, 1021, 1121, 1121, 1100],
            vec![-35, 0, 2047, 4094, 2047],
            vec![131_071, 129_024],
            vec![-131_072],
        ] {
            let a = xs_attr(&xs);
            assert_eq!(a.len(), 4 + 2 * (xs.len() - 1), "{a}");
            assert!(a[1..].bytes().all(|c| B64.contains(&c)), "{a}");
            assert_eq!(unpack(&a), xs);
        }
        // Out of range: plain numbers in points.
        assert_eq!(xs_attr(&[0, 2048]), "0 204.8");
        assert_eq!(xs_attr(&[131_072]), "13107.2");
        assert_eq!(xs_attr(&[-5, 3000]), "-.5 300");
    }

    #[test]
    fn a_page_packs_its_x_lists() {
        let (p, _) = draw(SRC);
        assert!(p.body.contains(" x='~"), "{}", p.body);
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(n(1.0), "1");
        assert_eq!(n(0.5), ".5");
        assert_eq!(n(-0.25), "-.25");
        assert_eq!(n(12.345), "12.35");
        assert_eq!(n(-3.0), "-3");
    }
}
