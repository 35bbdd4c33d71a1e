//! `kanko serve` as an editor uses it: save a chapter, see the change; break the metadata,
//! see the error over the last good preview; fix it, see the error go.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::util::{BIN, Work};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn get(port: u16, path: &str) -> Option<(u16, String)> {
    get_as(port, &format!("127.0.0.1:{port}"), path)
}

/// A GET over a real connection to 127.0.0.1 that names `host` in its `Host` header.
fn get_as(port: u16, host: &str, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let code = text.split_whitespace().nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map_or(String::new(), |(_, b)| b.to_string());
    Some((code, body))
}

/// Reads server-sent events into a channel, one `data:` payload per event.
fn events(port: u16) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        s,
        "GET /__kanko/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"
    )
    .unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(s).lines() {
            let Ok(line) = line else { break };
            if let Some(data) = line.strip_prefix("data: ")
                && tx.send(data.to_string()).is_err()
            {
                break;
            }
        }
    });
    rx
}

struct Serve(Child);

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-INT", &self.0.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.0.kill();
    }
}

fn start(w: &Work, port: u16) -> Serve {
    start_with(w, port, &[])
}

fn start_with(w: &Work, port: u16, extra: &[&str]) -> Serve {
    let child = Command::new(BIN)
        .current_dir(w.dir.path())
        .args(["serve", "--reports", "reports", "--port", &port.to_string()])
        .args(extra)
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let serve = Serve(child);
    let deadline = Instant::now() + Duration::from_secs(60);
    while get(port, "/__kanko/status").is_none() {
        assert!(Instant::now() < deadline, "kanko serve did not start");
        std::thread::sleep(Duration::from_millis(100));
    }
    serve
}

/// The first event within 20 s that satisfies `want` (a save can be seen half-written first:
/// the watcher may fire on the truncation and again on the full write).
fn event_where(
    rx: &mpsc::Receiver<String>,
    what: &str,
    want: impl Fn(&serde_json::Value) -> bool,
) -> serde_json::Value {
    let deadline = Instant::now() + Duration::from_secs(20);
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        let Ok(data) = rx.recv_timeout(left) else {
            break;
        };
        let ev: serde_json::Value = serde_json::from_str(&data).unwrap();
        if want(&ev) {
            return ev;
        }
    }
    panic!("no matching reload event after {what}");
}

fn no_errors(ev: &serde_json::Value) -> bool {
    ev["errors"].as_array().is_some_and(|e| e.is_empty())
}

#[test]
fn an_edit_reloads_the_reader_and_an_error_shows_until_fixed() {
    let w = Work::new();
    w.report(
        "alpha",
        &[(
            "01.md",
            "# はじめに\n\n最初の本文です。\n\n## 二節\n\n続き。\n",
        )],
    );
    let port = free_port();
    let _serve = start(&w, port);
    let (code, page) = get(port, "/alpha/reader/index.html").unwrap();
    assert_eq!(code, 200);
    assert!(
        page.contains("/__kanko/live.js"),
        "the preview injects the reload script"
    );
    let rx = events(port);
    std::thread::sleep(Duration::from_millis(300));

    let started = Instant::now();
    w.write(
        "alpha/01.md",
        "# はじめに\n\n最初の本文です。\n\n## 二節\n\n書き換えた続き。\n",
    );
    let ev = event_where(&rx, "editing a chapter", no_errors);
    eprintln!("edit → reload event: {:?}", started.elapsed());
    assert_eq!(ev["slugs"], serde_json::json!(["alpha"]));
    assert!(ev["errors"].as_array().unwrap().is_empty());
    assert!(
        ev["page"].as_u64().is_some(),
        "the event names the page of the edit: {ev}"
    );
    let edited = (0..=2)
        .filter_map(|g| get(port, &format!("/alpha/reader/text/{g}.js")))
        .any(|(_, text)| text.contains("書き換えた続き"));
    assert!(edited, "a page's text layer has the edit");

    w.write("alpha/report.toml", "title = \"壊れた\n");
    let ev = event_where(&rx, "breaking report.toml", |e| !no_errors(e));
    let errors = ev["errors"].as_array().unwrap();
    assert!(!errors.is_empty(), "{ev}");
    assert!(
        errors[0]["location"]
            .as_str()
            .unwrap()
            .contains("report.toml:1"),
        "{ev}"
    );
    let (_, status) = get(port, "/__kanko/status").unwrap();
    assert!(status.contains("report.toml"));
    let (code, _) = get(port, "/alpha/reader/index.html").unwrap();
    assert_eq!(code, 200, "the last good preview stays");

    w.write("alpha/report.toml", crate::util::report_toml("alpha", "ja"));
    let ev = event_where(&rx, "fixing report.toml", no_errors);
    assert!(ev["errors"].as_array().unwrap().is_empty(), "{ev}");
    assert!(!w.dist().exists(), "serve never writes dist/");
    let (_, live) = get(port, "/__kanko/live.js").unwrap();
    assert!(live.contains("EventSource"));
    assert!(get(port, "/../etc/passwd").unwrap().0 == 404);
}

#[test]
fn a_port_in_use_gives_a_clear_message() {
    let w = Work::new();
    w.report("alpha", &[("01.md", "# 章\n\n本文\n")]);
    let busy = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = busy.local_addr().unwrap().port().to_string();
    let run = w.kanko(&["serve", "--reports", "reports", "--port", &port]);
    run.fails();
    run.says("--port");
    assert!(!run.stderr.contains("panicked"));
}

/// Events that arrive within `window`.
fn events_within(rx: &mpsc::Receiver<String>, window: Duration) -> Vec<String> {
    let deadline = Instant::now() + window;
    let mut got = Vec::new();
    while let Some(left) = deadline.checked_duration_since(Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(ev) => got.push(ev),
            Err(_) => break,
        }
    }
    got
}

#[test]
fn reading_files_is_not_a_change_and_one_save_is_one_event() {
    let w = Work::new();
    w.report("alpha", &[("01.md", "# はじめに\n\n本文です。\n")]);
    let port = free_port();
    let _serve = start(&w, port);
    let rx = events(port);
    std::thread::sleep(Duration::from_millis(300));

    // What an editor opening files, `git status` or a backup tool does: open, read, close.
    let files = [
        w.reports().join("alpha/01.md"),
        w.reports().join("alpha/report.toml"),
    ];
    for _ in 0..20 {
        for f in &files {
            let _ = std::fs::read(f).unwrap();
            let _ = std::fs::metadata(f).unwrap();
        }
        let _ = std::fs::read_dir(w.reports().join("alpha"))
            .unwrap()
            .count();
        std::thread::sleep(Duration::from_millis(50));
    }
    let seen = events_within(&rx, Duration::from_secs(3));
    assert!(seen.is_empty(), "reads caused rebuilds: {seen:?}");

    // A save that leaves the content as it was (an editor's second write) is no change either.
    w.write("alpha/01.md", "# はじめに\n\n本文です。\n");
    let seen = events_within(&rx, Duration::from_secs(2));
    assert!(
        seen.is_empty(),
        "an unchanged save caused a rebuild: {seen:?}"
    );

    // A real change is one event, however many times the files are read afterwards.
    w.write("alpha/01.md", "# はじめに\n\n書き換えた本文です。\n");
    let first = event_where(&rx, "editing a chapter", no_errors);
    assert_eq!(first["slugs"], serde_json::json!(["alpha"]));
    for _ in 0..10 {
        let _ = std::fs::read(&files[0]).unwrap();
        std::thread::sleep(Duration::from_millis(50));
    }
    let more = events_within(&rx, Duration::from_secs(2));
    assert!(more.is_empty(), "one save, one event: also {more:?}");

    // A broken report.toml is one error event, not a stream of them.
    w.write("alpha/report.toml", "title = \"壊れた\n");
    let broken = event_where(&rx, "breaking report.toml", |e| !no_errors(e));
    assert!(!broken["errors"].as_array().unwrap().is_empty());
    let more = events_within(&rx, Duration::from_secs(2));
    assert!(more.is_empty(), "one error event: also {more:?}");
    w.write("alpha/report.toml", crate::util::report_toml("alpha", "ja"));
    event_where(&rx, "fixing report.toml", no_errors);
}

#[test]
fn the_preview_report_page_offers_the_reader_first() {
    let w = Work::new();
    w.report("alpha", &[("01.md", "# はじめに\n\n本文です。\n")]);
    let port = free_port();
    let _serve = start(&w, port);
    let (code, page) = get(port, "/alpha/index.html").unwrap();
    assert_eq!(code, 200);
    let actions = page
        .split("<p class=\"actions\">")
        .nth(1)
        .expect("the actions");
    assert!(
        actions.starts_with(
            "<a class=\"btn primary\" href=\"reader/index.html\" data-kanko-preview>プレビュー</a>"
        ),
        "{actions}"
    );
    let (_, index) = get(port, "/index.html").unwrap();
    assert!(
        !index.contains("data-kanko-preview"),
        "only on a report's own page"
    );
}

/// DNS rebinding: a page on evil.example whose name now resolves to 127.0.0.1 sends
/// `Host: evil.example:PORT`. Only loopback names (and `--allow-host` ones) get the preview.
#[test]
fn a_spoofed_host_gets_403_everywhere_and_loopback_names_get_the_preview() {
    let w = Work::new();
    w.report("alpha", &[("01.md", "# はじめに\n\n未公開の本文です。\n")]);
    let port = free_port();
    let _serve = start_with(&w, port, &["--allow-host", "preview.example"]);
    let paths = [
        "/",
        "/index.html",
        "/alpha/reader/index.html",
        "/__kanko/status",
        "/__kanko/live.js",
        "/__kanko/events",
        "/nothing-here",
    ];
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("other.example:{port}"),
        format!("localhost:{}", port.wrapping_add(1)),
    ] {
        for path in paths {
            let (code, body) = get_as(port, &host, path).expect("an answer");
            assert_eq!(code, 403, "Host: {host} GET {path} → {code}");
            assert!(
                !body.contains('<') && !body.contains("alpha"),
                "{host} {path}"
            );
        }
    }
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        format!("preview.example:{port}"),
    ] {
        let (code, body) = get_as(port, &host, "/alpha/reader/index.html").unwrap();
        assert_eq!(code, 200, "Host: {host}");
        assert!(body.contains("/__kanko/live.js"), "{host}");
    }
    // No Host at all (HTTP/1.0 style) and two Host headers are refused too.
    for head in [
        "GET / HTTP/1.0\r\n\r\n".to_string(),
        format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nHost: evil.example\r\n\r\n"),
        format!("GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n"),
    ] {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        s.write_all(head.as_bytes()).unwrap();
        let mut raw = String::new();
        let _ = s.read_to_string(&mut raw);
        assert!(raw.starts_with("HTTP/1.1 403"), "{head:?} → {raw}");
    }
}

/// Paths that climb out of the preview folder get nothing, over a real connection with the
/// right `Host` (so the host check is not what refuses them).
#[test]
fn paths_out_of_the_preview_are_refused() {
    let w = Work::new();
    w.report("alpha", &[("01.md", "# はじめに\n\n本文です。\n")]);
    let secret = w.write("secret.txt", "ひみつのメモ");
    let absolute = format!("/{}", secret.display().to_string().replace('/', "%2f"));
    let port = free_port();
    let _serve = start(&w, port);
    assert_eq!(get(port, "/alpha/reader/index.html").unwrap().0, 200);
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    for path in [
        "/../../../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/%2fetc%2fpasswd",
        "/alpha/%2fetc%2fpasswd",
        "/..%5c..%5cetc%5cpasswd",
        "/../reports/secret.txt",
        "/%2e%2e/reports/secret.txt",
        &absolute,
    ] {
        let (code, body) = get(port, path).expect("an answer");
        assert_ne!(code, 200, "{path}");
        assert!(!body.contains("ひみつ"), "{path}");
        assert!(passwd.is_empty() || !body.contains("root:"), "{path}");
    }
}
