//! `catalog-data-<year>.js`: every report of a paged catalog in a compact form, one file per
//! fiscal year, for the filters on `index.html`, `index-2.html`, … (catalog.js, catalog-paged.js).
//! Written only when the index is paged; loaded by the page only when the reader first uses a
//! filter, so the first view does not carry it. Split by 年度 because a year is the filter most
//! used (and linked: `?year=2023`): it then loads that year's file only; the other filters load
//! every year's file.
//!
//! A script, not JSON, so it loads from `file://` too: `KANKO_CATALOG({...});`. The object:
//!
//! - `v`: 1, the format's version; `y`: the fiscal year of every report in the file.
//! - `years`: `[[fiscal_year, "令和5年度（2023年度）"], …]`, `funders`, `projects`, `publishers`,
//!   `dates` (publication date labels), `credits`, `langs`, `files` (cover and reader paths):
//!   tables of the strings many reports share, each string once, in order of first use.
//! - `r`: one array per report, newest first (the order of the index pages; the years' files
//!   newest year first give the whole list in that order):
//!   `[slug, title, subtitle, description, year, [funder, …], project, publisher, published,
//!   date, pages, lang, credit, cover, reader, pdf, epub]` where `year` … `reader` other than
//!   `slug` … `description`, `published` (ISO date) and `pages` are indices into the tables above,
//!   `cover`/`reader` are -1 when absent, and `pdf`/`epub` are 0 (none), the size in bytes (the
//!   file is `<slug>.pdf` / `<slug>.epub`) or `[size, "name"]`. Absent subtitle or description: "".
//!
//! Same entries → same bytes (tables in order of first use over the sorted entries).
//! The index pages name the files as `data-src="catalog-data-{y}.js"` on the filter form.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::outputs::site::entry::{Entry, FileRef, year_text};

/// The files' names, next to `index.html`: `{y}` is the fiscal year.
pub const FILES: &str = "catalog-data-{y}.js";
/// The global function the file calls.
pub const CALLBACK: &str = "KANKO_CATALOG";

/// Strings in order of first use, each once.
#[derive(Default)]
struct Table {
    items: Vec<Value>,
    index: HashMap<String, usize>,
}

impl Table {
    fn id(&mut self, key: String, value: impl FnOnce() -> Value) -> usize {
        if let Some(&i) = self.index.get(&key) {
            return i;
        }
        self.items.push(value());
        self.index.insert(key, self.items.len() - 1);
        self.items.len() - 1
    }
    fn str(&mut self, s: &str) -> usize {
        self.id(s.to_string(), || Value::from(s))
    }
}

fn file(f: &Option<FileRef>, default: String) -> Value {
    match f {
        None => json!(0),
        Some(f) if f.name == default => json!(f.size),
        Some(f) => json!([f.size, f.name]),
    }
}

/// `(file name, text)` of each fiscal year's file, for `entries` in index order (newest first).
pub fn files(entries: &[Entry]) -> Vec<(String, String)> {
    entries
        .chunk_by(|a, b| a.fiscal_year == b.fiscal_year)
        .map(|year| {
            let y = year[0].fiscal_year;
            (FILES.replace("{y}", &y.to_string()), script(y, year))
        })
        .collect()
}

/// One file's text: `entries` all of fiscal year `y`, in index order.
fn script(y: i32, entries: &[Entry]) -> String {
    let [
        mut years,
        mut funders,
        mut projects,
        mut publishers,
        mut dates,
        mut credits,
        mut langs,
        mut files,
    ] = std::array::from_fn::<Table, 8, _>(|_| Table::default());
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            let yt = year_text(e);
            let year = years.id(format!("{}\n{yt}", e.fiscal_year), || {
                json!([e.fiscal_year, yt])
            });
            let fs: Vec<usize> = e.funders.iter().map(|f| funders.str(&f.name)).collect();
            let mut opt = |s: &Option<String>| s.as_deref().map_or(-1, |s| files.str(s) as i64);
            let cover = opt(&e.files.cover);
            let reader = opt(&e.files.reader);
            json!([
                e.slug,
                e.title,
                e.subtitle.as_deref().unwrap_or(""),
                e.description.as_deref().unwrap_or(""),
                year,
                fs,
                projects.str(&e.project),
                publishers.str(&e.publisher),
                e.published,
                dates.str(&e.published_label),
                e.pages,
                langs.str(&e.language),
                credits.str(&e.credit),
                cover,
                reader,
                file(&e.files.pdf, format!("{}.pdf", e.slug)),
                file(&e.files.epub, format!("{}.epub", e.slug)),
            ])
        })
        .collect();
    let data = json!({
        "v": 1,
        "y": y,
        "years": years.items,
        "funders": funders.items,
        "projects": projects.items,
        "publishers": publishers.items,
        "dates": dates.items,
        "credits": credits.items,
        "langs": langs.items,
        "files": files.items,
        "r": rows,
    });
    // serde_json escapes what JSON must; U+2028/9 are valid in JS string literals since ES2019.
    format!("{CALLBACK}({data});\n")
}

#[cfg(test)]
pub(super) mod tests {
    use super::super::tests::generated;
    use super::*;

    /// The object inside `KANKO_CATALOG(…);`.
    pub(crate) fn decode(js: &str) -> Value {
        let inner = js
            .strip_prefix("KANKO_CATALOG(")
            .and_then(|s| s.strip_suffix(");\n"))
            .expect("KANKO_CATALOG(…);");
        serde_json::from_str(inner).expect("JSON inside")
    }

    #[test]
    fn odd_file_names_and_missing_files_are_kept() {
        let mut a = generated(1);
        a.files.pdf = Some(FileRef {
            name: "other.pdf".into(),
            size: 5,
        });
        a.files.epub = None;
        a.files.cover = None;
        a.subtitle = None;
        a.title = "<img src=x onerror=alert(1)> \u{2028}\"quoted\"".into();
        let v = decode(&script(a.fiscal_year, &[a.clone()]));
        let r = &v["r"][0];
        assert_eq!(r[1], a.title.as_str());
        assert_eq!(r[2], "");
        assert_eq!(r[13], -1);
        assert_eq!(r[15], json!([5, "other.pdf"]));
        assert_eq!(r[16], 0);
    }
}
