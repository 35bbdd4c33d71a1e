//! The term dictionary (prh-like): `wrong` (a regular expression) → `right`, with exceptions.
//! The shipped welfare preset is `preset.toml` beside this file.

use std::path::{Path, PathBuf};

use regex::Regex;

use super::scan::Scan;
use crate::diag::Diag;

pub const PRESET: &str = include_str!("preset.toml");

/// One dictionary entry: `wrong` (a regular expression) → `right`.
#[derive(Debug, Clone)]
pub struct Term {
    pub wrong: String,
    pub right: String,
    /// Why (Japanese, or the only message of a user's term).
    pub message: Option<String>,
    pub message_en: Option<String>,
    /// Exceptions: a match inside one of these strings is left alone.
    pub allow: Vec<String>,
    /// `false`: a note only; `--fix` leaves it.
    pub fix: bool,
    pub re: Regex,
}

/// One place where a term matches: byte range in the source and the replacement.
#[derive(Debug, Clone, PartialEq)]
pub struct TermMatch {
    pub start: usize,
    pub end: usize,
    pub found: String,
    pub replacement: String,
}

const TERM_KEYS: &[&str] = &["wrong", "right", "message", "message_en", "allow", "fix"];

impl Term {
    // Long: each key of a `[[lint.terms]]` table is checked in turn with its own message;
    // split by key, the half-built term would be passed from piece to piece.
    /// Reads one `[[lint.terms]]` table (the `n`th); `shown` is kanko.toml's path for messages.
    pub fn from_table(t: &toml::Table, n: usize, shown: &Path) -> Result<Term, Diag> {
        let ctx = format!("[[lint.terms]] #{n}");
        for k in t.keys() {
            if !TERM_KEYS.contains(&k.as_str()) {
                return Err(super::tomlerr::config_error(
                    shown,
                    k,
                    format!(
                        "{ctx}: unknown key `{k}`{}",
                        super::tomlerr::suggest(k, TERM_KEYS)
                    ),
                    "a term has `wrong` (a regular expression), `right`, and optionally `message`, `allow` (exceptions) and `fix = false`",
                ));
            }
        }
        let string = |key: &str, required: bool| -> Result<Option<String>, Diag> {
            match t.get(key) {
                Some(toml::Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(super::tomlerr::config_error(
                    shown,
                    key,
                    format!("{ctx}: `{key}` must be a string"),
                    "e.g. wrong = \"子供\", right = \"子ども\"",
                )),
                None if required => Err(super::tomlerr::config_error(
                    shown,
                    "[[lint.terms]]",
                    format!("{ctx}: `{key}` is missing"),
                    "each term needs `wrong` and `right`, e.g. wrong = \"子供\", right = \"子ども\"",
                )),
                None => Ok(None),
            }
        };
        let wrong = string("wrong", true)?.unwrap_or_default();
        let right = string("right", true)?.unwrap_or_default();
        let message = string("message", false)?;
        let message_en = string("message_en", false)?;
        if wrong.is_empty() {
            return Err(super::tomlerr::config_error(
                shown,
                "wrong",
                format!("{ctx}: `wrong` is empty"),
                "write the wording to find, e.g. wrong = \"子供\"",
            ));
        }
        let re = Regex::new(&wrong).map_err(|e| {
            super::tomlerr::config_error(
                shown,
                &wrong,
                format!(
                    "{ctx}: `wrong = {wrong:?}` is not a valid regular expression: {}",
                    e.to_string().lines().last().unwrap_or("").trim()
                ),
                "Rust regex syntax; look-arounds are not supported, list exceptions in `allow = [\"…\"]` instead",
            )
        })?;
        let allow = match t.get("allow") {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a
                .iter()
                .map(|v| v.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .ok_or_else(|| {
                    super::tomlerr::config_error(
                        shown,
                        "allow",
                        format!("{ctx}: `allow` must be an array of strings"),
                        "e.g. allow = [\"障害者総合支援法\"]",
                    )
                })?,
            Some(_) => {
                return Err(super::tomlerr::config_error(
                    shown,
                    "allow",
                    format!("{ctx}: `allow` must be an array of strings"),
                    "e.g. allow = [\"障害者総合支援法\"]",
                ));
            }
        };
        let fix = match t.get("fix") {
            None => true,
            Some(toml::Value::Boolean(b)) => *b,
            Some(_) => {
                return Err(super::tomlerr::config_error(
                    shown,
                    "fix",
                    format!("{ctx}: `fix` must be true or false"),
                    "fix = false keeps `kanko check --fix` from changing this wording",
                ));
            }
        };
        Ok(Term {
            wrong,
            right,
            message,
            message_en,
            allow,
            fix,
            re,
        })
    }

    /// The message for a finding, in the terminal's language.
    pub fn note(&self) -> Option<&str> {
        if crate::i18n::japanese() {
            self.message.as_deref()
        } else {
            self.message_en.as_deref().or(self.message.as_deref())
        }
    }

    /// Every match in the prose of `scan` (never in code, URLs, comments or HTML), except
    /// those inside an `allow` exception and those whose replacement is what is already there.
    pub fn find(&self, scan: &Scan) -> Vec<TermMatch> {
        let src = scan.src;
        let allowed: Vec<(usize, usize)> = self
            .allow
            .iter()
            .filter(|a| !a.is_empty())
            .flat_map(|a| src.match_indices(a.as_str()).map(|(i, m)| (i, i + m.len())))
            .collect();
        let mut out = Vec::new();
        for seg in scan.prose_segments() {
            let text = &src[seg.clone()];
            for caps in self.re.captures_iter(text) {
                let Some(m) = caps.get(0) else { continue };
                if m.is_empty() {
                    continue;
                }
                let (start, end) = (seg.start + m.start(), seg.start + m.end());
                if allowed.iter().any(|(s, e)| *s <= start && end <= *e) {
                    continue;
                }
                let mut replacement = String::new();
                caps.expand(&self.right, &mut replacement);
                if replacement == m.as_str() {
                    continue;
                }
                out.push(TermMatch {
                    start,
                    end,
                    found: m.as_str().to_string(),
                    replacement,
                });
            }
        }
        out
    }
}

/// The shipped preset.
pub fn preset() -> Vec<Term> {
    let table: toml::Table = PRESET.parse().expect("preset.toml parses");
    let shown = Path::new("preset.toml");
    table
        .get("terms")
        .and_then(|v| v.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_table())
                .enumerate()
                .map(|(i, t)| Term::from_table(t, i + 1, shown).expect("preset term is valid"))
                .collect()
        })
        .unwrap_or_default()
}

/// Applies the fixable terms to `text`; returns the new text and how many replacements.
pub fn fix_text(text: &str, terms: &[Term]) -> (String, usize) {
    let mut cur = text.to_string();
    let mut count = 0;
    for t in terms.iter().filter(|t| t.fix) {
        let scan = Scan::new(&cur);
        let found = t.find(&scan);
        if found.is_empty() {
            continue;
        }
        let mut next = String::with_capacity(cur.len());
        let mut last = 0;
        for m in &found {
            next.push_str(&cur[last..m.start]);
            next.push_str(&m.replacement);
            last = m.end;
        }
        next.push_str(&cur[last..]);
        count += found.len();
        cur = next;
    }
    (cur, count)
}

/// Fixes one file in place, keeping the original as `<file>.bak` (or `.bak.1`, `.bak.2`, …
/// when an older backup is there: an earlier original is never overwritten).
/// Returns the number of replacements (0 = file untouched, no backup written).
pub fn fix_file(path: &Path, terms: &[Term]) -> std::io::Result<usize> {
    let bytes = std::fs::read(path)?;
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(b) => (true, b),
        None => (false, &bytes[..]),
    };
    let Ok(text) = std::str::from_utf8(body) else {
        return Ok(0);
    };
    let (fixed, n) = fix_text(text, terms);
    if n == 0 || fixed == text {
        return Ok(0);
    }
    let backup = write_backup(path, &bytes)?;
    let mut out = Vec::with_capacity(fixed.len() + 3);
    if bom {
        out.extend_from_slice(b"\xEF\xBB\xBF");
    }
    out.extend_from_slice(fixed.as_bytes());
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    std::io::Write::write_all(&mut tmp, &out)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = tmp.as_file().set_permissions(meta.permissions());
    }
    tmp.persist(path).map_err(|e| {
        let _ = std::fs::remove_file(&backup);
        e.error
    })?;
    Ok(n)
}

fn write_backup(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    use std::io::Write;
    let base = path.as_os_str().to_os_string();
    for i in 0..10_000 {
        let mut name = base.clone();
        if i == 0 {
            name.push(".bak");
        } else {
            name.push(format!(".bak.{i}"));
        }
        let p = PathBuf::from(name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(mut f) => {
                f.write_all(bytes)?;
                f.sync_all()?;
                return Ok(p);
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    Err(std::io::Error::other(
        "too many backups (.bak.1 … .bak.9999) beside the file",
    ))
}
