//! Placeholder values in report.toml, such as `publisher = "（発行者を記入）"` (what
//! `kanko import` writes for a required key the document did not hold): a value wholly in
//! full-width parentheses ending with を記入. `kanko build` builds with a warning for each,
//! `kanko check` fails until they are filled.

use std::borrow::Cow;
use std::path::Path;

use crate::diag::{Diag, Severity};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placeholder {
    /// `publisher`, or `funders.name` inside a `[[funders]]` table.
    pub key: String,
    pub value: String,
    pub line: usize,
    pub col: usize,
}

pub fn is_placeholder(v: &str) -> bool {
    v.starts_with('（') && v.ends_with("を記入）")
}

/// Finds placeholders written as `key = "（…を記入）"` and gives the two typed keys a stand-in
/// of their type on the same line (so line numbers of other messages stay right): a
/// placeholder `fiscal_year` becomes the fiscal year of `published`, a placeholder
/// `published` the last day of the fiscal year.
pub fn prepare(src: &str) -> (Cow<'_, str>, Vec<Placeholder>) {
    let mut found = Vec::new();
    let mut table = String::new();
    for (i, line) in src.lines().enumerate() {
        let t = line.trim();
        if t.starts_with('[') {
            table = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            continue;
        }
        let Some((k, v)) = t.split_once('=') else {
            continue;
        };
        let v = v.trim();
        let value = v.split_once(" #").map_or(v, |(a, _)| a.trim());
        let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
            continue;
        };
        if !is_placeholder(inner) {
            continue;
        }
        let key = k.trim().trim_matches('"');
        let col = line
            .find(value)
            .map_or(1, |b| line[..b].chars().count() + 1);
        found.push(Placeholder {
            key: if table.is_empty() {
                key.to_string()
            } else {
                format!("{table}.{key}")
            },
            value: inner.to_string(),
            line: i + 1,
            col,
        });
    }
    let typed = |k: &str| found.iter().any(|p| p.key == k);
    if !typed("fiscal_year") && !typed("published") {
        return (Cow::Borrowed(src), found);
    }
    let published = date_in(src);
    let fy_written = year_in(src);
    let fy = published.map_or(
        fy_written.unwrap_or(2024),
        |(y, m)| if m < 4 { y - 1 } else { y },
    );
    let fy = if typed("fiscal_year") {
        fy
    } else {
        fy_written.unwrap_or(fy)
    };
    let mut out = String::with_capacity(src.len());
    for (i, line) in src.split_inclusive('\n').enumerate() {
        match found
            .iter()
            .find(|p| p.line == i + 1 && (p.key == "fiscal_year" || p.key == "published"))
        {
            Some(p) => {
                let stand_in = if p.key == "fiscal_year" {
                    fy.to_string()
                } else {
                    format!("{}-03-31", fy + 1)
                };
                out.push_str(&line.replacen(&format!("\"{}\"", p.value), &stand_in, 1));
            }
            None => out.push_str(line),
        }
    }
    (Cow::Owned(out), found)
}

/// The top-level `published = YYYY-MM-DD` as (year, month), if written as a date.
fn date_in(src: &str) -> Option<(i32, u32)> {
    src.lines()
        .take_while(|l| !l.trim().starts_with('['))
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            if k.trim() != "published" {
                return None;
            }
            let v = v.trim();
            Some((v.get(..4)?.parse().ok()?, v.get(5..7)?.parse().ok()?))
        })
}

fn year_in(src: &str) -> Option<i32> {
    src.lines()
        .take_while(|l| !l.trim().starts_with('['))
        .find_map(|l| {
            let (k, v) = l.split_once('=')?;
            (k.trim() == "fiscal_year").then(|| v.split('#').next()?.trim().parse().ok())?
        })
}

/// The message for one placeholder: a warning for `build`, an error for `check`.
pub fn diag(p: &Placeholder, toml_path: &Path, severity: Severity) -> Diag {
    let (key, value) = (&p.key, &p.value);
    let d = Diag::error(crate::t!(
        "`{key}` は仮の値「{value}」のままです",
        "`{key}` still holds the placeholder \"{value}\""
    ))
    .at(toml_path, p.line, p.col)
    .help(crate::t!(
        "report.toml のこの値を書き換えてください（kanko import が入れた仮の値です）",
        "replace this value in report.toml (kanko import put it there)"
    ));
    Diag { severity, ..d }
}

/// For `kanko check`: the placeholder warnings of a report become errors. Returns how many.
pub fn harden(diags: &mut [Diag], placeholders: &[Placeholder], toml_path: &Path) -> usize {
    for p in placeholders {
        let warning = diag(p, toml_path, Severity::Warning);
        if let Some(d) = diags.iter_mut().find(|d| **d == warning) {
            d.severity = Severity::Error;
        }
    }
    placeholders.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_found_and_typed_keys_get_stand_ins() {
        let src = "title = \"（表題を記入）\"\nfiscal_year = \"（年度を記入）\"\npublished = 2024-03-29\n\n[[funders]]\nname = \"（助成元を記入）\" # 書き換える\nprogram = \"X\"\n";
        let (out, found) = prepare(src);
        let keys: Vec<&str> = found.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(keys, ["title", "fiscal_year", "funders.name"]);
        assert_eq!((found[2].line, found[2].col), (6, 8));
        assert!(out.contains("fiscal_year = 2023\n"), "{out}");
        assert_eq!(out.lines().count(), src.lines().count());
        let (out, _) = prepare("fiscal_year = 2022\npublished = \"（発行日を記入）\"\n");
        assert!(out.contains("published = 2023-03-31"), "{out}");
        assert!(matches!(
            prepare("title = \"（仮）\"\n").0,
            Cow::Borrowed(_)
        ));
        assert!(prepare("title = \"（仮）\"\n").1.is_empty());
    }
}
