//! The catalog entry: one report as the catalog, the feeds and catalog.json describe it.

use serde::{Deserialize, Serialize};

use crate::manuscript::Report;
use crate::manuscript::meta::Site;
use crate::typeset::Typeset;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRef {
    pub name: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Files {
    pub pdf: Option<FileRef>,
    pub epub: Option<FileRef>,
    pub reader: Option<String>,
    pub cover: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FunderEntry {
    pub name: String,
    pub program: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TocEntry {
    pub title: String,
    pub page: usize,
    pub level: u8,
}

/// One report as the catalog, the feeds and catalog.json describe it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub project: String,
    pub fiscal_year: i32,
    pub fiscal_year_label: String,
    pub fiscal_year_western: String,
    pub publisher: String,
    pub published: String,
    pub published_label: String,
    pub language: String,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub funders: Vec<FunderEntry>,
    pub credit: String,
    pub license: Option<String>,
    pub isbn: Option<String>,
    pub identifier: String,
    pub pages: usize,
    pub pdf_ua: bool,
    pub files: Files,
    pub toc: Vec<TocEntry>,
}

pub fn entry(r: &Report, t: &Typeset) -> Entry {
    let m = &r.meta;
    let toc = crate::typeset::outline::outline(r, t)
        .into_iter()
        .filter_map(|v| {
            Some(TocEntry {
                title: v.get("title")?.as_str()?.to_string(),
                page: v.get("page")?.as_u64()? as usize,
                level: v.get("level")?.as_u64()? as u8,
            })
        })
        .collect();
    Entry {
        slug: r.slug.clone(),
        title: m.title.clone(),
        subtitle: m.subtitle.clone(),
        project: m.project.clone(),
        fiscal_year: m.fiscal_year,
        fiscal_year_label: m.labels.year.clone(),
        fiscal_year_western: m.labels.year_western.clone(),
        publisher: m.publisher.clone(),
        published: m.published.iso(),
        published_label: m.labels.published.clone(),
        language: m.language.clone(),
        description: m.description.clone(),
        authors: m.authors.clone(),
        funders: m
            .funders
            .iter()
            .map(|f| FunderEntry {
                name: f.name.clone(),
                program: f.program.clone(),
            })
            .collect(),
        credit: m.labels.credit.clone(),
        license: m.license.clone(),
        isbn: m.isbn.clone(),
        identifier: crate::outputs::colophon::identifier(r),
        pages: t.doc.pages().len(),
        pdf_ua: false,
        files: Files::default(),
        toc,
    }
}

/// What the site-wide files need besides the entries: `kanko.toml` and the base URL.
#[derive(Debug, Clone, Default)]
pub struct SiteInfo {
    pub site: Site,
    pub base_url: Option<String>,
}

pub fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} KB", bytes.div_ceil(1000).max(1))
    }
}

pub fn year_text(e: &Entry) -> String {
    if e.language.starts_with("ja") || e.fiscal_year_label.contains('年') {
        format!("{}（{}）", e.fiscal_year_label, e.fiscal_year_western)
    } else {
        format!("{} ({})", e.fiscal_year_label, e.fiscal_year_western)
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
