//! When a report need not be built again: its cache key (everything an output depends on) and
//! the check against the record of its last build.

use std::path::Path;

use sha2::{Digest, Sha256};

use crate::config::BuildConfig;
use crate::manuscript;
use crate::outputs::reader::write::ASSETS as READER_ASSETS;
use crate::outputs::site::catalog::ASSETS as SITE_ASSETS;
use crate::record::Record;

/// Fingerprint of the web assets compiled into the binary.
fn web_fingerprint() -> String {
    let mut h = Sha256::new();
    for s in READER_ASSETS
        .iter()
        .map(|(_, s)| s)
        .chain(SITE_ASSETS.iter().map(|(_, s)| s))
    {
        h.update(s.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Everything an output depends on: the report's files (their hash), kanko.toml, the formats,
/// the base URL, the embedded fonts, layouts and web assets, and kanko's own version.
pub fn key(cfg: &BuildConfig, input_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    h.update(env!("KANKO_BUILD_ID"));
    h.update(crate::typeset::fonts::assets_fingerprint());
    h.update(web_fingerprint());
    h.update(input_hash);
    h.update(&cfg.site.hash);
    h.update(cfg.base_url.as_deref().unwrap_or(""));
    for f in &cfg.formats {
        h.update(f.name());
    }
    hex::encode(h.finalize())
}

/// The previous build's record when none of the report's files changed since, checked by
/// hashing the files that build recorded: no Markdown parsing, no image decoding.
pub fn unchanged(cfg: &BuildConfig, dir: &Path, record: Option<&Record>) -> bool {
    let (Some(slug), Some(record)) = (dir.file_name().and_then(|n| n.to_str()), record) else {
        return false;
    };
    if cfg.force || manuscript::check_slug(slug).is_err() || record.entry.slug != slug {
        return false;
    }
    manuscript::input_hash_now(dir, &record.inputs).is_some_and(|h| key(cfg, &h) == record.key)
}
