//! Builds split over machines: `kanko build --shard I/N` builds the reports whose folder name
//! hashes to shard I and writes `kanko-shard.json` (the manifest) instead of the catalog;
//! `kanko merge SHARD_DIR… --out dist` copies every shard's report folders into one site and
//! writes the catalog, feeds, sitemap and search index from the manifests with the same writers
//! as `kanko build`, so the merged site is byte-identical to a build on one machine.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::config::{BuildConfig, Shard, shard_of};
use crate::diag::{Diag, Io};
use crate::i18n::tr;
use crate::output;
use crate::outputs::site::entry::{Entry, SiteInfo};
use crate::record;
use crate::term::Term;

pub const MANIFEST: &str = "kanko-shard.json";

#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub generator: String,
    pub shard: u32,
    pub of: u32,
    /// `kanko.toml` as the shard read it (the merge writes the catalog from it).
    pub site_toml: Option<String>,
    pub base_url: Option<String>,
    pub reports: Vec<ShardReport>,
}

#[derive(Debug, Serialize, Deserialize)]
pub struct ShardReport {
    pub slug: String,
    /// None: failed, and no earlier output to keep.
    pub entry: Option<Entry>,
    /// Files of `<slug>/` this shard made (relative, sorted); empty when it kept none.
    pub files: Vec<String>,
}

fn files_under(dir: &Path) -> Vec<String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return;
        };
        for e in rd.filter_map(Result::ok) {
            let p = e.path();
            if p.is_dir() {
                walk(base, &p, out);
            } else if let Ok(rel) = p.strip_prefix(base) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The checked logo goes with the shard: `kanko merge` writes the catalog from it.
pub fn write_logo(cfg: &BuildConfig) -> Result<(), Diag> {
    match &cfg.site.site.logo {
        Some(l) => output::write_atomic(&cfg.out.join(&l.file), &l.bytes)
            .map_err(|e| Diag::io(Io::Write, cfg.out.join(&l.file), e)),
        None => Ok(()),
    }
}

/// The shard's output: the report folders are in place; this writes the manifest.
pub fn write_manifest(
    cfg: &BuildConfig,
    spec: Shard,
    listed: &[(String, Option<Entry>)],
) -> Result<(), Diag> {
    let out = &cfg.out;
    let m = Manifest {
        generator: format!("kanko {}", env!("CARGO_PKG_VERSION")),
        shard: spec.index,
        of: spec.count,
        site_toml: cfg.site.text.clone(),
        base_url: cfg.base_url.clone(),
        reports: listed
            .iter()
            .map(|(slug, entry)| ShardReport {
                slug: slug.clone(),
                entry: entry.clone(),
                files: entry
                    .as_ref()
                    .map(|_| files_under(&out.join(slug)))
                    .unwrap_or_default(),
            })
            .collect(),
    };
    let json = serde_json::to_vec_pretty(&m).unwrap_or_default();
    let path = out.join(MANIFEST);
    output::write_atomic(&path, &json).map_err(|e| Diag::io(Io::Write, &path, e))
}

fn read_manifest(dir: &Path) -> Result<Manifest, Diag> {
    let path = dir.join(MANIFEST);
    let bytes = std::fs::read(&path).map_err(|e| {
        Diag::error(format!("cannot read the shard manifest: {e}"))
            .in_file(&path)
            .help("pass the --out folder of `kanko build --shard I/N`")
    })?;
    serde_json::from_slice(&bytes)
        .map_err(|e| Diag::error(format!("not a kanko shard manifest: {e}")).in_file(&path))
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), &target)?;
        }
    }
    Ok(())
}

/// `kanko merge`: the shards' report folders into `out`, then the site files over all of them.
/// Returns the number of reports listed.
pub fn merge(dirs: &[PathBuf], out: &Path, term: &Term) -> Result<usize, Diag> {
    let mut manifests = Vec::new();
    for d in dirs {
        manifests.push((d, read_manifest(d)?));
    }
    let Some((_, first)) = manifests.first() else {
        return Err(Diag::error("kanko merge: no shard folders given"));
    };
    let of = first.of;
    let mut seen = BTreeSet::new();
    for (d, m) in &manifests {
        if m.of != of || m.site_toml != first.site_toml || m.base_url != first.base_url {
            return Err(Diag::error(
                "these shards were not built together (another N, kanko.toml or base URL)",
            )
            .in_file(d.join(MANIFEST)));
        }
        if !seen.insert(m.shard) {
            return Err(
                Diag::error(format!("shard {}/{of} is given twice", m.shard))
                    .in_file(d.join(MANIFEST)),
            );
        }
    }
    let missing: Vec<u32> = (1..=of).filter(|i| !seen.contains(i)).collect();
    if !missing.is_empty() {
        term.diag(&Diag::warning(format!(
            "{}: {}",
            tr(
                "次のシャードがありません。その報告書は前回の出力を残します",
                "these shards are missing; their reports keep their previous output"
            ),
            missing
                .iter()
                .map(|i| format!("{i}/{of}"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let site_path = PathBuf::from("kanko.toml");
    let site = match &first.site_toml {
        Some(src) => crate::manuscript::meta::parse_site(src, &site_path)?,
        None => Default::default(),
    };
    let mut site = site;
    if site.site.as_ref().is_some_and(|t| t.logo.is_some()) {
        site.logo = manifests
            .iter()
            .find_map(|(d, _)| crate::manuscript::site::built_logo(d));
    }
    let info = SiteInfo {
        site,
        base_url: first.base_url.clone(),
    };
    std::fs::create_dir_all(out)
        .map_err(|e| Diag::error(format!("cannot create the output folder: {e}")).in_file(out))?;
    output::recover(out);
    let mut entries = copy_reports(&manifests, out)?;
    keep_or_remove_unlisted(&manifests, &missing, of, out, &mut entries, term);
    let n = entries.len();
    crate::outputs::site::catalog::write_site(&info, out, entries.into_values().collect())?;
    output::finish(out);
    Ok(n)
}

/// Moves every shard's built report folders into `out` and returns the listed entries (a report
/// that failed in its shard keeps what the merged site had before, like a failed report).
fn copy_reports(
    manifests: &[(&PathBuf, Manifest)],
    out: &Path,
) -> Result<BTreeMap<String, Entry>, Diag> {
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for (d, m) in manifests {
        for r in &m.reports {
            let src = d.join(&r.slug);
            match &r.entry {
                Some(e) if record::exists_in(&src) => {
                    let stage = output::stage_dir(out, &r.slug)
                        .map_err(|err| Diag::io(Io::Create, out, err))?;
                    copy_dir(&src, &stage).map_err(|err| Diag::io(Io::Read, &src, err))?;
                    output::commit_report(out, &r.slug, &stage)
                        .map_err(|err| Diag::io(Io::Write, out, err))?;
                    entries.insert(r.slug.clone(), e.clone());
                }
                _ => {
                    if let Some(e) = record::read(out, &r.slug).map(|r| r.entry) {
                        entries.insert(r.slug.clone(), e);
                    }
                }
            }
        }
    }
    Ok(entries)
}

/// Report folders in `out` that no manifest lists: kept (with their entry) when their shard is
/// missing, else removed as reports that are gone.
fn keep_or_remove_unlisted(
    manifests: &[(&PathBuf, Manifest)],
    missing: &[u32],
    of: u32,
    out: &Path,
    entries: &mut BTreeMap<String, Entry>,
    term: &Term,
) {
    let listed: BTreeSet<&str> = manifests
        .iter()
        .flat_map(|(_, m)| m.reports.iter().map(|r| r.slug.as_str()))
        .collect();
    let Ok(rd) = std::fs::read_dir(out) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let slug = e.file_name().to_string_lossy().into_owned();
        if slug.starts_with('.') || listed.contains(slug.as_str()) || !e.path().is_dir() {
            continue;
        }
        if missing.contains(&shard_of(&slug, of)) {
            if let Some(prev) = record::read(out, &slug).map(|r| r.entry) {
                entries.insert(slug, prev);
            }
        } else if let Ok(true) = output::remove_stale(out, &slug) {
            term.line(&format!("{} {slug}", tr("削除:", "removed:")));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Shard;

    #[test]
    fn specs_parse_with_clear_errors() {
        assert_eq!(Shard::parse("2/4", None), Ok(Shard { index: 2, count: 4 }));
        assert_eq!(
            Shard::parse("auto/4", Some("0")),
            Ok(Shard { index: 1, count: 4 })
        );
        assert_eq!(
            Shard::parse("auto/4", Some("3")),
            Ok(Shard { index: 4, count: 4 })
        );
        assert!(
            Shard::parse("auto/4", Some("4"))
                .unwrap_err()
                .contains("1 to 4")
        );
        assert!(
            Shard::parse("auto/4", None)
                .unwrap_err()
                .contains("JOB_COMPLETION_INDEX")
        );
        assert!(Shard::parse("0/3", None).is_err());
        assert!(Shard::parse("3", None).is_err());
        assert!(Shard::parse("a/b", None).is_err());
    }

    #[test]
    fn every_slug_is_in_exactly_one_shard() {
        for n in 1..6 {
            for slug in ["a", "2023-kodomo-ibasho-chousa", "r-0042", "日本語"] {
                let hits = (1..=n)
                    .filter(|&i| Shard { index: i, count: n }.holds(slug))
                    .count();
                assert_eq!(hits, 1, "{slug} in {n} shards");
            }
        }
    }
}
