//! Bad manuscripts (issue 3): each gets a clear message naming file:line(:col), exit 1, no panic,
//! and the good report beside it is still built.

use crate::fixtures::*;
use crate::util::*;

const GOOD_TOML_TAIL: &str =
    "[[funders]]\nname = \"独立行政法人福祉医療機構\"\nprogram = \"社会福祉振興助成事業\"\n";

/// A workspace with `good` and a report `bad` whose report.toml is `toml` and chapter `md`.
fn with_bad(toml: &str, md: &str) -> Work {
    let w = work_with_good();
    w.write("bad/report.toml", toml);
    w.write("bad/01.md", md);
    w
}

fn error_lines(r: &Run) -> Vec<&str> {
    r.stderr.lines().filter(|l| l.contains("error")).collect()
}

#[test]
fn a_misspelt_key_in_report_toml_is_named_with_its_line_and_a_did_you_mean() {
    let toml = format!(
        "title = \"悪い報告書\"\nsubtitel = \"副題\"\nproject = \"事業\"\nfiscal_year = 2024\npublisher = \"NPO\"\npublished = 2025-03-28\n\n{GOOD_TOML_TAIL}"
    );
    let w = with_bad(&toml, "# 本文\n");
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/report.toml:2:1")
        .says("subtitel")
        .says("did you mean")
        .says("subtitle");
}

#[test]
fn a_wrong_type_in_report_toml_names_the_key_the_line_and_column() {
    let toml = format!(
        "title = \"悪い報告書\"\nproject = \"事業\"\nfiscal_year = \"2024\"\npublisher = \"NPO\"\npublished = 2025-03-28\n\n{GOOD_TOML_TAIL}"
    );
    let w = with_bad(&toml, "# 本文\n");
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/report.toml:3:15");
    // The message itself (not only the quoted source line) must say which key is wrong.
    assert!(
        error_lines(&r).iter().any(|l| l.contains("fiscal_year")),
        "the error message does not name the key `fiscal_year`:\n{}",
        r.stderr
    );
}

#[test]
fn a_missing_required_key_in_report_toml_is_named() {
    let toml = format!(
        "title = \"悪い報告書\"\nfiscal_year = 2024\npublisher = \"NPO\"\npublished = 2025-03-28\n\n{GOOD_TOML_TAIL}"
    );
    let w = with_bad(&toml, "# 本文\n");
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/report.toml");
    assert!(
        error_lines(&r).iter().any(|l| l.contains("project")),
        "error does not name `project`:\n{}",
        r.stderr
    );
}

#[test]
fn a_toml_syntax_error_is_reported_at_its_line_and_column() {
    let toml = format!(
        "title = = \"悪い報告書\"\nproject = \"事業\"\nfiscal_year = 2024\npublisher = \"NPO\"\npublished = 2025-03-28\n\n{GOOD_TOML_TAIL}"
    );
    let w = with_bad(&toml, "# 本文\n");
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/report.toml:1:9");
}

#[test]
fn a_report_with_a_shift_jis_chapter_fails_naming_the_file_and_the_encoding_and_the_others_still_build()
 {
    let (sjis, _, had_errors) = encoding_rs::SHIFT_JIS
        .encode("# はじめに\n\nこの報告書は、地域の皆さまの協力で作られました。\n");
    assert!(!had_errors);
    let w = work_with_good();
    w.write("bad/report.toml", report_toml("bad", "ja"));
    w.write("bad/01.md", &*sjis);
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/01.md:1").says("Shift_JIS");
}

#[test]
fn a_utf8_chapter_with_a_bom_and_crlf_line_ends_builds() {
    let w = work_with_good();
    w.write("bom/report.toml", report_toml("bom", "ja"));
    w.write(
        "bom/01.md",
        "\u{feff}# はじめに\r\n\r\nBOM付きの本文です。\r\n",
    );
    w.build().ok();
    let text = squash(&pdftotext(&w.pdf("bom"), None));
    assert!(text.contains("BOM付きの本文です。"), "{text}");
    assert!(!text.contains('\u{feff}'));
}

#[test]
fn an_empty_chapter_fails_naming_the_file() {
    let w = with_bad(&report_toml("bad", "ja"), "");
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/01.md");
}

#[test]
fn a_report_with_no_chapters_fails_naming_the_folder() {
    let w = work_with_good();
    w.write("bad/report.toml", report_toml("bad", "ja"));
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad");
    assert!(r.stderr.to_lowercase().contains("chapter"), "{}", r.stderr);
}

#[test]
fn a_missing_image_fails_naming_the_chapter_line_and_path() {
    let w = with_bad(
        &report_toml("bad", "ja"),
        "# 図\n\n![参加者の推移](images/missing.png)\n",
    );
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/01.md:3").says("images/missing.png");
}

#[test]
fn a_truncated_png_fails_naming_the_chapter_line_and_path() {
    let full = png(200, 120);
    let w = with_bad(
        &report_toml("bad", "ja"),
        "# 図\n\n![参加者の推移](images/half.png)\n",
    );
    w.write("bad/images/half.png", &full[..full.len() / 2]);
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/01.md:3").says("images/half.png");
}

#[test]
fn a_text_file_named_png_fails_saying_it_is_not_an_image() {
    let w = with_bad(
        &report_toml("bad", "ja"),
        "# 図\n\n![参加者の推移](images/fake.png)\n",
    );
    w.write("bad/images/fake.png", "これは画像ではありません\n");
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/01.md:3")
        .says("images/fake.png")
        .says("not an image");
}

#[test]
fn an_image_path_with_dot_dot_is_refused_naming_the_chapter_line() {
    let w = with_bad(
        &report_toml("bad", "ja"),
        "# 図\n\n![外の図](../good/outside.png)\n",
    );
    w.write("good/outside.png", png(20, 20));
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/01.md:3").says("..");
}

#[test]
fn an_absolute_image_path_is_refused_naming_the_chapter_line() {
    let w = work_with_good();
    let img = w.write("bad/images/in.png", png(20, 20));
    w.write("bad/report.toml", report_toml("bad", "ja"));
    w.write(
        "bad/01.md",
        format!("# 図\n\n![絶対パス]({})\n", img.display()),
    );
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bad/01.md:3").says("absolute");
}

#[test]
fn a_folder_without_report_toml_is_an_error_naming_it_but_a_drafts_folder_is_ignored() {
    let w = work_with_good();
    w.write("no-toml/01.md", "# 下書き\n");
    w.write("_drafts/01.md", "# 下書き\n");
    w.write(".hidden/01.md", "# 隠し\n");
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/no-toml").says("report.toml");
    assert!(
        !r.stderr.contains("_drafts"),
        "_drafts must be ignored silently:\n{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains(".hidden"),
        ".hidden must be ignored silently:\n{}",
        r.stderr
    );
    assert!(!w.dist().join("_drafts").exists());

    // Without the stray folder the same run is clean: _drafts alone never fails a build.
    std::fs::remove_dir_all(w.reports().join("no-toml")).unwrap();
    w.build().ok();
}

#[test]
fn a_thousand_deep_block_quote_and_five_hundred_deep_list_build_with_a_warning() {
    let w = work_with_good();
    let mut md = String::from("# 深い入れ子\n\n");
    md.push_str(&"> ".repeat(1000));
    md.push_str("いちばん奥の引用\n\n");
    for i in 0..500 {
        md.push_str(&"  ".repeat(i));
        md.push_str(&format!("- 項目{i}\n"));
    }
    md.push_str("\n最後の段落。\n");
    w.write("deep/report.toml", report_toml("deep", "ja"));
    w.write("deep/01.md", md);
    let r = w.build();
    assert!(!panicked(&r), "{}", r.stderr);
    r.ok().says("warning").says("reports/deep/01.md");
    let text = squash(&pdftotext(&w.pdf("deep"), None));
    for s in [
        "いちばん奥の引用",
        "項目0",
        "項目250",
        "項目499",
        "最後の段落。",
    ] {
        assert!(text.contains(s), "{s} missing from the PDF text");
    }
    assert!(w.epub("deep").is_file());
}

#[test]
fn catalog_per_page_out_of_range_names_kanko_toml_and_its_line() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    w.write("kanko.toml", "title = \"t\"\n\n[catalog]\nper_page = 0\n");
    w.build()
        .fails()
        .says("kanko.toml:4")
        .says("per_page")
        .says("from 1 to 1000");
}

/// kanko.toml may sit beside `reports/` or inside it: every message names the file that was
/// read, with its line and column.
#[test]
fn messages_about_kanko_toml_name_the_file_that_was_read_with_line_and_column() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    let beside = w.dir.path().join("kanko.toml");
    let cases = [
        (
            "[lint]\nrules = { heading-skp = \"error\" }\n",
            "kanko.toml:2:",
            "check",
        ),
        (
            "title = \"t\"\nlanguage = \"日本語\"\n",
            "kanko.toml:2:",
            "build",
        ),
        (
            "title = \"t\"\n\n[catalog]\nper_page = 0\n",
            "kanko.toml:4:",
            "build",
        ),
        ("title = \"t\"\ntitel = \"u\"\n", "kanko.toml:2:", "build"),
    ];
    for (toml, at, cmd) in cases {
        std::fs::write(&beside, toml).unwrap();
        let args: &[&str] = match cmd {
            "check" => &["check", "--reports", "reports"],
            _ => &["build", "--reports", "reports", "--out", "dist"],
        };
        let run = w.kanko(args);
        run.fails().says(at);
        assert!(
            !run.stderr.contains("reports/kanko.toml"),
            "names a file that does not exist:\n{}",
            run.stderr
        );
    }
    std::fs::remove_file(&beside).unwrap();
    w.write(
        "kanko.toml",
        "[lint]\nrules = { heading-skp = \"error\" }\n",
    );
    w.kanko(&["check", "--reports", "reports"])
        .fails()
        .says("reports/kanko.toml:2:");
}
