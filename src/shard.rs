//! Builds split over machines: `kanko build --shard I/N` builds the reports whose folder name
//! hashes to shard I and writes `kanko-shard.json` (the manifest) instead of the catalog;
//! `kanko merge SHARD_DIR… --out dist` copies every shard's report folders into one site and
//! writes the catalog, feeds, sitemap and search index from the manifests with the same writers
//! as `kanko build`, so the merged site is byte-identical to a build on one machine.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde::{Deserialize, Serialize};

use crate::cli::MergeArgs;
use crate::diag::Diag;
use crate::export::catalog::{Entry, SiteInfo};
use crate::export::ctx::{Ctx, previous_entry};
use crate::i18n::tr;
use crate::output;

pub const MANIFEST: &str = "kanko-shard.json";

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spec {
    pub index: u32,
    pub count: u32,
}

/// FNV-1a 64 of the folder name: the same slug always lands in the same shard.
pub fn shard_of(slug: &str, count: u32) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in slug.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h % u64::from(count.max(1))) as u32 + 1
}

impl Spec {
    pub fn holds(&self, slug: &str) -> bool {
        shard_of(slug, self.count) == self.index
    }
}

/// `I/N` (1 ≤ I ≤ N) or `auto/N`, which reads the 0-based `JOB_COMPLETION_INDEX` of a
/// Kubernetes Indexed Job.
pub fn parse_spec(s: &str) -> Result<Spec, String> {
    let env = std::env::var("JOB_COMPLETION_INDEX").ok();
    parse_with(s, env.as_deref())
}

fn parse_with(s: &str, job_index: Option<&str>) -> Result<Spec, String> {
    let (i, n) = s
        .split_once('/')
        .ok_or_else(|| format!("`{s}`: expected I/N, e.g. 2/4, or auto/N"))?;
    let count: u32 = n
        .trim()
        .parse()
        .ok()
        .filter(|n| (1..=10_000).contains(n))
        .ok_or_else(|| format!("`{n}`: N must be a whole number from 1 to 10000"))?;
    let index = if i.trim() == "auto" {
        let v = job_index.ok_or(
            "auto/N: JOB_COMPLETION_INDEX is not set (it is set by a Kubernetes Indexed Job)",
        )?;
        v.trim()
            .parse::<u32>()
            .map_err(|_| format!("JOB_COMPLETION_INDEX=`{v}` is not a whole number"))?
            + 1
    } else {
        i.trim()
            .parse()
            .map_err(|_| format!("`{i}`: I must be a whole number (or auto)"))?
    };
    if index == 0 || index > count {
        return Err(format!(
            "shard {index} of {count}: I must be from 1 to {count} (JOB_COMPLETION_INDEX counts from 0)"
        ));
    }
    Ok(Spec { index, count })
}

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

/// The shard's output: the report folders are in place; this writes the manifest.
pub fn write_manifest(
    ctx: &Ctx,
    spec: Spec,
    site_toml: Option<String>,
    listed: &[(String, Option<Entry>)],
) -> Result<(), Diag> {
    let out = &ctx.args.out;
    let m = Manifest {
        generator: format!("kanko {}", env!("CARGO_PKG_VERSION")),
        shard: spec.index,
        of: spec.count,
        site_toml,
        base_url: ctx.base_url.clone(),
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
    output::write_atomic(&path, &json).map_err(|e| crate::export::io_err(&path, e))
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

/// `kanko merge`.
pub fn merge(args: &MergeArgs) -> ExitCode {
    let printer = Printer { quiet: args.quiet };
    match merge_into(&args.shards, &args.out, &printer) {
        Ok(n) => {
            let dir = args.out.display();
            printer.line(&crate::t!(
                "統合: {n} 件の報告書を {dir} に書き出しました",
                "merged: {n} reports into {dir}"
            ));
            ExitCode::SUCCESS
        }
        Err(d) => {
            printer.diag(&d);
            ExitCode::from(1)
        }
    }
}

struct Printer {
    quiet: bool,
}

impl Printer {
    fn diag(&self, d: &Diag) {
        use std::io::IsTerminal;
        if !self.quiet || d.is_error() {
            eprint!(
                "{}",
                crate::diag::render(d, std::io::stderr().is_terminal())
            );
        }
    }

    fn line(&self, s: &str) {
        if !self.quiet {
            eprintln!("{s}");
        }
    }
}

fn merge_into(dirs: &[PathBuf], out: &Path, printer: &Printer) -> Result<usize, Diag> {
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
        printer.diag(&Diag::warning(format!(
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
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for (d, m) in &manifests {
        for r in &m.reports {
            let src = d.join(&r.slug);
            match &r.entry {
                Some(e) if src.join(output::STATE_FILE).is_file() => {
                    let stage = output::stage_dir(out, &r.slug)
                        .map_err(|err| crate::export::io_err(out, err))?;
                    copy_dir(&src, &stage).map_err(|err| crate::export::io_err(&src, err))?;
                    output::commit_report(out, &r.slug, &stage)
                        .map_err(|err| crate::export::io_err(out, err))?;
                    entries.insert(r.slug.clone(), e.clone());
                }
                // Failed in its shard: keep what the merged site had before, like a failed report.
                _ => {
                    if let Some(e) = previous_entry(out, &r.slug) {
                        entries.insert(r.slug.clone(), e);
                    }
                }
            }
        }
    }
    let listed: BTreeSet<&str> = manifests
        .iter()
        .flat_map(|(_, m)| m.reports.iter().map(|r| r.slug.as_str()))
        .collect();
    if let Ok(rd) = std::fs::read_dir(out) {
        for e in rd.filter_map(Result::ok) {
            let slug = e.file_name().to_string_lossy().into_owned();
            if slug.starts_with('.') || listed.contains(slug.as_str()) || !e.path().is_dir() {
                continue;
            }
            if missing.contains(&shard_of(&slug, of)) {
                if let Some(prev) = previous_entry(out, &slug) {
                    entries.insert(slug, prev);
                }
            } else if let Ok(true) = output::remove_stale(out, &slug) {
                printer.line(&format!("{} {slug}", tr("削除:", "removed:")));
            }
        }
    }
    let n = entries.len();
    crate::export::catalog::write_site(&info, out, entries.into_values().collect())?;
    output::finish(out);
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_with_clear_errors() {
        assert_eq!(parse_with("2/4", None), Ok(Spec { index: 2, count: 4 }));
        assert_eq!(
            parse_with("auto/4", Some("0")),
            Ok(Spec { index: 1, count: 4 })
        );
        assert_eq!(
            parse_with("auto/4", Some("3")),
            Ok(Spec { index: 4, count: 4 })
        );
        assert!(
            parse_with("auto/4", Some("4"))
                .unwrap_err()
                .contains("1 to 4")
        );
        assert!(
            parse_with("auto/4", None)
                .unwrap_err()
                .contains("JOB_COMPLETION_INDEX")
        );
        assert!(parse_with("0/3", None).is_err());
        assert!(parse_with("3", None).is_err());
        assert!(parse_with("a/b", None).is_err());
    }

    #[test]
    fn every_slug_is_in_exactly_one_shard() {
        for n in 1..6 {
            for slug in ["a", "2023-kodomo-ibasho-chousa", "r-0042", "日本語"] {
                let hits = (1..=n)
                    .filter(|&i| Spec { index: i, count: n }.holds(slug))
                    .count();
                assert_eq!(hits, 1, "{slug} in {n} shards");
            }
        }
    }
}
