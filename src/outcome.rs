//! What building a report gives back: its status, catalog entry and diagnostics, as a value
//! (one broken report never stops the others).

use std::time::Duration;

use crate::diag::Diag;
use crate::outputs::reader::cache::PageCache;
use crate::outputs::site::entry::Entry;

pub enum Status {
    Built { pages: usize },
    Cached,
    Failed,
}

pub struct Outcome {
    pub slug: String,
    pub status: Status,
    /// The report's catalog entry (built or kept); taken by the catalog once all are done.
    pub entry: Option<Box<Entry>>,
    pub diags: Vec<Diag>,
    pub elapsed: Duration,
    /// (fingerprint of a top-level block, page it starts on), in document order: lets
    /// `kanko serve` open the reader where the edit is.
    pub blocks: Vec<(u64, usize)>,
    pub timings: Vec<(&'static str, Duration)>,
}

pub struct BuildRun {
    /// One per report asked for (`only`), in folder order.
    pub outcomes: Vec<Outcome>,
    pub failed: usize,
}

/// What a long-running caller (`kanko serve`) keeps between builds.
#[derive(Default)]
pub struct Live {
    /// Reader pages by the hash of the page's frame: unchanged pages are not rendered again.
    pub pages: Option<PageCache>,
}
