//! Everything made from one typeset report, one folder per thing made. Every format writer has the
//! same shape (see `written.rs`): a [`written::Job`] in, a [`written::Written`] out.

pub mod colophon;
pub mod cover;
pub mod epub;
pub mod images;
pub mod pdf;
pub mod reader;
pub mod site;
pub mod written;
pub mod xhtml;
