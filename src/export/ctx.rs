//! Plain data the build hands to the exporters: the run's settings and a report's saved state.
//! The pipeline makes these; nothing here knows about the pipeline.

use std::path::Path;

use crate::cli::{BuildArgs, Format};
use crate::manuscript::meta::Site;
use crate::output;
use crate::typeset::world::Env;

use super::catalog::{Entry, SiteInfo};

pub struct Ctx<'a> {
    pub env: &'a Env,
    pub args: &'a BuildArgs,
    pub site: Site,
    pub site_hash: String,
    pub base_url: Option<String>,
    pub live: &'a Live,
}

impl Ctx<'_> {
    /// What the catalog writers need from the run.
    pub fn site_info(&self) -> SiteInfo {
        SiteInfo {
            site: self.site.clone(),
            base_url: self.base_url.clone(),
        }
    }
}

/// What a long-running caller (`kanko serve`) keeps between builds.
#[derive(Default)]
pub struct Live {
    /// Page images by the hash of the page's frame: unchanged pages are not rendered again.
    pub pages: Option<super::reader::PageCache>,
}

/// The record a report's folder keeps of its build (`.kanko.json`).
#[derive(serde::Serialize, serde::Deserialize)]
pub struct State {
    pub key: String,
    pub entry: Entry,
    /// The files the key's input hash covers (none in a record from before they were kept).
    #[serde(default)]
    pub inputs: crate::manuscript::Inputs,
}

/// The catalog entry a previous build left, for a report that failed this time.
pub fn previous_entry(out: &Path, slug: &str) -> Option<Entry> {
    let bytes = std::fs::read(out.join(slug).join(output::STATE_FILE)).ok()?;
    serde_json::from_slice::<State>(&bytes)
        .ok()
        .map(|s| s.entry)
}

/// Formats asked for, in a stable order.
pub fn formats(args: &BuildArgs) -> Vec<Format> {
    let mut f = args.formats.clone();
    f.sort();
    f.dedup();
    f
}
