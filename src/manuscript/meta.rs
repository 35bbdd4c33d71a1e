//! `report.toml` and `kanko.toml`: typed, validated, with messages that point at the line.

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use super::wareki::{self, CreditPart, chrono_lite::Date};
use crate::diag::{Diag, line_col};
use crate::tomldiag::{keys_written_twice, suggest, twice_diag};

pub const REPORT_KEYS: &[&str] = &[
    "title",
    "subtitle",
    "project",
    "fiscal_year",
    "publisher",
    "published",
    "language",
    "description",
    "authors",
    "chapters",
    "writing_mode",
    "funders",
    "cover",
    "isbn",
    "license",
    "url",
    "print",
];
const FUNDER_KEYS: &[&str] = &["name", "program", "budget", "fiscal_year", "logo", "credit"];
const COVER_KEYS: &[&str] = &["image", "color"];
pub const SITE_KEYS: &[&str] = &[
    "title",
    "organization",
    "language",
    "base_url",
    "description",
    "print",
    "catalog",
    "per_page",
    "site",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReport {
    title: Spanned<String>,
    subtitle: Option<String>,
    project: Spanned<String>,
    fiscal_year: Spanned<i64>,
    publisher: Spanned<String>,
    published: Spanned<toml::value::Datetime>,
    language: Option<Spanned<String>>,
    description: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    chapters: Option<Vec<Spanned<String>>>,
    writing_mode: Option<WritingMode>,
    funders: Spanned<Vec<RawFunder>>,
    cover: Option<RawCover>,
    isbn: Option<Spanned<String>>,
    license: Option<String>,
    url: Option<String>,
    print: Option<Print>,
}

/// `[print]` in report.toml or kanko.toml: also write the print shop's PDF.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Print {
    pub binding: Option<Binding>,
}

/// How the printed copy is bound.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Binding {
    /// 無線綴じ (perfect binding): any page count.
    #[default]
    Perfect,
    /// 中綴じ (saddle stitch): the page count must be a multiple of 4.
    Saddle,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFunder {
    name: String,
    program: String,
    budget: Option<String>,
    fiscal_year: Option<Spanned<i64>>,
    logo: Option<Spanned<String>>,
    credit: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCover {
    image: Option<Spanned<String>>,
    color: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, Deserialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum WritingMode {
    #[default]
    Horizontal,
    Vertical,
}

/// A path written in report.toml, with the line it was written on.
#[derive(Debug, Clone)]
pub struct SpannedPath {
    pub path: String,
    pub line: usize,
    pub col: usize,
}

#[derive(Debug, Clone)]
pub struct Funder {
    pub name: String,
    pub program: String,
    pub budget: Option<String>,
    pub fiscal_year: i32,
    pub logo: Option<SpannedPath>,
    pub credit: Option<String>,
}

/// Validated report metadata plus the words every format prints the same way.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub subtitle: Option<String>,
    pub project: String,
    pub fiscal_year: i32,
    pub publisher: String,
    pub published: Date,
    pub language: String,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub chapters: Option<Vec<SpannedPath>>,
    pub writing_mode: WritingMode,
    pub funders: Vec<Funder>,
    pub cover_image: Option<SpannedPath>,
    pub cover_color: String,
    /// No `[cover] color` in report.toml: `[site] cover_color` may stand in.
    pub cover_color_default: bool,
    pub isbn: Option<String>,
    pub license: Option<String>,
    pub url: Option<String>,
    pub labels: Labels,
    /// Values still reading like `（発行者を記入）` (see `placeholder`).
    pub placeholders: Vec<super::placeholder::Placeholder>,
    /// `[print]`: write the print PDF too.
    pub print: Option<Print>,
}

/// Computed once, printed by every format.
#[derive(Debug, Clone)]
pub struct Labels {
    /// 令和6年度 (en: FY2024)
    pub year: String,
    /// 2024年度 (en: April 2024 – March 2025)
    pub year_western: String,
    /// 令和7年3月28日 (en: 28 March 2025)
    pub published: String,
    pub credit: String,
}

impl Meta {
    pub fn is_japanese(&self) -> bool {
        self.language.starts_with("ja")
    }
}

/// Parses and validates report.toml. `shown` is the path used in messages.
pub fn parse_report(src: &str, shown: &Path) -> Result<Meta, Vec<Diag>> {
    let twice = duplicate_keys(src, shown);
    if !twice.is_empty() {
        return Err(twice);
    }
    let (prepared, placeholders) = super::placeholder::prepare(src);
    let src = prepared.as_ref();
    let raw: RawReport = toml::from_str(src).map_err(|e| vec![toml_error(&e, src, shown)])?;
    let mut errors = Vec::new();
    let at = |span: std::ops::Range<usize>, msg: String| {
        let (l, c) = line_col(src, span.start);
        Diag::error(msg).at(shown, l, c)
    };
    let fy = *raw.fiscal_year.get_ref();
    if !(1989..=2100).contains(&fy) {
        errors.push(at(
            raw.fiscal_year.span(),
            crate::t!("`fiscal_year` は 1989〜2100 の西暦（年度が始まる年）で書いてください（{fy} ではなく）", "`fiscal_year` must be a year from 1989 to 2100 (the year the fiscal year starts in), not {fy}"),
        ));
    }
    let published = match date_of(raw.published.get_ref()) {
        Some(d) => d,
        None => {
            errors.push(at(
                raw.published.span(),
                crate::t!(
                    "`published` は 2025-03-28 のような日付で書いてください（時刻なし）",
                    "`published` must be a date like 2025-03-28 (no time)"
                ),
            ));
            Date {
                year: 2000,
                month: 1,
                day: 1,
            }
        }
    };
    for (key, v) in [
        ("title", &raw.title),
        ("project", &raw.project),
        ("publisher", &raw.publisher),
    ] {
        if v.get_ref().trim().is_empty() {
            errors.push(at(
                v.span(),
                crate::t!("`{key}` が空です", "`{key}` must not be empty"),
            ));
        }
    }
    if raw.funders.get_ref().is_empty() {
        errors.push(at(
            raw.funders.span(),
            crate::t!(
                "助成元 [[funders]]（`name` と `program`）を1つ以上書いてください",
                "`funders` needs at least one [[funders]] table with `name` and `program`"
            ),
        ));
    }
    let language = raw
        .language
        .as_ref()
        .map_or("ja".to_string(), |l| l.get_ref().clone());
    if let Some(l) = &raw.language
        && !is_bcp47ish(l.get_ref())
    {
        errors.push(at(
            l.span(),
            format!(
                "`language` must be a BCP 47 tag such as `ja` or `en`, not `{}`",
                l.get_ref()
            ),
        ));
    }
    let cover_color = match raw.cover.as_ref().and_then(|c| c.color.as_ref()) {
        Some(c) if is_hex_color(c.get_ref()) => c.get_ref().clone(),
        Some(c) => {
            errors.push(at(
                c.span(),
                format!(
                    "`cover.color` must be a colour like \"#2f6f5e\", not `{}`",
                    c.get_ref()
                ),
            ));
            String::new()
        }
        None => "#1f3a5f".into(),
    };
    if let Some(isbn) = &raw.isbn
        && !is_isbn(isbn.get_ref())
    {
        errors.push(at(
            isbn.span(),
            format!(
                "`isbn` `{}` is not a valid ISBN-10 or ISBN-13",
                isbn.get_ref()
            ),
        ));
    }
    let spanned_path = |s: &Spanned<String>| {
        let (line, col) = line_col(src, s.span().start);
        SpannedPath {
            path: s.get_ref().clone(),
            line,
            col,
        }
    };
    let mut funders = Vec::new();
    for f in raw.funders.into_inner() {
        let ffy = f.fiscal_year.as_ref().map_or(fy, |y| *y.get_ref());
        if let Some(y) = &f.fiscal_year
            && !(1989..=2100).contains(y.get_ref())
        {
            errors.push(at(
                y.span(),
                format!(
                    "`funders.fiscal_year` must be from 1989 to 2100, not {}",
                    y.get_ref()
                ),
            ));
        }
        funders.push(Funder {
            name: f.name,
            program: f.program,
            budget: f.budget,
            fiscal_year: ffy as i32,
            logo: f.logo.as_ref().map(spanned_path),
            credit: f.credit,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let fiscal_year = fy as i32;
    let japanese = language.starts_with("ja");
    let labels = make_labels(japanese, fiscal_year, published, &funders);
    Ok(Meta {
        title: raw.title.into_inner(),
        subtitle: raw.subtitle.filter(|s| !s.trim().is_empty()),
        project: raw.project.into_inner(),
        fiscal_year,
        publisher: raw.publisher.into_inner(),
        published,
        language,
        description: raw.description.filter(|s| !s.trim().is_empty()),
        authors: raw.authors,
        chapters: raw.chapters.map(|c| c.iter().map(spanned_path).collect()),
        writing_mode: raw.writing_mode.unwrap_or_default(),
        funders,
        cover_image: raw
            .cover
            .as_ref()
            .and_then(|c| c.image.as_ref())
            .map(spanned_path),
        cover_color_default: raw.cover.as_ref().and_then(|c| c.color.as_ref()).is_none(),
        cover_color,
        isbn: raw.isbn.map(|i| i.into_inner()),
        license: raw.license,
        url: raw.url,
        labels,
        placeholders,
        print: raw.print,
    })
}

fn make_labels(japanese: bool, fy: i32, published: Date, funders: &[Funder]) -> Labels {
    let parts: Vec<CreditPart> = funders
        .iter()
        .map(|f| CreditPart {
            fiscal_year: f.fiscal_year,
            budget: f.budget.as_deref(),
            name: &f.name,
            program: &f.program,
            credit: f.credit.as_deref(),
        })
        .collect();
    if japanese {
        Labels {
            year: wareki::fiscal_year(fy),
            year_western: wareki::fiscal_year_western(fy),
            published: wareki::date(published),
            credit: wareki::credit_ja(&parts),
        }
    } else {
        Labels {
            year: format!("FY{fy}"),
            year_western: wareki::fiscal_year_span_en(fy),
            published: wareki::date_en(published),
            credit: wareki::credit_en(&parts),
        }
    }
}

fn date_of(dt: &toml::value::Datetime) -> Option<Date> {
    if dt.time.is_some() || dt.offset.is_some() {
        return None;
    }
    let d = dt.date?;
    let date = Date {
        year: d.year as i32,
        month: d.month as u32,
        day: d.day as u32,
    };
    date.is_valid().then_some(date)
}

fn is_bcp47ish(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_hex_color(s: &str) -> bool {
    let hex = s.strip_prefix('#').unwrap_or("");
    matches!(hex.len(), 3 | 6) && hex.chars().all(|c| c.is_ascii_hexdigit())
}

fn is_isbn(s: &str) -> bool {
    let digits: Vec<char> = s.chars().filter(|c| *c != '-' && *c != ' ').collect();
    match digits.len() {
        13 => {
            let Some(n): Option<Vec<u32>> = digits.iter().map(|c| c.to_digit(10)).collect() else {
                return false;
            };
            let sum: u32 = n
                .iter()
                .enumerate()
                .map(|(i, d)| if i % 2 == 0 { *d } else { d * 3 })
                .sum();
            sum.is_multiple_of(10)
        }
        10 => {
            let mut sum = 0;
            for (i, c) in digits.iter().enumerate() {
                let v = match (i, c) {
                    (9, 'X' | 'x') => 10,
                    (_, c) => match c.to_digit(10) {
                        Some(v) => v,
                        None => return false,
                    },
                };
                sum += v * (10 - i as u32);
            }
            sum % 11 == 0
        }
        _ => false,
    }
}

/// `keys_written_twice` as messages at `file:line:col` of a whole TOML file.
pub fn duplicate_keys(src: &str, shown: &Path) -> Vec<Diag> {
    keys_written_twice(src)
        .into_iter()
        .map(|t| {
            let (line, col) = line_col(src, t.second);
            let first = t.first.map(|f| {
                let (l, c) = line_col(src, f);
                format!("{}:{l}:{c}", shown.display())
            });
            twice_diag(&t.key, first).at(shown, line, col)
        })
        .collect()
}

/// Turns toml's error into a message at `file:line:col`, with "did you mean" for misspelt keys.
pub fn toml_error(e: &toml::de::Error, src: &str, shown: &Path) -> Diag {
    let (line, col) = e.span().map_or((0, 0), |s| line_col(src, s.start));
    let msg = e.message().trim().to_string();
    let key = e.span().and_then(|s| key_at(src, s.start));
    let mut diag = Diag::error(explain(&msg, key.as_deref())).at(shown, line.max(1), col.max(1));
    if let Some(unknown) = between(&msg, "unknown field `", "`") {
        let top = if shown.file_name().is_some_and(|n| n == "kanko.toml") {
            SITE_KEYS
        } else {
            REPORT_KEYS
        };
        if let Some(landed) = e
            .span()
            .and_then(|s| landed_in_table(src, s.start, &unknown, top, shown, (line, col)))
        {
            return landed;
        }
        let keys: Vec<&str> = [
            REPORT_KEYS,
            FUNDER_KEYS,
            COVER_KEYS,
            SITE_KEYS,
            super::site::KEYS,
        ]
        .concat();
        if let Some(best) = suggest(&unknown, &keys).filter(|b| *b != unknown) {
            diag = diag.help(crate::t!(
                "`{best}` のことですか？",
                "did you mean `{best}`?"
            ));
        }
    }
    diag
}

/// A top-level key written below a table header (`title = …` appended after the last
/// `[[funders]]`): TOML puts it in that table. Says which table, and to move the key above the
/// first table header.
fn landed_in_table(
    src: &str,
    at: usize,
    key: &str,
    top: &[&str],
    shown: &Path,
    (line, col): (usize, usize),
) -> Option<Diag> {
    if !top.contains(&key) {
        return None;
    }
    // `[name]` or `[[name]]` alone on its line (a comment may follow).
    let header = |l: &str| -> Option<String> {
        let t = l.trim();
        let (open, close) = if t.starts_with("[[") {
            ("[[", "]]")
        } else {
            ("[", "]")
        };
        let rest = t.strip_prefix(open)?;
        let end = rest.find(close)?;
        let after = rest[end + close.len()..].trim_start();
        (after.is_empty() || after.starts_with('#'))
            .then(|| format!("{open}{}{close}", rest[..end].trim()))
    };
    let mut offset = 0;
    let (mut first, mut last) = (None, None);
    for l in src.split_inclusive('\n') {
        if offset > at {
            break;
        }
        if let Some(h) = header(l) {
            let n = line_col(src, offset).0;
            first.get_or_insert((h.clone(), n));
            last = Some((h, n));
        }
        offset += l.len();
    }
    let ((table, table_line), (first_table, first_line)) = (last?, first?);
    let file = shown.file_name().map_or_else(
        || shown.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    Some(
        Diag::error(crate::t!(
            "キー `{key}` が表 `{table}`（{table_line} 行目）の中に入っています。TOML では、表の見出しより後に書いたキーはその表のものになります",
            "key `{key}` landed in the table `{table}` (line {table_line}): in TOML, a key written after a table header belongs to that table"
        ))
        .at(shown, line.max(1), col.max(1))
        .help(crate::t!(
            "`{key}` は {file} の先頭に書くキーです。最初の表 `{first_table}`（{first_line} 行目）より上に移してください",
            "`{key}` is a top-level key of {file}: move it above the first table, `{first_table}` at line {first_line}"
        )),
    )
}

fn explain(msg: &str, key: Option<&str>) -> String {
    if let Some(k) = between(msg, "missing field `", "`") {
        return crate::t!(
            "必須のキー `{k}` がありません",
            "missing required key `{k}`"
        );
    }
    if let Some(k) = between(msg, "unknown field `", "`") {
        return crate::t!("不明なキー `{k}`", "unknown key `{k}`");
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let (found, expected) = rest
            .split_once(", expected ")
            .unwrap_or((rest, "another type"));
        let expected = plain_type(expected);
        return match key {
            Some(k) => crate::t!(
                "`{k}` の型が違います：{expected} が必要ですが {found} です",
                "wrong type for `{k}`: expected {expected}, found {found}"
            ),
            None => crate::t!(
                "型が違います：{expected} が必要ですが {found} です",
                "wrong type: expected {expected}, found {found}"
            ),
        };
    }
    if let Some(rest) = msg.strip_prefix("unknown variant ") {
        return match key {
            Some(k) => format!("invalid value for `{k}`: {rest}"),
            None => format!("invalid value: {rest}"),
        };
    }
    msg.to_string()
}

/// serde's type names in words an editor knows.
fn plain_type(t: &str) -> String {
    let t = t.trim();
    match t {
        "i64" | "i32" | "u64" | "u32" | "usize" => "a whole number (e.g. 2024)".into(),
        "a string" => "text in quotes (e.g. \"…\")".into(),
        "a sequence" => "a list in brackets (e.g. [\"a\", \"b\"])".into(),
        "a boolean" => "true or false".into(),
        _ if t.contains("Datetime") || t.contains("date") => "a date (e.g. 2025-03-28)".into(),
        _ => t.to_string(),
    }
}

/// The key written on the line of `offset` (`key = value`), for messages about its value.
fn key_at(src: &str, offset: usize) -> Option<String> {
    let start = src
        .get(..offset.min(src.len()))?
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line = &src[start..];
    let line = &line[..line.find('\n').unwrap_or(line.len())];
    let (k, _) = line.split_once('=')?;
    let k = k.trim().trim_matches('"');
    (!k.is_empty() && !k.starts_with('[') && !k.starts_with('#')).then(|| k.to_string())
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}

/// Site settings from `kanko.toml`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Site {
    pub title: Option<String>,
    pub organization: Option<String>,
    pub language: Option<String>,
    pub base_url: Option<String>,
    pub description: Option<String>,
    /// House-style lint settings (`[lint]`, `[[lint.terms]]`), validated by `lint::Config`.
    pub lint: Option<toml::Table>,
    /// `[print]`: every report also gets the print PDF (a report's own `[print]` wins).
    pub print: Option<Print>,
    /// `[catalog]`: how the catalog site is laid out.
    pub catalog: Option<CatalogSettings>,
    /// `[site]`: the organisation's home page, logo, colours and footer links.
    pub site: Option<super::site::SiteTable>,
    /// The `[site] logo`, checked and read (not a key).
    #[serde(skip)]
    pub logo: Option<super::site::Logo>,
    /// `[[fonts]]`: font files used where the shipped fonts lack a character.
    pub fonts: Option<Vec<super::fonts::FontEntry>>,
    /// `[publish]`: where `kanko publish` uploads (validated by `publish::config`).
    pub publish: Option<toml::Table>,
}

/// `[catalog]` in kanko.toml.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogSettings {
    /// Reports per index page (`index.html`, `index-2.html`, …); 1 to 1000, default 50.
    pub per_page: Option<Spanned<i64>>,
}

/// Largest `[catalog] per_page`: a bigger page would break the first view's weight budget.
pub const MAX_PER_PAGE: i64 = 1000;

impl Site {
    /// Reports per catalog index page: `[catalog] per_page`, else `default`.
    pub fn per_page(&self, default: usize) -> usize {
        self.catalog
            .as_ref()
            .and_then(|c| c.per_page.as_ref())
            .map_or(default, |n| (*n.get_ref()).clamp(1, MAX_PER_PAGE) as usize)
    }
}

pub fn parse_site(src: &str, shown: &Path) -> Result<Site, Diag> {
    if let Some(twice) = duplicate_keys(src, shown).into_iter().next() {
        return Err(twice);
    }
    let site: Site = toml::from_str(src).map_err(|e| toml_error(&e, src, shown))?;
    if let Some(l) = &site.language
        && !is_bcp47ish(l)
    {
        let d = Diag::error(format!(
            "`language` must be a BCP 47 tag such as `ja`, not `{l}`"
        ));
        let mut offset = 0;
        for line in src.split_inclusive('\n') {
            let t = line.trim_start();
            if t.strip_prefix("language")
                .is_some_and(|r| r.trim_start().starts_with('='))
            {
                let (l, c) = line_col(src, offset + line.len() - t.len());
                return Err(d.at(shown, l, c));
            }
            offset += line.len();
        }
        return Err(d.in_file(shown));
    }
    if let Some(n) = site.catalog.as_ref().and_then(|c| c.per_page.as_ref())
        && !(1..=MAX_PER_PAGE).contains(n.get_ref())
    {
        let (line, col) = line_col(src, n.span().start);
        let v = n.get_ref();
        return Err(Diag::error(crate::t!(
            "`[catalog] per_page` は 1 から {MAX_PER_PAGE} までの整数です（{v} ではなく）",
            "`[catalog] per_page` must be from 1 to {MAX_PER_PAGE}, not {v}"
        ))
        .at(shown, line, col));
    }
    if let Some(t) = &site.site {
        super::site::check(t, src, shown)?;
    }
    Ok(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
title = "報告書"
project = "居場所づくり事業"
fiscal_year = 2023
publisher = "NPO法人 みどり"
published = 2024-03-29

[[funders]]
name = "独立行政法人福祉医療機構"
program = "社会福祉振興助成事業"
"#;

    fn parse(src: &str) -> Result<Meta, Vec<Diag>> {
        parse_report(src, Path::new("reports/x/report.toml"))
    }

    #[test]
    fn good_report_gets_labels() {
        let m = parse(GOOD).unwrap();
        assert_eq!(m.labels.year, "令和5年度");
        assert_eq!(m.labels.published, "令和6年3月29日");
        assert!(
            m.labels
                .credit
                .contains("「令和5年度独立行政法人福祉医療機構 社会福祉振興助成事業」")
        );
        assert_eq!(m.language, "ja");
    }

    #[test]
    fn a_key_written_twice_is_named_with_both_lines() {
        let src = GOOD.replace(
            "title = \"報告書\"\n",
            "title = \"報告書\"\ntitle = \"別の題\"\n",
        );
        let errs = parse(&src).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        let e = &errs[0];
        assert!(e.message.contains("`title` is defined twice"), "{e}");
        assert!(!e.message.contains("unknown"), "{e}");
        assert_eq!((e.line, e.col), (3, 1), "{e}");
        assert!(
            e.help.as_deref().is_some_and(|h| h.contains(":2:1")),
            "the help names the first line: {e:?}"
        );
    }

    #[test]
    fn the_same_key_in_two_funders_is_not_a_duplicate_but_twice_in_one_is() {
        let two = format!("{GOOD}\n[[funders]]\nname = \"別の助成元\"\nprogram = \"別の事業\"\n");
        if let Err(e) = parse(&two) {
            panic!("two funders, each with its own name: {e:?}");
        }
        let src = GOOD.replace(
            "name = \"独立行政法人福祉医療機構\"",
            "name = \"独立行政法人福祉医療機構\"\nname = \"もう一度\"",
        );
        let e = &parse(&src).unwrap_err()[0];
        assert!(e.message.contains("`name` is defined twice"), "{e}");
        let first = GOOD.lines().position(|l| l.starts_with("name =")).unwrap() + 1;
        assert!(
            e.help.as_deref().unwrap().contains(&format!(":{first}:1")),
            "{e:?}"
        );
    }

    #[test]
    fn a_table_or_key_twice_in_kanko_toml() {
        let e = parse_site(
            "[lint]\npreset = true\n\n[lint]\npreset = false\n",
            Path::new("kanko.toml"),
        )
        .unwrap_err();
        assert!(e.message.contains("defined twice"), "{e}");
        assert_eq!(e.line, 4, "{e}");
        assert!(
            e.help.as_deref().unwrap().contains("kanko.toml:1:1"),
            "{e:?}"
        );
        let e = parse_site("title = \"a\"\ntitle = \"b\"\n", Path::new("kanko.toml")).unwrap_err();
        assert!(e.message.contains("`title` is defined twice"), "{e}");
    }

    #[test]
    fn catalog_per_page_in_kanko_toml() {
        let kt = Path::new("kanko.toml");
        assert_eq!(parse_site("", kt).unwrap().per_page(50), 50);
        let s = parse_site("title = \"t\"\n[catalog]\nper_page = 3\n", kt).unwrap();
        assert_eq!(s.per_page(50), 3);
        for bad in ["0", "-2", "1001"] {
            let e = parse_site(
                &format!("title = \"t\"\n\n[catalog]\nper_page = {bad}\n"),
                kt,
            )
            .unwrap_err();
            assert!(e.message.contains("per_page"), "{e}");
            assert!(e.message.contains(bad), "{e}");
            assert_eq!(e.line, 4, "{e}");
        }
        let e = parse_site("[catalog]\nper_page = \"10\"\n", kt).unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        let e = parse_site("[catalog]\nperpage = 10\n", kt).unwrap_err();
        assert_eq!(e.help.as_deref(), Some("did you mean `per_page`?"), "{e:?}");
    }

    #[test]
    fn a_report_key_after_the_last_funders_table_says_where_it_landed() {
        let src = format!("{}subtitle = \"副題\"\n", GOOD);
        let e = &parse(&src).unwrap_err()[0];
        let funders = GOOD.lines().position(|l| l == "[[funders]]").unwrap() + 1;
        assert!(e.message.contains("`subtitle`"), "{e}");
        assert!(e.message.contains("[[funders]]"), "names the table: {e}");
        assert!(
            e.message.contains(&format!("{funders}")),
            "names the table's line: {e}"
        );
        let help = e.help.as_deref().unwrap_or("");
        assert!(
            help.contains("[[funders]]") && help.contains("above"),
            "{e:?}"
        );
        assert!(!help.contains("did you mean"), "{e:?}");
        // The key's own name is never the suggestion, even when the key is not a report key.
        let e = &parse(&format!("{GOOD}name = \"x\"\nname2 = 1\n")).unwrap_err()[0];
        assert!(
            !e.help.as_deref().unwrap_or("").contains("`name2`?"),
            "{e:?}"
        );
        let e = parse_site("[catalog]\ntitle = \"t\"\n", Path::new("kanko.toml")).unwrap_err();
        assert!(e.message.contains("[catalog]"), "{e}");
        assert!(
            !e.help
                .as_deref()
                .unwrap_or("")
                .contains("did you mean `title`"),
            "{e:?}"
        );
    }

    #[test]
    fn misspelt_key_suggests_the_right_one() {
        let src = GOOD.replace("title =", "titel =");
        let e = &parse(&src).unwrap_err()[0];
        assert!(e.message.contains("titel"), "{e}");
        assert_eq!(e.help.as_deref(), Some("did you mean `title`?"));
        assert_eq!((e.line, e.col), (2, 1));
    }

    #[test]
    fn wrong_type_names_line() {
        let src = GOOD.replace("fiscal_year = 2023", "fiscal_year = \"2023\"");
        let e = &parse(&src).unwrap_err()[0];
        assert!(e.message.contains("wrong type"), "{e}");
        assert_eq!(e.line, 4);
    }

    #[test]
    fn missing_key_and_range() {
        let src = GOOD.replace("project = \"居場所づくり事業\"\n", "");
        assert!(
            parse(&src).unwrap_err()[0]
                .message
                .contains("missing required key `project`")
        );
        let src = GOOD.replace("2023", "1988");
        assert!(parse(&src).unwrap_err()[0].message.contains("1989"));
    }

    #[test]
    fn isbn_checksums() {
        assert!(is_isbn("978-0-306-40615-7"));
        assert!(!is_isbn("978-0-306-40615-8"));
        assert!(is_isbn("0-306-40615-2"));
        assert!(!is_isbn("0-306-40615-3"));
        assert!(!is_isbn("abc"));
    }
}
