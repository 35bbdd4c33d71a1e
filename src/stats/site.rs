//! What the published site is made of, read from the built `dist/`: which request paths belong
//! to which report and what each one means (a download, a reader opening, a page group…).

use std::collections::{HashMap, HashSet};
use std::path::Path;

use crate::diag::Diag;

/// What one request of the site was.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hit {
    /// A catalog index page (`index.html`, `index-2.html`, the folder itself).
    Catalog,
    /// The catalog's full-text search index or a report's search data (loaded on a search).
    Search,
    /// A report's own file.
    Report(usize, Kind),
    /// `pages/G.js` of a report's reader: the drawing of page group G.
    Group(usize, u16),
    /// Any other file of the site (styles, scripts, covers, fonts, thumbnails).
    Asset,
}

/// What a request of a report's file counts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Pdf = 0,
    Epub = 1,
    Print = 2,
    Reader = 3,
    Text = 4,
    Speech = 5,
    Page = 6,
}

impl Kind {
    /// Downloads count complete (200) and partial (206) answers; openings also the browser's
    /// "still the same" (304): the file was opened again from the browser's cache.
    pub fn is_download(self) -> bool {
        matches!(self, Kind::Pdf | Kind::Epub | Kind::Print)
    }
}

#[derive(Debug, Clone)]
pub struct Report {
    pub slug: String,
    pub title: String,
    /// Page groups of the reader (0 when it has none), the group of the middle page and of the
    /// last page.
    pub groups: u16,
    pub middle: u16,
    pub end: u16,
}

#[derive(Debug)]
pub struct Site {
    /// `/` or `/path/` (leading and trailing slash).
    pub base: String,
    pub reports: Vec<Report>,
    by_slug: HashMap<String, usize>,
    /// Files and folders directly in dist/ (catalog.css, search.js…).
    root: HashSet<String>,
    /// The catalog's language (`ja`, `en`): the chapter is written in it.
    pub language: String,
}

/// `https://example.org/reports` → `/reports/`; `/hokoku` → `/hokoku/`; `` → `/`.
pub fn normalize_base(s: &str) -> String {
    let path = match s.find("://") {
        Some(i) => {
            let rest = &s[i + 3..];
            rest.find('/').map_or("/", |j| &rest[j..])
        }
        None => s,
    };
    let path = path.split(['?', '#']).next().unwrap_or("");
    let mut out = String::from("/");
    out.push_str(path.trim_matches('/'));
    if !out.ends_with('/') {
        out.push('/');
    }
    out
}

impl Site {
    /// Reads `dist/`: the reports are its folders with a `<slug>.pdf`, `<slug>.epub` or
    /// `reader/`; titles come from `catalog.json`, page groups from `reader/data.js`.
    pub fn load(dist: &Path, base: &str) -> Result<Site, Diag> {
        let rd = std::fs::read_dir(dist).map_err(|e| {
            Diag::error(crate::t!(
                "公開フォルダを読めません（{e}）。kanko build の出力先を --out で指定してください",
                "cannot read the built site ({e}): give kanko build's output folder with --out"
            ))
            .in_file(dist)
        })?;
        let mut root = HashSet::new();
        let mut slugs = Vec::new();
        for e in rd.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            let p = e.path();
            if p.is_dir()
                && name != "search"
                && (p.join(format!("{name}.pdf")).is_file()
                    || p.join(format!("{name}.epub")).is_file()
                    || p.join("reader").join("index.html").is_file())
            {
                slugs.push(name.clone());
            }
            root.insert(name);
        }
        slugs.sort();
        let catalog: serde_json::Value = std::fs::read(dist.join("catalog.json"))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        let titles: HashMap<&str, &str> = catalog["reports"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|r| Some((r["slug"].as_str()?, r["title"].as_str()?)))
                    .collect()
            })
            .unwrap_or_default();
        let language = catalog["language"].as_str().unwrap_or("ja").to_string();
        if slugs.is_empty() {
            return Err(Diag::error(crate::t!(
                "公開フォルダに報告書がありません。kanko build の出力先を --out で指定してください",
                "the built site holds no report: give kanko build's output folder with --out"
            ))
            .in_file(dist));
        }
        let reports: Vec<Report> = slugs
            .iter()
            .map(|slug| {
                let (groups, middle, end) = groups(&dist.join(slug).join("reader").join("data.js"));
                Report {
                    title: titles
                        .get(slug.as_str())
                        .unwrap_or(&slug.as_str())
                        .to_string(),
                    slug: slug.clone(),
                    groups,
                    middle,
                    end,
                }
            })
            .collect();
        let by_slug = slugs.iter().cloned().zip(0..).collect();
        Ok(Site {
            base: normalize_base(base),
            reports,
            by_slug,
            root,
            language,
        })
    }

    /// A site for tests: reports with (slug, page groups, middle group, end group).
    #[cfg(test)]
    pub fn fake(base: &str, reports: &[(&str, u16, u16, u16)]) -> Site {
        let reports: Vec<Report> = reports
            .iter()
            .map(|&(s, groups, middle, end)| Report {
                slug: s.into(),
                title: format!("title of {s}"),
                groups,
                middle,
                end,
            })
            .collect();
        Site {
            base: normalize_base(base),
            by_slug: reports.iter().map(|r| r.slug.clone()).zip(0..).collect(),
            reports,
            root: ["catalog.css", "catalog.js", "search.js", "search"]
                .iter()
                .map(|s| s.to_string())
                .collect(),
            language: "ja".into(),
        }
    }

    /// What a request path (query and fragment already removed, percent-decoded) is, or `None`
    /// when it is not a file of this site.
    pub fn classify(&self, path: &str) -> Option<Hit> {
        let rel = match path.strip_prefix(self.base.as_str()) {
            Some(r) => r,
            None if path.len() + 1 == self.base.len() && self.base.starts_with(path) => "",
            None => return None,
        };
        if rel.is_empty() || rel == "index.html" || is_index_page(rel) {
            return Some(Hit::Catalog);
        }
        let (first, rest) = match rel.split_once('/') {
            Some((a, b)) => (a, Some(b)),
            None => (rel, None),
        };
        let Some(&i) = self.by_slug.get(first) else {
            if first == "search" && rest.is_some() {
                return Some(Hit::Search);
            }
            return self.root.contains(first).then_some(Hit::Asset);
        };
        let Some(rest) = rest else {
            // `/hokoku/slug` without the slash: the server redirects to the folder
            return Some(Hit::Asset);
        };
        let slug = self.reports[i].slug.as_str();
        let kind = match rest {
            "" | "index.html" => Kind::Page,
            "reader" | "reader/" | "reader/index.html" => Kind::Reader,
            "reader/text.html" => Kind::Text,
            "reader/speech-data.js" => Kind::Speech,
            _ => {
                if let Some(f) = rest.strip_prefix(slug) {
                    match f {
                        ".pdf" => return Some(Hit::Report(i, Kind::Pdf)),
                        ".epub" => return Some(Hit::Report(i, Kind::Epub)),
                        "-print.pdf" => return Some(Hit::Report(i, Kind::Print)),
                        _ => {}
                    }
                }
                if let Some(g) = rest
                    .strip_prefix("reader/pages/")
                    .and_then(|g| g.strip_suffix(".js"))
                    .and_then(|g| g.parse::<u16>().ok())
                {
                    return Some(Hit::Group(i, g));
                }
                if rest.starts_with("search/") {
                    return Some(Hit::Search);
                }
                return Some(Hit::Asset);
            }
        };
        Some(Hit::Report(i, kind))
    }

    /// For a path outside the base: the prefix before a report's folder, when the path is a
    /// report's file under another base (`/old/slug/slug.pdf` → `/old/`), to suggest `--base-path`.
    pub fn other_base(&self, path: &str) -> Option<String> {
        let mut at = 0;
        for seg in path.split('/') {
            if let Some(&i) = self.by_slug.get(seg) {
                let after = &path[at + seg.len()..];
                let slug = &self.reports[i].slug;
                if after.starts_with("/reader/") || after.starts_with(&format!("/{slug}.")) {
                    return Some(normalize_base(&path[..at]));
                }
            }
            at += seg.len() + 1;
        }
        None
    }
}

/// `index-2.html` … (a paged catalog).
fn is_index_page(rel: &str) -> bool {
    rel.strip_prefix("index-")
        .and_then(|r| r.strip_suffix(".html"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// (page groups, group of the middle page, group of the last page) from `reader/data.js`
/// (`window.KANKO_BOOK = {…};`, each page's `draw` names its group's `pages/G.js`).
fn groups(data_js: &Path) -> (u16, u16, u16) {
    let Ok(src) = std::fs::read_to_string(data_js) else {
        return (0, 0, 0);
    };
    let json = src
        .find('{')
        .zip(src.rfind('}'))
        .and_then(|(a, b)| serde_json::from_str::<serde_json::Value>(&src[a..=b]).ok());
    let Some(book) = json else { return (0, 0, 0) };
    let pages: Vec<u16> = book["pages"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|p| {
                    p["draw"]
                        .as_str()
                        .and_then(|d| d.strip_prefix("pages/")?.strip_suffix(".js")?.parse().ok())
                        .unwrap_or(0)
                })
                .collect()
        })
        .unwrap_or_default();
    if pages.is_empty() {
        return (0, 0, 0);
    }
    let n = pages.len();
    let groups = pages.iter().max().map_or(0, |g| g + 1);
    // The middle page: page ⌈n/2⌉ (page 8 of 15, page 7 of 14).
    (groups, pages[n.div_ceil(2) - 1], pages[n - 1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bases() {
        assert_eq!(normalize_base("https://example.org/reports"), "/reports/");
        assert_eq!(normalize_base("https://example.org"), "/");
        assert_eq!(normalize_base("/hokoku"), "/hokoku/");
        assert_eq!(normalize_base("hokoku/"), "/hokoku/");
        assert_eq!(normalize_base(""), "/");
        assert_eq!(normalize_base("/a/b/?x"), "/a/b/");
    }

    #[test]
    fn paths_under_the_base() {
        let s = Site::fake("/hokoku/", &[("r1", 5, 3, 4), ("r1-en", 2, 1, 1)]);
        use Hit::*;
        assert_eq!(s.classify("/hokoku/"), Some(Catalog));
        assert_eq!(s.classify("/hokoku"), Some(Catalog));
        assert_eq!(s.classify("/hokoku/index-3.html"), Some(Catalog));
        assert_eq!(s.classify("/hokoku/index-x.html"), None);
        assert_eq!(s.classify("/hokoku/search/i3.js"), Some(Search));
        assert_eq!(s.classify("/hokoku/r1/search/4.js"), Some(Search));
        assert_eq!(s.classify("/hokoku/r1/r1.pdf"), Some(Report(0, Kind::Pdf)));
        assert_eq!(
            s.classify("/hokoku/r1/r1.epub"),
            Some(Report(0, Kind::Epub))
        );
        assert_eq!(
            s.classify("/hokoku/r1/r1-print.pdf"),
            Some(Report(0, Kind::Print))
        );
        assert_eq!(
            s.classify("/hokoku/r1-en/r1-en.pdf"),
            Some(Report(1, Kind::Pdf))
        );
        // another report's file name in this report's folder is no download of either
        assert_eq!(s.classify("/hokoku/r1/r1-en.pdf"), Some(Asset));
        assert_eq!(s.classify("/hokoku/r1/"), Some(Report(0, Kind::Page)));
        assert_eq!(
            s.classify("/hokoku/r1/reader/"),
            Some(Report(0, Kind::Reader))
        );
        assert_eq!(
            s.classify("/hokoku/r1/reader/index.html"),
            Some(Report(0, Kind::Reader))
        );
        assert_eq!(
            s.classify("/hokoku/r1/reader/text.html"),
            Some(Report(0, Kind::Text))
        );
        assert_eq!(
            s.classify("/hokoku/r1/reader/speech-data.js"),
            Some(Report(0, Kind::Speech))
        );
        assert_eq!(
            s.classify("/hokoku/r1/reader/pages/3.js"),
            Some(Group(0, 3))
        );
        assert_eq!(s.classify("/hokoku/r1/reader/text/3.js"), Some(Asset));
        assert_eq!(s.classify("/hokoku/r1/cover.webp"), Some(Asset));
        assert_eq!(s.classify("/hokoku/catalog.css"), Some(Asset));
        // not this site: outside the base, or no such report or file
        assert_eq!(s.classify("/r1/r1.pdf"), None);
        assert_eq!(s.classify("/hokokux/r1/r1.pdf"), None);
        assert_eq!(s.classify("/hokoku/gone/gone.pdf"), None);
        assert_eq!(
            s.other_base("/old/site/r1/r1.pdf").as_deref(),
            Some("/old/site/")
        );
        assert_eq!(s.other_base("/r1/reader/index.html").as_deref(), Some("/"));
        assert_eq!(s.other_base("/blog/r1"), None);
    }

    #[test]
    fn page_groups_from_the_reader_data() {
        let dir = tempfile::tempdir().unwrap();
        let pages: Vec<String> = [0, 1, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4]
            .iter()
            .map(|g| format!("{{\"draw\": \"pages/{g}.js\"}}"))
            .collect();
        let p = dir.path().join("data.js");
        std::fs::write(
            &p,
            format!(
                "window.KANKO_BOOK = {{\"pages\": [{}]}};\n",
                pages.join(",")
            ),
        )
        .unwrap();
        // 15 pages: page 8 is in group 3 (pages 5–8), page 15 in group 4
        assert_eq!(groups(&p), (5, 3, 4));
        assert_eq!(groups(&dir.path().join("missing.js")), (0, 0, 0));
    }
}
