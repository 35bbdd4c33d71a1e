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
    /// Files of the site this one links to or loads (resolved, relative to the root).
    pub refs: Vec<String>,
    /// Not on the target as far as kanko knows (never published): may be written in place.
    pub fresh: bool,
}

/// The relative references in a page, feed, style sheet, script or data file.
pub fn references(rel: &str, bytes: &[u8]) -> Vec<String> {
    use std::sync::OnceLock;
    static ATTR: OnceLock<regex::Regex> = OnceLock::new();
    static QUOTED: OnceLock<regex::Regex> = OnceLock::new();
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    let page = match ext.as_deref() {
        Some("html" | "xhtml" | "htm" | "xml" | "css" | "svg") => true,
        Some("js" | "mjs" | "json") => false,
        _ => return Vec::new(),
    };
    let attr = ATTR.get_or_init(|| {
        regex::Regex::new(r#"(?:href|src|data-src|poster)\s*=\s*"([^"]+)"|url\(\s*['"]?([^'")]+)"#)
            .expect("regex")
    });
    let quoted = QUOTED.get_or_init(|| {
        regex::Regex::new(
            r#"["']((?:[A-Za-z0-9_\-.%]|[^\x00-\x7F])+(?:/(?:[A-Za-z0-9_\-.%]|[^\x00-\x7F])+)*\.(?:html|js|pdf|epub|webp|png|jpg|svg|woff2|css|xml|json))["']"#,
        )
        .expect("regex")
    });
    let text = String::from_utf8_lossy(bytes);
    let raw: Vec<String> = if page {
        attr.captures_iter(&text)
            .filter_map(|c| c.get(1).or(c.get(2)).map(|m| m.as_str().to_string()))
            .collect()
    } else {
        quoted
            .captures_iter(&text)
            .map(|c| c[1].to_string())
            .collect()
    };
    let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
    let top = rel.split_once('/').map_or("", |(d, _)| d);
    let mut out = Vec::new();
    for l in raw {
        let l = l.split(['#', '?']).next().unwrap_or("");
        if l.is_empty() || l.contains("://") || l.starts_with('/') || l.contains(':') {
            continue;
        }
        let l = super::settings::percent(l);
        out.push(resolve(dir, &l));
        if !page {
            // data names files from its folder, its report's folder or the root
            out.push(resolve(top, &l));
            out.push(l.clone());
        }
    }
    out.sort();
    out.dedup();
    out
}

fn resolve(dir: &str, l: &str) -> String {
    let mut parts: Vec<&str> = if dir.is_empty() {
        vec![]
    } else {
        dir.split('/').collect()
    };
    for c in l.split('/') {
        match c {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    parts.join("/")
}

/// Walks `dist/`: every file except kanko's own dot files (build state, staging, index keys).
pub fn scan(dist: &Path) -> std::io::Result<(Vec<Local>, BTreeSet<String>)> {
    let mut files = Vec::new();
    let mut reports = BTreeSet::new();
    walk(dist, "", &mut files)?;
    for e in std::fs::read_dir(dist)? {
        let e = e?;
        if e.path().join(crate::record::FILE).is_file() {
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
                fresh: false,
                refs: references(&rel, &bytes),
                sum: FileSum {
                    sha256: hex::encode(Sha256::digest(&bytes)),
                    size: bytes.len() as u64,
                },
                rel,
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
    // phase 0: site assets; 1: the reports' files; 2: the catalog (search, data, feeds,
    // pages). Inside a phase a file goes in a later step than every file it references that
    // is sent too (a cycle, such as two pages linking each other, is cut where it closes).
    let mut plan = Plan::default();
    plan.manifest.version = 1;
    let mut send: BTreeMap<String, (usize, &Local)> = BTreeMap::new();
    for l in local {
        plan.manifest.files.insert(l.rel.clone(), l.sum.clone());
        if on_target.get(&l.rel) == Some(&l.sum) {
            plan.unchanged += 1;
            continue;
        }
        let phase = if report_of(&l.rel) {
            1
        } else if !is_catalog(&l.rel) {
            0
        } else {
            2
        };
        send.insert(l.rel.clone(), (phase, l));
    }
    let mut level: BTreeMap<String, usize> = BTreeMap::new();
    fn depth(
        rel: &str,
        send: &BTreeMap<String, (usize, &Local)>,
        level: &mut BTreeMap<String, usize>,
        open: &mut BTreeSet<String>,
    ) -> usize {
        if let Some(d) = level.get(rel) {
            return *d;
        }
        let Some((phase, l)) = send.get(rel) else {
            return 0;
        };
        open.insert(rel.to_string());
        let mut d = 0;
        for r in &l.refs {
            if r != rel
                && !open.contains(r)
                && let Some((p, _)) = send.get(r)
                && p == phase
            {
                d = d.max(depth(r, send, level, open) + 1);
            }
        }
        // a report's own page comes after everything else of that report
        open.remove(rel);
        level.insert(rel.to_string(), d);
        d
    }
    let mut keyed: BTreeMap<(usize, usize, usize), Vec<Local>> = BTreeMap::new();
    let mut open = BTreeSet::new();
    for (rel, (phase, l)) in &send {
        let d = depth(rel, &send, &mut level, &mut open);
        let page = u8::from(rel.matches('/').count() == 1 && rel.ends_with("/index.html"));
        let key = if *phase == 1 {
            (1, page as usize, d)
        } else {
            (*phase, 0, d)
        };
        let mut l = (*l).clone();
        l.fresh = !owned.contains(rel);
        keyed.entry(key).or_default().push(l);
    }
    plan.steps = keyed.into_values().collect();
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
            refs: Vec::new(),
            fresh: false,
        }
    }

    fn page(rel: &str, body: &str) -> Local {
        Local {
            refs: references(rel, body.as_bytes()),
            ..l(rel, "a")
        }
    }

    #[test]
    fn references_resolve_from_the_file_and_skip_other_sites() {
        let r = references(
            "r1/reader/index.html",
            br#"<a href="../r1.pdf">x</a><img src="p/1.webp"><a href="https://e.org/x.html"><link href="reader.css#x">"#,
        );
        assert_eq!(
            r,
            vec!["r1/r1.pdf", "r1/reader/p/1.webp", "r1/reader/reader.css"]
        );
        let r = references(
            "r1/reader/reader.css",
            b"@font-face{src:url('fonts/a.woff2')}",
        );
        assert_eq!(r, vec!["r1/reader/fonts/a.woff2"]);
        let r = references(
            "catalog.json",
            br#"{"slug":"r1","reader":"r1/reader/index.html"}"#,
        );
        assert!(r.contains(&"r1/reader/index.html".to_string()), "{r:?}");
    }

    #[test]
    fn every_file_goes_after_what_it_references_and_the_catalog_last() {
        let local = vec![
            page(
                "index.html",
                r#"<a href="r1/index.html"></a><a href="index-2.html">"#,
            ),
            page("index-2.html", r#"<a href="index.html">"#),
            page("catalog.json", r#"["r1/index.html"]"#),
            l("catalog.css", "a"),
            page(
                "r1/index.html",
                r#"<a href="reader/index.html"></a><a href="r1.pdf">"#,
            ),
            l("r1/r1.pdf", "a"),
            page("r1/reader/index.html", r#"<script src="data.js"></script>"#),
            page("r1/reader/data.js", r#"{"text":"text.html"}"#),
            page("r1/reader/text.html", r#"<link href="textmode.css">"#),
            l("r1/reader/textmode.css", "a"),
        ];
        let reports = BTreeSet::from(["r1".to_string()]);
        let p = make(&local, &reports, &BTreeMap::new(), &BTreeSet::new());
        let pos = |rel: &str| {
            p.steps
                .iter()
                .position(|s| s.iter().any(|l| l.rel == rel))
                .unwrap()
        };
        assert_eq!(pos("catalog.css"), 0);
        assert!(pos("r1/reader/textmode.css") < pos("r1/reader/text.html"));
        assert!(pos("r1/reader/text.html") < pos("r1/reader/data.js"));
        assert!(pos("r1/reader/data.js") < pos("r1/reader/index.html"));
        assert!(pos("r1/reader/index.html") < pos("r1/index.html"));
        assert!(pos("r1/r1.pdf") < pos("r1/index.html"));
        assert!(pos("r1/index.html") < pos("catalog.json"));
        assert!(pos("catalog.json") <= pos("index.html"));
        // the two index pages link each other: both are sent, after the report
        assert!(pos("index-2.html") > pos("r1/index.html"));
        assert_eq!(p.files(), local.len());
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
