//! The TOML inside a ```` ```chart ```` block: typed keys with their positions, so a bad key is
//! reported at the chapter's line and column (the block's line + the line inside it).

use serde::Deserialize;
use toml::Spanned;

use super::model::{Kind, Origin};
use crate::diag::{Diag, line_col};

pub const KEYS: &[&str] = &[
    "type", "title", "data", "csv", "label", "values", "unit", "total", "sort", "note", "table",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    title: Option<String>,
    data: Option<Spanned<String>>,
    csv: Option<Spanned<String>>,
    label: Option<Spanned<String>>,
    values: Option<Spanned<OneOrMany>>,
    unit: Option<String>,
    total: Option<Spanned<f64>>,
    sort: Option<Spanned<String>>,
    note: Option<String>,
    table: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

/// A position in the chapter file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Loc {
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    None,
    Desc,
    Asc,
}

#[derive(Debug, Clone)]
pub enum Source {
    /// `data = "data/x.csv"`: the path as written, and where it was written.
    File { path: String, at: Loc },
    /// `csv = """…"""`: the text, and where its first line starts in the chapter.
    Inline {
        text: String,
        first: Loc,
        indent: usize,
    },
}

#[derive(Debug, Clone)]
pub struct Spec {
    pub kind: Kind,
    pub title: Option<String>,
    pub source: Source,
    pub label: Option<(String, Loc)>,
    pub values: Option<(Vec<String>, Loc)>,
    pub unit: Option<String>,
    pub total: Option<f64>,
    pub sort: Sort,
    pub note: Option<String>,
    pub table: bool,
    /// The block's first line (the fence).
    pub at: Loc,
}

/// Maps a byte offset inside the block's TOML to the chapter's line and column.
fn loc(src: &str, offset: usize, o: &Origin) -> Loc {
    let (l, c) = line_col(src, offset);
    Loc {
        line: o.pos.line + l,
        col: o.pos.col.saturating_sub(1) + c,
    }
}

fn err(o: &Origin, at: Loc, msg: String) -> Diag {
    Diag::error(msg).at(o.file, at.line, at.col)
}

// Long: reads a chart block's TOML: keys written twice, unknown keys, then each key's type and
// value, each with its own message at its line.
pub fn parse(src: &str, o: &Origin, diags: &mut Vec<Diag>) -> Option<Spec> {
    let twice = crate::tomldiag::keys_written_twice(src);
    if !twice.is_empty() {
        for t in twice {
            let first = t.first.map(|f| {
                let at = loc(src, f, o);
                format!("{}:{}:{}", o.file.display(), at.line, at.col)
            });
            let at = loc(src, t.second, o);
            diags.push(crate::tomldiag::twice_diag(&t.key, first).at(o.file, at.line, at.col));
        }
        return None;
    }
    let raw: Raw = match toml::from_str(src) {
        Ok(r) => r,
        Err(e) => {
            diags.push(toml_error(&e, src, o));
            return None;
        }
    };
    let at = Loc {
        line: o.pos.line,
        col: o.pos.col,
    };
    let before = diags.len();
    let kind = match &raw.kind {
        None => Kind::Bar,
        Some(k) => Kind::from_name(k.get_ref()).unwrap_or_else(|| {
            let got = k.get_ref();
            let mut d = err(
                o,
                loc(src, k.span().start, o),
                crate::t!(
                    "グラフの種類 `{got}` はありません（bar・column・stacked・line のどれか）",
                    "unknown chart type `{got}` (use bar, column, stacked or line)"
                ),
            );
            if let Some(best) = crate::tomldiag::suggest(got, Kind::NAMES) {
                d = d.help(crate::t!(
                    "`{best}` のことですか？",
                    "did you mean `{best}`?"
                ));
            }
            diags.push(d);
            Kind::Bar
        }),
    };
    let sort = match raw.sort.as_ref().map(|s| (s.get_ref().as_str(), s.span())) {
        None | Some(("none", _)) => Sort::None,
        Some(("desc", _)) => Sort::Desc,
        Some(("asc", _)) => Sort::Asc,
        Some((got, span)) => {
            diags.push(err(
                o,
                loc(src, span.start, o),
                crate::t!(
                    "`sort` は desc・asc・none のどれかです（`{got}` ではなく）",
                    "`sort` must be desc, asc or none, not `{got}`"
                ),
            ));
            Sort::None
        }
    };
    if let Some(t) = &raw.total
        && !(*t.get_ref() > 0.0 && t.get_ref().is_finite())
    {
        diags.push(err(
            o,
            loc(src, t.span().start, o),
            crate::t!(
                "`total`（回答者数 n）は正の数で書いてください",
                "`total` (the number of respondents, n) must be a positive number"
            ),
        ));
    }
    let source = source(&raw, src, o, at, diags);
    if diags.len() > before {
        return None;
    }
    Some(Spec {
        kind,
        title: raw.title.filter(|t| !t.trim().is_empty()),
        source: source?,
        label: raw
            .label
            .map(|l| (l.get_ref().clone(), loc(src, l.span().start, o))),
        values: raw.values.map(|v| {
            let at = loc(src, v.span().start, o);
            let names = match v.into_inner() {
                OneOrMany::One(s) => vec![s],
                OneOrMany::Many(v) => v,
            };
            (names, at)
        }),
        unit: raw.unit,
        total: raw.total.map(|t| *t.get_ref()),
        sort,
        note: raw.note.filter(|n| !n.trim().is_empty()),
        table: raw.table.unwrap_or(false),
        at,
    })
}

fn source(raw: &Raw, src: &str, o: &Origin, at: Loc, diags: &mut Vec<Diag>) -> Option<Source> {
    match (&raw.data, &raw.csv) {
        (Some(d), None) => Some(Source::File {
            path: d.get_ref().clone(),
            at: loc(src, d.span().start, o),
        }),
        (None, Some(c)) => {
            let start = c.span().start;
            let opening = src.get(start..).unwrap_or("");
            let multi = opening.starts_with("\"\"\"") || opening.starts_with("'''");
            // A newline right after the opening quotes is not part of the string (TOML).
            let first = if multi && opening[3..].starts_with('\n') {
                let l = loc(src, start, o);
                Loc {
                    line: l.line + 1,
                    col: o.pos.col,
                }
            } else {
                let mut l = loc(src, start, o);
                l.col += if multi { 3 } else { 1 };
                l
            };
            Some(Source::Inline {
                text: c.get_ref().clone(),
                first,
                indent: o.pos.col.saturating_sub(1),
            })
        }
        (Some(d), Some(_)) => {
            diags.push(err(
                o,
                loc(src, d.span().start, o),
                crate::t!(
                    "`data`（CSV ファイル）と `csv`（直接書いたデータ）の両方があります。どちらか一つにしてください",
                    "both `data` (a CSV file) and `csv` (inline data) are given: keep one"
                ),
            ));
            None
        }
        (None, None) => {
            diags.push(
                err(
                    o,
                    at,
                    crate::t!(
                        "グラフのデータがありません",
                        "the chart has no data"
                    ),
                )
                .help(crate::t!(
                    "`data = \"data/kekka.csv\"`（報告書フォルダ内の CSV）か `csv = \"\"\"…\"\"\"`（直接書く）を加えてください",
                    "add `data = \"data/results.csv\"` (a CSV in the report folder) or `csv = \"\"\"…\"\"\"` (inline)"
                )),
            );
            None
        }
    }
}

fn toml_error(e: &toml::de::Error, src: &str, o: &Origin) -> Diag {
    let at = e.span().map_or(
        Loc {
            line: o.pos.line,
            col: o.pos.col,
        },
        |s| loc(src, s.start, o),
    );
    let msg = e.message().trim();
    if let Some(unknown) = between(msg, "unknown field `", "`") {
        let mut d = err(
            o,
            at,
            crate::t!(
                "グラフの設定に不明なキー `{unknown}` があります",
                "unknown key `{unknown}` in the chart block"
            ),
        );
        d = match crate::tomldiag::suggest(&unknown, KEYS) {
            Some(best) => d.help(crate::t!(
                "`{best}` のことですか？",
                "did you mean `{best}`?"
            )),
            None => d.help(format!(
                "{}: {}",
                crate::i18n::tr("使えるキー", "known keys"),
                KEYS.join(", ")
            )),
        };
        return d;
    }
    err(
        o,
        at,
        crate::t!(
            "グラフの設定（TOML）を読めません：{msg}",
            "cannot read the chart block (TOML): {msg}"
        ),
    )
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}
