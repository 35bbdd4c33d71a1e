//! `[[fonts]]` in kanko.toml as written: font files the editor adds for characters the shipped
//! fonts lack (read and checked by `typeset::extra_fonts`).

use serde::Deserialize;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontEntry {
    /// The font file (`.ttf`, `.otf`, `.ttc`), relative to `kanko.toml`.
    pub file: Spanned<String>,
    /// The font's licence, as its name (the editor's statement that it may be embedded and
    /// shared: the PDF, EPUB and reader carry its glyphs).
    pub license: Spanned<String>,
}
