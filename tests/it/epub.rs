//! The EPUB (issue 4): container, package metadata, navigation with the PDF's pages, markup,
//! sanitising, and the same "text is text" strings as the PDF.

use std::path::PathBuf;
use std::sync::OnceLock;

use crate::fixtures::*;
use crate::util::*;

fn sample_epubs() -> Vec<(String, PathBuf)> {
    let s = samples();
    s.run.ok();
    sample_slugs()
        .into_iter()
        .map(|slug| (slug.clone(), s.work.epub(&slug)))
        .collect()
}

fn toml_of(slug: &str) -> String {
    std::fs::read_to_string(sample_dir().join(slug).join("report.toml")).unwrap()
}

#[test]
fn mimetype_is_the_first_entry_and_stored_uncompressed() {
    for (slug, epub) in sample_epubs() {
        let mut a = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
        let mut first = a.by_index(0).unwrap();
        assert_eq!(
            first.name(),
            "mimetype",
            "{slug}: first entry is {}",
            first.name()
        );
        assert_eq!(
            first.compression(),
            zip::CompressionMethod::Stored,
            "{slug}: mimetype is compressed"
        );
        let mut s = String::new();
        std::io::Read::read_to_string(&mut first, &mut s).unwrap();
        assert_eq!(s, "application/epub+zip", "{slug}: mimetype content");
    }
}

#[test]
fn the_package_document_has_the_bibliographic_metadata() {
    for (slug, epub) in sample_epubs() {
        let opf = opf(&epub);
        let toml = toml_of(&slug);
        let title = toml
            .lines()
            .find(|l| l.starts_with("title = "))
            .unwrap()
            .split('"')
            .nth(1)
            .unwrap();
        let published = toml
            .lines()
            .find(|l| l.starts_with("published = "))
            .unwrap()[12..]
            .split_whitespace()
            .next()
            .unwrap();
        let lang = if toml.contains("language = \"en\"") {
            "en"
        } else {
            "ja"
        };
        assert!(
            opf.contains(&format!("<dc:title>{title}</dc:title>"))
                || opf.contains(&format!(">{title}</dc:title>")),
            "{slug}: dc:title"
        );
        assert!(
            opf.contains(&format!(">{lang}</dc:language>")),
            "{slug}: dc:language {lang}"
        );
        assert!(
            opf.contains(&format!(">{published}</dc:date>")),
            "{slug}: dc:date must be published = {published}"
        );
        assert!(opf.contains("<dc:identifier"), "{slug}: dc:identifier");
        assert!(
            opf.contains(&format!("<meta property=\"dcterms:modified\">{published}T")),
            "{slug}: dcterms:modified must come from published ({published}), never the clock"
        );
        assert!(
            opf.contains("<dc:contributor"),
            "{slug}: funder as dc:contributor"
        );
        assert!(
            opf.contains("property=\"role\" scheme=\"marc:relators\">fnd</meta>"),
            "{slug}: the funder's MARC relator role fnd"
        );
        assert!(
            opf.contains("<meta refines=\"#"),
            "{slug}: the role must refine the contributor"
        );
    }
}

#[test]
fn the_package_document_has_the_accessibility_metadata() {
    for (slug, epub) in sample_epubs() {
        let opf = opf(&epub);
        for p in [
            "schema:accessMode\"",
            "schema:accessModeSufficient\"",
            "schema:accessibilityFeature\"",
            "schema:accessibilityHazard\"",
            "schema:accessibilitySummary\"",
        ] {
            assert!(opf.contains(&format!("property=\"{p}")), "{slug}: no {p}");
        }
        assert!(
            opf.contains("printPageNumbers") || opf.contains("pageNavigation"),
            "{slug}: page navigation feature"
        );
    }
}

#[test]
fn only_the_vertical_sample_turns_pages_right_to_left() {
    for (slug, epub) in sample_epubs() {
        let opf = opf(&epub);
        let vertical = toml_of(&slug).contains("writing_mode = \"vertical\"");
        assert_eq!(
            opf.contains("page-progression-direction=\"rtl\""),
            vertical,
            "{slug}: page-progression-direction rtl should be {vertical}"
        );
    }
    assert!(
        toml_of("2021-saigai-volunteer").contains("writing_mode = \"vertical\""),
        "the vertical sample changed"
    );
}

#[test]
fn the_navigation_has_toc_landmarks_and_one_page_list_entry_per_pdf_page() {
    for (slug, epub) in sample_epubs() {
        let nav = nav(&epub);
        assert!(nav_part(&nav, "toc").is_some(), "{slug}: no toc nav");
        assert!(
            nav_part(&nav, "landmarks").is_some(),
            "{slug}: no landmarks nav"
        );
        let list =
            nav_part(&nav, "page-list").unwrap_or_else(|| panic!("{slug}: no page-list nav"));
        let entries = list.matches("<li").count();
        let pdf_pages = pages(&samples().work.pdf(&slug));
        assert_eq!(
            entries, pdf_pages,
            "{slug}: page-list has {entries} entries, the PDF {pdf_pages} pages"
        );
        // Every page-list target exists as a pagebreak marker.
        let xhtml = all_xhtml(&epub);
        for n in 1..=pdf_pages {
            assert!(
                xhtml.contains(&format!("id=\"page-{n}\""))
                    && xhtml.contains("epub:type=\"pagebreak\""),
                "{slug}: no pagebreak marker for page {n}"
            );
        }
    }
}

#[test]
fn the_samples_use_ruby_footnote_figure_and_table_markup() {
    let mut all = String::new();
    for (_, epub) in sample_epubs() {
        all.push_str(&strip_rp(&all_xhtml(&epub)));
    }
    assert!(
        all.contains("<ruby>") && all.contains("<rt>") && all.contains("</rt></ruby>"),
        "no ruby markup in the samples"
    );
    assert!(all.contains("epub:type=\"noteref\""), "no noteref");
    assert!(all.contains("epub:type=\"footnote\""), "no footnote aside");
    assert!(
        all.contains("<figure>")
            && all.contains("<img ")
            && all.contains(" alt=\"")
            && all.contains("<figcaption>"),
        "no figure"
    );
    assert!(
        all.contains("<th scope=\"col\""),
        "no table header cell with scope"
    );
}

// ------------------------------------------------------------- a purpose-built chapter

const MARKUP_MD: &str = "# 表記の確認\n\n\
{漢字|かんじ}と{報告書|ほう|こく|しょ}。\n\n\
本文に脚注[^a]。\n\n\
[^a]: 脚注の本文。\n\n\
![参加者の推移を示す棒グラフ](images/chart.png)\n\n\
| 項目 | 人数 |\n|:--|--:|\n| 子ども | 312 |\n\n\
生のHTML：<script>alert(1)</script> と <img src=images/chart.png onerror=alert(1)> と <p style=\"color:red\">赤</p> の後。\n\n\
<div onclick=\"alert(2)\" style=\"display:none\">ブロックHTML</div>\n\n\
<iframe src=\"https://example.org/\"></iframe>\n";

fn markup() -> &'static Built {
    static M: OnceLock<Built> = OnceLock::new();
    M.get_or_init(|| {
        let work = Work::new();
        work.report("markup", &[("01.md", MARKUP_MD)]);
        work.write("markup/images/chart.png", png(300, 200));
        let run = work.build();
        Built { work, run }
    })
}

fn markup_xhtml() -> String {
    let m = markup();
    m.run.ok();
    all_xhtml(&m.work.epub("markup"))
}

#[test]
fn ruby_becomes_ruby_and_rt_per_word_and_per_character() {
    let x = strip_rp(&markup_xhtml());
    assert!(
        x.contains("<ruby>漢字<rt>かんじ</rt></ruby>"),
        "word ruby missing:\n{x}"
    );
    assert!(
        x.contains("<ruby>報<rt>ほう</rt>告<rt>こく</rt>書<rt>しょ</rt></ruby>")
            || x.contains("<ruby>報<rt>ほう</rt></ruby><ruby>告<rt>こく</rt></ruby><ruby>書<rt>しょ</rt></ruby>"),
        "per-character ruby missing:\n{x}"
    );
}

#[test]
fn footnotes_are_epub_notes_with_a_reference_and_an_aside() {
    let x = markup_xhtml();
    assert!(x.contains("epub:type=\"noteref\""), "no noteref:\n{x}");
    assert!(
        x.contains("<aside") && x.contains("epub:type=\"footnote\""),
        "no footnote aside:\n{x}"
    );
    assert!(visible_text(&x).contains("脚注の本文。"));
}

#[test]
fn an_image_alone_is_a_figure_with_alt_text_and_caption() {
    let x = markup_xhtml();
    assert!(x.contains("<figure"), "no figure:\n{x}");
    assert!(
        x.contains("alt=\"参加者の推移を示す棒グラフ\""),
        "no alt text:\n{x}"
    );
    assert!(
        x.contains("<figcaption>") && x.contains("参加者の推移を示す棒グラフ</figcaption>"),
        "no caption:\n{x}"
    );
}

#[test]
fn table_headers_have_a_scope() {
    let x = markup_xhtml();
    assert!(x.contains("<th scope=\"col\""), "no th scope:\n{x}");
}

#[test]
fn raw_html_in_a_manuscript_never_becomes_script_handlers_or_styles_in_any_xhtml() {
    let m = markup();
    m.run.ok();
    let epub = m.work.epub("markup");
    for name in xhtml_names(&epub) {
        for tag in tags(&unzip_text(&epub, &name).to_lowercase()) {
            assert!(
                !tag.starts_with("<script"),
                "{name} has a <script> element: {tag}"
            );
            assert!(!tag.starts_with("<iframe"), "{name} has an <iframe>: {tag}");
            assert!(
                !tag.contains("onerror=") && !tag.contains("onclick="),
                "{name} has an event handler: {tag}"
            );
            assert!(
                !tag.contains(" style="),
                "{name} has a style= attribute: {tag}"
            );
        }
    }
    // Shown as text instead (the PDF half of the contract), so the reader sees what was typed.
    let text = squash(&visible_text(&all_xhtml(&epub)));
    assert!(
        text.contains("<script>alert(1)</script>"),
        "the script tag should be shown as text:\n{text}"
    );
    assert!(
        text.contains("の後。"),
        "the text after raw HTML is lost:\n{text}"
    );
}

// ------------------------------------------------------------- text is text

#[test]
fn every_string_an_editor_types_is_in_the_epub_visible_text() {
    let t = crate::pdf::text_is_text();
    t.run.ok();
    let epub = t.work.epub("text");
    let xhtml = all_xhtml(&epub);
    let text = squash(&visible_text(&xhtml));
    let mut missing = Vec::new();
    for (typed, printed) in crate::pdf::TEXT_IS_TEXT {
        if !text.contains(&squash(printed)) {
            missing.push(format!("{typed:?} should read {printed:?}"));
        }
    }
    for s in crate::pdf::TEXT_IS_TEXT_EXTRA {
        if !text.contains(&squash(s)) {
            missing.push(format!("{s:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "missing from the EPUB text:\n{}",
        missing.join("\n")
    );
    assert!(
        xhtml.contains("<strong>「重要」</strong>"),
        "これは**「重要」**です is not bold in the EPUB"
    );
}

#[test]
fn two_builds_give_byte_identical_epubs() {
    let w = Work::new();
    w.report("same", &[("01.md", MARKUP_MD)]);
    w.write("same/images/chart.png", png(300, 200));
    w.kanko(&[
        "build",
        "--reports",
        "reports",
        "--out",
        "a",
        "--formats",
        "epub",
    ])
    .ok();
    w.kanko(&[
        "build",
        "--reports",
        "reports",
        "--out",
        "b",
        "--formats",
        "epub",
    ])
    .ok();
    let a = std::fs::read(w.dir.path().join("a/same/same.epub")).unwrap();
    let b = std::fs::read(w.dir.path().join("b/same/same.epub")).unwrap();
    assert!(a == b, "two EPUBs of the same input differ");
}
