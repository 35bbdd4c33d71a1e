//! The print shop's PDF (`<slug>-print.pdf`): the same pages laid out once more with the
//! layout's `print` flag (3 mm bleed, トンボ, CMYK colours), TrimBox from Typst, BleedBox added
//! here, padded to a multiple of 4 pages for saddle stitching, with the warnings a print shop
//! would give: images under 300 dpi, text within 5 mm of the trim.

use serde_json::{Value, json};
use typst::layout::{Frame, FrameItem, Point, Transform};
use typst::visualize::ImageKind;
use typst_layout::PagedDocument;

use super::screen::{self as pdf, Kind};
use crate::diag::Diag;
use crate::manuscript::Report;
use crate::manuscript::meta::Binding;
use crate::outputs::written::{Job, Written};
use crate::typeset;
use crate::typeset::world::Env;

/// Bleed on every side (塗り足し), in millimetres (layouts/print.typ `bleed`).
pub const BLEED_MM: f64 = 3.0;
/// Text closer than this to the trim may be cut off.
pub const SAFE_MM: f64 = 5.0;
/// Below this, a printed image looks soft.
pub const MIN_DPI: f64 = 300.0;

const MM: f64 = 72.0 / 25.4;

pub fn file_name(slug: &str) -> String {
    format!("{slug}-print.pdf")
}

/// Lays out, checks and writes the print PDF into the stage (nothing when the job has no binding).
pub fn write(job: &Job) -> Result<Written, Diag> {
    let (env, r, t, stage) = (job.env, job.report, job.typeset, job.stage);
    let Some(binding) = job.print else {
        return Ok(Written::default());
    };
    let mut warnings = Vec::new();
    let mut doc = layout(env, r, 0)?;
    if binding == Binding::Saddle {
        let pad = (4 - doc.pages().len() % 4) % 4;
        if pad > 0 {
            doc = layout(env, r, pad)?;
            let n = doc.pages().len();
            warnings.push(Diag::warning(crate::t!(
                "中綴じのため、奥付の前に白ページを {pad} ページ入れました（印刷用 PDF は {n} ページ）",
                "saddle stitching: {pad} blank page(s) added before the colophon (the print PDF has {n} pages)"
            )));
        }
    }
    warnings.extend(low_resolution(r, &doc));
    warnings.extend(near_trim(&doc));
    let pdf = pdf::export_doc(r, &doc, t.ua_blockers.len(), Kind::Print)?;
    warnings.extend(pdf.warnings);
    let bytes = super::pdfbox::add_bleed_box(&pdf.bytes, BLEED_MM * MM).map_err(|e| {
        Diag::error(format!("print PDF: cannot set the BleedBox: {e}")).in_file(&r.dir)
    })?;
    let mut w = Written::default();
    w.put(stage, &file_name(&r.slug), &bytes)?;
    w.warnings = warnings.into_iter().map(|d| in_report(d, r)).collect();
    Ok(w)
}

fn in_report(d: Diag, r: &Report) -> Diag {
    if d.file.is_some() {
        d
    } else {
        d.in_file(r.dir.join("report.toml"))
    }
}

/// The report's JSON with `print`: `pad` blank pages before the colophon.
fn layout(env: &Env, r: &Report, pad: usize) -> Result<PagedDocument, Diag> {
    let mut data = typeset::data::report_json(r);
    if let Value::Object(o) = &mut data {
        o.insert("print".into(), json!({ "bleed_mm": BLEED_MM, "pad": pad }));
    }
    // Typst's warnings are the main layout's again: the main build reports them.
    let (doc, _) = typeset::compile(env, r, &data).map_err(|errs| {
        errs.into_iter()
            .next()
            .unwrap_or_else(|| Diag::error("print PDF: typesetting failed"))
    })?;
    Ok(doc)
}

/// Every raster image at its printed size: pixels per inch under 300 are soft in print.
fn low_resolution(r: &Report, doc: &PagedDocument) -> Vec<Diag> {
    let mut seen: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        walk_images(
            &page.frame,
            Transform::identity(),
            &mut |px_w, px_h, width_pt| {
                let dpi = px_w / (width_pt / 72.0);
                if dpi >= MIN_DPI - 0.5 {
                    return;
                }
                let name = image_name(r, px_w, px_h).unwrap_or_else(|| format!("p. {}", i + 1));
                if seen.contains(&name) {
                    return;
                }
                let mm = width_pt / MM;
                let need = (MIN_DPI * mm / 25.4).ceil();
                out.push(Diag::warning(crate::t!(
                "印刷用 PDF：画像 {name} は印刷幅 約{mm:.0} mm で {dpi:.0} dpi です（印刷には 300 dpi、幅 {need} px 以上が必要）",
                "print PDF: image {name} prints about {mm:.0} mm wide at {dpi:.0} dpi (print needs 300 dpi: at least {need} px wide)"
            )));
                seen.push(name);
            },
        );
    }
    out
}

/// The asset whose print version has these pixel dimensions (kanko scales big images down to
/// `assets::PRINT_MAX` wide for print, keeping the aspect ratio).
fn image_name(r: &Report, w: f64, h: f64) -> Option<String> {
    let max = f64::from(crate::manuscript::assets::PRINT_MAX);
    r.assets
        .iter()
        .find(|(_, a)| {
            let (aw, ah) = (f64::from(a.width), f64::from(a.height));
            let scale = if aw > max { max / aw } else { 1.0 };
            (aw * scale - w).abs() < 1.5 && (ah * scale - h).abs() < 1.5
        })
        .map(|(rel, _)| rel.clone())
}

fn walk_images(frame: &Frame, ts: Transform, f: &mut dyn FnMut(f64, f64, f64)) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(g) => walk_images(&g.frame, here.pre_concat(g.transform), f),
            FrameItem::Image(img, size, _) if matches!(img.kind(), ImageKind::Raster(_)) => {
                let a = Point::zero().transform(here);
                let b = Point::new(size.x, size.y).transform(here);
                f(img.width(), img.height(), (b.x - a.x).to_pt().abs());
            }
            _ => {}
        }
    }
}

/// Text closer than 5 mm to the trim (page frames are the trim box; the marks and the bleed
/// band lie outside it and are not text).
fn near_trim(doc: &PagedDocument) -> Vec<Diag> {
    let safe = SAFE_MM * MM;
    let mut pages = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        let (w, h) = (page.frame.width().to_pt(), page.frame.height().to_pt());
        let close = crate::typeset::frames::text_lines(&page.frame)
            .into_iter()
            .any(|l| {
                let (top, bottom) = (l.y - 0.88 * l.size, l.y + 0.12 * l.size);
                l.x < safe || l.x + l.w > w - safe || top < safe || bottom > h - safe
            });
        if close {
            pages.push((i + 1).to_string());
        }
    }
    if pages.is_empty() {
        return Vec::new();
    }
    let list = pages.join(", ");
    vec![Diag::warning(crate::t!(
        "印刷用 PDF：仕上がり線から 5 mm 以内に文字があります（断裁で切れるおそれ）: p. {list}",
        "print PDF: text within 5 mm of the trim (it may be cut off): p. {list}"
    ))]
}
