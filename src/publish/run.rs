//! The publish itself: lock, plan, ordered parallel upload with retries, deletions, manifest.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

use crate::cli::PublishArgs;
use crate::diag::Diag;

use super::plan::{self, FileSum, JOURNAL, LOCK, Local, MANIFEST, Manifest};
use super::target::{Conn, Error, Target};

/// A lock older than this is taken to be left by a publish that died.
const STALE_LOCK: Duration = Duration::from_secs(2 * 60 * 60);
const ATTEMPTS: u32 = 5;

fn exit_interrupted() -> ExitCode {
    ExitCode::from(130)
}

struct Out {
    quiet: bool,
    tty: bool,
}

impl Out {
    fn diag(&self, d: &Diag) {
        eprint!("{}", crate::diag::render(d, self.tty));
    }
    fn line(&self, s: &str) {
        if !self.quiet {
            eprintln!("{s}");
        }
    }
}

fn err_diag(e: &Error) -> Diag {
    let mut d = Diag::error(e.message.clone());
    if let Some(h) = &e.help {
        d = d.help(h.clone());
    }
    d
}

pub fn run(args: &PublishArgs) -> ExitCode {
    use std::io::IsTerminal;
    let out = Out {
        quiet: args.quiet,
        tty: std::io::stderr().is_terminal(),
    };
    match publish(args, &out) {
        Ok(code) => code,
        Err(d) => {
            out.diag(&d);
            ExitCode::from(1)
        }
    }
}

fn check_dist(dist: &Path) -> Result<(), Diag> {
    if !dist.is_dir() {
        return Err(Diag::error(pt!(
            "出力フォルダ {} がありません",
            "the output folder {} does not exist",
            dist.display()
        ))
        .help(pt!(
            "先に `kanko build` を実行してください（別のフォルダなら --out で指定）",
            "run `kanko build` first (or name another folder with --out)"
        )));
    }
    if dist.join(crate::output::STAGING).exists() {
        return Err(Diag::error(pt!(
            "{} は組み立ての途中です（{} が残っています）。公開しません",
            "{} is an unfinished build ({} is still there); nothing was published",
            dist.display(),
            crate::output::STAGING
        ))
        .help(pt!(
            "`kanko build` をもう一度最後まで実行してから公開してください",
            "run `kanko build` again to the end, then publish"
        )));
    }
    Ok(())
}

fn publish(args: &PublishArgs, out: &Out) -> Result<ExitCode, Diag> {
    let started = Instant::now();
    let dist = &args.out;
    check_dist(dist)?;
    let mut settings = super::settings::Settings::default();
    if let Some((path, bytes)) = crate::config::SiteFile::find(&args.reports) {
        let (src, _) = crate::manuscript::text::decode(&bytes, &path)?;
        let site = crate::manuscript::meta::parse_site(&src, &path)?;
        settings = super::config::settings(site.publish.as_ref(), &path)?;
    }
    let Some(raw) = args.target.clone().or(settings.target.clone()) else {
        return Err(Diag::error(pt!(
            "公開先が決まっていません",
            "no publish target given"
        ))
        .help(pt!(
            "kanko.toml に `[publish]` と `target = \"sftp://user@host/public_html/reports/\"` を書くか、コマンドの最後に公開先を書いてください",
            "add `[publish]` with `target = \"sftp://user@host/public_html/reports/\"` to kanko.toml, or name the target on the command line"
        )));
    };
    let target = super::config::open(&raw, &settings)?;
    let (local, reports) =
        plan::scan(dist).map_err(|e| crate::diag::Diag::io(crate::diag::Io::Read, dist, e))?;
    if local.is_empty() {
        return Err(Diag::error(pt!(
            "{} に公開するファイルがありません",
            "{} holds no file to publish",
            dist.display()
        )));
    }
    for l in &local {
        super::target::safe_rel(&l.rel).map_err(|e| err_diag(&e))?;
    }

    let mut conn = connect(&*target).map_err(|e| err_diag(&e))?;
    let owner = lock_owner();
    if !args.dry_run {
        lock(&mut conn, &owner, args.break_lock, out).map_err(|e| err_diag(&e))?;
    }
    let result = publish_locked(args, out, &*target, &mut conn, &local, &reports, started);
    if !args.dry_run {
        // Only our own lock: a lock someone broke and took over stays theirs.
        let mine = retry(&*target, &mut conn, |c| c.get(LOCK))
            .ok()
            .flatten()
            .is_some_and(|b| b == owner.as_bytes());
        if mine {
            let _ = retry(&*target, &mut conn, |c| c.delete(LOCK));
        }
    }
    result
}

fn lock_owner() -> String {
    let user = std::env::var("USER").unwrap_or_else(|_| "?".into());
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|s| s.trim().to_string())
        .unwrap_or_else(|_| "?".into());
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    serde_json::json!({
        "owner": format!("{user}@{host}"),
        "pid": std::process::id(),
        "since": now,
    })
    .to_string()
}

fn lock(conn: &mut Box<dyn Conn>, owner: &str, break_lock: bool, out: &Out) -> Result<(), Error> {
    if break_lock {
        conn.delete(LOCK)?;
    }
    if conn.create_new(LOCK, owner.as_bytes())? {
        return Ok(());
    }
    // The lock file is created, then written: another publish that reads it in between sees it
    // empty. That is a lock being taken, not a stale one: read again, and never judge its age
    // from a lock that says no time.
    let mut v = serde_json::Value::Null;
    for _ in 0..20 {
        let held = conn.get(LOCK)?.unwrap_or_default();
        v = serde_json::from_slice(&held).unwrap_or_default();
        if v["since"].is_u64() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let who = v["owner"].as_str().unwrap_or("?").to_string();
    let since = v["since"].as_u64().unwrap_or(0);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let age = now.saturating_sub(since);
    // A lock this user left on this machine, by a process that is gone (a publish cut off
    // before it could remove its lock), is stale at once.
    let ours: serde_json::Value = serde_json::from_str(owner).unwrap_or_default();
    let dead_here = v["owner"] == ours["owner"]
        && v["pid"]
            .as_u64()
            .is_some_and(|pid| !Path::new(&format!("/proc/{pid}")).exists())
        && Path::new("/proc/self").exists();
    if v["since"].is_u64() && (dead_here || age > STALE_LOCK.as_secs()) {
        out.line(&pt!(
            "注意: {who} の古いロック（{m} 分前）を引き継ぎます",
            "warning: taking over a stale lock of {who} ({m} minutes old)",
            m = age / 60
        ));
        conn.delete(LOCK)?;
        if conn.create_new(LOCK, owner.as_bytes())? {
            return Ok(());
        }
    }
    Err(Error::fatal(pt!(
        "別の公開が実行中です: {who} が {m} 分前から（{LOCK}）",
        "another publish is running: {who}, for {m} minutes ({LOCK})",
        m = age / 60
    ))
    .help(pt!(
        "終わるのを待ってから実行してください。その公開が止まったままなら --break-lock を付けて実行します",
        "wait for it to end; if it died, run again with --break-lock"
    )))
}

fn connect(target: &dyn Target) -> Result<Box<dyn Conn>, Error> {
    let mut wait = Duration::from_millis(200);
    let mut n = 0;
    loop {
        match target.connect() {
            Ok(c) => return Ok(c),
            Err(e) if e.transient && n + 1 < ATTEMPTS => {
                n += 1;
                std::thread::sleep(wait);
                wait *= 2;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Runs `op`, reconnecting and retrying with backoff after a transient error.
fn retry<T>(
    target: &dyn Target,
    conn: &mut Box<dyn Conn>,
    mut op: impl FnMut(&mut dyn Conn) -> Result<T, Error>,
) -> Result<T, Error> {
    let mut wait = Duration::from_millis(200);
    let mut n = 0;
    loop {
        match op(&mut **conn) {
            Ok(v) => return Ok(v),
            Err(e) if e.transient && n + 1 < ATTEMPTS => {
                n += 1;
                std::thread::sleep(wait);
                wait *= 2;
                if let Ok(c) = target.connect() {
                    *conn = c;
                }
            }
            Err(e) => return Err(e),
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize, Default)]
struct Journal {
    /// Files that arrived intact during an unfinished publish.
    arrived: BTreeMap<String, FileSum>,
}

fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

#[allow(clippy::too_many_arguments)]
fn publish_locked(
    args: &PublishArgs,
    out: &Out,
    target: &dyn Target,
    conn: &mut Box<dyn Conn>,
    local: &[Local],
    reports: &BTreeSet<String>,
    started: Instant,
) -> Result<ExitCode, Diag> {
    let fail = |e: Error| err_diag(&e);
    let manifest = match retry(target, conn, |c| c.get(MANIFEST)).map_err(fail)? {
        Some(b) => Manifest::parse(&b).ok_or_else(|| {
            Diag::error(pt!(
                "公開先の {MANIFEST} が読めません（壊れています）",
                "the target's {MANIFEST} cannot be read (damaged)"
            ))
            .help(pt!(
                "中身を確かめて消してから実行すると、すべてのファイルを送り直します（手で置いたファイルは消しません）",
                "check it and remove it; the next publish then sends every file again (and deletes nothing)"
            ))
        })?,
        None => Manifest::default(),
    };
    let journal: Option<Journal> = retry(target, conn, |c| c.get(JOURNAL))
        .map_err(fail)?
        .and_then(|b| serde_json::from_slice(&b).ok());
    let mut on_target = manifest.files.clone();
    let mut owned: BTreeSet<String> = manifest.files.keys().cloned().collect();
    let resumed = journal.is_some();
    let mut arrived = BTreeMap::new();
    if let Some(j) = journal {
        for (k, v) in j.arrived {
            owned.insert(k.clone());
            on_target.insert(k.clone(), v.clone());
            arrived.insert(k, v);
        }
    }
    let mut plan = plan::make(local, reports, &on_target, &owned);
    if resumed && !args.dry_run {
        // Files that arrived after the journal was last written: same size on the target and
        // the same content read back are not sent again.
        let mut verified = 0;
        for step in &mut plan.steps {
            let mut keep = Vec::new();
            for l in step.drain(..) {
                let same = retry(target, conn, |c| c.stat(&l.rel)).map_err(fail)?
                    == Some(l.sum.size)
                    && retry(target, conn, |c| c.get(&l.rel))
                        .map_err(fail)?
                        .is_some_and(|b| hex::encode(Sha256::digest(&b)) == l.sum.sha256);
                if same {
                    verified += 1;
                    arrived.insert(l.rel.clone(), l.sum.clone());
                } else {
                    keep.push(l);
                }
            }
            *step = keep;
        }
        plan.steps.retain(|s| !s.is_empty());
        plan.unchanged += verified;
        out.line(&pt!(
            "前回の中断した公開を続けます",
            "resuming an interrupted publish"
        ));
    }
    if plan.deletions() > args.max_delete {
        return Err(Diag::error(pt!(
            "{n} 個のファイルを消すことになります（上限 --max-delete {max}）。何も変えずに止めました",
            "this would delete {n} files (limit --max-delete {max}); stopped without changing anything",
            n = plan.deletions(),
            max = args.max_delete
        ))
        .help(pt!(
            "--out が正しいフォルダか確かめてください。消してよいなら --max-delete {n} を付けて実行します",
            "check that --out names the right folder; if the deletions are wanted, run with --max-delete {n}",
            n = plan.deletions()
        )));
    }
    let (files, bytes, dels) = (plan.files(), plan.bytes(), plan.deletions());
    if args.dry_run {
        for step in &plan.steps {
            for l in step {
                out.line(&format!("  + {} ({})", l.rel, l.sum.size));
            }
        }
        for step in &plan.deletes {
            for r in step {
                out.line(&format!("  - {r}"));
            }
        }
        eprintln!(
            "{}",
            pt!(
                "予定（何も変えていません）: 送信 {files} ファイル / {size}、削除 {dels}、変更なし {same} → {to}",
                "plan (nothing changed): send {files} files / {size}, delete {dels}, unchanged {same} → {to}",
                size = mb(bytes),
                same = plan.unchanged,
                to = target.shown()
            )
        );
        return Ok(ExitCode::SUCCESS);
    }

    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = stop.clone();
        let _ = ctrlc::set_handler(move || stop.store(true, Ordering::SeqCst));
    }
    let bar = if out.quiet || !out.tty {
        indicatif::ProgressBar::hidden()
    } else {
        let pb = indicatif::ProgressBar::new(bytes);
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} [{bar:30}] {bytes}/{total_bytes} {msg} ({elapsed}, {eta})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        pb.set_style(style);
        pb.enable_steady_tick(Duration::from_millis(120));
        pb
    };
    let state = Shared {
        arrived: Mutex::new(arrived),
        flushed: Mutex::new(Instant::now()),
        sent: AtomicUsize::new(0),
        sent_bytes: AtomicU64::new(0),
        stop: stop.clone(),
        files,
        bar: bar.clone(),
    };
    let jobs = args.jobs.max(1) as usize;
    // Written before the first file: a run cut off before it could write it again still
    // leaves the sign that the next run must look at what already arrived.
    if !plan.steps.is_empty() {
        write_journal(target, conn, &state).map_err(fail)?;
    }
    let mut failure: Option<Error> = None;
    let mut pool: Vec<Box<dyn Conn>> = Vec::new();
    for step in &plan.steps {
        if let Err(e) = run_step(target, conn, &mut pool, step, jobs, &state, dist_root(args)) {
            failure = Some(e);
            break;
        }
    }
    let interrupted = stop.load(Ordering::SeqCst);
    if failure.is_some() || interrupted {
        bar.finish_and_clear();
        // Keep what arrived, so the next run does not send it again.
        let _ = write_journal(target, conn, &state);
        if let Some(e) = failure
            && !interrupted
        {
            let sent = state.sent.load(Ordering::SeqCst);
            return Err(err_diag(&e).help(pt!(
                "{sent}/{files} ファイルを送ったところで止まりました。サイトは前の版と新しい版が混ざっていますが、切れたリンクはありません。同じコマンドをもう一度実行すると続きから送ります",
                "stopped after {sent}/{files} files; the site mixes old and new files but has no broken link. Run the same command again to finish"
            )));
        }
        out.diag(&Diag::error(pt!(
            "中断しました。同じコマンドをもう一度実行すると続きから送ります",
            "interrupted; run the same command again to finish"
        )));
        return Ok(exit_interrupted());
    }
    // Deletions: only after every upload, only files kanko published.
    let mut deleted = 0;
    for step in &plan.deletes {
        for rel in step {
            retry(target, conn, |c| c.delete(rel)).map_err(fail)?;
            deleted += 1;
        }
    }
    retry(target, conn, |c| c.put(MANIFEST, &plan.manifest.to_bytes())).map_err(fail)?;
    retry(target, conn, |c| c.delete(JOURNAL)).map_err(fail)?;
    bar.finish_and_clear();
    let sent = state.sent.load(Ordering::SeqCst);
    let sent_bytes = state.sent_bytes.load(Ordering::SeqCst);
    if !out.quiet {
        eprintln!(
            "{}",
            pt!(
                "公開しました: 送信 {sent} ファイル / {size}、削除 {deleted}、変更なし {same}（{secs:.1} 秒）→ {to}",
                "published: sent {sent} files / {size}, deleted {deleted}, unchanged {same} ({secs:.1} s) → {to}",
                size = mb(sent_bytes),
                same = plan.unchanged,
                secs = started.elapsed().as_secs_f64(),
                to = target.shown()
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn dist_root(args: &PublishArgs) -> &Path {
    &args.out
}

struct Shared {
    arrived: Mutex<BTreeMap<String, FileSum>>,
    flushed: Mutex<Instant>,
    sent: AtomicUsize,
    sent_bytes: AtomicU64,
    stop: Arc<AtomicBool>,
    files: usize,
    bar: indicatif::ProgressBar,
}

fn write_journal(target: &dyn Target, conn: &mut Box<dyn Conn>, s: &Shared) -> Result<(), Error> {
    let j = Journal {
        arrived: s.arrived.lock().map(|a| a.clone()).unwrap_or_default(),
    };
    let bytes = serde_json::to_vec(&j).unwrap_or_default();
    retry(target, conn, |c| c.put(JOURNAL, &bytes))
}

/// One step: its files in parallel over `jobs` sessions (the main one plus a pool kept
/// from step to step).
fn run_step(
    target: &dyn Target,
    main: &mut Box<dyn Conn>,
    pool: &mut Vec<Box<dyn Conn>>,
    step: &[Local],
    jobs: usize,
    s: &Shared,
    dist: &Path,
) -> Result<(), Error> {
    let queue = Mutex::new(step.iter().collect::<VecDeque<_>>());
    let failed: Mutex<Option<Error>> = Mutex::new(None);
    let work = |conn: &mut Box<dyn Conn>| {
        loop {
            if s.stop.load(Ordering::SeqCst) || failed.lock().map(|f| f.is_some()).unwrap_or(true) {
                return;
            }
            let Some(l) = queue.lock().ok().and_then(|mut q| q.pop_front()) else {
                return;
            };
            let path = dist.join(&l.rel);
            let r = std::fs::read(&path)
                .map_err(|e| Error::fatal(format!("{}: {e}", path.display())))
                .and_then(|bytes| {
                    if hex::encode(Sha256::digest(&bytes)) != l.sum.sha256 {
                        return Err(Error::fatal(pt!(
                            "{} が公開中に変わりました（kanko build と同時に実行しないでください）",
                            "{} changed during the publish (do not run it beside kanko build)",
                            path.display()
                        )));
                    }
                    retry(target, conn, |c| {
                        if l.fresh {
                            c.put_new(&l.rel, &bytes)
                        } else {
                            c.put(&l.rel, &bytes)
                        }
                    })
                });
            match r {
                Ok(()) => {
                    if let Ok(mut a) = s.arrived.lock() {
                        a.insert(l.rel.clone(), l.sum.clone());
                    }
                    let n = s.sent.fetch_add(1, Ordering::SeqCst) + 1;
                    s.sent_bytes.fetch_add(l.sum.size, Ordering::SeqCst);
                    s.bar.inc(l.sum.size);
                    s.bar.set_message(format!("{n}/{}", s.files));
                    let due = s
                        .flushed
                        .try_lock()
                        .ok()
                        .filter(|t| t.elapsed() > Duration::from_secs(2))
                        .map(|mut t| *t = Instant::now())
                        .is_some();
                    if due {
                        let _ = write_journal(target, conn, s);
                    }
                }
                Err(e) => {
                    if let Ok(mut f) = failed.lock() {
                        f.get_or_insert(e);
                    }
                    return;
                }
            }
        }
    };
    let extra = jobs.min(step.len()).saturating_sub(1);
    if pool.len() < extra {
        let new: Vec<_> = std::thread::scope(|scope| {
            let hs: Vec<_> = (pool.len()..extra)
                .map(|_| scope.spawn(|| connect(target)))
                .collect();
            hs.into_iter().filter_map(|h| h.join().ok()?.ok()).collect()
        });
        pool.extend(new);
    }
    std::thread::scope(|scope| {
        for c in pool.iter_mut().take(extra) {
            let work = &work;
            scope.spawn(move || work(c));
        }
        work(main);
    });
    match failed.into_inner().ok().flatten() {
        Some(e) => Err(e),
        None => Ok(()),
    }
}
