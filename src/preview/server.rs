//! `kanko serve`: the editor's loop. Builds into a temporary preview folder (never `dist/`),
//! serves it on 127.0.0.1, watches the report folders and rebuilds only the report that
//! changed; the page in the browser reloads (server-sent events) at the page of the edit, and
//! build errors appear over the last good preview.
//!
//! Typst's memo cache and the rendered pages are kept between builds, so an edit re-typesets
//! and re-draws only what changed.

use std::collections::{BTreeSet, HashMap};
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::json;

use super::{hosts, http};
use crate::config::BuildConfig;
use crate::diag::Diag;
use crate::i18n::tr;
use crate::outcome::{Live, Status};
use crate::term::Term;
use crate::typeset::world::Env;

const LIVE_JS: &str = include_str!("live.js");

/// What `kanko serve` was asked for.
pub struct Options {
    pub reports: PathBuf,
    pub port: u16,
    pub open: bool,
    /// Host names answered besides localhost, 127.0.0.1 and [::1] (`--allow-host`).
    pub allow_host: Vec<String>,
}

/// What the browser is told after each build.
struct Shared {
    version: Mutex<(u64, serde_json::Value)>,
    changed: Condvar,
}

impl Shared {
    fn publish(&self, status: serde_json::Value) {
        if let Ok(mut v) = self.version.lock() {
            v.0 += 1;
            v.1 = status;
        }
        self.changed.notify_all();
    }

    fn current(&self) -> (u64, serde_json::Value) {
        self.version
            .lock()
            .map(|v| v.clone())
            .unwrap_or((0, json!({})))
    }
}

pub fn serve(args: &Options) -> ExitCode {
    let printer = Term::new(false, false);
    let preview = match tempfile::Builder::new().prefix("kanko-preview-").tempdir() {
        Ok(d) => d,
        Err(e) => {
            printer.diag(&Diag::error(format!(
                "cannot create the preview folder: {e}"
            )));
            return ExitCode::from(1);
        }
    };
    let server = match http::bind(args.port) {
        Ok(s) => s,
        Err(e) => {
            let next = args.port.saturating_add(1);
            printer.diag(&Diag::error(format!("{} {}: {e}", tr("ポートを開けません", "cannot listen on port"), args.port)).help(
                crate::t!("別のプログラム（もう1つの kanko serve など）が使っています。`kanko serve --port {next}` を試してください", "another program (another kanko serve?) is using it; try `kanko serve --port {next}`"),
            ));
            return ExitCode::from(1);
        }
    };
    let out = preview.path().to_path_buf();
    stop_cleanly_on_ctrl_c(out.clone());
    // `[[fonts]]` is read once, at the start (a changed font list needs a restart).
    let env = match crate::config::SiteFile::load(&args.reports) {
        Ok(site) => crate::typeset::extra_fonts::env(&site.fonts),
        Err(d) => {
            printer.diag(&d);
            return ExitCode::from(1);
        }
    };
    let live = Live {
        pages: Some(Default::default()),
    };
    let shared = Arc::new(Shared {
        version: Mutex::new((0, json!({"errors": []}))),
        changed: Condvar::new(),
    });
    let mut blocks: HashMap<String, Vec<(u64, usize)>> = HashMap::new();
    let status = rebuild(
        &env,
        (&args.reports, &out, Vec::new()),
        &live,
        &printer,
        &mut blocks,
    );
    shared.publish(status);
    let port = server.local_addr().map_or(args.port, |a| a.port());
    let allowed = Arc::new(hosts::Allowed::new(port, &args.allow_host));
    let url = format!("http://127.0.0.1:{port}/");
    eprintln!(
        "{} {url}  ({})",
        tr("プレビュー:", "preview:"),
        tr("Ctrl-C で終了", "Ctrl-C to stop")
    );
    if args.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    {
        let (shared, out) = (shared.clone(), out.clone());
        std::thread::spawn(move || {
            http::run(&server, move |r| handle(r, &shared, &out, &allowed));
        });
    }
    watch_loop(args, &env, &out, &live, &printer, &shared, &mut blocks);
    drop(preview);
    ExitCode::SUCCESS
}

fn stop_cleanly_on_ctrl_c(preview: PathBuf) {
    let _ = ctrlc::set_handler(move || {
        let _ = std::fs::remove_dir_all(&preview);
        eprintln!("{}", tr("プレビューを終了しました", "preview stopped"));
        std::process::exit(0);
    });
}

/// Builds (`reports` into `out`: all reports, or those in `only`) and returns the status for the
/// browser. kanko.toml is read anew each time (it may have changed).
fn rebuild(
    env: &Env,
    (reports, out, only): (&Path, &Path, Vec<String>),
    live: &Live,
    printer: &Term,
    blocks: &mut HashMap<String, Vec<(u64, usize)>>,
) -> serde_json::Value {
    let started = Instant::now();
    let run = BuildConfig::preview(reports, out, only)
        .and_then(|cfg| crate::build::run(env, &cfg, printer, live));
    let mut errors = Vec::new();
    let mut slugs = Vec::new();
    let mut page = None;
    match run {
        Ok(run) => {
            for o in &run.outcomes {
                if !matches!(o.status, Status::Cached) {
                    slugs.push(o.slug.clone());
                }
                errors.extend(o.diags.iter().filter(|d| d.is_error()).map(error_json));
                if matches!(o.status, Status::Built { .. }) {
                    let before = blocks
                        .insert(o.slug.clone(), o.blocks.clone())
                        .unwrap_or_default();
                    page = page.or_else(|| first_change(&before, &o.blocks));
                }
            }
        }
        Err(d) => errors.push(error_json(&d)),
    }
    eprintln!(
        "{} ({:.2}s)",
        if errors.is_empty() {
            tr("プレビューを更新しました", "preview updated")
        } else {
            tr("エラーがあります", "build has errors")
        },
        started.elapsed().as_secs_f64()
    );
    json!({ "errors": errors, "slugs": slugs, "page": page })
}

/// A build that changed nothing (an editor's second write of the same file) and has the same
/// errors as before is not worth a reload.
fn worth_telling(previous: &serde_json::Value, now: &serde_json::Value) -> bool {
    let changed = now["slugs"].as_array().is_some_and(|s| !s.is_empty());
    changed || previous["errors"] != now["errors"]
}

/// The page of the first top-level block that differs from the previous build.
fn first_change(before: &[(u64, usize)], after: &[(u64, usize)]) -> Option<usize> {
    if before.is_empty() {
        return None;
    }
    let i = before
        .iter()
        .zip(after)
        .position(|(a, b)| a.0 != b.0)
        .unwrap_or(before.len().min(after.len()));
    after.get(i).or(after.last()).map(|b| b.1)
}

fn error_json(d: &Diag) -> serde_json::Value {
    let source = d.file.as_ref().filter(|_| d.line > 0).and_then(|f| {
        let text = std::fs::read_to_string(f).ok()?;
        text.lines().nth(d.line - 1).map(str::to_string)
    });
    json!({ "location": d.location(), "message": d.message, "line": d.line, "col": d.col, "source": source })
}

fn watch_loop(
    args: &Options,
    env: &Env,
    out: &Path,
    live: &Live,
    printer: &Term,
    shared: &Shared,
    blocks: &mut HashMap<String, Vec<(u64, usize)>>,
) {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = match notify::recommended_watcher(tx) {
        Ok(w) => w,
        Err(e) => {
            printer.diag(&Diag::error(format!("cannot watch files: {e}")));
            return;
        }
    };
    if let Err(e) = watcher.watch(&args.reports, RecursiveMode::Recursive) {
        printer.diag(&Diag::error(format!(
            "cannot watch {}: {e}",
            args.reports.display()
        )));
        return;
    }
    let root = args
        .reports
        .canonicalize()
        .unwrap_or_else(|_| args.reports.clone());
    let mut seen = Contents::default();
    seen.refresh(&root, &[]);
    while let Some(paths) = next_changes(&rx) {
        let Some(only) = affected(&root, &paths) else {
            continue;
        };
        // Events say a file was touched, not that its content differs (an editor's second
        // save of the same text, a `touch`): rebuild only what really changed.
        let only = seen.refresh(&root, &only);
        if only.is_none() {
            continue;
        }
        let only = only.unwrap_or_default();
        let status = rebuild(env, (&args.reports, out, only), live, printer, blocks);
        if worth_telling(&shared.current().1, &status) {
            shared.publish(status);
        }
    }
}

/// How long the files must be quiet before a rebuild: an editor's save is often several
/// events (truncate, write, rename of a temporary file).
const QUIET: Duration = Duration::from_millis(150);

/// Waits for the next burst of changes and returns their paths once the files are quiet;
/// `None` when the watcher is gone. Reads are not changes: opening, reading and closing a
/// file unwritten (an editor, `git status`, a backup tool, kanko's own build) are ignored,
/// and so are metadata-only events (access times, permissions).
fn next_changes(
    rx: &std::sync::mpsc::Receiver<notify::Result<notify::Event>>,
) -> Option<Vec<PathBuf>> {
    let mut paths = Vec::new();
    loop {
        let event = if paths.is_empty() {
            rx.recv().ok()?
        } else {
            match rx.recv_timeout(QUIET) {
                Ok(e) => e,
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => return Some(paths),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return Some(paths),
            }
        };
        if let Ok(event) = event
            && changes_content(&event.kind)
        {
            paths.extend(event.paths);
        }
    }
}

fn changes_content(kind: &notify::EventKind) -> bool {
    use notify::EventKind;
    use notify::event::{AccessKind, AccessMode, ModifyKind};
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        EventKind::Modify(ModifyKind::Metadata(_)) => false,
        EventKind::Create(_) | EventKind::Modify(_) | EventKind::Remove(_) => true,
        EventKind::Any | EventKind::Other => true,
    }
}

/// A fingerprint of every file of each report folder (and of `kanko.toml`), so that only
/// reports whose files' content changed are rebuilt.
#[derive(Default)]
struct Contents {
    reports: HashMap<String, [u8; 32]>,
    site: Option<[u8; 32]>,
}

impl Contents {
    /// Re-reads the reports named in `only` (all when empty) and returns which changed:
    /// `None` = nothing, `Some(vec![])` = everything (kanko.toml), else those slugs.
    fn refresh(&mut self, root: &Path, only: &[String]) -> Option<Vec<String>> {
        let site = fingerprint(&root.join("kanko.toml"));
        let site_changed = self.site.replace(site) != Some(site);
        let slugs: Vec<String> = if only.is_empty() {
            crate::build::discover(root)
                .unwrap_or_default()
                .iter()
                .filter_map(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
                .collect()
        } else {
            only.to_vec()
        };
        let mut changed = Vec::new();
        for slug in slugs {
            let now = fingerprint(&root.join(&slug));
            if self.reports.insert(slug.clone(), now) != Some(now) {
                changed.push(slug);
            }
        }
        if only.is_empty() && site_changed {
            return Some(Vec::new());
        }
        (!changed.is_empty()).then_some(changed)
    }
}

/// SHA-256 over the relative paths and contents of the files under `path` (sorted, hidden
/// and editor files skipped); a missing path has a fingerprint too.
fn fingerprint(path: &Path) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut files = Vec::new();
    collect_files(path, path, &mut files);
    files.sort();
    let mut h = Sha256::new();
    for (rel, full) in files {
        h.update(rel.as_bytes());
        h.update([0]);
        match std::fs::read(&full) {
            Ok(bytes) => {
                h.update((bytes.len() as u64).to_le_bytes());
                h.update(&bytes);
            }
            Err(_) => h.update(b"unreadable"),
        }
    }
    h.finalize().into()
}

fn collect_files(base: &Path, path: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(meta) = std::fs::metadata(path) else {
        return;
    };
    if meta.is_file() {
        let rel = path.strip_prefix(base).unwrap_or(path);
        out.push((rel.to_string_lossy().into_owned(), path.to_path_buf()));
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !ignored_name(&name) {
            collect_files(base, &entry.path(), out);
        }
    }
}

/// Hidden files, editor swap files and kanko's own backups are never content.
fn ignored_name(name: &str) -> bool {
    name.starts_with('.') || name.ends_with('~') || name.ends_with(".swp") || name.ends_with(".bak")
}

/// Which reports a set of changed paths touches: `Some(vec![])` = all (kanko.toml changed),
/// `None` = nothing that matters (editor swap files, hidden files).
fn affected(root: &Path, paths: &[PathBuf]) -> Option<Vec<String>> {
    let mut slugs = BTreeSet::new();
    for p in paths {
        let rel = p.strip_prefix(root).ok()?;
        let name = rel.file_name()?.to_string_lossy();
        if ignored_name(&name) {
            continue;
        }
        let mut parts = rel.components();
        match (parts.next(), parts.next()) {
            (Some(Component::Normal(f)), None) if f == "kanko.toml" => return Some(Vec::new()),
            (Some(Component::Normal(slug)), Some(_)) => {
                let slug = slug.to_string_lossy().into_owned();
                if !slug.starts_with('_') && !slug.starts_with('.') && root.join(&slug).is_dir() {
                    slugs.insert(slug);
                }
            }
            _ => {}
        }
    }
    (!slugs.is_empty()).then(|| slugs.into_iter().collect())
}

fn handle(request: http::Request, shared: &Shared, root: &Path, allowed: &hosts::Allowed) {
    if !allowed.admits(&request.hosts, &request.target) {
        let reply = http::Reply {
            status: 403,
            mime: "text/plain; charset=utf-8",
            body: tr(
                "このホスト名では答えません（localhost で開くか、kanko serve --allow-host 名前 で許可してください）",
                "this host name is not answered (open localhost, or allow it with kanko serve --allow-host NAME)",
            )
            .as_bytes()
            .to_vec(),
        };
        return request.respond(reply);
    }
    if request.method != "GET" && request.method != "HEAD" {
        let reply = http::Reply {
            status: 405,
            mime: "text/plain; charset=utf-8",
            body: b"GET only".to_vec(),
        };
        return request.respond(reply);
    }
    let reply = match request.path() {
        "/__kanko/events" => return events(request, shared),
        "/__kanko/status" => {
            let body = shared.current().1.to_string();
            http::Reply::ok(body.into_bytes(), "application/json")
        }
        "/__kanko/live.js" => http::Reply::ok(
            LIVE_JS.as_bytes().to_vec(),
            "text/javascript; charset=utf-8",
        ),
        path => file(root, path).unwrap_or_else(|| http::Reply {
            status: 404,
            mime: "text/plain; charset=utf-8",
            body: tr("見つかりません", "not found").as_bytes().to_vec(),
        }),
    };
    request.respond(reply);
}

/// A file of the preview; HTML pages get the live-reload script (only here, never in dist/).
fn file(root: &Path, url: &str) -> Option<http::Reply> {
    let mut path = root.to_path_buf();
    for part in url.split('/').filter(|p| !p.is_empty()) {
        let part = crate::manuscript::assets::percent_decode(part);
        // `%2f` decodes to a slash, and pushing "/etc/passwd" would replace the whole path.
        if part == ".." || part.starts_with('.') || part.contains(['\\', '/', '\0']) {
            return None;
        }
        path.push(part);
    }
    if path.is_dir() {
        path.push("index.html");
    }
    let mut bytes = Vec::new();
    std::fs::File::open(&path)
        .ok()?
        .read_to_end(&mut bytes)
        .ok()?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let mime = match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "webp" => "image/webp",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "pdf" => "application/pdf",
        "epub" => "application/epub+zip",
        _ => "application/octet-stream",
    };
    if ext == "html" {
        let reader = path.with_file_name("reader").join("index.html");
        bytes = preview_html(&String::from_utf8_lossy(&bytes), reader.is_file()).into_bytes();
    }
    Some(http::Reply::ok(bytes, mime))
}

/// An HTML page as the preview serves it: with the live-reload script and, on a report's
/// page (the one whose folder has a reader), a 「プレビュー」 button to the reader first, since
/// the reader is where an edit shows.
fn preview_html(html: &str, has_reader: bool) -> String {
    let mut html = html.to_string();
    let actions = "<p class=\"actions\">";
    if has_reader && let Some(i) = html.find(actions) {
        let label = if html.contains("<html lang=\"en") {
            "Preview"
        } else {
            "プレビュー"
        };
        let button = format!(
            "<a class=\"btn primary\" href=\"reader/index.html\" data-kanko-preview>{label}</a>"
        );
        html.insert_str(i + actions.len(), &button);
    }
    let tag = "<script src=\"/__kanko/live.js\"></script>";
    match html.rfind("</body>") {
        Some(i) => html.insert_str(i, &format!("{tag}\n")),
        None => html.push_str(tag),
    }
    html
}

/// Server-sent events: one `reload` event per finished build, a comment every 15 s.
fn events(request: http::Request, shared: &Shared) {
    let mut seen = shared.current().0;
    let Some(mut w) = request.into_event_stream() else {
        return;
    };
    loop {
        let next = {
            let Ok(guard) = shared.version.lock() else {
                return;
            };
            let (guard, _) = shared
                .changed
                .wait_timeout_while(guard, Duration::from_secs(15), |v| v.0 == seen)
                .unwrap_or_else(|e| e.into_inner());
            guard.clone()
        };
        let msg = if next.0 != seen {
            seen = next.0;
            format!("event: reload\ndata: {}\n\n", next.1)
        } else {
            ": ping\n\n".to_string()
        };
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_paths_map_to_reports() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("a/images")).unwrap();
        std::fs::create_dir_all(root.join("b")).unwrap();
        let got = affected(root, &[root.join("a/01.md"), root.join("a/images/x.png")]);
        assert_eq!(got, Some(vec!["a".to_string()]));
        assert_eq!(affected(root, &[root.join("kanko.toml")]), Some(vec![]));
        assert_eq!(affected(root, &[root.join("a/.01.md.swp")]), None);
    }

    #[test]
    fn the_first_changed_block_gives_the_page() {
        let before = [(1, 1), (2, 3), (3, 5)];
        let after = [(1, 1), (9, 3), (3, 5)];
        assert_eq!(first_change(&before, &after), Some(3));
        assert_eq!(first_change(&[], &after), None);
        assert_eq!(
            first_change(&before, &[(1, 1), (2, 3), (3, 5), (4, 6)]),
            Some(6)
        );
    }
}
