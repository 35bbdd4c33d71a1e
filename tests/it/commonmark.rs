//! Every example of the CommonMark spec (tests/data/commonmark-spec.txt) is built as a
//! chapter into PDF, EPUB and reader; the build exits 0 and every visible character of each
//! example, in order, is in the PDF's text on the example's own pages.
//!
//! The spec's image examples point at files that do not exist (`/url`, `train.jpg`); kanko
//! refuses missing and absolute image paths, so the harness creates those files and drops the
//! leading `/` of absolute ones. Nothing else in the examples is changed.

use std::path::{Path, PathBuf};

use crate::util::{Work, pdftotext_raw, squash};

const PER_REPORT: usize = 60;

struct Example {
    n: usize,
    md: String,
    html: String,
}

fn spec_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/commonmark-spec.txt")
}

fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string(spec_path()).unwrap();
    let fence = "````````````````````````````````";
    let mut out = Vec::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line.starts_with(fence) && line.ends_with("example") {
            let md: Vec<&str> = lines.by_ref().take_while(|l| *l != ".").collect();
            let html: Vec<&str> = lines
                .by_ref()
                .take_while(|l| !l.starts_with(fence))
                .collect();
            let tab = |s: String| s.replace('→', "\t");
            out.push(Example {
                n: out.len() + 1,
                md: tab(md.join("\n") + "\n"),
                html: tab(html.join("\n")),
            });
        }
    }
    out
}

/// The text a reader sees in the expected HTML: tags removed, entities decoded.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match (c, in_tag) {
            ('<', false) => in_tag = true,
            ('>', true) => in_tag = false,
            (c, false) => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

fn image_files(ex: &Example) -> (String, Vec<String>) {
    let mut md = ex.md.clone();
    let mut files = Vec::new();
    let mut rest = ex.html.as_str();
    while let Some(i) = rest.find("<img src=\"") {
        let tail = &rest[i + 10..];
        let src = &tail[..tail.find('"').unwrap()];
        let rel = src.trim_start_matches('/').to_string();
        if src.starts_with('/') {
            md = md.replace(src, &rel);
        }
        files.push(rel);
        rest = tail;
    }
    (md, files)
}

/// Is `needle` a subsequence of `hay`?
fn in_order(needle: &str, hay: &str) -> bool {
    let mut h = hay.chars();
    needle.chars().all(|c| h.any(|x| x == c))
}

/// Every character of `needle`, counted, is in `hay` (text from several fonts on one line can
/// come out of the PDF in another order).
fn all_present(needle: &str, hay: &str) -> bool {
    let mut pool: Vec<char> = hay.chars().collect();
    needle
        .chars()
        .all(|c| match pool.iter().position(|x| *x == c) {
            Some(i) => {
                pool.swap_remove(i);
                true
            }
            None => false,
        })
}

#[test]
fn every_commonmark_example_builds_into_pdf_epub_and_reader_and_keeps_its_text() {
    let all = examples();
    assert_eq!(all.len(), 655, "the spec has 655 examples");
    let w = Work::new();
    let chunks: Vec<&[Example]> = all.chunks(PER_REPORT).collect();
    for (k, chunk) in chunks.iter().enumerate() {
        let slug = format!("cm{:02}", k + 1);
        w.write(
            &format!("{slug}/report.toml"),
            crate::util::report_toml(&format!("CommonMark {}", k + 1), "en"),
        );
        for ex in *chunk {
            let (md, files) = image_files(ex);
            w.write(
                &format!("{slug}/e{:03}a.md", ex.n),
                format!("# M{:03}\n", ex.n),
            );
            w.write(&format!("{slug}/e{:03}b.md", ex.n), md);
            for f in files {
                w.write(&format!("{slug}/{f}"), crate::util::png(8, 8));
            }
        }
    }
    let run = w.build();
    run.ok();
    assert!(!run.stderr.contains("panicked"));
    // "…: 𞋿 (U+1E2FF) ῆ (U+1FC6)" → the listed characters.
    let warned: String = run
        .stderr
        .lines()
        .filter(|l| l.contains("no shipped font has these characters"))
        .flat_map(|l| {
            l.split("(U+")
                .filter_map(|part| part.trim_end().chars().last())
                .collect::<Vec<_>>()
        })
        .collect();
    let mut missing = Vec::new();
    for (k, chunk) in chunks.iter().enumerate() {
        let slug = format!("cm{:02}", k + 1);
        let pdf = w.pdf(&slug);
        let text = pdftotext_raw(&pdf, None);
        let pages: Vec<&str> = text.split('\u{c}').collect();
        assert!(w.epub(&slug).exists(), "{slug} EPUB");
        assert!(
            w.dist().join(&slug).join("reader/index.html").exists(),
            "{slug} reader"
        );
        for ex in *chunk {
            let marker = format!("M{:03}", ex.n);
            let next = format!("M{:03}", ex.n + 1);
            // The marker chapter's own page (the table of contents names it too, with leaders).
            let own_page = |p: &&str, m: &str| p.contains(m) && !squash(p).contains("........");
            let start = pages
                .iter()
                .position(|p| own_page(p, &marker))
                .unwrap_or_else(|| panic!("marker {marker} not found"));
            let end = pages[start + 1..]
                .iter()
                .position(|p| own_page(p, &next))
                .map_or(pages.len(), |e| start + 1 + e);
            let own = squash(&pages[start + 1..end].join(""));
            // Characters no shipped font has are warned about by name; the rest must be there.
            let want: String = squash(&visible(&ex.html))
                .chars()
                .filter(|c| !warned.contains(*c))
                .collect();
            if !in_order(&want, &own) && !all_present(&want, &own) {
                missing.push(format!("example {}: want {want:?}\n  got {own:?}", ex.n));
            }
        }
    }
    keep_for_epubcheck(&w.dist());
    assert!(
        missing.is_empty(),
        "{} examples lost text:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

/// Leaves the built EPUBs where `tests/run` runs EPUBCheck on them.
fn keep_for_epubcheck(dist: &Path) {
    let keep = Path::new(env!("CARGO_TARGET_TMPDIR")).join("commonmark-epubs");
    let _ = std::fs::remove_dir_all(&keep);
    std::fs::create_dir_all(&keep).unwrap();
    for e in std::fs::read_dir(dist).unwrap().filter_map(Result::ok) {
        let slug = e.file_name().to_string_lossy().into_owned();
        let epub = e.path().join(format!("{slug}.epub"));
        if epub.exists() {
            std::fs::copy(&epub, keep.join(format!("{slug}.epub"))).unwrap();
        }
    }
}
