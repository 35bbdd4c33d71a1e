//! Defects a new user met: links between chapters, titles broken inside words, bare URLs that
//! swallow the Japanese after them. Each story builds a real report and reads every format.

use crate::fixtures::{all_xhtml, pages};
use crate::util::{Work, pdftotext, tool, unzip_text};

fn read(path: &std::path::Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The PDF with its streams uncompressed (qpdf's QDF form), to read link annotations.
fn uncompressed(pdf: &std::path::Path) -> String {
    tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().unwrap(),
            "-",
        ],
    )
}

/// Every `text/N.js` of the reader, joined.
fn reader_text(w: &Work, slug: &str) -> String {
    let dir = w.dist().join(slug).join("reader/text");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files.iter().map(|p| read(p)).collect()
}

fn chapters_with_links(w: &Work) {
    w.report(
        "links",
        &[
            (
                "01-hajimeni.md",
                "# はじめに\n\n詳しくは[第2章の方法](02-chousa.md#houhou)と[第2章](02-chousa.md)、\
                 [./付き](./02-chousa.md)を見てください。\n\n[ない章](09-nai.md)と[ない見出し](02-chousa.md#nai)。\n",
            ),
            (
                "02-chousa.md",
                "# 調査の概要\n\n前書き。\n\n## 調査の方法 {#houhou}\n\n方法の本文。\n",
            ),
        ],
    );
}

#[test]
fn a_link_to_another_chapter_reaches_it_in_every_format() {
    let w = Work::new();
    chapters_with_links(&w);
    let run = w.build();
    run.ok();
    // Links to a chapter or heading that does not exist stay text, with a warning at their place.
    run.says("09-nai.md")
        .says("02-chousa.md#nai")
        .says("01-hajimeni.md:5:");

    // EPUB: the other chapter's file and anchor.
    let epub = w.epub("links");
    let xhtml = all_xhtml(&epub);
    assert!(xhtml.contains("#houhou\">第2章の方法</a>"), "{xhtml}");
    let heading_file = crate::fixtures::xhtml_names(&epub)
        .into_iter()
        .find(|n| unzip_text(&epub, n).contains("id=\"houhou\""))
        .expect("a chapter file holds the heading");
    let short = heading_file.rsplit('/').next().unwrap();
    assert!(
        xhtml.contains(&format!("href=\"{short}#houhou\"")),
        "{xhtml}"
    );
    assert!(
        !xhtml.contains("02-chousa.md"),
        "no link to a Markdown file is left"
    );
    assert!(!xhtml.contains(">ない章</a>") && xhtml.contains("ない章"));

    // Text mode: anchors in the one page.
    let text = read(&w.dist().join("links/reader/text.html"));
    assert!(text.contains("href=\"#houhou\""), "{text}");
    assert!(!text.contains("09-nai.md"));

    // PDF: internal links (GoTo), no URI pointing at a .md file.
    let pdf = w.pdf("links");
    let qpdf = uncompressed(&pdf);
    assert!(!qpdf.contains(".md)"), "no URI action to a Markdown file");
    let links = qpdf.matches("/Subtype /Link").count();
    assert!(links >= 3, "three working links in the PDF, found {links}");

    // Reader: a link box on page 1's text layer leading to the page the heading is on.
    let heading_page = (1..=pages(&pdf))
        .rev()
        .find(|&p| pdftotext(&pdf, Some(p)).contains("調査の方法"))
        .unwrap();
    let js = reader_text(&w, "links");
    assert!(
        js.contains(&format!("\"#p={heading_page}\",\"第2章の方法\"")),
        "{js}"
    );
}

#[test]
fn a_japanese_title_breaks_between_phrases_not_inside_words() {
    let w = Work::new();
    w.write(
        "t/report.toml",
        crate::util::report_toml("地域の居場所づくりに関する調査報告書", "ja"),
    );
    w.write(
        "t/01.md",
        "# 地域の居場所づくりに関する調査報告書について考える長い見出し\n\n本文。\n",
    );
    w.build().ok();
    let pdf = w.pdf("t");
    let cover = pdftotext(&pdf, Some(1));
    assert!(
        cover.lines().any(|l| l.contains("調査報告書")),
        "「調査報告書」 stays on one line on the cover:\n{cover}"
    );
    assert!(!cover.lines().any(|l| l.trim_end().ends_with("調査報")));
    // HTML: <wbr> between phrases, never inside 調査報告書.
    let epub = w.epub("t");
    let xhtml = all_xhtml(&epub);
    assert!(xhtml.contains("<wbr/>"), "{xhtml}");
    assert!(xhtml.contains("調査報告書"), "no <wbr> inside the word");
    let css = unzip_text(&epub, "OEBPS/style.css");
    assert!(css.contains("keep-all"), "{css}");
    let index = read(&w.dist().join("index.html"));
    assert!(
        index.contains("<wbr/>") || index.contains("<wbr>"),
        "catalog title"
    );
}

#[test]
fn a_bare_url_ends_where_japanese_text_begins() {
    let w = Work::new();
    w.report(
        "url",
        &[(
            "01.md",
            "# リンク\n\n詳しくは（http://www.example.jp/）をご覧ください。\n\n\
             資料はhttp://www.example.jp/shiryo/を参照。\n\nURL：https://example.org/a?b=1。\n",
        )],
    );
    w.build().ok();
    let xhtml = all_xhtml(&w.epub("url"));
    assert!(
        xhtml.contains(
            "<a href=\"http://www.example.jp/\">http://www.example.jp/</a>）をご覧ください。"
        ),
        "{xhtml}"
    );
    assert!(
        xhtml.contains(
            "<a href=\"http://www.example.jp/shiryo/\">http://www.example.jp/shiryo/</a>を参照。"
        ),
        "{xhtml}"
    );
    assert!(
        xhtml.contains("<a href=\"https://example.org/a?b=1\">https://example.org/a?b=1</a>。"),
        "{xhtml}"
    );
    let text = read(&w.dist().join("url/reader/text.html"));
    assert!(
        text.contains("をご覧ください。</p>") && !text.contains("%E3%82%92"),
        "{text}"
    );
    let pdf = w.pdf("url");
    let qpdf = uncompressed(&pdf);
    assert!(
        qpdf.contains("(http://www.example.jp/)"),
        "the PDF link ends at the URL"
    );
    assert!(
        !qpdf.contains("%E3%82%92"),
        "no Japanese text in a PDF link target"
    );
    assert!(pdftotext(&pdf, None).contains("をご覧ください。"));
}
