//! The only orchestrator: find reports → build each in parallel → catalog → commit.
//!
//! A report's failure is a value (`Outcome`); one broken report never stops the others.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use sha2::{Digest, Sha256};

use crate::cli::{BuildArgs, CheckArgs};
use crate::diag::Diag;
pub use crate::export::ctx::{Ctx, Live, State, previous_entry};
use crate::export::{self, catalog::Entry};
use crate::i18n::tr;
use crate::manuscript::{self, meta::Site};
use crate::output;
use crate::typeset::world::Env;

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

/// `kanko.toml` beside the reports folder's contents or beside the folder, with its bytes.
pub fn site_file(reports: &Path) -> Option<(PathBuf, Vec<u8>)> {
    let path = reports
        .parent()
        .unwrap_or(Path::new("."))
        .join("kanko.toml");
    let candidates = [reports.join("kanko.toml"), path];
    candidates
        .into_iter()
        .find_map(|p| std::fs::read(&p).ok().map(|bytes| (p, bytes)))
}

fn load_site(reports: &Path) -> Result<(Site, String), Diag> {
    if let Some((p, bytes)) = site_file(reports) {
        let (src, _) = manuscript::text::decode(&bytes, &p)?;
        let site = manuscript::meta::parse_site(&src, &p)?;
        return Ok((site, hex::encode(Sha256::digest(&bytes))));
    }
    Ok((Site::default(), String::new()))
}

pub fn build(args: &BuildArgs) -> ExitCode {
    let started = Instant::now();
    let printer = Printer::new(args.quiet);
    let env = Env::new();
    match run(&env, args, &printer, &Live::default()) {
        Ok(run) => {
            printer.summary(&run.outcomes, started.elapsed());
            if run.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(d) => {
            printer.diag(&d);
            ExitCode::from(1)
        }
    }
}

pub struct BuildRun {
    /// One per report asked for (`--only`), in folder order.
    pub outcomes: Vec<Outcome>,
    pub failed: usize,
}

/// Builds the asked-for reports in parallel, then the catalog of all reports.
pub fn run(env: &Env, args: &BuildArgs, printer: &Printer, live: &Live) -> Result<BuildRun, Diag> {
    let (all, site, site_hash) = prepare(args)?;
    let chosen = |d: &PathBuf| {
        args.only.is_empty()
            || args
                .only
                .iter()
                .any(|s| d.file_name().is_some_and(|n| n == s.as_str()))
    };
    let selected: Vec<&PathBuf> = all.iter().filter(|d| chosen(d)).collect();
    let jobs = args.jobs.map(usize::from).unwrap_or_else(num_cpus);
    let base_url = args.base_url.clone().or_else(|| site.base_url.clone());
    let ctx = Ctx {
        env,
        args,
        site,
        site_hash,
        base_url,
        live,
    };
    std::fs::create_dir_all(&args.out).map_err(|e| {
        Diag::error(format!("cannot create the output folder: {e}")).in_file(&args.out)
    })?;
    output::recover(&args.out);
    let progress = printer.progress(selected.len());
    // At most `jobs` reports are in flight: one plain worker per job takes the next report and
    // runs it in a pool of `jobs` threads, which also does the work inside a report (PDF beside
    // EPUB and reader, pages in parallel). A parallel iterator over the reports let threads
    // waiting inside one report steal further reports, so many were half-built at once and
    // peak memory grew with them (687 MB → 333 MB at --jobs 2 on the benchmark corpus).
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(64 << 20)
        .build();
    let pool = pool.map_err(|_| Diag::error("cannot start worker threads"))?;
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<(usize, Outcome)>> = std::sync::Mutex::new(Vec::new());
    let worker = || {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let Some(d) = selected.get(i) else { break };
            let slug = d
                .file_name()
                .map_or(String::new(), |n| n.to_string_lossy().into_owned());
            let bar = printer.report_bar(&slug);
            let o = pool.install(|| build_one(&ctx, d, &|step| bar.set_message(step.to_string())));
            bar.finish_and_clear();
            printer.outcome(&o, &progress, args.verbose);
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
    let outcomes: Vec<Outcome> = done.into_iter().map(|(_, o)| o).collect();
    progress.finish_and_clear();
    let mut failed = outcomes
        .iter()
        .filter(|o| matches!(o.status, Status::Failed))
        .count();
    // The catalog lists reports not asked for this time with their previous output, then this
    // run's (a failed one with its previous output). Entries move here from the outcomes (no copy:
    // at 2,000 reports the site files are written when memory peaks).
    let mut listed_entries: Vec<(String, Option<Entry>)> = all
        .iter()
        .filter(|d| !chosen(d))
        .filter_map(|d| {
            let slug = d.file_name()?.to_string_lossy().into_owned();
            let entry = previous_entry(&args.out, &slug)?;
            Some((slug, Some(entry)))
        })
        .collect();
    let mut outcomes = outcomes;
    for o in &mut outcomes {
        let entry = match o.entry.take() {
            Some(e) => Some(*e),
            None => previous_entry(&args.out, &o.slug),
        };
        listed_entries.push((o.slug.clone(), entry));
    }
    warn_duplicate_titles(&listed_entries, printer);
    let written = match shard_spec(args)? {
        Some(spec) => {
            let site_toml = site_file(&args.reports)
                .map(|(_, bytes)| String::from_utf8_lossy(&bytes).into_owned());
            crate::shard::write_manifest(&ctx, spec, site_toml, &listed_entries)
        }
        None => {
            let entries = listed_entries.into_iter().filter_map(|(_, e)| e).collect();
            export::catalog::write_site(&ctx.site_info(), &args.out, entries)
        }
    };
    if let Err(d) = written {
        printer.diag(&d);
        failed += 1;
    }
    if failed == 0 {
        remove_stale(&args.out, &all, printer);
    }
    output::finish(&args.out);
    Ok(BuildRun { outcomes, failed })
}

fn prepare(args: &BuildArgs) -> Result<(Vec<PathBuf>, Site, String), Diag> {
    let mut dirs = discover(&args.reports)?;
    if let Some(spec) = shard_spec(args)? {
        dirs.retain(|d| {
            d.file_name()
                .is_some_and(|n| spec.holds(&n.to_string_lossy()))
        });
    }
    for slug in &args.only {
        if !dirs
            .iter()
            .any(|d| d.file_name().is_some_and(|n| n == slug.as_str()))
        {
            return Err(Diag::error(format!(
                "--only {slug}: no such report folder in {}",
                args.reports.display()
            )));
        }
    }
    let (site, hash) = load_site(&args.reports)?;
    Ok((dirs, site, hash))
}

fn shard_spec(args: &BuildArgs) -> Result<Option<crate::shard::Spec>, Diag> {
    args.shard
        .as_deref()
        .map(crate::shard::parse_spec)
        .transpose()
        .map_err(|e| Diag::error(format!("--shard {e}")))
}

fn num_cpus() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get())
}

fn build_one(ctx: &Ctx, dir: &Path, step: &(dyn Fn(&str) + Sync)) -> Outcome {
    let started = Instant::now();
    if let Some(entry) = unchanged(ctx, dir) {
        return Outcome {
            slug: entry.slug.clone(),
            status: Status::Cached,
            entry: Some(Box::new(entry)),
            diags: Vec::new(),
            elapsed: started.elapsed(),
            blocks: Vec::new(),
            timings: Vec::new(),
        };
    }
    let loaded = manuscript::load(dir);
    let mut diags = loaded.diags;
    let slug = loaded.slug;
    let mut blocks = Vec::new();
    let mut timings = Vec::new();
    let (status, entry) = match loaded.report {
        None => (Status::Failed, None),
        Some(report) => {
            let key = cache_key(ctx, &report);
            match cached_entry(&ctx.args.out, &slug, &key).filter(|_| !ctx.args.force) {
                Some(entry) => {
                    diags.retain(|d| d.is_error());
                    (Status::Cached, Some(Box::new(entry)))
                }
                None => match export::build_report(ctx, &report, &key, step) {
                    Ok(built) => {
                        diags.extend(built.warnings);
                        blocks = built.blocks;
                        timings = built.timings;
                        let pages = built.entry.pages;
                        (Status::Built { pages }, Some(Box::new(built.entry)))
                    }
                    Err(errs) => {
                        diags.extend(errs);
                        (Status::Failed, None)
                    }
                },
            }
        }
    };
    if ctx.live.pages.is_none() {
        // One-shot builds free Typst's memo cache per report (peak memory ~3× lower);
        // `kanko serve` keeps it so a re-typeset only redoes what changed.
        comemo::evict(2);
        release_free_memory();
    }
    Outcome {
        slug,
        status,
        entry,
        diags,
        elapsed: started.elapsed(),
        blocks,
        timings,
    }
}

/// Hands the pages a report's build (or check) freed back to the system. glibc keeps freed memory in its
/// per-thread arenas, and after a report most of a worker's memory is free.
fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: malloc_trim only returns free heap pages to the kernel; it takes no pointers.
        unsafe {
            malloc_trim(0);
        }
    }
}

/// The previous build's entry when none of the report's files changed since, checked by
/// hashing the files that build recorded: no Markdown parsing, no image decoding. Anything
/// else (no record, a changed file, `--force`) goes the full way.
fn unchanged(ctx: &Ctx, dir: &Path) -> Option<Entry> {
    if ctx.args.force {
        return None;
    }
    let slug = dir.file_name()?.to_str()?;
    manuscript::check_slug(slug).ok()?;
    let bytes = std::fs::read(ctx.args.out.join(slug).join(output::STATE_FILE)).ok()?;
    let state: State = serde_json::from_slice(&bytes).ok()?;
    let hash = manuscript::input_hash_now(dir, &state.inputs)?;
    (key_of(ctx, &hash) == state.key && state.entry.slug == slug).then_some(state.entry)
}

/// Everything an output depends on: the report's files, kanko.toml, the formats, the base URL,
/// the embedded fonts and layouts, and kanko's own version.
fn cache_key(ctx: &Ctx, r: &manuscript::Report) -> String {
    key_of(ctx, &r.input_hash)
}

fn key_of(ctx: &Ctx, input_hash: &str) -> String {
    let mut h = Sha256::new();
    h.update(env!("CARGO_PKG_VERSION"));
    h.update(env!("KANKO_BUILD_ID"));
    h.update(crate::typeset::fonts::assets_fingerprint());
    h.update(export::web_fingerprint());
    h.update(input_hash);
    h.update(&ctx.site_hash);
    h.update(ctx.base_url.as_deref().unwrap_or(""));
    for f in &ctx.args.formats {
        h.update(f.name());
    }
    hex::encode(h.finalize())
}

fn cached_entry(out: &Path, slug: &str, key: &str) -> Option<Entry> {
    let bytes = std::fs::read(out.join(slug).join(output::STATE_FILE)).ok()?;
    let state: State = serde_json::from_slice(&bytes).ok()?;
    (state.key == key).then_some(state.entry)
}

fn warn_duplicate_titles(listed: &[(String, Option<Entry>)], printer: &Printer) {
    let mut by_title: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (slug, e) in listed {
        if let Some(e) = e {
            by_title.entry(e.title.as_str()).or_default().push(slug);
        }
    }
    for (title, slugs) in by_title.into_iter().filter(|(_, s)| s.len() > 1) {
        printer.diag(&Diag::warning(format!(
            "{} reports have the same title 「{title}」: {} — readers of the catalog cannot tell them apart (add a subtitle?)",
            slugs.len(),
            slugs.join(", ")
        )));
    }
}

fn remove_stale(out: &Path, dirs: &[PathBuf], printer: &Printer) {
    let live: Vec<String> = dirs
        .iter()
        .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
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
            printer.line(&format!(
                "{} {name}",
                tr(
                    "削除（原稿フォルダがない）:",
                    "removed (no longer in reports/):"
                )
            ));
        }
    }
}

/// `kanko check`: load, typeset and lint every report; write nothing (except with `--fix`).
pub fn check(args: &CheckArgs) -> ExitCode {
    let printer = Printer::new(false);
    let fail = |d: Diag| {
        printer.diag(&d);
        ExitCode::from(1)
    };
    let dirs = match discover(&args.reports) {
        Ok(d) => d,
        Err(d) => return fail(d),
    };
    let (site, _) = match load_site(&args.reports) {
        Ok(s) => s,
        Err(d) => return fail(d),
    };
    // The file that was read (beside reports/ or inside it), for messages about `[lint]`.
    let site_path =
        site_file(&args.reports).map_or_else(|| args.reports.join("kanko.toml"), |(p, _)| p);
    let cfg = match crate::lint::Config::from_toml(site.lint.as_ref(), &site_path) {
        Ok(c) => c,
        Err(d) => return fail(d),
    };
    let env = Env::new();
    let results: Vec<CheckResult> = dirs
        .par_iter()
        .map(|d| check_one(&env, d, &cfg, args.fix))
        .collect();
    report_check(args, &printer, &results)
}

struct CheckResult {
    slug: String,
    diags: Vec<Diag>,
    findings: Vec<crate::lint::Finding>,
    ok: bool,
}

fn check_one(env: &Env, dir: &Path, cfg: &crate::lint::Config, fix: bool) -> CheckResult {
    let loaded = manuscript::load(dir);
    let mut diags = loaded.diags;
    let mut findings = Vec::new();
    let placeholders = loaded.report.as_ref().map_or(0, |r| {
        let toml = r.dir.join("report.toml");
        manuscript::placeholder::harden(&mut diags, &r.meta.placeholders, &toml)
    });
    let typeset_ok = match loaded.report {
        Some(r) => {
            let mut r = r;
            if fix {
                match crate::lint::fix(&r, cfg) {
                    Ok(changed) => {
                        // Lint what is on disk now, not the text before the fixes.
                        if !changed.is_empty()
                            && let Some(fresh) = manuscript::load(dir).report
                        {
                            r = fresh;
                        }
                        for (file, n) in changed {
                            diags.push(
                                Diag::warning(format!(
                                    "{n} {}",
                                    tr(
                                        "件の表記を直しました（元のファイルは .bak に保存）",
                                        "term(s) fixed (the original is kept as .bak)"
                                    )
                                ))
                                .in_file(file),
                            );
                        }
                    }
                    Err(e) => diags.push(Diag::error(format!("--fix: {e}")).in_file(&r.dir)),
                }
            }
            findings = crate::lint::lint(&r, cfg, &env.fonts);
            match crate::typeset::typeset(env, &r) {
                Ok(t) => {
                    diags.extend(t.warnings);
                    true
                }
                Err(e) => {
                    diags.extend(e);
                    false
                }
            }
        }
        None => false,
    };
    let ok = typeset_ok && placeholders == 0;
    comemo::evict(2);
    release_free_memory();
    CheckResult {
        slug: loaded.slug,
        diags,
        findings,
        ok,
    }
}

fn report_check(args: &CheckArgs, printer: &Printer, results: &[CheckResult]) -> ExitCode {
    let failed = results.iter().filter(|r| !r.ok).count();
    let lint_errors = results
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.severity == crate::lint::Level::Error)
        .count();
    if args.format == crate::cli::CheckFormat::Json {
        let items: Vec<serde_json::Value> = results
            .iter()
            .flat_map(|r| {
                let diags = r.diags.iter().map(|d| {
                    serde_json::json!({
                        "file": d.file.as_ref().map(|f| f.display().to_string()),
                        "line": d.line, "col": d.col, "rule": "manuscript",
                        "severity": if d.is_error() { "error" } else { "warning" },
                        "message": d.message,
                    })
                });
                let lints = r
                    .findings
                    .iter()
                    .map(|f| serde_json::to_value(f).unwrap_or_default());
                diags.chain(lints).collect::<Vec<_>>()
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&items).unwrap_or_default()
        );
    } else {
        for r in results {
            for d in &r.diags {
                printer.diag(d);
            }
            for f in &r.findings {
                println!("{}", f.line());
            }
            let mark = if r.ok { "✓" } else { "✗" };
            printer.line(&format!("{mark} {}", r.slug));
        }
        let ok = results.len() - failed;
        printer.line(&crate::t!(
            "検査: 問題なし {ok} 件、失敗 {failed} 件、表記エラー {lint_errors} 件",
            "checked: {ok} ok, {failed} failed, {lint_errors} style error(s)"
        ));
    }
    if failed > 0 || lint_errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// All terminal output: diagnostics, progress and the summary, on stderr.
pub struct Printer {
    quiet: bool,
    tty: bool,
    /// Bars per report above the overall bar (drawn only on a terminal).
    bars: indicatif::MultiProgress,
}

impl Printer {
    pub fn new(quiet: bool) -> Self {
        use std::io::IsTerminal;
        let tty = std::io::stderr().is_terminal();
        let bars = indicatif::MultiProgress::new();
        if quiet || !tty {
            bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        Printer { quiet, tty, bars }
    }

    pub fn diag(&self, d: &Diag) {
        if self.quiet && !d.is_error() {
            return;
        }
        let text = crate::diag::render(d, self.tty);
        self.bars.suspend(|| eprint!("{text}"));
    }

    pub fn line(&self, s: &str) {
        if !self.quiet {
            eprintln!("{s}");
        }
    }

    fn progress(&self, n: usize) -> indicatif::ProgressBar {
        if self.quiet || !self.tty {
            return indicatif::ProgressBar::hidden();
        }
        let pb = indicatif::ProgressBar::new(n as u64);
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        pb.set_style(style);
        pb.set_message(tr("レポートを組版中…", "typesetting reports…").to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        self.bars.add(pb)
    }

    /// A spinner for one report, showing the step it is at.
    fn report_bar(&self, slug: &str) -> indicatif::ProgressBar {
        if self.quiet || !self.tty {
            return indicatif::ProgressBar::hidden();
        }
        let style = indicatif::ProgressStyle::with_template("  {spinner} {prefix}: {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        let bar = self
            .bars
            .insert_from_back(1, indicatif::ProgressBar::new_spinner());
        bar.set_style(style);
        bar.set_prefix(slug.to_string());
        bar.set_message(tr("読み込み中", "reading").to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    fn outcome(&self, o: &Outcome, pb: &indicatif::ProgressBar, verbose: bool) {
        let mut text = String::new();
        for d in &o.diags {
            if self.quiet && !d.is_error() {
                continue;
            }
            text.push_str(&crate::diag::render(d, self.tty));
        }
        let secs = o.elapsed.as_secs_f64();
        let line = match &o.status {
            Status::Built { pages } => format!(
                "✓ {} — {} {} ({secs:.1}s)",
                o.slug,
                pages,
                tr("ページ", "pages")
            ),
            Status::Cached => format!(
                "✓ {} — {}",
                o.slug,
                tr(
                    "変更なし（前回の出力を使用）",
                    "unchanged (kept previous output)"
                )
            ),
            Status::Failed => format!(
                "✗ {} — {}",
                o.slug,
                tr(
                    "失敗（前回の出力はそのまま）",
                    "failed (previous output kept)"
                )
            ),
        };
        if !self.quiet || matches!(o.status, Status::Failed) {
            text.push_str(&line);
            text.push('\n');
        }
        if verbose && !o.timings.is_empty() {
            let steps: Vec<String> = o
                .timings
                .iter()
                .map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1000.0))
                .collect();
            text.push_str(&format!("    {}\n", steps.join(", ")));
        }
        self.bars.suspend(|| eprint!("{text}"));
        pb.inc(1);
    }

    fn summary(&self, outcomes: &[Outcome], elapsed: Duration) {
        let count = |f: fn(&Status) -> bool| outcomes.iter().filter(|o| f(&o.status)).count();
        let built = count(|s| matches!(s, Status::Built { .. }));
        let cached = count(|s| matches!(s, Status::Cached));
        let failed = count(|s| matches!(s, Status::Failed));
        let pages: usize = outcomes
            .iter()
            .filter_map(|o| match &o.status {
                Status::Built { pages } => Some(*pages),
                _ => None,
            })
            .sum();
        let warnings: usize = outcomes
            .iter()
            .map(|o| o.diags.iter().filter(|d| !d.is_error()).count())
            .sum();
        let line = if crate::i18n::japanese() {
            format!(
                "完了: {built} 件作成、{cached} 件変更なし、{failed} 件失敗、{pages} ページ、警告 {warnings} 件（{:.1} 秒）",
                elapsed.as_secs_f64()
            )
        } else {
            format!(
                "done: {built} built, {cached} unchanged, {failed} failed, {pages} pages, {warnings} warnings in {:.1}s",
                elapsed.as_secs_f64()
            )
        };
        if !self.quiet || failed > 0 {
            eprintln!("{line}");
        }
    }
}
