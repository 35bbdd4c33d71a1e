//! `dist/search/`: the site-wide full-text index, split so a query loads only what it needs.
//!
//! - `search/i<h>.js` — `KANKO_IDX(h, {term: postings})`, the terms whose hash falls in shard h
//!   (terms: every normalised character and pair of characters, see `search::norm`);
//! - `search/d<k>.js` — `KANKO_DOCS(k, [slug, …])`, report numbers → slugs, CHUNK per file;
//! - the text of each page stays in its report's folder (`<slug>/search/<page>.js`).
//!
//! Postings: `doc:page,page;doc:page` in base 36, documents and pages as deltas from the previous.
//! Report numbers follow the catalog's order, so the same reports give the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::Entry;
use crate::diag::Diag;
use crate::export::search::{self, norm};
use crate::output;

pub const DIR: &str = "search";
/// Slugs per `d<k>.js`.
pub const CHUNK: usize = 200;
/// About this many bytes per index shard (a one-word query loads one shard per term).
const SHARD_BYTES: usize = 6000;

/// What the index page tells the search script.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SearchInfo {
    pub shards: u32,
    pub chunk: usize,
}

fn b36(mut n: u64) -> String {
    const D: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut s = Vec::new();
    loop {
        s.push(D[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// One term's postings, encoded as they arrive (documents in order, pages in order within one):
/// about 3 bytes a posting instead of 8 for the pairs, so 2,000 reports index in little memory.
#[derive(Default)]
struct Postings {
    text: String,
    last_doc: Option<u32>,
    last_page: u32,
}

impl Postings {
    fn push(&mut self, doc: u32, page: u32) {
        if self.last_doc != Some(doc) {
            if self.last_doc.is_some() {
                self.text.push(';');
            }
            self.text
                .push_str(&b36(u64::from(doc - self.last_doc.unwrap_or(0))));
            self.text.push(':');
            self.text.push_str(&b36(u64::from(page)));
            self.last_doc = Some(doc);
        } else {
            self.text.push(',');
            self.text
                .push_str(&b36(u64::from(page.saturating_sub(self.last_page))));
        }
        self.last_page = page;
    }
}

/// `pages` is sorted by (doc, page).
#[cfg(test)]
fn encode(pages: &[(u32, u32)]) -> String {
    let mut p = Postings::default();
    for &(doc, page) in pages {
        p.push(doc, page);
    }
    p.text
}

fn js_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// Records what the index was made from (`search/.key`): the reports in catalog order with a
/// hash of each one's search text, and kanko's version. A build that changes none of them
/// (a no-change rebuild) keeps the index as it is instead of reading every report again.
const KEY_FILE: &str = ".key";

/// What the index is made of, hashed: `None` when no listed report has search text.
fn input_key(out: &Path, entries: &[Entry]) -> Option<String> {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION").as_bytes());
    h.update(format!("{SHARD_BYTES}/{CHUNK}\n").as_bytes());
    let mut any = false;
    for e in entries {
        h.update(e.slug.as_bytes());
        h.update(b"\0");
        if let Ok(bytes) = std::fs::read(out.join(&e.slug).join(search::DATA_FILE)) {
            any = true;
            h.update(Sha256::digest(&bytes));
        }
        h.update(b"\n");
    }
    any.then(|| format!("{:x}", h.finalize()))
}

/// The index written for `key` by an earlier build, when all its files are still there (a shard
/// no term hashes to has no file, so the key records how many files there are).
fn unchanged(dir: &Path, key: &str) -> Option<SearchInfo> {
    let text = std::fs::read_to_string(dir.join(KEY_FILE)).ok()?;
    let mut parts = text.split_ascii_whitespace();
    let (k, shards, files) = (parts.next()?, parts.next()?, parts.next()?);
    let (shards, files): (u32, usize) = (shards.parse().ok()?, files.parse().ok()?);
    let present = std::fs::read_dir(dir)
        .ok()?
        .filter_map(Result::ok)
        .filter(|f| f.file_name().to_string_lossy().ends_with(".js"))
        .count();
    (k == key && present == files).then_some(SearchInfo {
        shards,
        chunk: CHUNK,
    })
}

/// Writes `dist/search/` for `entries` (in catalog order); `None` when no report has search text.
pub fn write(out: &Path, entries: &[Entry]) -> Result<Option<SearchInfo>, Diag> {
    let dir = out.join(DIR);
    let Some(key) = input_key(out, entries) else {
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(None);
    };
    if let Some(info) = unchanged(&dir, &key) {
        return Ok(Some(info));
    }
    let mut postings: BTreeMap<String, Postings> = BTreeMap::new();
    for (doc, e) in entries.iter().enumerate() {
        let Some(rt) = search::read(out, &e.slug) else {
            continue;
        };
        for i in 0..rt.pages.len() {
            let mut terms = BTreeSet::new();
            for v in rt.variants(i) {
                norm::terms(&norm::normalize(&v), &mut terms);
            }
            for t in terms {
                postings
                    .entry(t)
                    .or_default()
                    .push(doc as u32, i as u32 + 1);
            }
        }
    }
    let encoded: Vec<(String, String)> = postings
        .into_iter()
        .map(|(t, mut p)| {
            p.text.shrink_to_fit();
            (t, p.text)
        })
        .collect();
    let total: usize = encoded.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
    let shards = (total.div_ceil(SHARD_BYTES))
        .next_power_of_two()
        .clamp(1, 1 << 16) as u32;
    let mut by_shard: BTreeMap<u32, Vec<&(String, String)>> = BTreeMap::new();
    for tp in &encoded {
        by_shard
            .entry(norm::shard_of(&tp.0, shards))
            .or_default()
            .push(tp);
    }
    std::fs::create_dir_all(&dir).map_err(|e| crate::export::io_err(&dir, e))?;
    // Written last: an index cut short by a crash is never taken for a finished one.
    let _ = std::fs::remove_file(dir.join(KEY_FILE));
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut put = |name: String, body: String| -> Result<(), Diag> {
        let path = dir.join(&name);
        output::write_atomic(&path, body.as_bytes())
            .map_err(|e| crate::export::io_err(&path, e))?;
        names.insert(name);
        Ok(())
    };
    // One shard in memory at a time.
    for (h, list) in by_shard {
        let body: Vec<String> = list
            .iter()
            .map(|(t, p)| format!("{}:\"{p}\"", js_string(t)))
            .collect();
        put(
            format!("i{h}.js"),
            format!("KANKO_IDX({h},{{{}}});\n", body.join(",")),
        )?;
    }
    for (k, chunk) in entries.chunks(CHUNK).enumerate() {
        let slugs: Vec<String> = chunk.iter().map(|e| js_string(&e.slug)).collect();
        put(
            format!("d{k}.js"),
            format!("KANKO_DOCS({k},[{}]);\n", slugs.join(",")),
        )?;
    }
    // Shards of an earlier build with another shard count would only confuse: remove them.
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for f in rd.filter_map(Result::ok) {
            let name = f.file_name().to_string_lossy().into_owned();
            if !names.contains(&name) && name != KEY_FILE {
                let _ = std::fs::remove_file(f.path());
            }
        }
    }
    let path = dir.join(KEY_FILE);
    output::write_atomic(
        &path,
        format!("{key} {shards} {}\n", names.len()).as_bytes(),
    )
    .map_err(|e| crate::export::io_err(&path, e))?;
    Ok(Some(SearchInfo {
        shards,
        chunk: CHUNK,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(out: &Path, slug: &str, text: &str) -> Entry {
        let rt = search::ReportText {
            pages: vec![search::PageText {
                text: text.into(),
                extra: String::new(),
            }],
            ruby: vec![("居場所".into(), "いばしょ".into())],
        };
        let dir = out.join(slug);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join(search::DATA_FILE),
            serde_json::to_vec(&rt).unwrap(),
        )
        .unwrap();
        Entry {
            slug: slug.into(),
            ..crate::export::catalog::tests::generated(0)
        }
    }

    #[test]
    fn an_unchanged_index_is_kept_and_a_changed_report_rewrites_it() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let a = report(out, "a", "商店街の空き店舗に居場所を開いた");
        let b = report(out, "b", "ボランティアの研修");
        let entries = vec![a.clone(), b.clone()];
        let first = write(out, &entries).unwrap().unwrap();
        let dir = out.join(DIR);
        let shard = dir.join("i0.js");
        let written = std::fs::read_to_string(&shard).unwrap();
        assert!(
            written.contains("\"いば\""),
            "readings are indexed: {written}"
        );
        // Mark the shard: a rebuild from unchanged input must not rewrite it.
        std::fs::write(&shard, "marked").unwrap();
        assert_eq!(write(out, &entries).unwrap(), Some(first));
        assert_eq!(std::fs::read_to_string(&shard).unwrap(), "marked");
        // The same reports in another order are other document numbers: rewritten.
        write(out, &[b.clone(), a.clone()]).unwrap();
        assert_ne!(std::fs::read_to_string(&shard).unwrap(), "marked");
        write(out, &entries).unwrap();
        assert_eq!(std::fs::read_to_string(&shard).unwrap(), written);
        // A report's text changed: rewritten.
        std::fs::write(&shard, "marked").unwrap();
        report(out, "b", "ボランティアの研修と振り返り");
        write(out, &entries).unwrap();
        let after = std::fs::read_to_string(&shard).unwrap();
        assert!(after.contains("\"振り\""), "{after}");
        // A shard file gone: rewritten.
        std::fs::remove_file(&shard).unwrap();
        write(out, &entries).unwrap();
        assert_eq!(std::fs::read_to_string(&shard).unwrap(), after);
        // No search text left: no index.
        for s in ["a", "b"] {
            std::fs::remove_file(out.join(s).join(search::DATA_FILE)).unwrap();
        }
        assert_eq!(write(out, &entries).unwrap(), None);
        assert!(!dir.exists());
    }

    #[test]
    fn an_index_with_empty_shards_is_kept_too() {
        // Few terms with long postings: more shards than terms, so some shards have no file.
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let entries: Vec<Entry> = (0..600)
            .map(|i| report(out, &format!("r{i:04}"), "居場所"))
            .collect();
        let info = write(out, &entries).unwrap().unwrap();
        let dir = out.join(DIR);
        let shards: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|f| f.file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('i'))
            .collect();
        assert!(
            (shards.len() as u32) < info.shards,
            "the case needs empty shards: {} files for {} shards",
            shards.len(),
            info.shards
        );
        let one = dir.join(&shards[0]);
        std::fs::write(&one, "marked").unwrap();
        assert_eq!(write(out, &entries).unwrap(), Some(info));
        assert_eq!(
            std::fs::read_to_string(&one).unwrap(),
            "marked",
            "kept, not rewritten"
        );
    }

    #[test]
    fn postings_are_deltas_in_base_36() {
        assert_eq!(
            encode(&[(0, 1), (0, 3), (0, 40), (5, 2), (41, 7)]),
            "0:1,2,11;5:2;10:7"
        );
        assert_eq!(b36(35), "z");
        assert_eq!(b36(36), "10");
    }
}
