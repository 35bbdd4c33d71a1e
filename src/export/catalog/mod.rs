//! The catalog: `dist/index.html` listing every report, each report's own page, `catalog.json`,
//! an Atom feed, an OPDS 1.2 acquisition feed and (with a base URL) a sitemap.
//!
//! HTML comes from maud templates, which escape every interpolated string; the feeds are
//! written with quick-xml's writer. All links are relative.

mod entry;
mod feeds;
mod index;
mod ld;
mod report_page;
pub mod search_index;
mod sitemap;

use std::path::Path;

use maud::{Markup, html};

use crate::diag::Diag;
use crate::manuscript::meta::Site;
use crate::output;

pub use entry::{Entry, FileRef, entry};
pub use report_page::write_report_page;

pub const ASSETS: &[(&str, &str)] = &[
    ("catalog.css", include_str!("../web/catalog.css")),
    ("catalog.js", include_str!("../web/catalog.js")),
    ("search.js", include_str!("../web/search.js")),
];

/// What the site-wide files need besides the entries: `kanko.toml` and the base URL.
#[derive(Debug, Clone, Default)]
pub struct SiteInfo {
    pub site: Site,
    pub base_url: Option<String>,
}

/// UI words of the catalog in the site's language.
pub(crate) struct Words {
    pub(crate) ja: bool,
}

impl Words {
    pub(crate) fn w(&self, ja: &'static str, en: &'static str) -> &'static str {
        if self.ja { ja } else { en }
    }
}

pub fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} KB", bytes.div_ceil(1000).max(1))
    }
}

pub(crate) fn year_text(e: &Entry) -> String {
    if e.language.starts_with("ja") || e.fiscal_year_label.contains('年') {
        format!("{}（{}）", e.fiscal_year_label, e.fiscal_year_western)
    } else {
        format!("{} ({})", e.fiscal_year_label, e.fiscal_year_western)
    }
}

/// `base` leads from the page to the report's folder: `<slug>/` on the index, `` on its own page.
pub(crate) fn download_links(e: &Entry, base: &str, words: &Words) -> Markup {
    html! {
        @if let Some(r) = &e.files.reader {
            a.btn.primary href={ (base) (r) } { (words.w("読む", "Read")) }
        }
        @if let Some(p) = &e.files.pdf {
            a.btn href={ (base) (p.name) } download {
                "PDF" (words.w("（", " (")) (human_size(p.size)) (words.w("）", ")"))
            }
        }
        @if let Some(p) = &e.files.epub {
            a.btn href={ (base) (p.name) } download {
                "EPUB" (words.w("（", " (")) (human_size(p.size)) (words.w("）", ")"))
            }
        }
    }
}

pub(crate) fn meta_list(e: &Entry, words: &Words) -> Markup {
    html! {
        dl.meta {
            dt { (words.w("事業名", "Project")) } dd { (e.project) }
            dt { (words.w("発行", "Publisher")) } dd { (e.publisher) }
            dt { (words.w("発行日", "Published")) } dd { time datetime=(e.published) { (e.published_label) } }
            dt { (words.w("ページ数", "Pages")) } dd { (e.pages) (words.w("ページ", " pages")) }
        }
    }
}

/// Newest first: fiscal year, then publication date, then slug for a stable order.
pub fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        b.fiscal_year
            .cmp(&a.fiscal_year)
            .then(b.published.cmp(&a.published))
            .then(a.slug.cmp(&b.slug))
    });
}

/// Writes the site-wide files from the catalog entries of every listed report.
pub fn write_site(ctx: &SiteInfo, out: &Path, mut entries: Vec<Entry>) -> Result<(), Diag> {
    sort_entries(&mut entries);
    let write = |name: &str, bytes: &[u8]| {
        output::write_atomic(&out.join(name), bytes)
            .map_err(|e| crate::export::io_err(&out.join(name), e))
    };
    for (name, text) in ASSETS {
        write(name, text.as_bytes())?;
    }
    write(
        "catalog.json",
        feeds::catalog_json(ctx, &entries).as_bytes(),
    )?;
    write("feed.xml", &feeds::atom(ctx, &entries, false))?;
    write("opds.xml", &feeds::atom(ctx, &entries, true))?;
    match &ctx.base_url {
        Some(b) => write("sitemap.xml", &sitemap::sitemap(b, &entries))?,
        None => {
            let _ = std::fs::remove_file(out.join("sitemap.xml"));
        }
    }
    let search = search_index::write(out, &entries)?;
    write(
        "index.html",
        index::index_page(ctx, &entries, search).as_bytes(),
    )
}
