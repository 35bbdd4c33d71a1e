//! The shipped fonts, loaded once and shared by every report and thread.

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

pub struct Fonts {
    /// The shipped fonts, then those `kanko.toml` adds (`[[fonts]]`), then the box of last
    /// resort (`missing_glyph`), which the book lists as covering only what the others lack.
    pub fonts: Vec<Font>,
    pub book: LazyHash<FontBook>,
    /// How many of `fonts` are real (all but the box).
    real: usize,
}

impl Fonts {
    /// The shipped fonts only (tests, and tools that read no `kanko.toml`).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn load() -> Self {
        Self::with_extra(&[])
    }

    /// The shipped fonts and the font files `kanko.toml` names (already read and checked).
    pub fn with_extra(extra: &[Vec<u8>]) -> Self {
        let mut fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|(_, data)| Font::iter(Bytes::new(*data)))
            .collect();
        for data in extra {
            fonts.extend(Font::iter(Bytes::new(data.clone())));
        }
        let real = fonts.len();
        let mut book = FontBook::from_fonts(&fonts);
        if let Some((font, info)) = super::missing_glyph::font(&fonts) {
            fonts.push(font);
            book.push(info);
        }
        Fonts {
            fonts,
            book: LazyHash::new(book),
            real,
        }
    }

    /// Does any real font (shipped or added in `kanko.toml`) have a glyph for `c`?
    pub fn covers(&self, c: char) -> bool {
        self.fonts[..self.real]
            .iter()
            .any(|f| f.info().coverage.contains(c as u32))
    }
}

/// A fingerprint of the embedded fonts and layouts, part of every cache key.
pub fn assets_fingerprint() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (name, data) in FONT_FILES {
        h.update(name.as_bytes());
        h.update((data.len() as u64).to_le_bytes());
        h.update(&data[..data.len().min(4096)]);
    }
    for (name, src) in LAYOUT_FILES {
        h.update(name.as_bytes());
        h.update(src.as_bytes());
    }
    hex::encode(h.finalize())
}
