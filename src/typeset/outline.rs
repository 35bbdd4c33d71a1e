//! The report's outline: headings of levels 1–2 with the page each starts on, as the reader's
//! contents and the catalog entry's table of contents show it.

use serde_json::json;

use crate::doc::Block;
use crate::manuscript::Report;

use super::Typeset;

/// Headings of levels 1–2 with the page each starts on.
pub fn outline(r: &Report, t: &Typeset) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut n = 0;
    for ch in &r.chapters {
        for b in &ch.blocks {
            n += 1;
            if let Block::Heading { level, body, .. } = b {
                let page = t
                    .block_pages
                    .get(&crate::typeset::data::block_id(n))
                    .copied();
                if let (true, Some(page)) = (*level <= 2, page) {
                    out.push(json!({"title": crate::doc::plain_text(body), "page": page, "level": level}));
                }
            }
        }
    }
    out
}
