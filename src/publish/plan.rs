//! What to send and in which order: `dist/` against the manifest kept on the target.
//!
//! Order (each step finishes before the next starts, so a reader never meets a link to a
//! file that is not there yet): the site's shared assets; every report's own files (binaries,
//! then scripts/styles/data, then its inner pages, then its `index.html`); then the catalog's
//! search index and data, feeds, sitemap, inner pages and finally the `index*.html` pages.
//! Deletions come after everything else, pages before the files they link to.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Kept at the target's root; written last, after every upload succeeded.
pub const MANIFEST: &str = ".kanko-publish.json";
/// Written while a publish runs: what already arrived (merged into the manifest on resume).
pub const JOURNAL: &str = ".kanko-publish.journal.json";
pub const LOCK: &str = ".kanko-publish.lock";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileSum {
    pub sha256: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub version: u32,
    /// Relative path (with `/`) → content.
    pub files: BTreeMap<String, FileSum>,
}

impl Manifest {
    pub fn parse(bytes: &[u8]) -> Option<Manifest> {
        serde_json::from_slice(bytes).ok()
    }
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(self).unwrap_or_default();
        v.push(b'\n');
        v
    }
}

/// One file of `dist/`.
#[derive(Debug, Clone)]
pub struct Local {
    pub rel: String,
    pub sum: FileSum,
}

/// Walks `dist/`: every file except kanko's own dot files (build state, staging, index keys).
pub fn scan(dist: &Path) -> std::io::Result<(Vec<Local>, BTreeSet<String>)> {
    let mut files = Vec::new();
    let mut reports = BTreeSet::new();
    walk(dist, "", &mut files)?;
    for e in std::fs::read_dir(dist)? {
        let e = e?;
        if e.path().join(crate::output::STATE_FILE).is_file() {
            reports.insert(e.file_name().to_string_lossy().into_owned());
        }
    }
    files.sort_by(|a: &Local, b| a.rel.cmp(&b.rel));
    Ok((files, reports))
}

fn walk(dir: &Path, prefix: &str, out: &mut Vec<Local>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let rel = format!("{prefix}{name}");
        let ft = e.file_type()?;
        let ft = if ft.is_symlink() {
            std::fs::metadata(e.path())?.file_type()
        } else {
            ft
        };
        if ft.is_dir() {
            walk(&e.path(), &format!("{rel}/"), out)?;
        } else if ft.is_file() {
            let bytes = std::fs::read(e.path())?;
            out.push(Local {
                rel,
                sum: FileSum {
                    sha256: hex::encode(Sha256::digest(&bytes)),
                    size: bytes.len() as u64,
                },
            });
        }
    }
    Ok(())
}

/// Rank of a file inside its group: what others link to comes first.
fn rank(rel: &str) -> u8 {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "xhtml" | "htm") if name.starts_with("index") => 3,
        Some("html" | "xhtml" | "htm") => 2,
        Some("js" | "mjs" | "css" | "json" | "xml" | "atom" | "txt" | "webmanifest") => 1,
        _ => 0,
    }
}

/// Files that belong to the catalog (updated after every report): search, data, feeds, pages.
fn is_catalog(rel: &str) -> bool {
    rel.starts_with("search/") || rank(rel) >= 1 && !rel.ends_with(".css") && !rel.ends_with(".js")
}

#[derive(Debug, Default)]
pub struct Plan {
    /// Upload steps, in order; the files of one step may go in parallel.
    pub steps: Vec<Vec<Local>>,
    /// Deletion steps, in order (only files kanko published before).
    pub deletes: Vec<Vec<String>>,
    /// The manifest to write at the end.
    pub manifest: Manifest,
    pub unchanged: usize,
}

impl Plan {
    pub fn files(&self) -> usize {
        self.steps.iter().map(Vec::len).sum()
    }
    pub fn bytes(&self) -> u64 {
        self.steps.iter().flatten().map(|l| l.sum.size).sum()
    }
    pub fn deletions(&self) -> usize {
        self.deletes.iter().map(Vec::len).sum()
    }
}

/// `on_target`: what is known to be on the target with this content (manifest + journal).
/// `owned`: every path kanko published before (only these may be deleted).
pub fn make(
    local: &[Local],
    reports: &BTreeSet<String>,
    on_target: &BTreeMap<String, FileSum>,
    owned: &BTreeSet<String>,
) -> Plan {
    let report_of = |rel: &str| {
        rel.split_once('/')
            .map(|(first, _)| first)
            .filter(|f| reports.contains(*f))
            .is_some()
    };
    // 0: site assets; 1..=4: reports' files by rank; 5: report pages; 6: catalog data;
    // 7: catalog pages; 8: index pages
    let mut steps: Vec<Vec<Local>> = vec![Vec::new(); 9];
    let mut plan = Plan::default();
    plan.manifest.version = 1;
    for l in local {
        plan.manifest.files.insert(l.rel.clone(), l.sum.clone());
        if on_target.get(&l.rel) == Some(&l.sum) {
            plan.unchanged += 1;
            continue;
        }
        let r = rank(&l.rel) as usize;
        let step = if report_of(&l.rel) {
            if l.rel.matches('/').count() == 1 && l.rel.ends_with("/index.html") {
                5
            } else {
                1 + r
            }
        } else if !is_catalog(&l.rel) {
            0
        } else if r <= 1 {
            6
        } else if r == 2 {
            7
        } else {
            8
        };
        steps[step].push(l.clone());
    }
    plan.steps = steps.into_iter().filter(|s| !s.is_empty()).collect();
    let mut gone: Vec<Vec<String>> = vec![Vec::new(); 4];
    for rel in owned {
        if !plan.manifest.files.contains_key(rel) {
            gone[3 - rank(rel) as usize].push(rel.clone());
        }
    }
    plan.deletes = gone.into_iter().filter(|s| !s.is_empty()).collect();
    plan
}

#[cfg(test)]
mod tests {
    use super::*;

    fn l(rel: &str, h: &str) -> Local {
        Local {
            rel: rel.into(),
            sum: FileSum {
                sha256: h.into(),
                size: 1,
            },
        }
    }

    #[test]
    fn report_files_before_its_pages_and_the_catalog_last() {
        let local = vec![
            l("index.html", "a"),
            l("catalog.json", "a"),
            l("feed.xml", "a"),
            l("search/i0.js", "a"),
            l("catalog.css", "a"),
            l("r1/index.html", "a"),
            l("r1/r1.pdf", "a"),
            l("r1/reader/index.html", "a"),
            l("r1/reader/pages.js", "a"),
            l("r1/reader/p.html", "a"),
        ];
        let reports = BTreeSet::from(["r1".to_string()]);
        let p = make(&local, &reports, &BTreeMap::new(), &BTreeSet::new());
        let order: Vec<Vec<&str>> = p
            .steps
            .iter()
            .map(|s| s.iter().map(|l| l.rel.as_str()).collect())
            .collect();
        assert_eq!(
            order,
            vec![
                vec!["catalog.css"],
                vec!["r1/r1.pdf"],
                vec!["r1/reader/pages.js"],
                vec!["r1/reader/p.html"],
                vec!["r1/reader/index.html"],
                vec!["r1/index.html"],
                vec!["catalog.json", "feed.xml", "search/i0.js"],
                vec!["index.html"],
            ]
        );
    }

    #[test]
    fn unchanged_files_are_not_sent_and_only_owned_files_are_deleted() {
        let local = vec![l("index.html", "new"), l("r1/a.pdf", "same")];
        let mut on = BTreeMap::new();
        on.insert("r1/a.pdf".to_string(), l("", "same").sum);
        on.insert("index.html".to_string(), l("", "old").sum);
        let owned = BTreeSet::from([
            "r2/index.html".to_string(),
            "r2/r2.pdf".to_string(),
            "r1/a.pdf".to_string(),
        ]);
        let p = make(&local, &BTreeSet::from(["r1".into()]), &on, &owned);
        assert_eq!(p.files(), 1);
        assert_eq!(p.unchanged, 1);
        assert_eq!(
            p.deletes,
            vec![
                vec!["r2/index.html".to_string()],
                vec!["r2/r2.pdf".to_string()]
            ]
        );
        assert!(p.manifest.files.contains_key("r1/a.pdf"));
        assert!(!p.manifest.files.contains_key("r2/r2.pdf"));
    }
}
