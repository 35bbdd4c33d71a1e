//! Charts from the report's own numbers: a ```` ```chart ```` block (TOML) and a CSV become a
//! `Chart` — the data, checked, with its value labels, scale and written alt text — which every
//! format draws in its own way (Typst in the PDF, inline SVG in EPUB and text mode).
//!
//! The markdown parser leaves a chart block as a code block with the info string `chart`;
//! `manuscript::charts` turns those into `Block::Chart` once the report folder is known.
//! This folder knows nothing of the document tree.

pub mod alt;
pub mod csv;
pub mod data;
pub mod format;
pub mod model;
pub mod read;
pub mod spec;

pub use model::{Chart, Kind};

#[cfg(test)]
mod tests;
