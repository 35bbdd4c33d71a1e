//! The catalog's cover thumbnail of a report (`cover.webp`).

use super::images::{COVER, render_rgb, webp};
use super::written::{Fact, Job, Written};
use crate::diag::Diag;

/// The catalog's cover thumbnail: the first page, ~240 px wide.
pub fn cover(job: &Job) -> Result<Written, Diag> {
    let mut w = Written::default();
    if let Some(page) = job.typeset.doc.pages().first() {
        w.put(job.stage, COVER, &webp(&render_rgb(page, 0.4)))?;
    }
    w.facts.push(Fact::Cover(COVER.to_string()));
    Ok(w)
}
