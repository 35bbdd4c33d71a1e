//! Building the site, as a list of steps: find the reports → build each in parallel (a failure
//! is a value) → list every report in the catalog (or a shard manifest) → remove reports that
//! are gone → finish the output folder.

pub mod cache;
pub mod report;
pub mod shard;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::config::BuildConfig;
use crate::diag::Diag;
use crate::i18n::tr;
use crate::outcome::{BuildRun, Live, Outcome, Status};
use crate::output;
use crate::outputs::site::entry::Entry;
use crate::record;
use crate::term::Term;
use crate::typeset::world::Env;
use report::Run;

/// Report folders in name order; `_x` and `.x` folders are skipped.
pub fn discover(reports: &Path) -> Result<Vec<PathBuf>, Diag> {
    let rd = std::fs::read_dir(reports).map_err(|e| {
        Diag::error(format!("cannot read the reports folder: {e}"))
            .in_file(reports)
            .help("run kanko in the folder that holds `reports/`, or pass --reports DIR")
    })?;
    let mut dirs: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .filter(|e| {
            let n = e.file_name().to_string_lossy().into_owned();
            !n.starts_with('_') && !n.starts_with('.') && n != "node_modules"
        })
        .map(|e| e.path())
        .collect();
    dirs.sort();
    Ok(dirs)
}

fn slug_of(d: &Path) -> String {
    d.file_name()
        .map_or(String::new(), |n| n.to_string_lossy().into_owned())
}

/// Builds the asked-for reports in parallel, then the catalog of all reports.
pub fn run(env: &Env, cfg: &BuildConfig, term: &Term, live: &Live) -> Result<BuildRun, Diag> {
    let all = reports_of(cfg)?;
    let chosen = |d: &PathBuf| cfg.only.is_empty() || cfg.only.iter().any(|s| slug_of(d) == *s);
    let selected: Vec<&PathBuf> = all.iter().filter(|d| chosen(d)).collect();
    std::fs::create_dir_all(&cfg.out).map_err(|e| {
        Diag::error(format!("cannot create the output folder: {e}")).in_file(&cfg.out)
    })?;
    output::recover(&cfg.out);
    let run = Run { env, cfg, live };
    let outcomes = build_all(&run, &selected, term)?;
    let mut failed = outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::Failed))
        .count();
    let (outcomes, listed) = listed_entries(cfg, &all, outcomes, &chosen);
    warn_duplicate_titles(&listed, term);
    let written = match cfg.shard {
        Some(spec) => {
            shard::write_logo(cfg).and_then(|()| shard::write_manifest(cfg, spec, &listed))
        }
        None => {
            let entries = listed.into_iter().filter_map(|(_, e)| e).collect();
            crate::outputs::site::catalog::write_site(&run.site_info(), &cfg.out, entries)
        }
    };
    if let Err(d) = written {
        term.diag(&d);
        failed += 1;
    }
    if failed == 0 {
        remove_stale(&cfg.out, &all, term);
    }
    output::finish(&cfg.out);
    Ok(BuildRun { outcomes, failed })
}

/// The report folders of this build (its shard), after checking that `only` names real ones.
fn reports_of(cfg: &BuildConfig) -> Result<Vec<PathBuf>, Diag> {
    let mut dirs = discover(&cfg.reports)?;
    if let Some(spec) = cfg.shard {
        dirs.retain(|d| spec.holds(&slug_of(d)));
    }
    for slug in &cfg.only {
        if !dirs.iter().any(|d| slug_of(d) == *slug) {
            return Err(Diag::error(format!(
                "--only {slug}: no such report folder in {}",
                cfg.reports.display()
            )));
        }
    }
    Ok(dirs)
}

/// Builds the reports, at most `jobs` at a time, and returns their outcomes in folder order.
///
/// One plain worker per job takes the next report and runs it in a pool of `jobs` threads, which
/// also does the work inside a report (PDF beside EPUB and reader, pages in parallel). A parallel
/// iterator over the reports let threads waiting inside one report steal further reports, so many
/// were half-built at once and peak memory grew with them (687 MB → 333 MB at --jobs 2 on the
/// benchmark corpus).
fn build_all(run: &Run, selected: &[&PathBuf], term: &Term) -> Result<Vec<Outcome>, Diag> {
    let jobs = run.cfg.jobs;
    let progress = term.progress(selected.len());
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(64 << 20)
        .build();
    let pool = pool.map_err(|_| Diag::error("cannot start worker threads"))?;
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<(usize, Outcome)>> = Mutex::new(Vec::new());
    let worker = || {
        loop {
            let i = next.fetch_add(1, Ordering::SeqCst);
            let Some(d) = selected.get(i) else { break };
            let bar = term.report_bar(&slug_of(d));
            let o = pool
                .install(|| report::build_one(run, d, &|step| bar.set_message(step.to_string())));
            bar.finish_and_clear();
            term.outcome(&o, &progress);
            if let Ok(mut v) = done.lock() {
                v.push((i, o));
            }
        }
    };
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs.min(selected.len()).max(1))
            .map(|_| {
                std::thread::Builder::new()
                    .stack_size(64 << 20)
                    .spawn_scoped(scope, worker)
            })
            .collect();
        let handles: Vec<_> = handles.into_iter().flatten().collect();
        if handles.is_empty() {
            worker(); // no thread could be started: build here, one report at a time
        }
        for h in handles {
            let _ = h.join();
        }
    });
    let mut done = done.into_inner().unwrap_or_default();
    done.sort_by_key(|(i, _)| *i);
    progress.finish_and_clear();
    Ok(done.into_iter().map(|(_, o)| o).collect())
}

type Listed = Vec<(String, Option<Entry>)>;

/// The catalog lists reports not asked for this time with their previous output, then this
/// run's (a failed one with its previous output). Entries move here from the outcomes (no copy:
/// at 2,000 reports the site files are written when memory peaks).
fn listed_entries(
    cfg: &BuildConfig,
    all: &[PathBuf],
    mut outcomes: Vec<Outcome>,
    chosen: &dyn Fn(&PathBuf) -> bool,
) -> (Vec<Outcome>, Listed) {
    let previous = |slug: &str| record::read(&cfg.out, slug).map(|r| r.entry);
    let mut listed: Listed = all
        .iter()
        .filter(|d| !chosen(d))
        .filter_map(|d| {
            let slug = d.file_name()?.to_string_lossy().into_owned();
            let entry = previous(&slug)?;
            Some((slug, Some(entry)))
        })
        .collect();
    for o in &mut outcomes {
        let entry = match o.entry.take() {
            Some(e) => Some(*e),
            None => previous(&o.slug),
        };
        listed.push((o.slug.clone(), entry));
    }
    (outcomes, listed)
}

fn warn_duplicate_titles(listed: &[(String, Option<Entry>)], term: &Term) {
    let mut by_title: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (slug, e) in listed {
        if let Some(e) = e {
            by_title.entry(e.title.as_str()).or_default().push(slug);
        }
    }
    for (title, slugs) in by_title.into_iter().filter(|(_, s)| s.len() > 1) {
        term.diag(&Diag::warning(format!(
            "{} reports have the same title 「{title}」: {} — readers of the catalog cannot tell them apart (add a subtitle?)",
            slugs.len(),
            slugs.join(", ")
        )));
    }
}

fn remove_stale(out: &Path, dirs: &[PathBuf], term: &Term) {
    let live: Vec<String> = dirs.iter().map(|d| slug_of(d)).collect();
    let Ok(rd) = std::fs::read_dir(out) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if e.path().is_dir()
            && !name.starts_with('.')
            && !live.contains(&name)
            && let Ok(true) = output::remove_stale(out, &name)
        {
            term.line(&format!(
                "{} {name}",
                tr(
                    "削除（原稿フォルダがない）:",
                    "removed (no longer in reports/):"
                )
            ));
        }
    }
}
