//! The print shop's PDF and the archive (issue 16): page boxes and XMP read back with qpdf,
//! fonts with pdffonts, crop marks and bleed with pdftoppm; and PDF/UA-1 kept on manuscripts
//! with a skipped heading level, a decorative image, code and foreign scripts.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::Value;

use crate::fixtures::*;
use crate::util::*;

// ---------------------------------------------------------------- reading PDFs back

/// `qpdf --json` of a PDF: every object, and the pages in order.
struct PdfJson {
    objects: serde_json::Map<String, Value>,
    pages: Vec<String>,
}

impl PdfJson {
    fn read(pdf: &Path) -> Self {
        let out = std::process::Command::new("qpdf")
            .arg("--json")
            .arg(pdf)
            .output()
            .expect("qpdf installed");
        let v: Value = serde_json::from_slice(&out.stdout).expect("qpdf --json parses");
        let objects = v["qpdf"][1].as_object().expect("qpdf objects").clone();
        let pages = v["pages"]
            .as_array()
            .expect("qpdf pages")
            .iter()
            .map(|p| p["object"].as_str().unwrap().to_string())
            .collect();
        PdfJson { objects, pages }
    }

    /// A reference (`"12 0 R"`) resolved to its value; anything else as it is.
    fn get<'a>(&'a self, v: &'a Value) -> &'a Value {
        match v.as_str() {
            Some(r) if r.ends_with(" R") => &self.objects[&format!("obj:{r}")]["value"],
            _ => v,
        }
    }

    fn page(&self, i: usize) -> &Value {
        &self.objects[&format!("obj:{}", self.pages[i])]["value"]
    }

    fn page_box(&self, i: usize, key: &str) -> Option<[f64; 4]> {
        let b = self.get(&self.page(i)[key]).as_array()?;
        let n: Vec<f64> = b.iter().map(|x| self.get(x).as_f64().unwrap()).collect();
        Some([n[0], n[1], n[2], n[3]])
    }

    fn root(&self) -> &Value {
        self.get(&self.objects["trailer"]["value"]["/Root"])
    }

    /// Structure elements in document order: (type, /Alt, /Lang).
    fn structure(&self) -> Vec<(String, Option<String>, Option<String>)> {
        let mut out = Vec::new();
        let root = self.get(&self.root()["/StructTreeRoot"]);
        self.walk(&root["/K"], &mut out, 0);
        out
    }

    fn walk(
        &self,
        k: &Value,
        out: &mut Vec<(String, Option<String>, Option<String>)>,
        depth: usize,
    ) {
        assert!(depth < 200, "structure tree too deep");
        let k = self.get(k);
        if let Some(items) = k.as_array() {
            for item in items {
                self.walk(item, out, depth + 1);
            }
            return;
        }
        let Some(elem) = k.as_object() else { return };
        if let Some(s) = elem.get("/S").and_then(Value::as_str) {
            let text = |key: &str| {
                elem.get(key)
                    .and_then(|v| self.get(v).as_str())
                    .map(|s| s.trim_start_matches("u:").to_string())
            };
            out.push((s.to_string(), text("/Alt"), text("/Lang")));
            if let Some(kids) = elem.get("/K") {
                self.walk(kids, out, depth + 1);
            }
        }
    }
}

fn xmp(pdf: &Path) -> String {
    let raw = std::fs::read(pdf).unwrap();
    let s = String::from_utf8_lossy(&raw);
    let start = s.find("<x:xmpmeta").expect("XMP metadata");
    let end = start + s[start..].find("</x:xmpmeta>").expect("XMP end");
    s[start..end].to_string()
}

/// `<pdfaid:part>2</pdfaid:part>` or `pdfaid:part="2"`: the value of one XMP property.
fn xmp_value(xmp: &str, key: &str) -> Option<String> {
    if let Some(i) = xmp.find(&format!("<{key}>")) {
        let rest = &xmp[i + key.len() + 2..];
        return Some(rest[..rest.find('<')?].to_string());
    }
    let i = xmp.find(&format!("{key}=\""))? + key.len() + 2;
    Some(xmp[i..i + xmp[i..].find('"')?].to_string())
}

/// One page as an RGB image at `dpi` (pdftoppm renders the whole MediaBox).
fn render(pdf: &Path, page: usize, dpi: u32) -> image::RgbImage {
    let dir = tempfile::tempdir().unwrap();
    let prefix = dir.path().join("p");
    let p = page.to_string();
    let out = std::process::Command::new("pdftoppm")
        .args([
            "-png",
            "-singlefile",
            "-r",
            &dpi.to_string(),
            "-f",
            &p,
            "-l",
            &p,
        ])
        .arg(pdf)
        .arg(&prefix)
        .output()
        .expect("pdftoppm installed");
    assert!(out.status.success(), "pdftoppm failed");
    image::open(prefix.with_extension("png")).unwrap().to_rgb8()
}

/// Darkest channel value in a rectangle given in points from the top-left corner.
fn darkest(img: &image::RgbImage, dpi: u32, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> u8 {
    let px = |pt: f64| (pt * f64::from(dpi) / 72.0).round() as u32;
    let mut min = 255;
    for y in px(y0)..px(y1).min(img.height()) {
        for x in px(x0)..px(x1).min(img.width()) {
            min = min.min(*img.get_pixel(x, y).0.iter().min().unwrap());
        }
    }
    min
}

fn pixel_pt(img: &image::RgbImage, dpi: u32, x: f64, y: f64) -> [u8; 3] {
    let px = |pt: f64| (pt * f64::from(dpi) / 72.0).round() as u32;
    img.get_pixel(px(x), px(y)).0
}

const MM: f64 = 72.0 / 25.4;
const A4: (f64, f64) = (595.276, 841.89);

fn print_pdf(w: &Work, slug: &str) -> PathBuf {
    w.dist().join(slug).join(format!("{slug}-print.pdf"))
}

// ---------------------------------------------------------------- the print PDF

/// One report with a cover colour, several pages, a table and a figure, built with print.
fn printed() -> &'static Built {
    static P: OnceLock<Built> = OnceLock::new();
    P.get_or_init(|| {
        let work = Work::new();
        let mut toml = report_toml("print", "ja");
        toml = toml.replace(
            "language = \"ja\"",
            "language = \"ja\"\n\n[cover]\ncolor = \"#c0392b\"",
        );
        work.write("print/report.toml", toml);
        let body: String = (1..=30)
            .map(|i| format!("段落{i}：地域の居場所づくりは、子ども、保護者、ボランティアが関わることで続いてきました。\n\n"))
            .collect();
        work.write(
            "print/01.md",
            format!("# 第1章\n\n## 節\n\n{body}| a | b |\n|---|---|\n| 1 | 2 |\n"),
        );
        let run = work.build_with(&["--formats", "pdf,print"]);
        Built { work, run }
    })
}

#[test]
fn the_print_pdf_has_an_a4_trim_box_a_3mm_bleed_box_and_room_for_marks_on_every_page() {
    let p = printed();
    p.run.ok();
    let pdf = print_pdf(&p.work, "print");
    assert!(pdf.is_file(), "no print PDF:\n{}", p.run.stderr);
    let j = PdfJson::read(&pdf);
    assert!(j.pages.len() >= 4, "expected several pages");
    for i in 0..j.pages.len() {
        let trim = j.page_box(i, "/TrimBox").expect("TrimBox");
        let bleed = j.page_box(i, "/BleedBox").expect("BleedBox");
        let media = j.page_box(i, "/MediaBox").expect("MediaBox");
        let (w, h) = (trim[2] - trim[0], trim[3] - trim[1]);
        assert!(
            (w - A4.0).abs() < 0.05 && (h - A4.1).abs() < 0.05,
            "p{i}: trim {trim:?}"
        );
        for k in 0..2 {
            assert!(
                (trim[k] - bleed[k] - 3.0 * MM).abs() < 0.05,
                "p{i}: bleed {bleed:?}"
            );
            assert!((bleed[k + 2] - trim[k + 2] - 3.0 * MM).abs() < 0.05);
            // marks need room outside the bleed: at least 8 mm
            assert!(bleed[k] - media[k] >= 8.0 * MM, "p{i}: media {media:?}");
            assert!(media[k + 2] - bleed[k + 2] >= 8.0 * MM);
        }
    }
    let out = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&pdf)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn the_web_pdf_is_unchanged_a4_without_marks_or_bleed() {
    let p = printed();
    p.run.ok();
    let pdf = p.work.pdf("print");
    let j = PdfJson::read(&pdf);
    for i in 0..j.pages.len() {
        let media = j.page_box(i, "/MediaBox").unwrap();
        assert!((media[2] - A4.0).abs() < 0.05 && (media[3] - A4.1).abs() < 0.05);
        assert!(
            j.page_box(i, "/TrimBox").is_none(),
            "web PDF page {i} has a TrimBox"
        );
        assert!(j.page_box(i, "/BleedBox").is_none());
    }
    // a body page: the corners are white paper, nothing drawn there
    let img = render(&pdf, 3, 100);
    for corner in [
        (0.0, 0.0),
        (A4.0 - 30.0, 0.0),
        (0.0, A4.1 - 30.0),
        (A4.0 - 30.0, A4.1 - 30.0),
    ] {
        let (x, y) = corner;
        assert_eq!(
            darkest(&img, 100, (x, y, x + 30.0, y + 30.0)),
            255,
            "mark at {corner:?}"
        );
    }
    assert_eq!(
        pages(&pdf),
        pages(&print_pdf(&p.work, "print")),
        "page counts differ"
    );
}

#[test]
fn crop_marks_are_drawn_in_every_corner_and_on_every_side_outside_the_bleed() {
    let p = printed();
    p.run.ok();
    let pdf = print_pdf(&p.work, "print");
    let dpi = 150;
    let img = render(&pdf, 3, dpi);
    let (bleed, outer) = (3.0 * MM, 13.0 * MM);
    let (w, h) = (A4.0 + 2.0 * outer, A4.1 + 2.0 * outer);
    assert!((f64::from(img.width()) - w * f64::from(dpi) / 72.0).abs() < 3.0);
    let slug = outer - bleed;
    // the four corner areas outside the bleed hold the marks (dark lines)…
    for (x, y) in [
        (0.0, 0.0),
        (w - slug, 0.0),
        (0.0, h - slug),
        (w - slug, h - slug),
    ] {
        // (the outer marks lie on the bleed line itself: take half a point more)
        let area = (x - 0.5, y - 0.5, x + slug + 0.5, y + slug + 0.5);
        assert!(darkest(&img, dpi, area) < 160, "no mark at ({x}, {y})");
    }
    // …and beside them the trim lines continue (内トンボ) above and left of the trim corner
    assert!(darkest(&img, dpi, (outer - 1.0, 2.0, outer + 1.0, slug - 1.0)) < 160);
    assert!(darkest(&img, dpi, (2.0, outer - 1.0, slug - 1.0, outer + 1.0)) < 160);
    // centre marks on each side
    for (x, y) in [
        (w / 2.0 - 12.0, 0.0),
        (w / 2.0 - 12.0, h - slug),
        (0.0, h / 2.0 - 12.0),
        (w - slug, h / 2.0 - 12.0),
    ] {
        let (x1, y1) = if y == 0.0 || y == h - slug {
            (x + 24.0, y + slug)
        } else {
            (x + slug, y + 24.0)
        };
        assert!(
            darkest(&img, dpi, (x, y, x1, y1)) < 160,
            "no centre mark at ({x}, {y})"
        );
    }
    // the bleed strip of a body page is blank: no mark enters the bleed
    let inset = 0.6;
    for strip in [
        (slug + inset, slug + inset, w - slug - inset, outer - inset),
        (
            slug + inset,
            h - outer + inset,
            w - slug - inset,
            h - slug - inset,
        ),
        (slug + inset, slug + inset, outer - inset, h - slug - inset),
        (
            w - outer + inset,
            slug + inset,
            w - slug - inset,
            h - slug - inset,
        ),
    ] {
        assert_eq!(
            darkest(&img, dpi, strip),
            255,
            "something drawn in the bleed {strip:?}"
        );
    }
}

#[test]
fn the_cover_colour_reaches_the_bleed_edge_and_stops_there() {
    let p = printed();
    p.run.ok();
    let pdf = print_pdf(&p.work, "print");
    let dpi = 100;
    let img = render(&pdf, 1, dpi);
    let (bleed, outer) = (3.0 * MM, 13.0 * MM);
    let slug = outer - bleed;
    let red = |c: [u8; 3]| c[0] > 150 && c[1] < 110 && c[2] < 110;
    // inside the bleed, 1 mm from its outer edge: on the top, the left and the right
    for (x, y) in [
        (slug + MM, outer + 100.0),
        (A4.0 + outer + bleed - MM, outer + 100.0),
        (outer + 200.0, slug + MM),
    ] {
        let c = pixel_pt(&img, dpi, x, y);
        assert!(
            red(c),
            "the bleed at ({x:.0}, {y:.0}) is {c:?}, not the cover colour"
        );
    }
    // outside the bleed the paper is white
    for (x, y) in [
        (slug - 2.0 * MM, outer + 100.0),
        (outer + 200.0, slug - 2.0 * MM),
    ] {
        assert_eq!(
            pixel_pt(&img, dpi, x, y),
            [255, 255, 255],
            "colour outside the bleed at ({x}, {y})"
        );
    }
}

#[test]
fn the_print_pdf_embeds_its_fonts_claims_ua_1_and_not_pdf_a() {
    let p = printed();
    p.run.ok();
    let pdf = print_pdf(&p.work, "print");
    let (out, rows) = crate::fixtures::pdffonts_rows(&pdf);
    assert!(!rows.is_empty(), "{out}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }
    let x = xmp(&pdf);
    assert_eq!(xmp_value(&x, "pdfuaid:part").as_deref(), Some("1"), "{x}");
    // DeviceCMYK without an output profile: PDF/A refuses it, so the print PDF does not claim it
    assert_eq!(xmp_value(&x, "pdfaid:part"), None);
    assert_eq!(info(&pdf, "Tagged"), "yes");
}

#[test]
fn the_main_pdf_claims_pdf_a_2a_and_pdf_ua_1_in_its_xmp() {
    let p = printed();
    p.run.ok();
    let x = xmp(&p.work.pdf("print"));
    assert_eq!(xmp_value(&x, "pdfaid:part").as_deref(), Some("2"), "{x}");
    assert_eq!(xmp_value(&x, "pdfaid:conformance").as_deref(), Some("A"));
    assert_eq!(xmp_value(&x, "pdfuaid:part").as_deref(), Some("1"));
}

#[test]
fn a_missing_glyph_gives_up_pdf_a_and_ua_and_says_why() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 字\n\nここに\u{10FFFD}があります。\n")]);
    let run = w.build();
    run.ok().says("PDF/A-2");
    let x = xmp(&w.pdf("r"));
    assert_eq!(xmp_value(&x, "pdfaid:part"), None);
    assert_eq!(xmp_value(&x, "pdfuaid:part"), None);
}

#[test]
fn saddle_binding_pads_to_a_multiple_of_4_before_the_colophon_and_says_so() {
    let w = Work::new();
    // cover, contents, two chapters, colophon: 5 pages
    w.report(
        "s",
        &[
            ("01.md", "# 章\n\n本文です。\n"),
            ("02.md", "# 次の章\n\n本文です。\n"),
        ],
    );
    let toml = std::fs::read_to_string(w.reports().join("s/report.toml")).unwrap();
    w.write(
        "s/report.toml",
        format!("{toml}\n[print]\nbinding = \"saddle\"\n"),
    );
    let run = w.build();
    run.ok();
    let (web, print) = (pages(&w.pdf("s")), pages(&print_pdf(&w, "s")));
    assert_eq!(print % 4, 0, "{print} pages");
    assert_ne!(web % 4, 0, "the fixture should need padding ({web} pages)");
    let pad = print - web;
    assert!(
        run.stderr.contains(&format!("{pad} blank page"))
            || run.stderr.contains(&format!("{pad} ページ")),
        "{}",
        run.stderr
    );
    // the blank pages come right before the colophon (the last page)
    for i in web..print {
        assert!(
            squash(&pdftotext(&print_pdf(&w, "s"), Some(i))).is_empty(),
            "page {i} is not blank"
        );
    }
    assert!(pdftotext(&print_pdf(&w, "s"), Some(print)).contains("奥付"));
}

#[test]
fn print_in_kanko_toml_turns_the_print_pdf_on_and_low_resolution_images_are_named() {
    let w = Work::new();
    w.report("a", &[("01.md", "# 章\n\n![小さな図](images/small.png)\n")]);
    w.write("a/images/small.png", png(600, 400));
    w.report("b", &[("01.md", "# 章\n\n本文です。\n")]);
    let run = w.build();
    run.ok();
    assert!(!print_pdf(&w, "a").exists(), "print PDF without [print]");
    assert!(!run.stderr.contains("300 dpi"), "{}", run.stderr);
    w.write("kanko.toml", "[print]\n");
    let run = w.build();
    run.ok().says("images/small.png").says("300 dpi");
    assert!(print_pdf(&w, "a").is_file() && print_pdf(&w, "b").is_file());
}

#[test]
fn two_builds_of_the_print_pdf_are_byte_identical() {
    let p = printed();
    p.run.ok();
    let w = Work::new();
    copy_dir(&p.work.reports(), &w.reports());
    w.build_with(&["--formats", "pdf,print"]).ok();
    let a = std::fs::read(print_pdf(&p.work, "print")).unwrap();
    let b = std::fs::read(print_pdf(&w, "print")).unwrap();
    assert!(a == b, "the print PDF differs between two builds");
}

// ---------------------------------------------------------------- UA-1 on real manuscripts

fn ua_manuscript() -> &'static Built {
    static U: OnceLock<Built> = OnceLock::new();
    U.get_or_init(|| {
        let work = Work::new();
        work.report(
            "ua",
            &[(
                "01.md",
                "# 第1章\n\n## 節\n\n#### 飛ばした見出し\n\n本文と `let x = 1;` です。\n\n```\nfn main() {}\n```\n\n![](images/deco.png)\n\n文中の飾り ![](images/deco.png) と図。\n\n![参加者数の推移](images/deco.png)\n\n### 小見出し\n\n挨拶：한국어、नमस्ते、สวัสดี、مرحبا。\n",
            )],
        );
        work.write("ua/images/deco.png", png(1600, 1000));
        let run = work.build();
        Built { work, run }
    })
}

#[test]
fn a_skipped_level_and_a_decorative_image_still_claim_ua_1_and_pdf_a() {
    let u = ua_manuscript();
    u.run.ok();
    let x = xmp(&u.work.pdf("ua"));
    assert_eq!(
        xmp_value(&x, "pdfuaid:part").as_deref(),
        Some("1"),
        "{}",
        u.run.stderr
    );
    assert_eq!(xmp_value(&x, "pdfaid:part").as_deref(), Some("2"));
    assert!(!u.run.stderr.contains("does not claim"), "{}", u.run.stderr);
}

#[test]
fn the_structure_tree_has_consecutive_heading_levels_and_every_figure_has_alt() {
    let u = ua_manuscript();
    u.run.ok();
    let s = PdfJson::read(&u.work.pdf("ua")).structure();
    let levels: Vec<u8> = s
        .iter()
        .filter_map(|(t, _, _)| t.strip_prefix("/H")?.parse().ok())
        .collect();
    assert!(levels.contains(&3), "no H3 in {levels:?}");
    assert!(
        !levels.contains(&4),
        "the #### heading is still H4: {levels:?}"
    );
    let mut last = 0;
    for l in &levels {
        assert!(*l <= last + 1, "heading levels skip: {levels:?}");
        last = *l;
    }
    let figures: Vec<_> = s.iter().filter(|(t, _, _)| t == "/Figure").collect();
    assert_eq!(
        figures.len(),
        1,
        "decorative images must not be figures: {figures:?}"
    );
    assert!(
        figures
            .iter()
            .all(|(_, alt, _)| alt.as_deref() == Some("参加者数の推移")),
        "{figures:?}"
    );
}

#[test]
fn code_is_tagged_in_the_reports_language_not_english() {
    let u = ua_manuscript();
    u.run.ok();
    let pdf = u.work.pdf("ua");
    let s = PdfJson::read(&pdf).structure();
    assert!(s.iter().any(|(t, _, _)| t == "/Code"), "no Code element");
    let english: Vec<_> = s
        .iter()
        .filter(|(_, _, l)| l.as_deref().is_some_and(|l| l.starts_with("en")))
        .collect();
    assert!(
        english.is_empty(),
        "elements tagged English in a Japanese report: {english:?}"
    );
    assert_eq!(pdf_lang(&pdf).as_deref(), Some("ja-JP"));
}

#[test]
fn the_epub_has_consecutive_headings_and_empty_alt_for_decorative_images() {
    let u = ua_manuscript();
    u.run.ok();
    let x = all_xhtml(&u.work.epub("ua"));
    // (headings carry <wbr/> at phrase boundaries)
    let h = x.find(">飛ばした").expect("the skipped heading");
    // (its id comes from its text, as on GitHub)
    assert!(
        x[..h].ends_with("<h3 id=\"飛ばした見出し\""),
        "not an h3: {x}"
    );
    assert!(!x.contains("<h4"), "an h4 is left");
    assert_eq!(x.matches("alt=\"\"").count(), 2, "{x}");
    assert_eq!(x.matches("<figure").count(), 1);
}

#[test]
fn kanko_check_still_warns_about_the_skip_and_the_empty_alt() {
    let u = ua_manuscript();
    let run = u.work.kanko(&["check", "--reports", "reports"]);
    run.ok();
    assert!(run.stdout.contains("heading-skip"), "{}", run.stdout);
    assert!(run.stdout.contains("image-alt"), "{}", run.stdout);
}
