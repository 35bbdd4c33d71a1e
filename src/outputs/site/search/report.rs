//! Full-text search, the per-report half: the text of every PDF page (the reader's text layer,
//! same page numbers), the report's ruby readings, image alt text and (on page 1) its metadata.
//!
//! A report's folder keeps this as `.kanko-search.json` (read again by the catalog and by
//! `kanko merge`) and as one small `search/<page>.js` per page that the catalog's search loads
//! for the pages it shows (JS, not JSON: `fetch` is blocked on `file://`).

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::super::entry::{Entry, year_text};
use crate::diag::{Diag, Io};
use crate::doc::{Block, Inline};
use crate::manuscript::Report;
use crate::output;
use crate::typeset::Typeset;

pub const DATA_FILE: &str = ".kanko-search.json";

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct PageText {
    /// What the page shows, line by line (the text layer without ruby readings).
    pub text: String,
    /// Text a reader finds but the page does not print: alt text, and metadata on page 1.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub extra: String,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct ReportText {
    pub pages: Vec<PageText>,
    /// (base, reading) of every ruby in the report, once each, in order of first use.
    pub ruby: Vec<(String, String)>,
}

impl ReportText {
    /// The page's searchable text and, when a ruby base occurs on it, the same text with the
    /// bases read aloud (so 「いばしょ」 finds 居場所).
    pub fn variants(&self, i: usize) -> Vec<String> {
        let Some(p) = self.pages.get(i) else {
            return Vec::new();
        };
        let text = p.full();
        let mut out = vec![text.clone()];
        let ruby = self.ruby_on(&text);
        if !ruby.is_empty() {
            out.push(read_aloud(&out[0], &ruby));
        }
        out
    }

    /// Rubies whose base occurs in `text`, longest base first.
    fn ruby_on(&self, text: &str) -> Vec<&(String, String)> {
        let mut v: Vec<&(String, String)> = self
            .ruby
            .iter()
            .filter(|(b, _)| !b.is_empty() && text.contains(b.as_str()))
            .collect();
        v.sort_by_key(|(b, _)| std::cmp::Reverse(b.chars().count()));
        v
    }
}

/// `text` with each ruby base replaced by its reading, left to right, the longest base first
/// at each place (search.js does the same to mark hits found through a reading).
fn read_aloud(text: &str, ruby: &[&(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match ruby.iter().find(|(b, _)| rest.starts_with(b.as_str())) {
            Some((b, reading)) => {
                out.push_str(reading);
                rest = &rest[b.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

impl PageText {
    fn full(&self) -> String {
        if self.extra.is_empty() {
            self.text.clone()
        } else {
            format!("{}\n{}", self.text, self.extra)
        }
    }
}

/// The search text of a typeset report.
pub fn collect(r: &Report, t: &Typeset) -> ReportText {
    let mut pages: Vec<PageText> = t
        .doc
        .pages()
        .iter()
        .map(|p| PageText {
            text: crate::typeset::frames::search_text(&crate::typeset::frames::text_lines(
                &p.frame,
            )),
            extra: String::new(),
        })
        .collect();
    let mut ruby: Vec<(String, String)> = Vec::new();
    let mut n = 0;
    for ch in &r.chapters {
        for b in &ch.blocks {
            n += 1;
            let page = t
                .block_pages
                .get(&crate::typeset::data::block_id(n))
                .copied()
                .unwrap_or(1);
            let mut alts = Vec::new();
            block_extras(b, &mut ruby, &mut alts);
            if let Some(p) = pages.get_mut(page.saturating_sub(1)) {
                for a in alts.into_iter().filter(|a| !a.trim().is_empty()) {
                    if !p.extra.is_empty() {
                        p.extra.push('\n');
                    }
                    p.extra.push_str(&a);
                }
            }
        }
        for note in &ch.notes {
            for b in &note.body {
                block_extras(b, &mut ruby, &mut Vec::new());
            }
        }
    }
    if let Some(first) = pages.first_mut() {
        let m = &r.meta;
        let mut meta = vec![m.title.clone()];
        meta.extend(m.subtitle.clone());
        meta.push(m.project.clone());
        meta.push(m.publisher.clone());
        meta.extend(m.authors.iter().cloned());
        meta.extend(m.description.clone());
        meta.extend(
            m.funders
                .iter()
                .flat_map(|f| [f.name.clone(), f.program.clone()]),
        );
        let meta = meta.join("\n");
        first.extra = if first.extra.is_empty() {
            meta
        } else {
            format!("{}\n{meta}", first.extra)
        };
    }
    ReportText { pages, ruby }
}

fn block_extras(b: &Block, ruby: &mut Vec<(String, String)>, alts: &mut Vec<String>) {
    let mut inl = |body: &[Inline], alts: &mut Vec<String>| inline_extras(body, ruby, alts);
    match b {
        Block::Heading { body, .. } | Block::Para { body, .. } => inl(body, alts),
        Block::Figure { alt, caption, .. } => {
            alts.push(alt.clone());
            inl(caption, alts);
        }
        Block::Table { head, rows, .. } => {
            for cell in head.iter().chain(rows.iter().flatten()) {
                inl(cell, alts);
            }
        }
        Block::List { items, .. } => {
            for it in items {
                for b in &it.body {
                    block_extras(b, ruby, alts);
                }
            }
        }
        Block::Quote { body, .. } => {
            for b in body {
                block_extras(b, ruby, alts);
            }
        }
        // The chart's words as a reader who cannot see it gets them: caption and alt text.
        Block::Chart { chart, .. } => {
            alts.push(chart.caption());
            alts.push(chart.alt.clone());
        }
        Block::Code { .. } | Block::Html { .. } | Block::Rule { .. } => {}
    }
}

fn inline_extras(body: &[Inline], ruby: &mut Vec<(String, String)>, alts: &mut Vec<String>) {
    for i in body {
        match i {
            Inline::Ruby { base, rt } => {
                let pair = (base.clone(), rt.clone());
                if !ruby.contains(&pair) {
                    ruby.push(pair);
                }
            }
            Inline::Image { alt, .. } => alts.push(alt.clone()),
            Inline::Strong { body }
            | Inline::Emph { body }
            | Inline::Strike { body }
            | Inline::Sup { body }
            | Inline::Sub { body }
            | Inline::Link { body, .. } => inline_extras(body, ruby, alts),
            Inline::Text { .. } | Inline::Code { .. } | Inline::Note { .. } | Inline::Br => {}
        }
    }
}

/// Writes the data file and one `search/<n>.js` per page into the report's staging folder.
pub fn write(rt: &ReportText, e: &Entry, stage: &Path) -> Result<(), Diag> {
    let put = |rel: &str, bytes: &[u8]| {
        output::put(stage, rel, bytes).map_err(|err| Diag::io(Io::Write, stage, err))
    };
    for (i, p) in rt.pages.iter().enumerate() {
        let text = p.full();
        let ruby: Vec<&(String, String)> = rt.ruby_on(&text);
        let frag = json!({
            "s": e.slug,
            "p": i + 1,
            "t": e.title,
            "y": year_text(e),
            "l": e.language,
            "x": text,
            "r": ruby,
            "reader": e.files.reader,
            "pdf": e.files.pdf.as_ref().map(|f| &f.name),
        });
        // `<` is escaped so no text can end the script early when inlined anywhere.
        let js = serde_json::to_string(&frag)
            .unwrap_or_default()
            .replace('<', "\\u003c");
        put(
            &format!("search/{}.js", i + 1),
            format!("KANKO_FRAG({js});\n").as_bytes(),
        )?;
    }
    let data = serde_json::to_vec(rt).unwrap_or_default();
    put(DATA_FILE, &data)
}

/// The search text a build left in `out/<slug>/`.
pub fn read(out: &Path, slug: &str) -> Option<ReportText> {
    let bytes = std::fs::read(out.join(slug).join(DATA_FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_also_indexed_read_aloud() {
        let rt = ReportText {
            pages: vec![PageText {
                text: "子どもの居場所と場所".into(),
                extra: String::new(),
            }],
            ruby: vec![
                ("場所".into(), "ばしょ".into()),
                ("居場所".into(), "いばしょ".into()),
                ("未使用".into(), "みしよう".into()),
            ],
        };
        assert_eq!(
            rt.variants(0),
            ["子どもの居場所と場所", "子どものいばしょとばしょ"]
        );
        assert!(rt.variants(1).is_empty());
    }
}
