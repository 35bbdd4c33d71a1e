//! The document tree as XHTML, shared by the EPUB and the reader's text mode: the escaping, the
//! block writer and the charts as SVG.

pub mod chart;
pub mod esc;
pub mod writer;
