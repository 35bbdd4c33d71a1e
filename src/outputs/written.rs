//! The one contract of every format writer: a [`Job`] in (the typeset report and where to put
//! its files), a [`Written`] out (the files it wrote with their sizes, what the catalog should
//! know, and warnings). The build folds each `Written` into the report's catalog entry; no writer
//! reads another's files back.

use std::path::Path;

use crate::config::Format;
use crate::diag::{Diag, Io};
use crate::manuscript::Report;
use crate::manuscript::meta::Binding;
use crate::output;
use crate::typeset::Typeset;
use crate::typeset::world::Env;

use super::reader::cache::PageCache;
use super::site::entry::SiteInfo;

/// What every writer is given.
pub struct Job<'a> {
    pub env: &'a Env,
    pub report: &'a Report,
    pub typeset: &'a Typeset,
    /// The report's staging folder: every file goes here, the build moves it into `dist/<slug>/`.
    pub stage: &'a Path,
    /// The formats of this build, sorted.
    pub formats: &'a [Format],
    /// The print PDF's binding, when a print PDF is asked for or configured.
    pub print: Option<Binding>,
    /// `kanko serve`'s per-page cache of the reader (None in a one-shot build).
    pub pages: Option<&'a PageCache>,
    /// The site around the report (`kanko.toml`, base URL): the reader shows the organisation.
    pub site: &'a SiteInfo,
    /// `--page-reference DIR`: the reader also writes typst-render's drawing of every page there.
    pub reference: Option<&'a Path>,
}

/// A fact about the report that only the writer of a format knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// The screen PDF: its file, size, and whether Typst accepted the PDF/UA-1 claim.
    Pdf {
        name: String,
        size: u64,
        ua: bool,
    },
    Epub {
        name: String,
        size: u64,
    },
    /// The reader's start page, relative to the report's folder.
    Reader(String),
    /// The catalog's cover thumbnail.
    Cover(String),
}

/// What a writer made.
#[derive(Debug, Default)]
pub struct Written {
    /// Files written into the stage (relative path, bytes), in the order written.
    pub files: Vec<(String, u64)>,
    pub facts: Vec<Fact>,
    pub warnings: Vec<Diag>,
}

impl Written {
    /// Writes `bytes` as `rel` under `dir` (the stage or a folder in it) and records the file.
    pub fn put(&mut self, dir: &Path, rel: &str, bytes: &[u8]) -> Result<(), Diag> {
        output::put(dir, rel, bytes).map_err(|e| Diag::io(Io::Write, dir, e))?;
        self.files.push((rel.to_string(), bytes.len() as u64));
        Ok(())
    }
}
