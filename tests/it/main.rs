//! Integration tests: they run the real `kanko` binary on fixture reports and read the outputs
//! back with the same tools a user would (pdftotext, pdfinfo, pdffonts, qpdf, unzip).

mod build;
mod commonmark;
mod contents_page;
mod docx;
mod fallback_fonts;
mod fixtures;
mod serve;
mod shard;
mod site;
mod util;

mod bad_input;
mod charts;
mod cli;
mod elsewhere;
mod epub;
mod hostile;
mod import;
mod limits;
mod lint;
mod metafile;
mod newuser;
mod pdf;
mod print;
mod publish;
mod selfcontained;
mod shape;
mod stats;
