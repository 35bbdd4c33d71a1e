//! Helpers that keep the stories short: make a report folder, run kanko, read outputs back.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const BIN: &str = env!("CARGO_BIN_EXE_kanko");

/// A temporary workspace with `reports/` and `dist/`.
pub struct Work {
    pub dir: tempfile::TempDir,
}

impl Work {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("reports")).unwrap();
        Work { dir }
    }

    pub fn reports(&self) -> PathBuf {
        self.dir.path().join("reports")
    }

    pub fn dist(&self) -> PathBuf {
        self.dir.path().join("dist")
    }

    /// Writes a file under `reports/`, creating folders.
    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.reports().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, content).unwrap();
        p
    }

    /// A minimal valid report with the given chapters (`(file name, markdown)`).
    pub fn report(&self, slug: &str, chapters: &[(&str, &str)]) {
        self.write(&format!("{slug}/report.toml"), report_toml(slug, "ja"));
        for (name, md) in chapters {
            self.write(&format!("{slug}/{name}"), md);
        }
    }

    /// Runs `kanko <args>` in the workspace with `--reports reports --out dist` for build.
    pub fn kanko(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(BIN);
        cmd.current_dir(self.dir.path())
            .args(args)
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL");
        Run::from(cmd.output().expect("run kanko"))
    }

    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// `kanko build --reports reports --out dist` plus `extra` flags.
    pub fn build_with(&self, extra: &[&str]) -> Run {
        let mut args = vec!["build", "--reports", "reports", "--out", "dist"];
        args.extend_from_slice(extra);
        self.kanko(&args)
    }

    pub fn pdf(&self, slug: &str) -> PathBuf {
        self.dist().join(slug).join(format!("{slug}.pdf"))
    }

    pub fn epub(&self, slug: &str) -> PathBuf {
        self.dist().join(slug).join(format!("{slug}.epub"))
    }
}

pub fn report_toml(title: &str, lang: &str) -> String {
    format!(
        "title = \"{title}\"\nproject = \"テスト事業\"\nfiscal_year = 2024\npublisher = \"NPO法人 テスト\"\npublished = 2025-03-28\nlanguage = \"{lang}\"\n\n[[funders]]\nname = \"独立行政法人福祉医療機構\"\nprogram = \"社会福祉振興助成事業\"\n"
    )
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    #[track_caller]
    pub fn ok(&self) -> &Self {
        assert_eq!(self.code, 0, "kanko failed:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn fails(&self) -> &Self {
        assert_eq!(self.code, 1, "expected exit 1:\n{}", self.stderr);
        self
    }

    #[track_caller]
    pub fn says(&self, needle: &str) -> &Self {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}:\n{}",
            self.stderr
        );
        self
    }
}

/// Text of a PDF (or of one page), in pdftotext's default reading order.
pub fn pdftotext(pdf: &Path, page: Option<usize>) -> String {
    pdftotext_with(pdf, page, &[])
}

/// Text in content-stream order (`-raw`): pdftotext's default mode drops glyphs it thinks
/// overlap (e.g. one `-` of `------`), `-raw` keeps every character.
pub fn pdftotext_raw(pdf: &Path, page: Option<usize>) -> String {
    pdftotext_with(pdf, page, &["-raw"])
}

fn pdftotext_with(pdf: &Path, page: Option<usize>, extra: &[&str]) -> String {
    let mut cmd = Command::new("pdftotext");
    cmd.args(extra);
    if let Some(p) = page {
        cmd.args(["-f", &p.to_string(), "-l", &p.to_string()]);
    }
    let out = cmd
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed");
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

pub fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|_| panic!("{name} must be installed"));
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// Text with every kind of white space removed (PDF text extraction breaks lines anywhere).
pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Reads one entry of a zip file (an EPUB) as text.
pub fn unzip_text(zip: &Path, name: &str) -> String {
    let f = std::fs::File::open(zip).unwrap();
    let mut a = zip::ZipArchive::new(f).unwrap();
    let mut e = a
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} missing in {}", zip.display()));
    let mut s = String::new();
    std::io::Read::read_to_string(&mut e, &mut s).unwrap();
    s
}

pub fn zip_names(zip: &Path) -> Vec<String> {
    let f = std::fs::File::open(zip).unwrap();
    let a = zip::ZipArchive::new(f).unwrap();
    a.file_names().map(str::to_string).collect()
}

/// A small valid PNG.
pub fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x % 255) as u8, (y % 255) as u8, 128])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// All files under a folder with their bytes, sorted (for byte-identical comparisons).
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    fn walk(base: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else {
                out.push((
                    p.strip_prefix(base).unwrap().display().to_string(),
                    std::fs::read(&p).unwrap(),
                ));
            }
        }
    }
    walk(dir, dir, &mut out);
    out
}
