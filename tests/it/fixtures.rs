//! Builds shared by several tests (one kanko run, many assertions), and small readers.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::util::*;

/// The sample reports shipped in /work/main/reports (copied, `_tools` included: it must be ignored).
pub fn sample_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("reports")
}

/// Slugs of the shipped samples (folders not starting with `_` or `.`).
pub fn sample_slugs() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(sample_dir())
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('_') && !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let p = e.path();
        let t = to.join(e.file_name());
        if p.is_dir() {
            copy_dir(&p, &t);
        } else {
            std::fs::copy(&p, &t).unwrap();
        }
    }
}

/// A workspace holding copies of every sample report.
pub fn work_with_samples() -> Work {
    let w = Work::new();
    for e in std::fs::read_dir(sample_dir()).unwrap() {
        let e = e.unwrap();
        if e.path().is_dir() {
            copy_dir(&e.path(), &w.reports().join(e.file_name()));
        }
    }
    w
}

pub struct Built {
    pub work: Work,
    pub run: Run,
}

/// Every sample built once (all formats) and shared by the PDF and EPUB tests.
pub fn samples() -> &'static Built {
    static S: OnceLock<Built> = OnceLock::new();
    S.get_or_init(|| {
        let work = work_with_samples();
        let run = work.build();
        Built { work, run }
    })
}

/// `pdfinfo` as key → value.
pub fn pdfinfo(pdf: &Path) -> Vec<(String, String)> {
    tool("pdfinfo", &[pdf.to_str().unwrap()])
        .lines()
        .filter_map(|l| {
            l.split_once(':')
                .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        })
        .collect()
}

pub fn info(pdf: &Path, key: &str) -> String {
    pdfinfo(pdf)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_else(|| panic!("pdfinfo of {} has no {key}", pdf.display()))
}

pub fn pages(pdf: &Path) -> usize {
    info(pdf, "Pages").parse().unwrap()
}

/// Size of every page, as `pdfinfo -f 1 -l N` prints it ("595.276 x 841.89 pts (A4)").
pub fn page_sizes(pdf: &Path) -> Vec<String> {
    let n = pages(pdf).to_string();
    tool("pdfinfo", &["-f", "1", "-l", &n, pdf.to_str().unwrap()])
        .lines()
        .filter(|l| l.starts_with("Page") && l.contains("size:"))
        .map(|l| l.split_once("size:").unwrap().1.trim().to_string())
        .collect()
}

pub fn is_a4(size: &str) -> bool {
    size.starts_with("595.") && size.contains(" x 841.")
}

/// The visible text of an XHTML document: tags removed, entities decoded.
pub fn visible_text(xhtml: &str) -> String {
    let body = match xhtml.find("<body") {
        Some(i) => &xhtml[i..],
        None => xhtml,
    };
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

/// Decodes the XML entities and numeric character references.
pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|&e| e <= 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let c = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some('\u{a0}'),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Names of the chapter documents in an EPUB (every .xhtml but nav, cover, title page, colophon).
pub fn xhtml_names(epub: &Path) -> Vec<String> {
    zip_names(epub)
        .into_iter()
        .filter(|n| n.ends_with(".xhtml"))
        .collect()
}

/// All XHTML of an EPUB, concatenated.
pub fn all_xhtml(epub: &Path) -> String {
    xhtml_names(epub)
        .iter()
        .map(|n| unzip_text(epub, n))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The package document (found through META-INF/container.xml).
pub fn opf(epub: &Path) -> String {
    let container = unzip_text(epub, "META-INF/container.xml");
    let i = container
        .find("full-path=\"")
        .expect("container.xml names the OPF")
        + 11;
    let path = &container[i..i + container[i..].find('"').unwrap()];
    unzip_text(epub, path)
}

/// The navigation document (the manifest item with properties="nav").
pub fn nav(epub: &Path) -> String {
    let names = zip_names(epub);
    let opf = opf(epub);
    let item = opf
        .split("<item ")
        .find(|i| i.contains("properties=\"nav\""))
        .expect("OPF has a nav item");
    let i = item.find("href=\"").unwrap() + 6;
    let href = &item[i..i + item[i..].find('"').unwrap()];
    let full = names
        .iter()
        .find(|n| n.ends_with(&format!("/{href}")) || *n == href)
        .expect("nav file in zip");
    unzip_text(epub, full)
}

/// One `<nav epub:type="KIND">…</nav>` element of the navigation document.
pub fn nav_part(nav: &str, kind: &str) -> Option<String> {
    let i = nav.find(&format!("epub:type=\"{kind}\""))?;
    let end = nav[i..].find("</nav>")? + i;
    Some(nav[i..end].to_string())
}

/// True when stderr shows a Rust panic.
pub fn panicked(r: &Run) -> bool {
    r.stderr.contains("panicked") || r.code == 101
}

/// Asserts the story every bad-input test shares: exit 1, no panic, the good report built.
#[track_caller]
pub fn failed_cleanly(w: &Work, r: &Run, good: &str) {
    assert!(!panicked(r), "kanko panicked:\n{}", r.stderr);
    r.fails();
    assert!(
        w.pdf(good).is_file(),
        "the good report {good} was not built:\n{}",
        r.stderr
    );
    assert!(
        w.epub(good).is_file(),
        "the good report {good} has no EPUB:\n{}",
        r.stderr
    );
    let catalog =
        std::fs::read_to_string(w.dist().join("catalog.json")).expect("catalog.json written");
    assert!(
        catalog.contains(&format!("\"{good}\"")),
        "catalog.json does not list {good}"
    );
}

/// A workspace with one good report (`good`) beside whatever the test adds.
pub fn work_with_good() -> Work {
    let w = Work::new();
    w.report("good", &[("01.md", "# 良い報告書\n\n本文です。\n")]);
    w
}

/// Ruby markup without the `<rp>（</rp>` fallback parentheses (optional in EPUB).
pub fn strip_rp(x: &str) -> String {
    let mut out = String::new();
    let mut rest = x;
    while let Some(i) = rest.find("<rp>") {
        out.push_str(&rest[..i]);
        match rest[i..].find("</rp>") {
            Some(j) => rest = &rest[i + j + 5..],
            None => {
                rest = &rest[i..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The markup of every tag in an XHTML document (`<img src=… alt=…/>`), not escaped text.
pub fn tags(x: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = x;
    while let Some(i) = rest.find('<') {
        let Some(j) = rest[i..].find('>') else { break };
        out.push(rest[i..i + j + 1].to_string());
        rest = &rest[i + j + 1..];
    }
    out
}

/// The document language of a PDF: `/Lang` of the catalog, read from an uncompressed copy.
pub fn pdf_lang(pdf: &Path) -> Option<String> {
    let out = std::process::Command::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("qpdf installed");
    let raw = String::from_utf8_lossy(&out.stdout).into_owned();
    // The catalog is the object with /Type /Catalog; take the /Lang entry of that dictionary.
    let cat = raw.find("/Type /Catalog")?;
    let start = raw[..cat].rfind(" obj")?;
    let end = cat + raw[cat..].find("endobj")?;
    let dict = &raw[start..end];
    let i = dict.find("/Lang (")? + 7;
    Some(dict[i..i + dict[i..].find(')')?].to_string())
}

/// `pdffonts` output and its font rows (the lines under the `---` rule).
pub fn pdffonts_rows(pdf: &Path) -> (String, Vec<String>) {
    let out = crate::util::tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows = out
        .lines()
        .skip_while(|l| !l.starts_with("---"))
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    (out, rows)
}
