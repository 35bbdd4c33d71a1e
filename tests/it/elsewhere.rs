//! Markdown and Word files written in other tools (issue 31, items 2, 4 and 12): a figure's alt
//! text apart from its caption, GitHub-style heading ids, and the few HTML elements kanko reads.

use std::path::Path;

use crate::docx::*;
use crate::util::*;

/// Every XHTML file of an EPUB, concatenated.
fn epub_xhtml(epub: &Path) -> String {
    zip_names(epub)
        .iter()
        .filter(|n| n.ends_with(".xhtml") && !n.ends_with("nav.xhtml"))
        .map(|n| unzip_text(epub, n))
        .collect()
}

/// The PDF's objects as qpdf prints them (strings decoded: `u:…`).
fn pdf_json(pdf: &Path) -> String {
    tool(
        "qpdf",
        &["--json", "--json-key=qpdf", pdf.to_str().unwrap()],
    )
}

fn text_mode(w: &Work, slug: &str) -> String {
    let dir = w.dist().join(slug).join("reader");
    let mut out = String::new();
    for e in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "html") {
            out.push_str(&std::fs::read_to_string(&p).unwrap());
        }
    }
    out
}

const ALT: &str = "机を囲む子ども5人と大学生ボランティア";
const CAPTION: &str = "学習会の様子";

#[test]
fn a_figure_title_is_its_caption_and_the_brackets_its_alt_text_in_every_format() {
    let w = Work::new();
    w.report(
        "fig",
        &[(
            "01.md",
            &format!(
                "# 活動\n\n![{ALT}](images/a.png \"{CAPTION}\")\n\n![説明だけ](images/a.png)\n"
            ),
        )],
    );
    w.write("fig/images/a.png", png(300, 200));
    w.build().ok();
    let x = epub_xhtml(&w.epub("fig"));
    assert!(x.contains(&format!("alt=\"{ALT}\"")), "EPUB alt:\n{x}");
    assert!(
        x.contains(&format!("{CAPTION}</figcaption>")),
        "EPUB figcaption:\n{x}"
    );
    assert!(
        !x.contains(&format!("{ALT}</figcaption>")),
        "the alt text is not the caption:\n{x}"
    );
    // Without a title the alt text is the caption, as before.
    assert!(x.contains("説明だけ</figcaption>"), "{x}");
    let pdf = w.pdf("fig");
    let text = squash(&pdftotext(&pdf, None));
    assert!(text.contains(CAPTION), "PDF caption: {text}");
    let objects = pdf_json(&pdf);
    assert!(
        objects.contains(&format!("u:{ALT}")),
        "the image's /Alt in the tagged PDF is the alt text"
    );
    let tm = text_mode(&w, "fig");
    assert!(
        tm.contains(&format!("alt=\"{ALT}\"")) && tm.contains(CAPTION),
        "reader text mode keeps both"
    );
    let mut search = String::new();
    for e in std::fs::read_dir(w.dist().join("fig/search"))
        .unwrap()
        .filter_map(Result::ok)
    {
        search.push_str(&std::fs::read_to_string(e.path()).unwrap());
    }
    assert!(
        search.contains(ALT) && search.contains(CAPTION),
        "the search index finds both: {search}"
    );
}

#[test]
fn word_alt_text_and_caption_are_imported_into_their_places_and_check_warns_when_equal() {
    let w = Work::new();
    let png = png(40, 30);
    let body = [
        p(Some("1"), &r("活動の記録")),
        p(None, &picture("rIdImg", ALT)),
        p(Some("a4"), &r(&format!("図 1 {CAPTION}"))),
        p(None, &picture("rIdImg", "同じ文")),
        p(Some("a4"), &r("図 2 同じ文")),
    ]
    .concat();
    let d = Docx::new().add(&body).image("rIdImg", "image1.png", png);
    let file = w.dir.path().join("kiroku.docx");
    std::fs::write(&file, d.bytes()).unwrap();
    let mut cmd = std::process::Command::new(BIN);
    cmd.current_dir(w.dir.path())
        .args(["import", file.to_str().unwrap(), "--reports", "reports"])
        .env("LANG", "C.UTF-8");
    let run = Run::from(cmd.output().unwrap());
    run.ok();
    let md = std::fs::read_to_string(w.reports().join("kiroku/01.md")).unwrap();
    assert!(
        md.contains(&format!("![{ALT}](images/image1.png \"{CAPTION}\")")),
        "alt in the brackets, caption as the title:\n{md}"
    );
    let check = w.kanko(&["check", "--reports", "reports"]);
    let all = format!("{}{}", check.stdout, check.stderr);
    assert!(
        all.contains("alt-caption"),
        "check warns for the same text:\n{all}"
    );
    assert_eq!(
        all.matches("alt-caption").count(),
        1,
        "only the figure whose texts are equal:\n{all}"
    );
}

const MACRO_ENC: &str = "%E5%AE%A3%E8%A8%80%E7%9A%84%E3%81%AA%E3%83%9E%E3%82%AF%E3%83%AD";

#[test]
fn links_to_github_style_heading_ids_resolve_in_pdf_epub_and_reader() {
    let w = Work::new();
    w.report(
        "ids",
        &[
            (
                "01-macro.md",
                "# マクロ\n\n## 宣言的なマクロ\n\n本文。\n\n## 背景\n\n一つ目。\n\n## 背景\n\n二つ目。\n\n## Hello, World! {#hello}\n\n英語。\n",
            ),
            (
                "02-links.md",
                &format!(
                    "# リンク\n\n[同じ名前](01-macro.md#宣言的なマクロ)、[符号化](01-macro.md#{MACRO_ENC})、[章内でなく](#{MACRO_ENC})、[二つ目の背景](01-macro.md#背景-1)、[明示](#hello)、[GitHub 名](01-macro.md#hello-world)。\n\n## 背景\n\n[ここの背景](#背景)\n"
                ),
            ),
        ],
    );
    let run = w.build();
    run.ok();
    assert!(
        !run.stderr.contains("names no") && !run.stderr.contains("ありません"),
        "every link resolves:\n{}",
        run.stderr
    );
    let epub = w.epub("ids");
    let x = epub_xhtml(&epub);
    assert!(x.contains("id=\"宣言的なマクロ\""), "{x}");
    assert!(
        x.contains("id=\"背景\"") && x.contains("id=\"背景-1\""),
        "{x}"
    );
    assert!(x.contains("id=\"hello\""), "explicit id wins:\n{x}");
    // The second chapter's 背景 is 背景 on GitHub but unique report-wide here.
    assert!(x.contains("id=\"背景-2\""), "{x}");
    assert!(
        x.contains("href=\"#背景-2\"") || x.contains("#背景-2\""),
        "{x}"
    );
    let hrefs: Vec<&str> = x
        .split("href=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
        .filter(|h| !h.starts_with("http") && !h.ends_with(".css"))
        .collect();
    for want in ["#宣言的なマクロ", "#背景-1", "#hello"] {
        assert!(
            hrefs
                .iter()
                .any(|h| h.ends_with(want) && h.contains(".xhtml")),
            "a cross-file link to {want}: {hrefs:?}"
        );
    }
    // Reader: the text mode links to the ids, the page view's links turn to the page.
    let tm = text_mode(&w, "ids");
    for want in [
        "id=\"背景-2\"",
        "href=\"#背景-2\"",
        "href=\"#宣言的なマクロ\"",
        "href=\"#背景-1\"",
    ] {
        assert!(tm.contains(want), "text mode lacks {want}");
    }
    // PDF: internal links (GoTo destinations), no URI to a fragment.
    let objects = pdf_json(&w.pdf("ids"));
    let internal = objects.matches("\"/Dest\"").count() + objects.matches("/GoTo").count();
    assert!(internal >= 7, "internal links in the PDF: {internal}");
    assert!(!objects.contains("u:#"), "no link left as a URI fragment");
}

#[test]
fn html_written_for_github_or_mdbook_is_read_as_structure_never_passed_through() {
    let w = Work::new();
    let md = r#"# HTML

<span class="caption">リスト1-1: 最初のプログラム</span>

<img alt="メモリ上の文字列" src="img/trpl04-01.svg" class="center" />

<ruby>詳<rp>(</rp><rt>つまび</rt><rp>)</rp></ruby>らかに書く。面積は10 m<sup>2</sup>、CO<sub>2</sub>。<kbd>Ctrl</kbd>を押す。<br>次の行。<a href="https://example.org/">サイト</a>

<details>
<summary>答え</summary>

答えの本文。

</details>

<div class="warning">

注意の本文。

</div>

<p>段落の<span>中身</span></p>

「<label> 要素」と<b>太字</b>はそのまま。`<span>コード</span>`もそのまま。

```html
<sup>コード</sup>
```
"#;
    w.report("html", &[("01.md", md)]);
    w.write(
        "html/img/trpl04-01.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100"><rect width="200" height="100" fill="teal"/></svg>"#,
    );
    w.build().ok();
    let x = epub_xhtml(&w.epub("html"));
    for want in [
        "<p>リスト1-1: 最初のプログラム</p>",
        "alt=\"メモリ上の文字列\"",
        "<figure>",
        "<rt>つまび</rt>",
        "m<sup>2</sup>",
        "CO<sub>2</sub>",
        "<code>Ctrl</code>",
        "<br/>次の行",
        "<a href=\"https://example.org/\">サイト</a>",
        "<p>答え</p>",
        "<p>答えの本文。</p>",
        "<p>注意の本文。</p>",
        "<p>段落の中身</p>",
        "「&lt;label&gt; 要素」と&lt;b&gt;太字&lt;/b&gt;はそのまま",
        "<code>&lt;span&gt;コード&lt;/span&gt;</code>",
        "&lt;sup&gt;コード&lt;/sup&gt;",
    ] {
        assert!(x.contains(want), "EPUB lacks {want}:\n{x}");
    }
    for never in [
        "class=\"caption\"",
        "class=\"center\"",
        "&lt;span class",
        "&lt;img",
        "&lt;ruby",
        "&lt;details",
        "&lt;div",
    ] {
        assert!(!x.contains(never), "EPUB has {never}:\n{x}");
    }
    let text = squash(&pdftotext(&w.pdf("html"), None));
    assert!(text.contains("リスト1-1:最初のプログラム"), "{text}");
    for never in [
        "<spanclass",
        "<rt>",
        "<img",
        "<ruby",
        "<details",
        "<div",
        "<kbd",
    ] {
        assert!(!text.contains(never), "PDF shows {never}: {text}");
    }
    // Code keeps its tags as text.
    assert!(
        text.contains("<span>コード</span>") && text.contains("<sup>コード</sup>"),
        "{text}"
    );
    assert!(
        text.contains("<label>要素") && text.contains("<b>太字</b>"),
        "{text}"
    );
    // kanko check names what it read and what it left as text.
    let check = w.kanko(&["check", "--reports", "reports"]);
    let all = format!("{}{}", check.stdout, check.stderr);
    for want in ["`<span>`", "`<img>`", "`<ruby>`", "`<details>`", "`<sup>`"] {
        assert!(all.contains(want), "check lists {want}:\n{all}");
    }
    assert!(
        all.contains("`<label>` is shown as text") && all.contains("`<b>` is shown as text"),
        "check lists what it left as text:\n{all}"
    );
}

#[test]
fn an_html_image_is_checked_like_any_image() {
    let w = Work::new();
    w.report(
        "img",
        &[(
            "01.md",
            "# 画像\n\n<img src=\"img/none.png\" alt=\"ない\">\n",
        )],
    );
    w.build().fails().says("none.png");
}
