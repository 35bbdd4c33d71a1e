//! The page-flip reader: page drawings from Typst's glyphs (`pagedata`), the fonts they use
//! (`pagefont`, with `crate::sfnt`), the text mode's UD fonts (`webfont`) and the folder's files (`write`).

pub mod cache;
pub mod pagedata;
pub mod pagefont;
pub mod site;
mod svg;
pub mod webfont;
pub mod write;
