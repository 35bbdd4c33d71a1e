//! The document tree: kanko's own types between the manuscript and every output format.
//!
//! Nothing here holds markup. Text is text; every exporter decides how to escape it.

use serde::Serialize;

/// Where a block came from, for messages (`file:line:col`).
pub use crate::diag::Pos;

#[derive(Debug, Clone, Serialize, PartialEq)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Block {
    Heading {
        /// Structural level, consecutive from 1 (outline, PDF tags, `<hN>`): see
        /// `manuscript::levels`. Equal to `typed` unless the editor skipped a level.
        level: u8,
        /// The level as typed (`####` = 4): the heading's look, and what `kanko check` reports.
        #[serde(skip)]
        typed: u8,
        id: String,
        body: Vec<Inline>,
        #[serde(skip)]
        pos: Pos,
    },
    Para {
        body: Vec<Inline>,
        #[serde(skip)]
        pos: Pos,
    },
    Figure {
        src: String,
        alt: String,
        caption: Vec<Inline>,
        /// The caption was written apart from the alt text (`![alt](src "caption")`).
        #[serde(skip)]
        titled: bool,
        width: f64,
        #[serde(skip)]
        pos: Pos,
    },
    Table {
        align: Vec<Align>,
        head: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        #[serde(skip)]
        pos: Pos,
    },
    List {
        ordered: bool,
        start: usize,
        tight: bool,
        items: Vec<ListItem>,
        #[serde(skip)]
        pos: Pos,
    },
    Quote {
        body: Vec<Block>,
        #[serde(skip)]
        pos: Pos,
    },
    Code {
        lang: Option<String>,
        text: String,
        #[serde(skip)]
        pos: Pos,
    },
    /// Raw HTML from the manuscript, kept as literal text and never interpreted.
    Html {
        text: String,
        #[serde(skip)]
        pos: Pos,
    },
    Rule {
        #[serde(skip)]
        pos: Pos,
    },
    /// A ```` ```chart ```` block, its data read and checked (see `crate::chart`).
    Chart {
        chart: Box<crate::chart::Chart>,
        #[serde(skip)]
        pos: Pos,
    },
}

#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Align {
    Auto,
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ListItem {
    pub task: Option<bool>,
    pub body: Vec<Block>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Inline {
    /// Serialised as a bare JSON string (see `typeset::data`).
    Text {
        v: String,
    },
    Strong {
        body: Vec<Inline>,
    },
    Emph {
        body: Vec<Inline>,
    },
    Strike {
        body: Vec<Inline>,
    },
    /// `<sup>` / `<sub>` read from HTML in the manuscript (m², CO₂).
    Sup {
        body: Vec<Inline>,
    },
    Sub {
        body: Vec<Inline>,
    },
    Code {
        v: String,
    },
    /// `url` is absolute (http, https, mailto, tel) or `#heading-id`; empty = text only.
    Link {
        url: String,
        body: Vec<Inline>,
    },
    Ruby {
        base: String,
        rt: String,
    },
    /// A footnote reference; `n` is its number within the chapter (1-based).
    Note {
        id: String,
        n: usize,
    },
    Br,
    Image {
        src: String,
        alt: String,
    },
}

impl Inline {
    pub fn text(s: impl Into<String>) -> Self {
        Inline::Text { v: s.into() }
    }
}

/// A footnote's text, numbered in order of first reference.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    pub id: String,
    pub n: usize,
    pub body: Vec<Block>,
}

#[derive(Debug, Clone)]
pub struct Chapter {
    /// `ch1`, `ch2`, … : stable ids used by every format.
    pub id: String,
    /// Path relative to the report folder, e.g. `02-chousa.md`.
    pub file: String,
    pub title: String,
    pub blocks: Vec<Block>,
    pub notes: Vec<Footnote>,
}

/// Plain text of inlines (ruby bases only, for titles, search and alt text).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_plain(inlines, &mut out);
    out
}

fn push_plain(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { v } | Inline::Code { v } => out.push_str(v),
            Inline::Strong { body }
            | Inline::Emph { body }
            | Inline::Strike { body }
            | Inline::Sup { body }
            | Inline::Sub { body }
            | Inline::Link { body, .. } => push_plain(body, out),
            Inline::Ruby { base, .. } => out.push_str(base),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Br => out.push(' '),
            Inline::Note { .. } => {}
        }
    }
}

/// Visits every block and inline, depth first, mutably.
pub fn walk_blocks_mut(
    blocks: &mut [Block],
    on_block: &mut dyn FnMut(&mut Block),
    on_inline: &mut dyn FnMut(&mut Inline),
) {
    for b in blocks {
        on_block(b);
        match b {
            Block::Heading { body, .. } | Block::Para { body, .. } => {
                walk_inlines_mut(body, on_inline)
            }
            Block::Figure { caption, .. } => walk_inlines_mut(caption, on_inline),
            Block::Table { head, rows, .. } => {
                for cell in head.iter_mut().chain(rows.iter_mut().flatten()) {
                    walk_inlines_mut(cell, on_inline);
                }
            }
            Block::List { items, .. } => {
                for it in items {
                    walk_blocks_mut(&mut it.body, on_block, on_inline);
                }
            }
            Block::Quote { body, .. } => walk_blocks_mut(body, on_block, on_inline),
            Block::Code { .. } | Block::Html { .. } | Block::Rule { .. } | Block::Chart { .. } => {}
        }
    }
}

pub fn walk_inlines_mut(inlines: &mut [Inline], f: &mut dyn FnMut(&mut Inline)) {
    for i in inlines {
        f(i);
        match i {
            Inline::Strong { body }
            | Inline::Emph { body }
            | Inline::Strike { body }
            | Inline::Sup { body }
            | Inline::Sub { body }
            | Inline::Link { body, .. } => walk_inlines_mut(body, f),
            _ => {}
        }
    }
}

/// Appends every character a reader can see (text, code, ruby readings, alt text) to `out`.
pub fn collect_text(blocks: &[Block], out: &mut String) {
    for b in blocks {
        match b {
            Block::Heading { body, .. } | Block::Para { body, .. } => {
                collect_inline_text(body, out)
            }
            Block::Figure { alt, caption, .. } => {
                out.push_str(alt);
                collect_inline_text(caption, out);
            }
            Block::Table { head, rows, .. } => {
                for cell in head.iter().chain(rows.iter().flatten()) {
                    collect_inline_text(cell, out);
                }
            }
            Block::List { items, .. } => items.iter().for_each(|i| collect_text(&i.body, out)),
            Block::Quote { body, .. } => collect_text(body, out),
            Block::Code { text, .. } | Block::Html { text, .. } => out.push_str(text),
            Block::Rule { .. } => {}
            Block::Chart { chart, .. } => out.push_str(&chart.text()),
        }
        out.push('\n');
    }
}

fn collect_inline_text(inlines: &[Inline], out: &mut String) {
    for i in inlines {
        match i {
            Inline::Text { v } | Inline::Code { v } => out.push_str(v),
            Inline::Ruby { base, rt } => {
                out.push_str(base);
                out.push_str(rt);
            }
            Inline::Strong { body }
            | Inline::Emph { body }
            | Inline::Strike { body }
            | Inline::Sup { body }
            | Inline::Sub { body }
            | Inline::Link { body, .. } => collect_inline_text(body, out),
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::Note { .. } | Inline::Br => {}
        }
    }
}
