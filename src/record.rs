//! The one owner of a report's build record, `dist/<slug>/.kanko.json`: the cache key and input
//! files of the report's last build and the catalog entry it made. Read once per report per build.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::manuscript::Inputs;
use crate::outputs::site::entry::Entry;

pub const FILE: &str = ".kanko.json";

#[derive(Serialize, Deserialize)]
pub struct Record {
    pub key: String,
    pub entry: Entry,
    /// The files the key's input hash covers (none in a record from before they were kept).
    #[serde(default)]
    pub inputs: Inputs,
}

impl Record {
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec_pretty(self).unwrap_or_default()
    }
}

/// The record in `out/<slug>/`, if there is a readable one.
pub fn read(out: &Path, slug: &str) -> Option<Record> {
    read_in(&out.join(slug))
}

/// The record in a report's folder (of `dist/` or of a shard's output).
pub fn read_in(dir: &Path) -> Option<Record> {
    let bytes = std::fs::read(dir.join(FILE)).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// Only the cache key of the record in `out/<slug>/`, without reading its catalog entry.
pub fn key(out: &Path, slug: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Key {
        key: String,
    }
    let bytes = std::fs::read(out.join(slug).join(FILE)).ok()?;
    serde_json::from_slice::<Key>(&bytes).ok().map(|k| k.key)
}

/// Whether `dir` holds a report's output (a folder kanko made).
pub fn exists_in(dir: &Path) -> bool {
    dir.join(FILE).is_file()
}
