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

use super::super::entry::Entry;
use super::norm;
use super::report as search;
use crate::diag::{Diag, Io};
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

/// One term's postings, encoded as they arrive (documents in order): about 3 bytes a posting.
#[derive(Default)]
struct Postings {
    text: String,
    last_doc: Option<u32>,
}

impl Postings {
    /// Appends one document's pages (`Pages::text`).
    fn join(&mut self, doc: u32, pages: &str) {
        if self.last_doc.is_some() {
            self.text.push(';');
        }
        self.text
            .push_str(&b36(u64::from(doc - self.last_doc.unwrap_or(0))));
        self.text.push(':');
        self.text.push_str(pages);
        self.last_doc = Some(doc);
    }
}

/// The pages of one document in one term's postings: the first, then deltas.
struct Pages {
    text: String,
    last: u32,
}

impl Pages {
    fn new(page: u32) -> Self {
        Pages {
            text: b36(u64::from(page)),
            last: page,
        }
    }

    fn push(&mut self, page: u32) {
        self.text.push(',');
        self.text
            .push_str(&b36(u64::from(page.saturating_sub(self.last))));
        self.last = page;
    }
}

/// `pages` is sorted by (doc, page).
#[cfg(test)]
fn encode(pages: &[(u32, u32)]) -> String {
    let mut p = Postings::default();
    let mut i = 0;
    while i < pages.len() {
        let doc = pages[i].0;
        let mut one = Pages::new(pages[i].1);
        i += 1;
        while i < pages.len() && pages[i].0 == doc {
            one.push(pages[i].1);
            i += 1;
        }
        p.join(doc, &one.text);
    }
    p.text
}

fn js_string(s: &str) -> String {
    serde_json::to_string(s)
        .unwrap_or_default()
        .replace('<', "\\u003c")
}

/// Records what the index was made from (`search/.key`): the reports in catalog order with the
/// build key of each one (its `.kanko.json`, which changes whenever its search text can), and
/// kanko's version. A build that changes none of them (a no-change rebuild) keeps the index as
/// it is without reading any report's search text.
const KEY_FILE: &str = ".key";

/// Term partitions of a build (a power of two, ≤ the smallest shard count that needs it): the
/// postings go to one temporary file per partition first, then each partition is encoded and
/// written alone, so memory holds one partition, not the whole index. A term's shard is its
/// hash modulo a power of two, so with at least PARTS shards a shard lies in one partition.
const PARTS: u32 = 128;

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
        let data = out.join(&e.slug).join(search::DATA_FILE);
        if data.is_file() {
            any = true;
            match crate::record::key(out, &e.slug) {
                // A report folder kanko built: its search text is what that build wrote.
                Some(k) => {
                    h.update(b"k");
                    h.update(k.as_bytes());
                }
                // No state file (not a folder kanko built): the text itself.
                None => {
                    h.update(b"h");
                    h.update(Sha256::digest(std::fs::read(&data).unwrap_or_default()));
                }
            }
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

fn put_varint(buf: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        buf.push((n as u8) | 0x80);
        n >>= 7;
    }
    buf.push(n as u8);
}

/// Reads the records of a partition file: `varint, len-prefixed bytes, len-prefixed bytes`
/// (`with_doc`) or just the two strings.
struct Records<'a> {
    buf: &'a [u8],
    with_doc: bool,
}

impl<'a> Records<'a> {
    fn varint(&mut self) -> Option<u64> {
        let mut n = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.buf.split_first()?;
            self.buf = rest;
            n |= u64::from(b & 0x7f) << shift;
            if b < 0x80 {
                return Some(n);
            }
        }
        None
    }

    fn text(&mut self) -> Option<&'a str> {
        let n = usize::try_from(self.varint()?).ok()?;
        if n > self.buf.len() {
            return None;
        }
        let (s, rest) = self.buf.split_at(n);
        self.buf = rest;
        std::str::from_utf8(s).ok()
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = (u32, &'a str, &'a str);
    fn next(&mut self) -> Option<Self::Item> {
        if self.buf.is_empty() {
            return None;
        }
        let doc = if self.with_doc {
            u32::try_from(self.varint()?).ok()?
        } else {
            0
        };
        Some((doc, self.text()?, self.text()?))
    }
}

fn put_record(buf: &mut Vec<u8>, doc: Option<u32>, term: &str, text: &str) {
    if let Some(d) = doc {
        put_varint(buf, u64::from(d));
    }
    put_varint(buf, term.len() as u64);
    buf.extend_from_slice(term.as_bytes());
    put_varint(buf, text.len() as u64);
    buf.extend_from_slice(text.as_bytes());
}

/// Pass 1: each report's search text read once, its (term, report, pages) records appended to
/// the file of the term's partition. Returns the partition files (in `tmp`).
fn partition(
    out: &Path,
    entries: &[Entry],
    tmp: &Path,
    parts: u32,
) -> Result<Vec<std::path::PathBuf>, Diag> {
    use std::io::Write;
    let io = |p: &Path, e: std::io::Error| Diag::io(Io::Write, p, e);
    let paths: Vec<std::path::PathBuf> = (0..parts).map(|p| tmp.join(format!("p{p}"))).collect();
    let mut files = Vec::with_capacity(paths.len());
    for p in &paths {
        let f = std::fs::File::create(p).map_err(|e| io(p, e))?;
        files.push(std::io::BufWriter::with_capacity(16 << 10, f));
    }
    let mut record = Vec::new();
    for (doc, e) in entries.iter().enumerate() {
        let Some(rt) = search::read(out, &e.slug) else {
            continue;
        };
        let mut terms_of_report: std::collections::HashMap<String, Pages> = Default::default();
        for i in 0..rt.pages.len() {
            let page = i as u32 + 1;
            let mut terms = BTreeSet::new();
            for v in rt.variants(i) {
                norm::terms(&norm::normalize(&v), &mut terms);
            }
            for t in terms {
                match terms_of_report.get_mut(&t) {
                    Some(p) => p.push(page),
                    None => {
                        terms_of_report.insert(t, Pages::new(page));
                    }
                }
            }
        }
        for (t, p) in terms_of_report {
            record.clear();
            put_record(&mut record, Some(doc as u32), &t, &p.text);
            let k = (norm::shard_of(&t, u32::MAX) % parts) as usize;
            files[k].write_all(&record).map_err(|e| io(&paths[k], e))?;
        }
    }
    for (f, p) in files.into_iter().zip(&paths) {
        f.into_inner().map_err(|e| io(p, e.into_error()))?;
    }
    Ok(paths)
}

/// Pass 2 for one partition: its records joined into each term's postings, sorted by term,
/// written back over the partition file as (term, postings) records. Returns their index bytes.
fn encode_partition(path: &Path) -> Result<usize, Diag> {
    let io = |e: std::io::Error| Diag::io(Io::Write, path, e);
    let raw = std::fs::read(path).map_err(io)?;
    let mut postings: BTreeMap<&str, Postings> = BTreeMap::new();
    for (doc, term, pages) in (Records {
        buf: &raw,
        with_doc: true,
    }) {
        postings.entry(term).or_default().join(doc, pages);
    }
    let mut buf = Vec::new();
    let mut total = 0;
    for (t, p) in &postings {
        total += t.len() + p.text.len() + 6;
        put_record(&mut buf, None, t, &p.text);
    }
    drop(postings);
    std::fs::write(path, &buf).map_err(io)?;
    Ok(total)
}

/// Writes `dist/search/` for `entries` (in catalog order); `None` when no report has search text.
pub fn write(out: &Path, entries: &[Entry]) -> Result<Option<SearchInfo>, Diag> {
    write_parts(out, entries, PARTS)
}

// Long: the index build in its order (unchanged key, postings to partition files, each
// partition encoded, the folder swapped in): one staging folder and its cleanup tie the steps.
fn write_parts(out: &Path, entries: &[Entry], parts: u32) -> Result<Option<SearchInfo>, Diag> {
    let dir = out.join(DIR);
    let Some(key) = input_key(out, entries) else {
        let _ = std::fs::remove_dir_all(&dir);
        return Ok(None);
    };
    if let Some(info) = unchanged(&dir, &key) {
        return Ok(Some(info));
    }
    let staging = out.join(output::STAGING);
    std::fs::create_dir_all(&staging).map_err(|e| Diag::io(Io::Write, &staging, e))?;
    // Named like a report's staging folder, so a crash leaves nothing `output::finish` keeps.
    let tmp = tempfile::Builder::new()
        .prefix("search-index-")
        .suffix(".new")
        .tempdir_in(&staging)
        .map_err(|e| Diag::io(Io::Write, &staging, e))?;
    let paths = partition(out, entries, tmp.path(), parts)?;
    let mut total = 0;
    for p in &paths {
        total += encode_partition(p)?;
    }
    let shards = (total.div_ceil(SHARD_BYTES))
        .next_power_of_two()
        .clamp(1, 1 << 16) as u32;
    std::fs::create_dir_all(&dir).map_err(|e| Diag::io(Io::Write, &dir, e))?;
    // Written last: an index cut short by a crash is never taken for a finished one.
    let _ = std::fs::remove_file(dir.join(KEY_FILE));
    let mut names: BTreeSet<String> = BTreeSet::new();
    let mut put = |name: String, body: String| -> Result<(), Diag> {
        let path = dir.join(&name);
        output::write_atomic(&path, body.as_bytes()).map_err(|e| Diag::io(Io::Write, &path, e))?;
        names.insert(name);
        Ok(())
    };
    // A group of partitions holds whole shards: one partition when there are at least as many
    // shards as partitions, else every partition whose number is the shard's modulo `shards`.
    let groups = shards.min(parts);
    for g in 0..groups {
        let mut bytes = Vec::new();
        for p in (g..parts).step_by(groups as usize) {
            let path = &paths[p as usize];
            bytes.push(std::fs::read(path).map_err(|e| Diag::io(Io::Read, path, e))?);
        }
        let mut by_shard: BTreeMap<u32, Vec<(&str, &str)>> = BTreeMap::new();
        for b in &bytes {
            for (_, t, p) in (Records {
                buf: b,
                with_doc: false,
            }) {
                by_shard
                    .entry(norm::shard_of(t, shards))
                    .or_default()
                    .push((t, p));
            }
        }
        for (h, mut list) in by_shard {
            list.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let body: Vec<String> = list
                .iter()
                .map(|(t, p)| format!("{}:\"{p}\"", js_string(t)))
                .collect();
            put(
                format!("i{h}.js"),
                format!("KANKO_IDX({h},{{{}}});\n", body.join(",")),
            )?;
        }
    }
    drop(tmp);
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
    .map_err(|e| Diag::io(Io::Write, &path, e))?;
    Ok(Some(SearchInfo {
        shards,
        chunk: CHUNK,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a report's search text where a build leaves it; its catalog entry.
    fn stored(out: &Path, slug: String, rt: &search::ReportText, r: usize) -> Entry {
        let dir = out.join(&slug);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(search::DATA_FILE), serde_json::to_vec(rt).unwrap()).unwrap();
        Entry {
            slug,
            ..crate::outputs::site::catalog::tests::generated(r)
        }
    }

    fn report(out: &Path, slug: &str, text: &str) -> Entry {
        let rt = search::ReportText {
            pages: vec![search::PageText {
                text: text.into(),
                extra: String::new(),
            }],
            ruby: vec![("居場所".into(), "いばしょ".into())],
        };
        stored(out, slug.into(), &rt, 0)
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

    /// The index as the first, in-memory writer made it: every term's postings at once.
    fn in_memory(out: &Path, entries: &[Entry]) -> BTreeMap<String, String> {
        let mut postings: BTreeMap<String, Vec<(u32, u32)>> = BTreeMap::new();
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
                        .push((doc as u32, i as u32 + 1));
                }
            }
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
        let mut files = BTreeMap::new();
        for (h, list) in by_shard {
            let body: Vec<String> = list
                .iter()
                .map(|(t, p)| format!("{}:\"{p}\"", js_string(t)))
                .collect();
            files.insert(
                format!("i{h}.js"),
                format!("KANKO_IDX({h},{{{}}});\n", body.join(",")),
            );
        }
        for (k, chunk) in entries.chunks(CHUNK).enumerate() {
            let slugs: Vec<String> = chunk.iter().map(|e| js_string(&e.slug)).collect();
            files.insert(
                format!("d{k}.js"),
                format!("KANKO_DOCS({k},[{}]);\n", slugs.join(",")),
            );
        }
        files.insert(
            KEY_FILE.into(),
            format!(
                "{} {shards} {}\n",
                input_key(out, entries).unwrap(),
                files.len()
            ),
        );
        files
    }

    fn written(dir: &Path) -> BTreeMap<String, String> {
        std::fs::read_dir(dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|f| {
                let name = f.file_name().to_string_lossy().into_owned();
                (name, std::fs::read_to_string(f.path()).unwrap())
            })
            .collect()
    }

    /// Pages of varied text: many distinct pairs, so many shards; every fifth report has ruby.
    fn varied(out: &Path, n: usize, pages: usize) -> Vec<Entry> {
        let chars: Vec<char> = "居場所子ども食堂地域高齢者交流学習支援ボランティア研修振り返りあいうえおかきくけこ報告書事業年度参加人数回ABCxyz0123456789"
            .chars()
            .collect();
        let mut seed: u64 = 7;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (seed >> 33) as usize
        };
        (0..n)
            .map(|r| {
                let pages = (0..1 + r % pages)
                    .map(|_| search::PageText {
                        text: (0..40 + next() % 200)
                            .map(|_| chars[next() % chars.len()])
                            .collect(),
                        extra: String::new(),
                    })
                    .collect();
                let rt = search::ReportText {
                    pages,
                    ruby: if r % 5 == 0 {
                        vec![("居場所".into(), "いばしょ".into())]
                    } else {
                        Vec::new()
                    },
                };
                stored(out, format!("r{r:04}"), &rt, r)
            })
            .collect()
    }

    #[test]
    fn the_partitioned_index_is_byte_identical_to_the_in_memory_one() {
        // Few shards (fewer than partitions: a shard gathers several) and many (more shards than
        // partitions: a partition holds several shards), and one partition alone.
        for (reports, pages) in [(30, 2), (400, 12)] {
            let tmp = tempfile::tempdir().unwrap();
            let out = tmp.path();
            let entries = varied(out, reports, pages);
            let want = in_memory(out, &entries);
            for parts in [PARTS, 1, 8] {
                let info = write_parts(out, &entries, parts).unwrap().unwrap();
                let got = written(&out.join(DIR));
                assert_eq!(
                    got.len(),
                    want.len(),
                    "{reports} reports, {parts} partitions"
                );
                for (name, body) in &want {
                    assert_eq!(got.get(name), Some(body), "{name}, {parts} partitions");
                }
                if reports == 400 {
                    assert!(info.shards > PARTS, "{} shards", info.shards);
                } else {
                    assert!(info.shards < PARTS && info.shards > 1, "{}", info.shards);
                }
                // Nothing is left in the staging area.
                let staging = out.join(output::STAGING);
                assert_eq!(std::fs::read_dir(&staging).unwrap().count(), 0);
                std::fs::remove_dir_all(out.join(DIR)).unwrap();
            }
        }
    }

    fn state(out: &Path, slug: &str, key: &str) {
        let e = Entry {
            slug: slug.into(),
            ..crate::outputs::site::catalog::tests::generated(0)
        };
        let state = crate::record::Record {
            key: key.into(),
            entry: e,
            inputs: Default::default(),
        };
        std::fs::write(
            out.join(slug).join(crate::record::FILE),
            serde_json::to_vec(&state).unwrap(),
        )
        .unwrap();
    }

    #[test]
    fn a_built_report_is_known_by_its_build_key_not_its_text() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path();
        let a = report(out, "a", "商店街の空き店舗");
        let b = report(out, "b", "ボランティアの研修");
        state(out, "a", "key-a1");
        state(out, "b", "key-b1");
        let entries = vec![a, b];
        write(out, &entries).unwrap();
        let shard = out.join(DIR).join("i0.js");
        let first = std::fs::read_to_string(&shard).unwrap();
        std::fs::write(&shard, "marked").unwrap();
        write(out, &entries).unwrap();
        assert_eq!(std::fs::read_to_string(&shard).unwrap(), "marked", "kept");
        // b rebuilt with text of the same length (and the same second): a new build key.
        report(out, "b", "ボランティアの振返");
        state(out, "b", "key-b2");
        write(out, &entries).unwrap();
        let after = std::fs::read_to_string(&shard).unwrap();
        assert!(
            after.contains("\"振返\"") && !after.contains("\"研修\""),
            "{after}"
        );
        // A state file that goes away: the text is hashed instead, so the index is redone.
        std::fs::write(&shard, "marked").unwrap();
        std::fs::remove_file(out.join("b").join(crate::record::FILE)).unwrap();
        write(out, &entries).unwrap();
        assert_eq!(std::fs::read_to_string(&shard).unwrap(), after);
        let _ = first;
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
