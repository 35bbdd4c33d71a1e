//! The build as an editor re-running it all day: incremental, byte-identical, atomic, and
//! speaking the editor's language.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::fixtures::copy_dir;
use crate::util::{BIN, Work, tree};

fn two_reports(w: &Work) {
    w.report(
        "alpha",
        &[("01.md", "# 第一章\n\n本文です。{居場所|いばしょ}の話。\n")],
    );
    w.report("beta", &[("01.md", "# Chapter\n\nBody text.\n")]);
}

#[test]
fn a_rebuild_with_nothing_changed_keeps_every_report_and_the_output_is_identical() {
    let w = Work::new();
    two_reports(&w);
    w.build().ok();
    let first = tree(&w.dist());
    let again = w.build();
    again.ok();
    assert_eq!(
        again.stderr.matches("— unchanged").count(),
        2,
        "{}",
        again.stderr
    );
    assert_eq!(
        tree(&w.dist()),
        first,
        "a no-change rebuild must not change a byte"
    );
}

/// The no-change check hashes the files the last build recorded instead of reading the report
/// again; every kind of input must still be seen: a chapter, an image, a chart's CSV file, the
/// folder's chapter listing, and a file gone missing.
#[test]
fn every_file_a_report_is_read_from_is_watched_by_the_no_change_check() {
    let w = Work::new();
    w.report(
        "alpha",
        &[(
            "01.md",
            "# 第一章\n\n![写真の説明](images/photo.png)\n\n```chart\ntype = \"bar\"\ntitle = \"回答\"\ndata = \"data/kotae.csv\"\n```\n",
        )],
    );
    w.write("alpha/images/photo.png", crate::util::png(40, 30));
    w.write("alpha/data/kotae.csv", "項目,人数\nはい,12\nいいえ,3\n");
    let build = || w.build_with(&["--formats", "pdf"]);
    let unchanged = |run: &crate::util::Run| run.stderr.contains("✓ alpha — unchanged");
    build().ok();
    let run = build();
    assert!(unchanged(run.ok()), "nothing changed: {}", run.stderr);

    type Change<'a> = Box<dyn Fn() + 'a>;
    let mut steps: Vec<(&str, Change)> = vec![
        (
            "an image",
            Box::new(|| drop(w.write("alpha/images/photo.png", crate::util::png(41, 30)))),
        ),
        (
            "a CSV file",
            Box::new(|| drop(w.write("alpha/data/kotae.csv", "項目,人数\nはい,13\nいいえ,3\n"))),
        ),
        (
            "a new chapter",
            Box::new(|| drop(w.write("alpha/02.md", "# 第二章\n\n追加した章です。\n"))),
        ),
        (
            "report.toml",
            Box::new(|| {
                let toml = std::fs::read_to_string(w.reports().join("alpha/report.toml")).unwrap();
                drop(w.write(
                    "alpha/report.toml",
                    toml.replace("title = \"alpha\"", "title = \"alpha 改訂\""),
                ));
            }),
        ),
    ];
    for (what, change) in steps.drain(..) {
        change();
        let run = build();
        assert!(
            !unchanged(run.ok()),
            "{what} changed but the report was kept: {}",
            run.stderr
        );
        let run = build();
        assert!(
            unchanged(run.ok()),
            "after {what}, nothing changed: {}",
            run.stderr
        );
    }
    let text = crate::util::pdftotext(&w.pdf("alpha"), None);
    assert!(text.contains("追加した章です"), "{text}");

    // A chapter the build leaves out (`_` first) changes nothing.
    w.write("alpha/_memo.md", "# 下書き\n");
    assert!(unchanged(build().ok()));

    // A missing image is the same error as in a first build, and the previous output stays.
    std::fs::remove_file(w.reports().join("alpha/images/photo.png")).unwrap();
    let pdf_before = std::fs::read(w.pdf("alpha")).unwrap();
    build().fails().says("images/photo.png");
    assert_eq!(std::fs::read(w.pdf("alpha")).unwrap(), pdf_before);
}

#[test]
fn one_edited_chapter_rebuilds_that_report_and_the_catalog_only() {
    let w = Work::new();
    two_reports(&w);
    w.build().ok();
    let beta_before = tree(&w.dist().join("beta"));
    w.write("alpha/01.md", "# 第一章\n\n書き直した本文です。\n");
    let run = w.build();
    run.ok();
    assert!(
        run.stderr.contains("✓ alpha — 4 pages") || run.stderr.contains("✓ alpha — "),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("✓ beta — unchanged"), "{}", run.stderr);
    assert!(
        !run.stderr.contains("✓ alpha — unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(tree(&w.dist().join("beta")), beta_before);
    let text = crate::util::pdftotext(&w.pdf("alpha"), None);
    assert!(text.contains("書き直した本文"));
}

#[test]
fn force_rebuilds_everything_and_cached_outputs_equal_fresh_ones() {
    let w = Work::new();
    two_reports(&w);
    w.build().ok();
    w.build().ok();
    let cached = tree(&w.dist());
    let forced = w.build_with(&["--force"]);
    forced.ok();
    assert_eq!(
        forced.stderr.matches("— unchanged").count(),
        0,
        "{}",
        forced.stderr
    );
    assert_eq!(tree(&w.dist()), cached);
    let fresh = w.kanko(&["build", "--reports", "reports", "--out", "fresh"]);
    fresh.ok();
    assert_eq!(tree(&w.dir.path().join("fresh")), cached);
}

#[test]
fn changing_kanko_toml_rebuilds_the_reports() {
    let w = Work::new();
    two_reports(&w);
    w.build().ok();
    w.write("kanko.toml", "title = \"刊行物一覧\"\n");
    let run = w.build();
    run.ok();
    assert_eq!(
        run.stderr.matches("— unchanged").count(),
        0,
        "{}",
        run.stderr
    );
    let index = std::fs::read_to_string(w.dist().join("index.html")).unwrap();
    assert!(index.contains("刊行物一覧"));
}

#[test]
fn a_report_removed_from_reports_goes_from_dist_after_a_successful_build_only() {
    let w = Work::new();
    two_reports(&w);
    w.build().ok();
    std::fs::remove_dir_all(w.reports().join("beta")).unwrap();
    w.write("alpha/report.toml", "title = ");
    w.build().fails();
    assert!(
        w.dist().join("beta/beta.pdf").exists(),
        "kept while the build failed"
    );
    w.write("alpha/report.toml", crate::util::report_toml("alpha", "ja"));
    w.build().ok();
    assert!(
        !w.dist().join("beta").exists(),
        "removed after a successful build"
    );
    let catalog = std::fs::read_to_string(w.dist().join("catalog.json")).unwrap();
    assert!(!catalog.contains("\"beta\""));
}

#[test]
fn messages_are_japanese_when_the_locale_is_japanese() {
    let w = Work::new();
    w.report("alpha", &[("01.md", "# 章\n\n本文\n")]);
    w.write(
        "alpha/report.toml",
        crate::util::report_toml("alpha", "ja").replace("title =", "titel ="),
    );
    let out = Command::new(BIN)
        .current_dir(w.dir.path())
        .args(["build", "--reports", "reports", "--out", "dist"])
        .env("LANG", "ja_JP.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr.contains("不明なキー `titel`"), "{stderr}");
    assert!(stderr.contains("`title` のことですか"), "{stderr}");
    assert!(stderr.contains("report.toml:1:1"), "{stderr}");
    assert!(stderr.contains("件失敗"), "{stderr}");
}

#[test]
fn jobs_one_and_two_give_the_same_bytes() {
    let w = Work::new();
    two_reports(&w);
    w.kanko(&[
        "build",
        "--reports",
        "reports",
        "--out",
        "j1",
        "--jobs",
        "1",
    ])
    .ok();
    w.kanko(&[
        "build",
        "--reports",
        "reports",
        "--out",
        "j2",
        "--jobs",
        "2",
    ])
    .ok();
    assert_eq!(
        tree(&w.dir.path().join("j1")),
        tree(&w.dir.path().join("j2"))
    );
}

/// Kills a build at many moments; every report folder in dist/ must then be wholly the old
/// version or wholly the new one, and the catalog must be one of the two.
#[test]
fn an_interrupted_build_never_leaves_a_half_written_report() {
    let w = Work::new();
    let long: String = (0..1500)
        .map(|i| format!("段落{i}。報告書の本文がここに続きます。\n\n"))
        .collect();
    for slug in ["a", "b", "c"] {
        w.report(slug, &[("01.md", &format!("# {slug} 初版\n\n{long}"))]);
    }
    w.kanko(&[
        "build",
        "--reports",
        "reports",
        "--out",
        "old",
        "--jobs",
        "1",
    ])
    .ok();
    for slug in ["a", "b", "c"] {
        w.write(
            &format!("{slug}/01.md"),
            format!("# {slug} 改訂版\n\n{long}"),
        );
    }
    w.kanko(&[
        "build",
        "--reports",
        "reports",
        "--out",
        "new",
        "--jobs",
        "1",
    ])
    .ok();
    let old = w.dir.path().join("old");
    let new = w.dir.path().join("new");
    let mut interrupted = 0;
    for delay_ms in [150u64, 400, 700, 1000, 1400, 1800] {
        let dist = w.dir.path().join(format!("d{delay_ms}"));
        copy_dir(&old, &dist);
        let mut child = Command::new(BIN)
            .current_dir(w.dir.path())
            .args(["build", "--reports", "reports", "--jobs", "1", "--out"])
            .arg(&dist)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        while started.elapsed() < Duration::from_millis(delay_ms) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        if child.try_wait().unwrap().is_none() {
            interrupted += 1;
            Command::new("kill")
                .args(["-KILL", &child.id().to_string()])
                .status()
                .unwrap();
        }
        child.wait().unwrap();
        for slug in ["a", "b", "c"] {
            let got = tree(&dist.join(slug));
            assert!(
                got == tree(&old.join(slug)) || got == tree(&new.join(slug)),
                "report {slug} is half-written after a kill at {delay_ms} ms"
            );
        }
        for f in ["index.html", "catalog.json", "feed.xml", "opds.xml"] {
            let got = std::fs::read(dist.join(f)).unwrap();
            assert!(
                got == std::fs::read(old.join(f)).unwrap()
                    || got == std::fs::read(new.join(f)).unwrap(),
                "{f} half-written"
            );
        }
        // The next build finishes the job and leaves no staging folder behind.
        w.kanko(&[
            "build",
            "--reports",
            "reports",
            "--out",
            dist.to_str().unwrap(),
        ])
        .ok();
        assert!(!dist.join(".kanko-staging").exists());
        assert_eq!(tree(&dist.join("a")), tree(&new.join("a")));
    }
    assert!(
        interrupted >= 2,
        "the build was too fast to interrupt; make the fixture larger"
    );
}

#[test]
fn only_one_report_keeps_the_others_in_dist_and_in_the_catalog() {
    let w = Work::new();
    two_reports(&w);
    w.build().ok();
    let beta = tree(&w.dist().join("beta"));
    w.write("alpha/01.md", "# 第一章\n\n改訂版の本文。\n");
    w.write("beta/01.md", "# Chapter\n\nEdited but not asked for.\n");
    w.build_with(&["--only", "alpha"]).ok();
    assert_eq!(
        tree(&w.dist().join("beta")),
        beta,
        "beta was not asked for and must stay as it was"
    );
    let catalog = std::fs::read_to_string(w.dist().join("catalog.json")).unwrap();
    assert!(
        catalog.contains("\"slug\": \"alpha\"") && catalog.contains("\"slug\": \"beta\""),
        "{catalog}"
    );
    assert!(crate::util::pdftotext(&w.pdf("alpha"), None).contains("改訂版"));
}

#[test]
fn an_svg_figure_is_set_in_the_pdf_and_becomes_a_png_in_the_epub_and_reader() {
    let w = Work::new();
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"200\"><rect width=\"180\" height=\"180\" fill=\"#2f6f5e\"/><script>alert(1)</script></svg>";
    w.write("alpha/images/d.svg", svg);
    w.report("alpha", &[("01.md", "# 図\n\n![四角の図](images/d.svg)\n")]);
    w.build().ok();
    let names = crate::util::zip_names(&w.epub("alpha"));
    assert!(
        names.iter().any(|n| n == "OEBPS/img/images/d.svg.png"),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.ends_with(".svg")),
        "no SVG (and no script in one) reaches the EPUB"
    );
    assert!(w.dist().join("alpha/reader/img/images/d.svg.png").exists());
    assert!(crate::util::pdftotext(&w.pdf("alpha"), None).contains("四角の図"));
}

#[test]
fn a_vertical_report_sets_short_numbers_upright_in_the_epub() {
    let w = Work::new();
    w.report(
        "tate",
        &[("01.md", "# 縦組み\n\n令和6年12月に2024人が参加した。\n")],
    );
    let toml = format!(
        "writing_mode = \"vertical\"\n{}",
        crate::util::report_toml("tate", "ja")
    );
    w.write("tate/report.toml", toml);
    let run = w.build();
    run.ok();
    let opf = crate::util::unzip_text(&w.epub("tate"), "OEBPS/content.opf");
    assert!(opf.contains("page-progression-direction=\"rtl\""));
    let ch = crate::util::unzip_text(&w.epub("tate"), "OEBPS/ch1.xhtml");
    assert!(ch.contains("<span class=\"tcy\">12</span>"), "{ch}");
    assert!(ch.contains("2024人"), "four digits stay as they are");
}
