//! The shipped fonts, loaded once and shared by every report and thread.

use typst::foundations::Bytes;
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

pub struct Fonts {
    pub fonts: Vec<Font>,
    pub book: LazyHash<FontBook>,
}

impl Fonts {
    pub fn load() -> Self {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|(_, data)| Font::iter(Bytes::new(*data)))
            .collect();
        let book = LazyHash::new(FontBook::from_fonts(&fonts));
        Fonts { fonts, book }
    }

    /// Does any shipped font have a glyph for `c`?
    pub fn covers(&self, c: char) -> bool {
        self.fonts
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
