//! What a command asks the layers below to do, decided once from its arguments: the build's
//! settings ([`BuildConfig`]), the site file they read ([`SiteFile`]) and the shard to build
//! ([`Shard`]). No clap struct travels below the commands; `kanko serve` makes its own.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diag::Diag;
use crate::manuscript::meta::Site;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, clap::ValueEnum)]
pub enum Format {
    Pdf,
    Epub,
    Reader,
    /// For the print shop: 3 mm bleed and crop marks (`<slug>-print.pdf`); not built by default.
    Print,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Pdf, Format::Epub, Format::Reader];

    pub fn name(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Epub => "epub",
            Format::Reader => "reader",
            Format::Print => "print",
        }
    }
}

/// `kanko.toml`, read once per build: where it was found, its text, the hash of its bytes (part
/// of every report's cache key) and what it says.
#[derive(Debug, Clone, Default)]
pub struct SiteFile {
    pub path: Option<PathBuf>,
    /// The text as read (a shard manifest carries it to `kanko merge`).
    pub text: Option<String>,
    /// SHA-256 of the bytes; empty without a file.
    pub hash: String,
    pub site: Site,
    /// The font files `[[fonts]]` adds, read and checked.
    pub fonts: Vec<Vec<u8>>,
}

impl SiteFile {
    /// `kanko.toml` inside the reports folder, or beside it.
    pub fn find(reports: &Path) -> Option<(PathBuf, Vec<u8>)> {
        let beside = reports
            .parent()
            .unwrap_or(Path::new("."))
            .join("kanko.toml");
        [reports.join("kanko.toml"), beside]
            .into_iter()
            .find_map(|p| std::fs::read(&p).ok().map(|bytes| (p, bytes)))
    }

    pub fn load(reports: &Path) -> Result<SiteFile, Diag> {
        let Some((path, bytes)) = Self::find(reports) else {
            return Ok(SiteFile::default());
        };
        let (src, _) = crate::manuscript::text::decode(&bytes, &path)?;
        let mut site = crate::manuscript::meta::parse_site(&src, &path)?;
        site.logo = crate::manuscript::identity::logo(&site, &src, &path)?;
        // The logo is part of every report page and reader: a new logo rebuilds them.
        let mut h = Sha256::new();
        h.update(&bytes);
        if let Some(l) = &site.logo {
            h.update(&l.bytes);
        }
        // The added fonts' bytes are inputs too: a new version of the file rebuilds.
        let entries = site.fonts.as_deref().unwrap_or(&[]);
        let fonts: Vec<Vec<u8>> = crate::typeset::extra_fonts::read_entries(entries, &path, &src)?
            .into_iter()
            .map(|f| f.data)
            .collect();
        for f in &fonts {
            h.update(Sha256::digest(f));
        }
        Ok(SiteFile {
            text: Some(String::from_utf8_lossy(&bytes).into_owned()),
            hash: hex::encode(h.finalize()),
            path: Some(path),
            site,
            fonts,
        })
    }
}

/// Shard `index` (1-based) of `count` (`kanko build --shard I/N`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// FNV-1a 64 of the folder name: the same slug always lands in the same shard.
pub fn shard_of(slug: &str, count: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in slug.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(count.max(1))) as u32 + 1
}

impl Shard {
    pub fn holds(&self, slug: &str) -> bool {
        shard_of(slug, self.count) == self.index
    }

    /// `I/N` (1 ≤ I ≤ N) or `auto/N`, where I comes from `job_index`, the 0-based
    /// `JOB_COMPLETION_INDEX` of a Kubernetes Indexed Job.
    pub fn parse(s: &str, job_index: Option<&str>) -> Result<Shard, String> {
        let (i, n) = s
            .split_once('/')
            .ok_or_else(|| format!("`{s}`: expected I/N, e.g. 2/4, or auto/N"))?;
        let count: u32 = n
            .trim()
            .parse()
            .ok()
            .filter(|n| (1..=10_000).contains(n))
            .ok_or_else(|| format!("`{n}`: N must be a whole number from 1 to 10000"))?;
        let index = if i.trim() == "auto" {
            let v = job_index.ok_or(
                "auto/N: JOB_COMPLETION_INDEX is not set (it is set by a Kubernetes Indexed Job)",
            )?;
            v.trim()
                .parse::<u32>()
                .map_err(|_| format!("JOB_COMPLETION_INDEX=`{v}` is not a whole number"))?
                + 1
        } else {
            i.trim()
                .parse()
                .map_err(|_| format!("`{i}`: I must be a whole number (or auto)"))?
        };
        if index == 0 || index > count {
            return Err(format!(
                "shard {index} of {count}: I must be from 1 to {count} (JOB_COMPLETION_INDEX counts from 0)"
            ));
        }
        Ok(Shard { index, count })
    }
}

/// Everything a build of the reports reads, decided once.
#[derive(Debug, Clone)]
pub struct BuildConfig {
    /// The folder holding one sub-folder per report.
    pub reports: PathBuf,
    pub out: PathBuf,
    /// Only these reports (folder names); empty = all.
    pub only: Vec<String>,
    /// Reports built at the same time.
    pub jobs: usize,
    /// Sorted, without repeats.
    pub formats: Vec<Format>,
    /// `--base-url`, else `base_url` of kanko.toml.
    pub base_url: Option<String>,
    pub force: bool,
    pub shard: Option<Shard>,
    pub site: SiteFile,
    /// For the browser tests: typst-render's drawing of every page goes here.
    pub page_reference: Option<PathBuf>,
}

impl BuildConfig {
    /// The preview's build: every screen format, into `out`, reading kanko.toml anew.
    pub fn preview(reports: &Path, out: &Path, only: Vec<String>) -> Result<Self, Diag> {
        let site = SiteFile::load(reports)?;
        Ok(BuildConfig {
            reports: reports.to_path_buf(),
            out: out.to_path_buf(),
            only,
            jobs: cores(),
            formats: Format::ALL.to_vec(),
            base_url: site.site.base_url.clone(),
            force: false,
            shard: None,
            site,
            page_reference: None,
        })
    }
}

/// Sorted formats without repeats.
pub fn formats(asked: &[Format]) -> Vec<Format> {
    let mut f = asked.to_vec();
    f.sort();
    f.dedup();
    f
}

pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}
