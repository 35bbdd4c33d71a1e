//! The command line as web staff and editors use it: subcommands, flags, exit codes.

use crate::fixtures::*;
use crate::util::*;

#[test]
fn an_unknown_format_is_a_bad_command_line_exit_2_and_nothing_is_written() {
    let w = work_with_good();
    let r = w.build_with(&["--formats", "pdf,docx"]);
    assert_eq!(
        r.code, 2,
        "expected exit 2 for --formats docx:\n{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("docx"),
        "the message should name the bad value:\n{}",
        r.stderr
    );
    assert!(
        !w.dist().exists(),
        "a bad command line must not write dist/"
    );
}

#[test]
fn an_unknown_flag_or_subcommand_exits_2() {
    let w = work_with_good();
    let r = w.kanko(&["build", "--no-such-flag"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // (`publish` was the example here until it became a command)
    let r = w.kanko(&["deploy"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(!w.dist().exists());
}

#[test]
fn building_good_reports_exits_0_and_writes_every_output_and_the_catalog() {
    let w = work_with_good();
    w.report("second", &[("01.md", "# 二つ目\n\n本文。\n")]);
    let r = w.build();
    r.ok();
    assert!(!panicked(&r));
    for slug in ["good", "second"] {
        assert!(w.pdf(slug).is_file(), "{slug}.pdf missing");
        assert!(w.epub(slug).is_file(), "{slug}.epub missing");
        assert!(
            w.dist().join(slug).join("index.html").is_file(),
            "{slug}/index.html missing"
        );
        assert!(
            w.dist().join(slug).join("reader/index.html").is_file(),
            "{slug}/reader missing"
        );
    }
    for f in ["index.html", "catalog.json", "feed.xml", "opds.xml"] {
        assert!(w.dist().join(f).is_file(), "{f} missing");
    }
    assert!(
        !w.dist().join("sitemap.xml").exists(),
        "sitemap.xml is only written with --base-url"
    );
}

#[test]
fn formats_pdf_builds_the_pdf_and_no_epub() {
    let w = work_with_good();
    w.build_with(&["--formats", "pdf"]).ok();
    assert!(w.pdf("good").is_file());
    assert!(
        !w.epub("good").exists(),
        "--formats pdf must not write an EPUB"
    );
    assert!(
        !w.dist().join("good/reader/index.html").exists(),
        "--formats pdf must not write the reader"
    );
}

#[test]
fn check_finds_the_problems_exits_1_and_writes_nothing() {
    let w = work_with_good();
    w.write(
        "broken/report.toml",
        report_toml("broken", "ja").replace("title =", "titel ="),
    );
    w.write("broken/01.md", "# x\n");
    let r = w.kanko(&["check", "--reports", "reports"]);
    assert!(!panicked(&r), "{}", r.stderr);
    r.fails().says("reports/broken/report.toml").says("titel");
    assert!(!w.dist().exists(), "kanko check must not write dist/");
    let entries: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(
        entries,
        vec![std::ffi::OsString::from("reports")],
        "check wrote something beside reports/"
    );
}

#[test]
fn check_on_good_reports_exits_0_and_writes_nothing() {
    let w = work_with_good();
    w.kanko(&["check", "--reports", "reports"]).ok();
    assert!(!w.dist().exists(), "kanko check must not write dist/");
}

#[test]
fn kanko_new_creates_a_report_whose_template_builds() {
    let w = Work::new();
    w.kanko(&["new", "2025-new-report", "--reports", "reports"])
        .ok();
    let dir = w.reports().join("2025-new-report");
    let toml = std::fs::read_to_string(dir.join("report.toml")).expect("report.toml written");
    assert!(toml.contains('#'), "the report.toml should be commented");
    let chapters: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .collect();
    assert!(
        !chapters.is_empty(),
        "kanko new should write a first chapter"
    );
    let r = w.build();
    r.ok();
    assert!(
        !r.stderr.contains("error"),
        "the template should build without errors:\n{}",
        r.stderr
    );
    assert!(w.pdf("2025-new-report").is_file());
    assert!(w.epub("2025-new-report").is_file());
}

#[test]
fn kanko_new_refuses_an_existing_folder_and_a_bad_slug() {
    let w = work_with_good();
    let before = std::fs::read(w.reports().join("good/report.toml")).unwrap();
    let r = w.kanko(&["new", "good", "--reports", "reports"]);
    assert_ne!(r.code, 0, "kanko new over an existing report must fail");
    assert!(!panicked(&r));
    assert_eq!(
        std::fs::read(w.reports().join("good/report.toml")).unwrap(),
        before,
        "existing report.toml overwritten"
    );
    let r = w.kanko(&["new", "bad slug", "--reports", "reports"]);
    assert_ne!(r.code, 0, "a slug with a space must be refused");
    assert!(!w.reports().join("bad slug").exists());
}

#[test]
fn only_builds_just_the_named_report() {
    let w = work_with_good();
    w.report("other", &[("01.md", "# 別の報告書\n")]);
    w.build_with(&["--only", "other"]).ok();
    assert!(w.pdf("other").is_file());
    assert!(
        !w.dist().join("good").exists(),
        "--only other must not build good"
    );
}

#[test]
fn only_with_a_broken_report_elsewhere_exits_0() {
    // An editor working on one report is not blocked by a colleague's broken draft.
    let w = work_with_good();
    w.write("broken/report.toml", "title = \n");
    w.write("broken/01.md", "# x\n");
    w.build_with(&["--only", "good"]).ok();
    assert!(w.pdf("good").is_file());
}

#[test]
fn only_with_an_unknown_slug_fails_naming_it() {
    let w = work_with_good();
    let r = w.build_with(&["--only", "no-such-report"]);
    assert!(
        r.code == 1 || r.code == 2,
        "expected a failure exit code:\n{}",
        r.stderr
    );
    r.says("no-such-report");
    assert!(!w.dist().join("good").exists());
}

#[test]
fn one_failed_report_gives_exit_1_and_the_others_are_built_and_catalogued() {
    let w = work_with_good();
    w.write("bad/report.toml", report_toml("bad", "ja"));
    w.write("bad/01.md", "# 図\n\n![存在しない図](images/missing.png)\n");
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    let catalog = std::fs::read_to_string(w.dist().join("catalog.json")).unwrap();
    assert!(!w.pdf("bad").exists(), "a failed report must not get a PDF");
    assert!(
        !catalog.contains("\"bad\""),
        "a report that never built must not be in the catalog"
    );
}
