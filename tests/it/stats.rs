//! `kanko stats` on logs written here, against a site built by `kanko build`; its chapter is
//! built back into a report and read with pdftotext.

use std::io::Write;
use std::process::Command;

use crate::util::*;

const PC: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36";
const PHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1";
const BOT: &str = "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)";

fn line(ip: &str, when: &str, path: &str, status: u16, ua: &str) -> String {
    format!(r#"{ip} - - [{when} +0900] "GET {path} HTTP/1.1" {status} 4096 "-" "{ua}""#)
}

/// A built site with one report whose title has Markdown and HTML in it.
fn site(w: &Work) {
    w.write("r2024/report.toml", report_toml("<b>R</b>|*2024*", "ja"));
    w.write("r2024/01.md", "# はじめに\n\n本文です。\n");
    w.build().ok();
}

fn stats(w: &Work, args: &[&str], lang: &str) -> Run {
    let out = Command::new(BIN)
        .current_dir(w.dir.path())
        .arg("stats")
        .args(args)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .expect("run kanko");
    Run::from(out)
}

#[test]
fn stats_counts_a_fiscal_year_and_its_chapter_builds() {
    let w = Work::new();
    site(&w);
    let pdf = "/r2024/r2024.pdf";
    let log = [
        // 31 March 2025 is in 令和6年度 (FY2024)…
        line("192.0.2.1", "31/Mar/2025:23:50:00", pdf, 200, PC),
        line("192.0.2.1", "31/Mar/2025:23:50:01", pdf, 206, PC),
        line(
            "192.0.2.2",
            "15/Jun/2024:10:00:00",
            "/r2024/reader/index.html",
            200,
            PHONE,
        ),
        line(
            "192.0.2.2",
            "15/Jun/2024:10:00:01",
            "/r2024/reader/text.html",
            200,
            PHONE,
        ),
        line("192.0.2.3", "15/Jun/2024:11:00:00", "/", 200, PC),
        line(
            "192.0.2.3",
            "15/Jun/2024:11:00:05",
            "/search/i0.js",
            200,
            PC,
        ),
        line(
            "192.0.2.3",
            "15/Jun/2024:11:00:09",
            "/r2024/r2024.epub",
            200,
            PC,
        ),
        line("192.0.2.9", "15/Jun/2024:12:00:00", pdf, 200, BOT),
        // …1 April 2025 is not
        line("192.0.2.4", "01/Apr/2025:00:00:10", pdf, 200, PC),
    ]
    .join("\n");
    w.write("../access.log", log + "\nthis is not a log line\n");
    let r = stats(
        &w,
        &[
            "access.log",
            "--out",
            "dist",
            "--fiscal-year",
            "2024",
            "--format",
            "json",
            "--chapter",
            "reports/r2025/02-riyou.md",
        ],
        "C.UTF-8",
    );
    r.ok();
    let s: serde_json::Value = serde_json::from_str(&r.stdout).expect("json");
    assert_eq!(s["period"]["from"], "2024-04-01");
    assert_eq!(s["period"]["to"], "2025-03-31");
    let rep = &s["reports"][0];
    assert_eq!(rep["slug"], "r2024");
    assert_eq!(
        (rep["pdf"].as_u64(), rep["epub"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(
        (rep["reader"].as_u64(), rep["text_mode"].as_u64()),
        (Some(1), Some(1))
    );
    assert_eq!(s["catalog"]["visits"], 1);
    assert_eq!(s["catalog"]["searches"], 1);
    assert_eq!(s["left_out"]["visits"], 1);
    assert_eq!(s["logs"]["malformed"], 1);
    assert_eq!(s["logs"]["outside_period"], 1);
    let march = s["months"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["month"] == "2025-03")
        .unwrap();
    assert_eq!(march["pdf"], 1);
    // the malformed line is shown with its file and line
    r.says("access.log:10");

    // The chapter, in the site's language, goes into next year's report and builds.
    let md = std::fs::read_to_string(w.reports().join("r2025/02-riyou.md")).unwrap();
    assert!(md.contains("```chart"), "{md}");
    assert!(md.contains(r"| \<b\>R\<\/b\>\|\*2024\* | 1 | 1 |"), "{md}");
    w.write("r2025/report.toml", report_toml("令和7年度 報告書", "ja"));
    w.write("r2025/01.md", "# はじめに\n\n本文です。\n");
    w.build_with(&["--only", "r2025"]).ok();
    let text = squash(&pdftotext(&w.pdf("r2025"), None));
    assert!(text.contains("報告書の利用状況（令和6年度）"), "{text}");
    assert!(
        text.contains("月別のダウンロード数とリーダーで開いた回数（令和6年度）"),
        "{text}"
    );
    // the title is text, as typed (not bold, not a table break, not a heading)
    assert!(text.contains("<b>R</b>|*2024*"), "{text}");
    let epub = unzip_text(&w.epub("r2025"), "OEBPS/ch2.xhtml");
    assert!(epub.contains("<table"), "the chart's data table");
    assert!(epub.contains("&lt;b&gt;R&lt;/b&gt;|*2024*"), "{epub}");
}

#[test]
fn stats_reads_gzip_and_speaks_japanese_or_english() {
    let w = Work::new();
    site(&w);
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    writeln!(
        gz,
        "{}",
        line(
            "192.0.2.1",
            "01/Jul/2024:10:00:00",
            "/hokoku/r2024/r2024.pdf",
            200,
            PC
        )
    )
    .unwrap();
    std::fs::write(w.dir.path().join("access.log.1.gz"), gz.finish().unwrap()).unwrap();
    let args = ["access.log.1.gz", "--out", "dist", "--base-path", "/hokoku"];
    let ja = stats(&w, &args, "ja_JP.UTF-8");
    ja.ok();
    assert!(
        ja.stdout.contains("令和6年度（2024年4月〜2025年3月）"),
        "{}",
        ja.stdout
    );
    assert!(ja.stdout.contains("合計"), "{}", ja.stdout);
    let en = stats(&w, &args, "en_US.UTF-8");
    en.ok();
    assert!(
        en.stdout.contains("FY2024 (April 2024 – March 2025)"),
        "{}",
        en.stdout
    );
    let total = en.stdout.lines().find(|l| l.starts_with("Total")).unwrap();
    assert_eq!(total.split_whitespace().nth(1), Some("1"), "{total}");
    // CSV: a row per report and month, and the month's total
    let csv = stats(&w, &[&args[..], &["--format", "csv"]].concat(), "C.UTF-8");
    csv.ok();
    assert!(
        csv.stdout
            .lines()
            .any(|l| l.starts_with("2024-07,r2024,") && l.contains(",1,0,0,")),
        "{}",
        csv.stdout
    );
    // the wrong base: nothing counted, and the hint names the one in the log
    let wrong = stats(&w, &["access.log.1.gz", "--out", "dist"], "C.UTF-8");
    wrong.ok().says("--base-path /hokoku/");
    // the base from kanko.toml's base_url
    w.write("kanko.toml", "base_url = \"https://example.org/hokoku\"\n");
    let toml = stats(
        &w,
        &["access.log.1.gz", "--out", "dist", "--format", "json"],
        "C.UTF-8",
    );
    toml.ok();
    let s: serde_json::Value = serde_json::from_str(&toml.stdout).unwrap();
    assert_eq!(s["totals"]["pdf"], 1, "{}", toml.stdout);
}

#[test]
fn stats_bad_input_is_explained() {
    let w = Work::new();
    site(&w);
    w.write(
        "../common.log",
        "192.0.2.1 - - [01/Jul/2024:10:00:00 +0900] \"GET / HTTP/1.1\" 200 12\n",
    );
    stats(&w, &["common.log", "--out", "dist"], "C.UTF-8")
        .fails()
        .says("common.log")
        .says("Combined Log Format")
        .says("Common Log Format");
    w.write(
        "../ok.log",
        line("192.0.2.1", "01/Jul/2024:10:00:00", "/", 200, PC) + "\n",
    );
    stats(
        &w,
        &["ok.log", "--out", "dist", "--fiscal-year", "2020"],
        "C.UTF-8",
    )
    .fails()
    .says("no line in this period")
    .says("2024-07-01");
    stats(&w, &["missing.log", "--out", "dist"], "C.UTF-8")
        .fails()
        .says("missing.log");
    stats(&w, &["ok.log", "--out", "nowhere"], "C.UTF-8")
        .fails()
        .says("nowhere");
    stats(
        &w,
        &["ok.log", "--out", "dist", "--from", "2024-02-30"],
        "C.UTF-8",
    )
    .fails()
    .says("2024-04-01");
}
