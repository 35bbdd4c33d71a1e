//! The EPUB's share of the fonts `kanko.toml` adds (`[[fonts]]`): each added font the PDF drew
//! with is cut down to the characters it drew and carried in the EPUB (`fonts/added-N.otf|ttf`),
//! first in the style sheet's font lists. The cut has only those characters, so every other
//! character still falls through to the reading system's own fonts, as before; a reading
//! system without the characters (读, 页, 时 … on a Japanese e-reader) shows them in the added
//! font instead of as boxes. The shipped fonts are not carried: Japanese reading systems have
//! Japanese fonts, and the EPUB stays small.

use std::collections::{BTreeMap, BTreeSet};

use typst::layout::{FrameItem, Transform};
use typst::text::Font;
use typst_layout::PagedDocument;

use crate::typeset::fonts::FONT_FILES;

pub struct Added {
    pub href: String,
    pub mime: &'static str,
    pub data: Vec<u8>,
    pub family: String,
}

fn shipped(font: &Font) -> bool {
    let data = font.data().as_slice();
    font.info().family == "Kanko Missing Glyph"
        || FONT_FILES.iter().any(|(_, d)| {
            d.len() == data.len() && d[..d.len().min(256)] == data[..d.len().min(256)]
        })
}

/// The added fonts the document draws with, each cut to the characters drawn with it.
pub fn collect(doc: &PagedDocument) -> Vec<Added> {
    // Keyed by the font's place in the order of first use, so the files are numbered the same
    // way on every build.
    let mut order: Vec<Font> = Vec::new();
    let mut used: BTreeMap<usize, BTreeSet<(char, u16)>> = BTreeMap::new();
    for page in doc.pages() {
        crate::typeset::frames::each_item(&page.frame, Transform::identity(), &mut |_, item, _| {
            let FrameItem::Text(t) = item else { return };
            if shipped(t.font.font()) {
                return;
            }
            let k = order
                .iter()
                .position(|f| f == t.font.font())
                .unwrap_or_else(|| {
                    order.push(t.font.font().clone());
                    order.len() - 1
                });
            let set = used.entry(k).or_default();
            for g in &t.glyphs {
                let cluster = t.text.get(g.range()).unwrap_or("");
                let mut chars = cluster.chars();
                // A glyph for exactly one character: the cut's cmap maps it.
                if let (Some(c), None) = (chars.next(), chars.next()) {
                    set.insert((c, g.id));
                }
            }
        });
    }
    let mut out = Vec::new();
    for (k, glyphs) in used {
        let font = &order[k];
        let glyphs: Vec<(char, u16)> = glyphs.into_iter().collect();
        let Ok(data) = crate::sfnt::cut(font.data(), font.index(), &glyphs) else {
            continue;
        };
        let cff = data.starts_with(b"OTTO");
        let n = out.len() + 1;
        out.push(Added {
            href: format!("fonts/added-{n}.{}", if cff { "otf" } else { "ttf" }),
            mime: if cff { "font/otf" } else { "font/ttf" },
            data,
            family: format!("kanko-added-{n}"),
        });
    }
    out
}

/// `@font-face` rules and font lists that put the added fonts first (after the base sheet).
pub fn css(fonts: &[Added]) -> String {
    if fonts.is_empty() {
        return String::new();
    }
    let mut s = String::from(
        "\n/* fonts added in kanko.toml ([[fonts]]), cut to the characters they draw */\n",
    );
    for f in fonts {
        s.push_str(&format!(
            "@font-face {{ font-family: \"{}\"; src: url(\"{}\"); }}\n",
            f.family, f.href
        ));
    }
    let first: Vec<String> = fonts.iter().map(|f| format!("\"{}\"", f.family)).collect();
    let first = first.join(", ");
    s.push_str(&format!("body {{ font-family: {first}, serif; }}\n"));
    s.push_str(&format!(
        "h1, h2, h3, h4, h5, h6, strong, em, figcaption, thead th, .task, .colophon dt, .chart-data caption {{ font-family: {first}, sans-serif; }}\n"
    ));
    s.push_str(&format!(
        "code, pre {{ font-family: {first}, monospace; }}\n"
    ));
    s
}
