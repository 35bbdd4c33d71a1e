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

/// `pages` is sorted by (doc, page).
fn encode(pages: &[(u32, u32)]) -> String {
    let mut out = String::new();
    let mut last_doc: Option<u32> = None;
    let mut last_page = 0;
    for &(doc, page) in pages {
        if last_doc != Some(doc) {
            if last_doc.is_some() {
                out.push(';');
            }
            out.push_str(&b36(u64::from(doc - last_doc.unwrap_or(0))));
            out.push(':');
            out.push_str(&b36(u64::from(page)));
            last_doc = Some(doc);
        } else {
            out.push(',');
            out.push_str(&b36(u64::from(page - last_page)));
        }
        last_page = page;
    }
    out
}

fn js_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// Writes `dist/search/` for `entries` (in catalog order); `None` when no report has search text.
pub fn write(out: &Path, entries: &[Entry]) -> Result<Option<SearchInfo>, Diag> {
    let mut postings: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
    let mut any = false;
    for (doc, e) in entries.iter().enumerate() {
        let Some(rt) = search::read(out, &e.slug) else {
            continue;
        };
        any = true;
        for i in 0..rt.pages.len() {
            let mut terms = BTreeSet::new();
            for v in rt.variants(i) {
                norm::terms(&norm::normalize(&v), &mut terms);
            }
            for t in terms {
                postings
                    .entry(t)
                    .or_default()
                    .push((doc as u32, i as u32 + 1));
            }
        }
    }
    let dir = out.join(DIR);
    if !any {
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(None);
    }
    let encoded: Vec<(String, String)> =
        postings.into_iter().map(|(t, p)| (t, encode(&p))).collect();
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
    let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for (h, list) in by_shard {
        let body: Vec<String> = list
            .iter()
            .map(|(t, p)| format!("{}:\"{p}\"", js_string(t)))
            .collect();
        files.insert(
            format!("i{h}.js"),
            format!("KANKO_IDX({h},{{{}}});\n", body.join(",")).into_bytes(),
        );
    }
    for (k, chunk) in entries.chunks(CHUNK).enumerate() {
        let slugs: Vec<String> = chunk.iter().map(|e| js_string(&e.slug)).collect();
        files.insert(
            format!("d{k}.js"),
            format!("KANKO_DOCS({k},[{}]);\n", slugs.join(",")).into_bytes(),
        );
    }
    std::fs::create_dir_all(&dir).map_err(|e| crate::export::io_err(&dir, e))?;
    for (name, bytes) in &files {
        let path = dir.join(name);
        output::write_atomic(&path, bytes).map_err(|e| crate::export::io_err(&path, e))?;
    }
    // Shards of an earlier build with another shard count would only confuse: remove them.
    if let Ok(rd) = std::fs::read_dir(&dir) {
        for f in rd.filter_map(Result::ok) {
            let name = f.file_name().to_string_lossy().into_owned();
            if !files.contains_key(&name) {
                let _ = std::fs::remove_file(f.path());
            }
        }
    }
    Ok(Some(SearchInfo {
        shards,
        chunk: CHUNK,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

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
