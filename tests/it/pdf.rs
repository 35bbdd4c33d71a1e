//! The PDF (issue 3): the samples are valid, tagged, embedded, small, reproducible; editor text
//! is never code; fonts cover what Japanese reports use.

use std::sync::OnceLock;

use crate::fixtures::*;
use crate::util::*;

// ---------------------------------------------------------------- samples

fn sample_pdfs() -> Vec<(String, std::path::PathBuf)> {
    let s = samples();
    s.run.ok();
    sample_slugs()
        .into_iter()
        .map(|slug| (slug.clone(), s.work.pdf(&slug)))
        .collect()
}

#[test]
fn every_sample_builds_cleanly_and_its_pdf_passes_qpdf_check() {
    let s = samples();
    assert!(!panicked(&s.run), "{}", s.run.stderr);
    s.run.ok();
    assert!(sample_slugs().len() >= 3, "expected at least three samples");
    for (slug, pdf) in sample_pdfs() {
        assert!(pdf.is_file(), "{slug}: no PDF");
        let out = std::process::Command::new("qpdf")
            .arg("--check")
            .arg(&pdf)
            .output()
            .expect("qpdf installed");
        assert!(
            out.status.success(),
            "{slug}: qpdf --check exit {:?}\n{}{}",
            out.status.code(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn every_sample_pdf_embeds_and_subsets_every_font() {
    for (slug, pdf) in sample_pdfs() {
        let (out, rows) = crate::fixtures::pdffonts_rows(&pdf);
        assert!(!rows.is_empty(), "{slug}: pdffonts lists no fonts:\n{out}");
        for row in rows {
            // columns from the right: object-id gen, uni, sub, emb
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            let (emb, sub) = (cols[n - 5], cols[n - 4]);
            assert_eq!(emb, "yes", "{slug}: font not embedded: {row}");
            assert_eq!(sub, "yes", "{slug}: font not subset: {row}");
        }
    }
}

#[test]
fn every_sample_pdf_is_tagged_titled_a4_and_reasonably_small() {
    for (slug, pdf) in sample_pdfs() {
        assert_eq!(info(&pdf, "Tagged"), "yes", "{slug}: PDF not tagged");
        let title = info(&pdf, "Title");
        assert!(!title.is_empty(), "{slug}: PDF has no title");
        let toml = std::fs::read_to_string(sample_dir().join(&slug).join("report.toml")).unwrap();
        assert!(
            toml.contains(&format!("title = \"{title}\"")),
            "{slug}: PDF title {title:?} is not the report title"
        );
        for size in page_sizes(&pdf) {
            assert!(is_a4(&size), "{slug}: a page is not A4: {size}");
        }
        let n = pages(&pdf);
        let bytes = std::fs::metadata(&pdf).unwrap().len();
        if (10..=15).contains(&n) {
            assert!(
                bytes < 1_500_000,
                "{slug}: {n} pages weigh {bytes} bytes (limit 1.5 MB)"
            );
        }
    }
}

#[test]
fn every_sample_pdf_claims_pdf_ua_1() {
    for (slug, pdf) in sample_pdfs() {
        let bytes = std::fs::read(&pdf).unwrap();
        let raw = String::from_utf8_lossy(&bytes);
        assert!(
            raw.contains("pdfuaid:part"),
            "{slug}: no PDF/UA identification in the XMP metadata"
        );
    }
}

#[test]
fn every_sample_pdf_declares_the_report_language_ja_or_en() {
    let mut seen_en = false;
    for (slug, pdf) in sample_pdfs() {
        let toml = std::fs::read_to_string(sample_dir().join(&slug).join("report.toml")).unwrap();
        let lang =
            pdf_lang(&pdf).unwrap_or_else(|| panic!("{slug}: the document catalog has no /Lang"));
        if toml.contains("language = \"en\"") {
            seen_en = true;
            assert!(
                lang == "en" || lang.starts_with("en-"),
                "{slug}: /Lang is {lang:?}, expected en"
            );
        } else {
            // `ja-JP` is `ja` with the region Typst uses for Japanese glyphs and line breaking.
            assert!(
                lang == "ja" || lang == "ja-JP",
                "{slug}: /Lang is {lang:?}, expected ja"
            );
        }
    }
    assert!(seen_en, "no English sample left to check /Lang (en) on");
}

#[test]
fn two_builds_of_the_samples_into_two_folders_are_byte_identical() {
    let w = work_with_samples();
    w.kanko(&["build", "--reports", "reports", "--out", "dist-a"])
        .ok();
    w.kanko(&["build", "--reports", "reports", "--out", "dist-b"])
        .ok();
    let a = tree(&w.dir.path().join("dist-a"));
    let b = tree(&w.dir.path().join("dist-b"));
    let names_a: Vec<&String> = a.iter().map(|(n, _)| n).collect();
    let names_b: Vec<&String> = b.iter().map(|(n, _)| n).collect();
    assert_eq!(
        names_a, names_b,
        "the two dist/ folders hold different files"
    );
    for ((n, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{n} differs between two builds of the same input");
    }
}

// ---------------------------------------------------------------- text is text

/// Filler that makes the body span several pages, so a shrunken font or page would show.
fn filler() -> String {
    let para = "地域の居場所づくりは、子ども、保護者、ボランティア、行政の担当者がそれぞれの立場から関わることで続いてきました。本章では、その一年間の歩みを記録します。";
    (1..=40)
        .map(|i| format!("{i}. 段落{i}：{para}\n\n").replace(". ", "．"))
        .collect()
}

/// Every string of issue 3's "Text is text" list: (what the editor writes, what must be printed).
pub const TEXT_IS_TEXT: &[(&str, &str)] = &[
    ("数式ではない $x = 1$ です。", "数式ではない$x=1$です。"),
    ("#set page(width: 1cm)", "#setpage(width:1cm)"),
    ("#set text(size: 1pt)", "#settext(size:1pt)"),
    (
        "ラベル <intro> はタグではない。",
        "ラベル<intro>はタグではない。",
    ),
    ("参照 @intro も文字。", "参照@introも文字。"),
    (
        "連絡先 info@example.org まで。",
        "連絡先info@example.orgまで。",
    ),
    (
        "ハッシュタグ #居場所 を付けて。",
        "ハッシュタグ#居場所を付けて。",
    ),
    (
        "逆斜線 \\ と星 * と下線 _ は記号。",
        "逆斜線\\と星*と下線_は記号。",
    ),
    ("// not a comment", "//notacomment"),
    ("/* nor this */", "/*northis*/"),
    ("= not a heading", "=notaheading"),
    (
        "引用符 \"double\" 'single' そのまま。",
        "引用符\"double\"'single'そのまま。",
    ),
    ("実体 &amp; は一文字。", "実体&は一文字。"),
    ("数値参照 &#12354; はひらがな。", "数値参照あはひらがな。"),
    ("これは**「重要」**です", "これは「重要」です"),
    (
        "記号：\\!\\\"\\#\\$\\%\\&\\'\\(\\)\\*\\+\\,\\-\\.\\/\\:\\;\\<\\=\\>\\?\\@\\[\\\\\\]\\^\\_\\`\\{\\|\\}\\~",
        "記号：!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    ),
    ("絵文字 😀🎉 も。", "絵文字😀🎉も。"),
    ("名字の 𠮷田 さん。", "名字の𠮷田さん。"),
    ("丸数字 ①②③ の順。", "丸数字①②③の順。"),
    ("半角 ｶﾀｶﾅ も。", "半角ｶﾀｶﾅも。"),
    ("行頭記号：\n\\#", "行頭記号：#"),
];

pub fn text_is_text_markdown() -> String {
    let mut md = String::from("# テキストはテキスト\n\n");
    for (typed, _) in TEXT_IS_TEXT {
        md.push_str(typed);
        md.push_str("\n\n");
    }
    md.push_str("脚注つきの文[^t]。\n\n[^t]: 脚注の中の #emph[強調] も文字。\n\n");
    md.push_str("#\n\n次の段落は空の見出しの後。\n\n");
    md.push_str("```\n#\n#set page(width: 1cm)\n$x$ <intro> @intro\n```\n\n");
    md.push_str(&filler());
    md
}

/// Extra strings checked besides TEXT_IS_TEXT (footnote, empty heading, code block).
pub const TEXT_IS_TEXT_EXTRA: &[&str] = &[
    "脚注の中の#emph[強調]も文字。",
    "次の段落は空の見出しの後。",
    "#setpage(width:1cm)$x$<intro>@intro",
];

/// The "text is text" report and a control report with the same filler, built once.
pub fn text_is_text() -> &'static Built {
    static T: OnceLock<Built> = OnceLock::new();
    T.get_or_init(|| {
        let work = Work::new();
        work.report("text", &[("01.md", &text_is_text_markdown())]);
        work.report(
            "control",
            &[("01.md", &format!("# テキストはテキスト\n\n{}", filler()))],
        );
        let run = work.build();
        Built { work, run }
    })
}

#[test]
fn every_string_an_editor_types_is_printed_as_typed_in_the_pdf() {
    let t = text_is_text();
    assert!(!panicked(&t.run), "{}", t.run.stderr);
    t.run.ok();
    let text = squash(&pdftotext(&t.work.pdf("text"), None));
    let mut missing = Vec::new();
    for (typed, printed) in TEXT_IS_TEXT {
        if !text.contains(&squash(printed)) {
            missing.push(format!("{typed:?} should print as {printed:?}"));
        }
    }
    for s in TEXT_IS_TEXT_EXTRA {
        if !text.contains(&squash(s)) {
            missing.push(format!("{s:?}"));
        }
    }
    assert!(
        missing.is_empty(),
        "missing from the PDF text:\n{}\n\nPDF text:\n{text}",
        missing.join("\n")
    );
    assert!(
        !text.contains("**"),
        "asterisks of **strong** left in the PDF"
    );
    assert!(!text.contains("&amp;"), "&amp; printed as an entity");
}

#[test]
fn editor_text_never_changes_the_page_size_or_the_font_size() {
    let t = text_is_text();
    t.run.ok();
    let pdf = t.work.pdf("text");
    for size in page_sizes(&pdf) {
        assert!(
            is_a4(&size),
            "a page is not A4 (did `#set page` run?): {size}"
        );
    }
    let (n, control) = (pages(&pdf), pages(&t.work.pdf("control")));
    assert!(
        control >= 4,
        "the control report should span several pages, got {control}"
    );
    assert!(
        n >= control && n <= control + 3,
        "the text report has {n} pages, the control {control}: did `#set text(size: 1pt)` run?"
    );
}

#[test]
fn the_text_is_text_report_still_gets_pdf_ua_1() {
    let t = text_is_text();
    t.run.ok();
    let raw = std::fs::read(t.work.pdf("text")).unwrap();
    assert!(
        String::from_utf8_lossy(&raw).contains("pdfuaid:part"),
        "no PDF/UA-1 claim:\n{}",
        t.run.stderr
    );
}

// ---------------------------------------------------------------- fonts

#[test]
fn rare_kanji_emoji_and_ballot_boxes_have_a_shipped_font() {
    let w = Work::new();
    w.report(
        "fonts",
        &[(
            "01.md",
            "# 字形\n\n𠮷田さんの😀と☑☐。\n\n- [x] 済み\n- [ ] 未了\n",
        )],
    );
    let r = w.build();
    r.ok();
    assert!(
        !r.stderr.contains("no shipped font"),
        "a missing-glyph warning for characters kanko promises:\n{}",
        r.stderr
    );
    let text = squash(&pdftotext(&w.pdf("fonts"), None));
    for s in ["𠮷田さんの😀と☑☐。", "済み", "未了"] {
        assert!(text.contains(s), "{s} missing from the PDF text:\n{text}");
    }
}

#[test]
fn a_character_no_shipped_font_has_warns_naming_the_character_and_the_chapter() {
    // Hangul and Devanagari have fonts since issue 16; 똠 is outside KS X 1001 (the Hangul
    // subset) and Tamil has no shipped font.
    let w = Work::new();
    w.report(
        "korean",
        &[(
            "01.md",
            "# 多言語\n\n挨拶：한국어 と नमस्ते と 똠 と தமிழ்。\n",
        )],
    );
    let r = w.build();
    assert!(!panicked(&r));
    r.ok()
        .says("warning")
        .says("reports/korean/01.md")
        .says("똠")
        .says("த");
    assert!(!r.stderr.contains('한'), "한 is covered now:\n{}", r.stderr);
    assert!(!r.stderr.contains('न'), "न is covered now:\n{}", r.stderr);
}
