//! The EPUB 3: one XHTML file per chapter, navigation, page list and accessibility metadata.

pub mod fonts;
pub mod package;
