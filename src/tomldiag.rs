//! Diagnostics shared by every TOML file kanko reads (report.toml, kanko.toml with its `[lint]`
//! tables, chart blocks): keys written twice, and the nearest known key for a typo.

use crate::diag::Diag;

/// A key written twice in a TOML text: byte offsets of the second and (when found) the first.
pub struct Twice {
    pub key: String,
    pub second: usize,
    pub first: Option<usize>,
}

/// Keys written twice in a TOML text (`title` on two lines, a `[print]` table twice). TOML
/// forbids them, and serde's messages for them ("unknown field") would mislead, so this runs
/// before deserialising report.toml, kanko.toml (with its `[lint]` tables) and chart blocks.
pub fn keys_written_twice(src: &str) -> Vec<Twice> {
    let (_, errors) = toml::de::DeTable::parse_recoverable(src);
    errors
        .iter()
        .filter(|e| e.message().contains("duplicate key"))
        .filter_map(|e| {
            let span = e.span()?;
            let key = src
                .get(span.clone())?
                .trim()
                .trim_matches(['"', '\''])
                .to_string();
            let first = first_definition(src, &key, span.start);
            Some(Twice {
                key,
                second: span.start,
                first,
            })
        })
        .collect()
}

/// The message for a key written twice: an error at the second place whose help names the
/// first (`first` as it should be shown, e.g. `report.toml:2:1`).
pub fn twice_diag(key: &str, first: Option<String>) -> Diag {
    let d = Diag::error(crate::t!(
        "キー `{key}` が2回書かれています",
        "key `{key}` is defined twice"
    ));
    match first {
        Some(at) => d.help(crate::t!(
            "1回目は {at} です。どちらか1つにしてください",
            "first defined at {at}; keep one of them"
        )),
        None => d.help(crate::t!(
            "同じ表の中で同じキーは1回だけ書けます",
            "a key can be written only once in a table"
        )),
    }
}

/// Offset of the first `key = …` (or `[key]` header) before `second`, in the same table: from
/// the last table header above it.
fn first_definition(src: &str, key: &str, second: usize) -> Option<usize> {
    let before = src.get(..second)?;
    let second_line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let header_line = src[second_line_start..].trim_start().starts_with('[');
    let mut offset = 0;
    let mut found = None;
    for line in before[..second_line_start].split_inclusive('\n') {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        let is_header = t.starts_with('[');
        if is_header && !header_line {
            found = None; // a new table: an earlier `key` was another table's
        }
        let name = if is_header {
            t.trim_start_matches('[').split(']').next().unwrap_or("")
        } else {
            t.split('=')
                .next()
                .filter(|_| t.contains('='))
                .unwrap_or("")
        };
        let wanted = if header_line { is_header } else { !is_header };
        if wanted && found.is_none() && name.trim().trim_matches(['"', '\'']) == key {
            found = Some(offset + indent);
        }
        offset += line.len();
    }
    found
}

/// The closest known key, when it is close enough to be a typo.
pub fn suggest<'a>(word: &str, keys: &[&'a str]) -> Option<&'a str> {
    keys.iter()
        .map(|k| (strsim::damerau_levenshtein(word, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}
