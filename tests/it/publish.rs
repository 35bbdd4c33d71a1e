//! `kanko publish` against real servers on 127.0.0.1 (OpenSSH's sshd with SFTP, moto's S3
//! server) and a local folder; a TCP proxy in the test cuts the connection after N bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use crate::util::{Run, Work};

const MANIFEST: &str = ".kanko-publish.json";

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(d: &Path, pre: &str, out: &mut BTreeMap<String, Vec<u8>>) {
        for e in std::fs::read_dir(d).unwrap().map(Result::unwrap) {
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = format!("{pre}{name}");
            if e.file_type().unwrap().is_dir() {
                walk(&e.path(), &format!("{rel}/"), out);
            } else {
                out.insert(rel, std::fs::read(e.path()).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, "", &mut out);
    }
    out
}

/// `dist/` as it should appear on the target (kanko's own dot files stay home).
fn published(dist: &Path) -> BTreeMap<String, Vec<u8>> {
    tree(dist)
        .into_iter()
        .filter(|(k, _)| !k.split('/').any(|c| c.starts_with('.')))
        .collect()
}

/// Fails with the names of the files that differ (never their bytes).
#[track_caller]
fn same_tree(got: &BTreeMap<String, Vec<u8>>, want: &BTreeMap<String, Vec<u8>>, ctx: &str) {
    let keys: BTreeSet<&String> = got.keys().chain(want.keys()).collect();
    let diff: Vec<String> = keys
        .into_iter()
        .filter(|k| got.get(*k) != want.get(*k))
        .map(|k| {
            format!(
                "{k}: target {} / dist {}",
                got.get(k)
                    .map_or("missing".into(), |v| format!("{} B", v.len())),
                want.get(k)
                    .map_or("missing".into(), |v| format!("{} B", v.len()))
            )
        })
        .collect();
    assert!(diff.is_empty(), "{ctx}: {diff:#?}");
}

/// Relative links in the site's pages and feeds (attributes), scripts and data (quoted paths)
/// that point to no file in `files`.
fn broken_links(files: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let attr = regex::Regex::new(r#"(?:href|src|data-src|poster)\s*=\s*"([^"]+)""#).unwrap();
    let quoted = regex::Regex::new(
        r#"["']((?:[A-Za-z0-9_\-.%]|[^\x00-\x7F])+(?:/(?:[A-Za-z0-9_\-.%]|[^\x00-\x7F])+)*\.(?:html|pdf|epub|webp|png|jpg|woff2|css|xml|json))["']"#,
    )
    .unwrap();
    let resolve = |dir: &str, l: &str| -> String {
        let mut parts: Vec<&str> = if dir.is_empty() {
            vec![]
        } else {
            dir.split('/').collect()
        };
        for c in l.split('/') {
            match c {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                c => parts.push(c),
            }
        }
        parts.join("/")
    };
    let exists = |t: &str| {
        let d = percent_decode(t);
        files.contains_key(t)
            || files.contains_key(&d)
            || files.contains_key(&format!("{d}/index.html"))
    };
    let folders: BTreeSet<&str> = files
        .keys()
        .filter_map(|k| k.split_once('/').map(|(d, _)| d))
        .collect();
    let mut bad = Vec::new();
    for (rel, bytes) in files {
        let ext = rel.rsplit('.').next().unwrap_or("");
        if !matches!(ext, "html" | "js" | "json" | "xml" | "xhtml") || rel.starts_with('.') {
            continue;
        }
        // the site's own scripts (catalog.js, …) build paths from data: they hold templates
        if ext == "js" && !rel.contains('/') {
            continue;
        }
        let text = String::from_utf8_lossy(bytes);
        let dir = rel.rsplit_once('/').map_or("", |(d, _)| d);
        let top = rel.split_once('/').map_or("", |(d, _)| d);
        let page = matches!(ext, "html" | "xhtml" | "xml");
        let links: Vec<String> = if page {
            attr.captures_iter(&text)
                .map(|c| c[1].to_string())
                .collect()
        } else {
            quoted
                .captures_iter(&text)
                .map(|c| c[1].to_string())
                .collect()
        };
        for l in links {
            let l = l.split(['#', '?']).next().unwrap_or("").to_string();
            if l.is_empty()
                || l.contains("://")
                || l.starts_with('/')
                || l.starts_with("data:")
                || l.starts_with("mailto:")
                || l.contains(['$', '{', '\\'])
            {
                continue;
            }
            // a page resolves against its folder; data in a script may name a path from
            // its folder, its report's folder or the site root
            // (catalog data names a report's files from that report's folder)
            let ok = exists(&resolve(dir, &l))
                || (!page
                    && (exists(&resolve(top, &l))
                        || exists(&resolve("", &l))
                        || folders.iter().any(|f| {
                            text.contains(&format!("\"{f}\"")) && exists(&resolve(f, &l))
                        })));
            if !ok {
                bad.push(format!("{rel} -> {l}"));
            }
        }
    }
    bad
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) =
                u8::from_str_radix(std::str::from_utf8(&b[i + 1..i + 3]).unwrap_or("zz"), 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// "sent N files" from the summary line.
fn sent(r: &Run) -> usize {
    let re = regex::Regex::new(r"sent (\d+) files").unwrap();
    re.captures(&r.stderr)
        .unwrap_or_else(|| panic!("no summary:\n{}", r.stderr))[1]
        .parse()
        .unwrap()
}

fn kanko_env(work: &Work, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(crate::util::BIN);
    cmd.current_dir(work.dir.path())
        .args(args)
        .env("LANG", "C.UTF-8")
        .env("KANKO_LANG", "en")
        .env_remove("LC_ALL")
        .env_remove("SSH_AUTH_SOCK");
    for (k, v) in env {
        cmd.env(k, v);
    }
    Run::from(cmd.output().expect("run kanko"))
}

/// Two small reports, one with a Japanese file name in an image.
fn site_v1(work: &Work) {
    work.report(
        "a",
        &[("01.md", "# 第一章\n\n最初の報告です。\n\n## 節\n\n本文。\n")],
    );
    work.report("b", &[("01.md", "# はじめに\n\nもう一つの報告。\n")]);
    work.build().ok();
}

/// A changes, B is withdrawn, C is new.
fn site_v2(work: &Work) {
    work.write(
        "a/01.md",
        "# 第一章\n\n書き直した報告です。\n\n## 節\n\n本文を足しました。\n",
    );
    std::fs::remove_dir_all(work.reports().join("b")).unwrap();
    work.report("c", &[("01.md", "# 新しい報告\n\n三つめ。\n")]);
    work.build().ok();
}

// ------------------------------------------------------------------ servers

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn wait_port(port: u16, child: &mut Child) {
    let t = Instant::now();
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if let Ok(Some(st)) = child.try_wait() {
            panic!("server exited: {st}");
        }
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "server did not start on {port}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

struct Server {
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// OpenSSH's sshd on a high port with its own host key; the client's key and known_hosts in
/// a fake HOME.
struct Sshd {
    _server: Server,
    port: u16,
    home: PathBuf,
    _tmp: tempfile::TempDir,
}

impl Sshd {
    /// The same host key is expected on another port (a proxy in front of sshd).
    fn trust_port(&self, port: u16) {
        let kh = self.home.join(".ssh/known_hosts");
        let line = std::fs::read_to_string(&kh).unwrap();
        let (_, rest) = line.split_once(' ').unwrap();
        let mut f = std::fs::OpenOptions::new().append(true).open(&kh).unwrap();
        writeln!(f, "[127.0.0.1]:{port} {}", rest.trim()).unwrap();
    }
}

fn sshd() -> Sshd {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let keygen = |path: &Path| {
        let st = Command::new("ssh-keygen")
            .args(["-q", "-t", "ed25519", "-N", "", "-f"])
            .arg(path)
            .status()
            .expect("ssh-keygen (openssh-client)");
        assert!(st.success());
    };
    keygen(&d.join("host_key"));
    let home = d.join("home");
    std::fs::create_dir_all(home.join(".ssh")).unwrap();
    keygen(&home.join(".ssh/id_ed25519"));
    std::fs::copy(home.join(".ssh/id_ed25519.pub"), d.join("authorized_keys")).unwrap();
    let port = free_port();
    let host_pub = std::fs::read_to_string(d.join("host_key.pub")).unwrap();
    let mut it = host_pub.split_whitespace();
    let (kt, key) = (it.next().unwrap(), it.next().unwrap());
    std::fs::write(
        home.join(".ssh/known_hosts"),
        format!("[127.0.0.1]:{port} {kt} {key}\n"),
    )
    .unwrap();
    let conf = d.join("sshd_config");
    std::fs::write(
        &conf,
        format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {hk}\nPidFile {d}/sshd.pid\n\
             AuthorizedKeysFile {d}/authorized_keys\nPasswordAuthentication no\n\
             KbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\nStrictModes no\n\
             UsePAM no\nSubsystem sftp internal-sftp\nMaxStartups 50\nMaxSessions 50\nLogLevel ERROR\n",
            hk = d.join("host_key").display(),
            d = d.display()
        ),
    )
    .unwrap();
    let _ = std::fs::create_dir_all("/run/sshd");
    let sshd = ["/usr/sbin/sshd", "/usr/bin/sshd"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("sshd (openssh-server) is not installed; ./tests/run installs it");
    let mut child = Command::new(sshd)
        .args(["-D", "-e", "-f"])
        .arg(&conf)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_port(port, &mut child);
    Sshd {
        _server: Server { child },
        port,
        home,
        _tmp: tmp,
    }
}

fn user() -> String {
    std::env::var("USER").unwrap_or_else(|_| "root".into())
}

/// A TCP proxy on 127.0.0.1: after `cut` bytes from the client (over all connections) it
/// closes every connection and refuses new ones; `delay` is added to each chunk both ways.
pub struct Proxy {
    pub port: u16,
    stop: Arc<AtomicBool>,
}

fn pipe(
    mut from: TcpStream,
    mut to: TcpStream,
    count: Option<(Arc<AtomicU64>, Option<u64>)>,
    dead: Arc<AtomicBool>,
    delay: Duration,
) {
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        let _ = from.set_read_timeout(Some(Duration::from_millis(100)));
        while !dead.load(Ordering::SeqCst) {
            let n = match from.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) =>
                {
                    continue;
                }
                Err(_) => break,
            };
            if let Some((cnt, cut)) = &count {
                let before = cnt.fetch_add(n as u64, Ordering::SeqCst);
                if let Some(c) = *cut
                    && before + n as u64 >= c
                {
                    let keep = c.saturating_sub(before) as usize;
                    let _ = to.write_all(&buf[..keep]);
                    dead.store(true, Ordering::SeqCst);
                    break;
                }
            }
            if !delay.is_zero() {
                std::thread::sleep(delay);
            }
            if to.write_all(&buf[..n]).is_err() {
                break;
            }
        }
        let _ = from.shutdown(Shutdown::Both);
        let _ = to.shutdown(Shutdown::Both);
    });
}

impl Proxy {
    pub fn new(upstream: u16, cut: Option<u64>, delay: Duration) -> Proxy {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        let up = Arc::new(AtomicU64::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let (up2, stop2) = (up.clone(), stop.clone());
        l.set_nonblocking(true).unwrap();
        std::thread::spawn(move || {
            let started = Instant::now();
            // bounded: a proxy lives at most 10 minutes
            while started.elapsed() < Duration::from_secs(600) {
                if stop2.load(Ordering::SeqCst) && cut.is_none() {
                    break;
                }
                let Ok((client, _)) = l.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                if stop2.load(Ordering::SeqCst) {
                    drop(client); // cut: refuse every new connection
                    continue;
                }
                client.set_nonblocking(false).unwrap();
                let Ok(server) = TcpStream::connect(("127.0.0.1", upstream)) else {
                    continue;
                };
                let _ = server.set_nodelay(true);
                let _ = client.set_nodelay(true);
                // with a cut, one flag ends every connection; without, each has its own
                let dead = if cut.is_some() {
                    stop2.clone()
                } else {
                    Arc::new(AtomicBool::new(false))
                };
                pipe(
                    client.try_clone().unwrap(),
                    server.try_clone().unwrap(),
                    Some((up2.clone(), cut)),
                    dead.clone(),
                    delay,
                );
                pipe(server, client, None, dead, delay);
            }
        });
        Proxy { port, stop }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

// ------------------------------------------------------------------ tests

#[test]
fn file_target_sends_only_changes_in_order_and_never_deletes_a_file_it_did_not_publish() {
    let work = Work::new();
    site_v1(&work);
    let www = work.dir.path().join("www");
    std::fs::create_dir_all(www.join("b")).unwrap();
    std::fs::write(www.join("own.html"), "site owner's page").unwrap();
    std::fs::write(www.join("b/extra.txt"), "placed by hand").unwrap();
    let url = format!("file://{}", www.display());
    // dry run changes nothing
    let r = kanko_env(&work, &["publish", "--dry-run", &url], &[]);
    r.ok();
    assert!(r.stderr.contains("plan (nothing changed)"), "{}", r.stderr);
    assert_eq!(tree(&www).len(), 2);
    let first = kanko_env(&work, &["publish", &url], &[]);
    first.ok();
    let dist = published(&work.dist());
    assert_eq!(sent(&first), dist.len());
    let again = kanko_env(&work, &["publish", &url], &[]);
    assert_eq!(sent(again.ok()), 0, "nothing changed, nothing sent");
    site_v2(&work);
    let dist2 = published(&work.dist());
    let changed = dist2
        .iter()
        .filter(|(k, v)| dist.get(*k) != Some(*v))
        .count();
    let r = kanko_env(&work, &["publish", &url], &[]);
    assert_eq!(sent(r.ok()), changed, "only changed files are sent");
    let mut got = tree(&www);
    assert!(got.remove(MANIFEST).is_some());
    assert_eq!(
        got.remove("own.html").as_deref(),
        Some(&b"site owner's page"[..])
    );
    assert_eq!(
        got.remove("b/extra.txt").as_deref(),
        Some(&b"placed by hand"[..])
    );
    assert_eq!(
        got, dist2,
        "target == dist/ (plus the owner's files and the manifest)"
    );
    assert!(!www.join("b/index.html").exists());
    assert!(broken_links(&got).is_empty(), "{:?}", broken_links(&got));
}

#[test]
fn refuses_an_unfinished_dist_a_password_in_kanko_toml_and_too_many_deletions() {
    let work = Work::new();
    site_v1(&work);
    let www = work.dir.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    let url = format!("file://{}", www.display());
    std::fs::create_dir_all(work.dist().join(".kanko-staging")).unwrap();
    let r = kanko_env(&work, &["publish", &url], &[]);
    r.fails().says("unfinished build");
    std::fs::remove_dir(work.dist().join(".kanko-staging")).unwrap();
    assert!(tree(&www).is_empty());
    std::fs::write(
        work.dir.path().join("kanko.toml"),
        "[publish]\ntarget = \"sftp://me@example.org/www/\"\npassword = \"hunter2\"\n",
    )
    .unwrap();
    let r = kanko_env(&work, &["publish"], &[]);
    r.fails().says("KANKO_PUBLISH_PASSWORD").says("kanko.toml");
    assert!(!r.stderr.contains("hunter2"), "no secret in a message");
    std::fs::write(
        work.dir.path().join("kanko.toml"),
        format!("[publish]\ntarget = \"{url}\"\n"),
    )
    .unwrap();
    kanko_env(&work, &["publish", "-q"], &[]).ok();
    std::fs::remove_dir_all(work.dist().join("a")).unwrap();
    std::fs::remove_dir_all(work.dist().join("b")).unwrap();
    let before = tree(&www);
    let r = kanko_env(&work, &["publish", "--max-delete", "3"], &[]);
    r.fails().says("--max-delete");
    same_tree(&tree(&www), &before, "nothing changed");
    // a lock held by another publish
    std::fs::write(
        www.join(".kanko-publish.lock"),
        format!(
            "{{\"owner\":\"someone@elsewhere\",\"pid\":1,\"since\":{}}}",
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs()
        ),
    )
    .unwrap();
    let before = tree(&www);
    let r = kanko_env(&work, &["publish", "--max-delete", "1000"], &[]);
    r.fails()
        .says("another publish is running")
        .says("someone@elsewhere")
        .says("--break-lock");
    same_tree(&tree(&www), &before, "lock held");
    kanko_env(
        &work,
        &["publish", "--max-delete", "1000", "--break-lock"],
        &[],
    )
    .ok();
    assert!(!www.join(".kanko-publish.lock").exists());
    assert!(!www.join("a/index.html").exists());
}

#[test]
fn two_publishes_at_once_one_waits_its_turn_or_refuses() {
    let work = Work::new();
    site_v1(&work);
    let www = work.dir.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    let url = format!("file://{}", www.display());
    let spawn = || {
        Command::new(crate::util::BIN)
            .current_dir(work.dir.path())
            .args(["publish", "--jobs", "1", &url])
            .env("KANKO_LANG", "en")
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let ok = [&a, &b].iter().filter(|o| o.status.success()).count();
    for o in [&a, &b] {
        if !o.status.success() {
            let e = String::from_utf8_lossy(&o.stderr);
            assert!(e.contains("another publish is running"), "{e}");
        }
    }
    assert!(ok >= 1);
    let mut got = tree(&www);
    got.remove(MANIFEST);
    same_tree(&got, &published(&work.dist()), "target == dist/");
}

#[test]
fn unchanged_files_keep_mtime_and_inode_across_a_rebuild() {
    use std::os::unix::fs::MetadataExt;
    let work = Work::new();
    work.report(
        "a",
        &[("01.md", "# 一\n\n本文。\n"), ("02.md", "# 二\n\n本文。\n")],
    );
    work.report("b", &[("01.md", "# はじめに\n\n別の報告。\n")]);
    work.build().ok();
    let stamp = |p: &Path| {
        let m = std::fs::metadata(p).unwrap();
        (m.ino(), m.mtime(), m.mtime_nsec())
    };
    let before: BTreeMap<String, ((u64, i64, i64), Vec<u8>)> = tree(&work.dist())
        .into_iter()
        .map(|(k, v)| (k.clone(), (stamp(&work.dist().join(&k)), v)))
        .collect();
    std::thread::sleep(Duration::from_millis(50));
    work.write("a/02.md", "# 二\n\n本文を一文だけ直しました。\n");
    work.build().ok();
    let (mut same, mut changed) = (0, 0);
    for (k, v) in tree(&work.dist()) {
        let Some((st, old)) = before.get(&k) else {
            continue;
        };
        if *old == v {
            assert_eq!(
                stamp(&work.dist().join(&k)),
                *st,
                "{k}: same bytes, touched"
            );
            same += 1;
        } else {
            changed += 1;
        }
    }
    assert!(changed > 0 && same > 0, "{same} same, {changed} changed");
    assert!(
        before.keys().filter(|k| k.starts_with("b/")).count() > 3,
        "report b has files"
    );
}

#[test]
fn sftp_publishes_to_openssh_and_checks_host_keys_and_logins() {
    let s = sshd();
    let work = Work::new();
    site_v1(&work);
    let root = tempfile::tempdir().unwrap();
    let www = root.path().join("公開");
    std::fs::create_dir_all(&www).unwrap();
    let url = format!("sftp://{}@127.0.0.1:{}/{}", user(), s.port, www.display());
    let home = s.home.display().to_string();
    let env = [("HOME", home.as_str())];
    let r = kanko_env(&work, &["publish", &url], &env);
    r.ok();
    let mut got = tree(&www);
    assert!(got.remove(MANIFEST).is_some());
    same_tree(&got, &published(&work.dist()), "target == dist/");
    // unknown host key: refused, with the fingerprint and how to accept it
    let other = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(other.path().join(".ssh")).unwrap();
    std::fs::copy(
        s.home.join(".ssh/id_ed25519"),
        other.path().join(".ssh/id_ed25519"),
    )
    .unwrap();
    let oh = other.path().display().to_string();
    let r = kanko_env(&work, &["publish", &url], &[("HOME", oh.as_str())]);
    r.fails()
        .says("unknown host key")
        .says("SHA256:")
        .says("ssh-keyscan");
    // a key the server does not accept
    let wrong = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(wrong.path().join(".ssh")).unwrap();
    std::fs::copy(
        s.home.join(".ssh/known_hosts"),
        wrong.path().join(".ssh/known_hosts"),
    )
    .unwrap();
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(wrong.path().join(".ssh/id_ed25519"))
        .status()
        .unwrap();
    assert!(st.success());
    let wh = wrong.path().display().to_string();
    let r = kanko_env(
        &work,
        &["publish", &url],
        &[
            ("HOME", wh.as_str()),
            ("KANKO_PUBLISH_PASSWORD", "wrong-secret"),
        ],
    );
    r.fails().says("cannot log in");
    assert!(!r.stderr.contains("wrong-secret"));
}

/// Interrupt an update (A changed, B withdrawn, C new) at several byte counts: after each
/// cut no page on the server links to a missing file; a rerun finishes, sends no file that
/// had already arrived intact, and leaves the server equal to dist/.
#[test]
fn sftp_cut_at_n_bytes_never_leaves_a_broken_link_and_a_rerun_finishes() {
    let s = sshd();
    let home = s.home.display().to_string();
    let env = [("HOME", home.as_str())];
    let work = Work::new();
    site_v1(&work);
    let v1 = published(&work.dist());
    let v1_bytes: u64 = v1.values().map(|v| v.len() as u64).sum();
    site_v2(&work);
    let v2 = published(&work.dist());
    let v1_dist = work.dir.path().join("dist-v1");
    // v1 again in its own folder, to reset the server before each cut
    let mut cuts = Vec::new();
    for frac in [0.15, 0.4, 0.7, 0.95] {
        cuts.push((v1_bytes as f64 * frac) as u64);
    }
    let _ = v1_dist;
    for cut in cuts {
        let root = tempfile::tempdir().unwrap();
        let www = root.path().join("www");
        std::fs::create_dir_all(&www).unwrap();
        // the server holds v1, published by kanko
        for (k, v) in &v1 {
            let p = www.join(k);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, v).unwrap();
        }
        let manifest = serde_json::json!({
            "version": 1,
            "files": v1.iter().map(|(k, v)| (k.clone(), serde_json::json!({
                "sha256": sha256_hex(v), "size": v.len()
            }))).collect::<serde_json::Map<_, _>>()
        });
        std::fs::write(www.join(MANIFEST), manifest.to_string()).unwrap();
        let proxy = Proxy::new(s.port, Some(cut), Duration::ZERO);
        s.trust_port(proxy.port);
        let url = format!(
            "sftp://{}@127.0.0.1:{}/{}",
            user(),
            proxy.port,
            www.display()
        );
        let r = kanko_env(&work, &["publish", "--jobs", "3", &url], &env);
        let mut after_cut = tree(&www);
        after_cut.retain(|k, _| !k.starts_with(".kanko") && !k.contains("/.kanko-tmp-"));
        let broken = broken_links(&after_cut);
        assert!(
            broken.is_empty(),
            "cut at {cut} (exit {}): {broken:?}\n{}",
            r.code,
            r.stderr
        );
        if r.code == 0 {
            continue; // the cut came after the last byte that mattered
        }
        let intact_missing = v2
            .iter()
            .filter(|(k, v)| after_cut.get(*k) != Some(*v))
            .count();
        drop(proxy);
        // ssh keeps host keys per port: the direct port is in known_hosts too
        let direct = format!("sftp://{}@127.0.0.1:{}/{}", user(), s.port, www.display());
        let r2 = kanko_env(&work, &["publish", "--jobs", "3", &direct], &env);
        r2.ok();
        assert_eq!(
            sent(&r2),
            intact_missing,
            "cut at {cut}: re-sent an intact file?\n{}",
            r2.stderr
        );
        let mut got = tree(&www);
        assert!(got.remove(MANIFEST).is_some());
        assert_eq!(
            got.keys().collect::<Vec<_>>(),
            v2.keys().collect::<Vec<_>>(),
            "cut at {cut}"
        );
        same_tree(&got, &v2, &format!("cut at {cut}"));
    }
}

fn sha256_hex(b: &[u8]) -> String {
    // the tests have no sha2: ask the system's sha256sum
    let mut c = Command::new("sha256sum")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(b).unwrap();
    let o = c.wait_with_output().unwrap();
    String::from_utf8_lossy(&o.stdout)[..64].to_string()
}

// ------------------------------------------------------------------ S3 (moto)

struct Moto {
    _server: Server,
    port: u16,
}

fn moto(tls: Option<(&Path, &Path)>) -> Moto {
    let port = free_port();
    let mut cmd = Command::new("python3");
    cmd.args([
        "-m",
        "moto.server",
        "-H",
        "127.0.0.1",
        "-p",
        &port.to_string(),
    ]);
    if let Some((cert, key)) = tls {
        cmd.arg("-c").arg(cert).arg("-k").arg(key);
    }
    let pp = std::env::var("KANKO_PYTHONPATH").unwrap_or_default();
    let mut child = cmd
        .env("PYTHONPATH", pp)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 with moto[server]; ./tests/run installs it");
    wait_port(port, &mut child);
    Moto {
        _server: Server { child },
        port,
    }
}

static CURL: OnceLock<()> = OnceLock::new();

fn curl(args: &[&str]) -> Vec<u8> {
    CURL.get_or_init(|| ());
    let o = Command::new("curl")
        .args(["-s", "-k"])
        .args(args)
        .output()
        .expect("curl");
    assert!(
        o.status.success(),
        "curl {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

/// Every object under the bucket, read back with boto3 (moto's own dependency), and each
/// object's Content-Type and Cache-Control.
fn s3_tree(base: &str, bucket: &str) -> (BTreeMap<String, Vec<u8>>, BTreeMap<String, String>) {
    let out = tempfile::tempdir().unwrap();
    let script = r#"
import boto3, json, os, sys
base, bucket, out = sys.argv[1:4]
s3 = boto3.client("s3", endpoint_url=base, region_name="us-east-1", verify=False,
                  aws_access_key_id="testing-key", aws_secret_access_key="testing-secret-do-not-print")
heads = {}
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
    for o in page.get("Contents", []):
        k = o["Key"]
        r = s3.get_object(Bucket=bucket, Key=k)
        p = os.path.join(out, "files", k)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, "wb") as f:
            f.write(r["Body"].read())
        heads[k] = r.get("ContentType", "") + " | " + r.get("CacheControl", "")
with open(os.path.join(out, "heads.json"), "w") as f:
    json.dump(heads, f)
"#;
    let st = Command::new("python3")
        .args(["-c", script, base, bucket])
        .arg(out.path())
        .env(
            "PYTHONPATH",
            std::env::var("KANKO_PYTHONPATH").unwrap_or_default(),
        )
        .env("PYTHONWARNINGS", "ignore")
        .status()
        .unwrap();
    assert!(st.success(), "boto3 read-back failed");
    let heads: BTreeMap<String, String> =
        serde_json::from_slice(&std::fs::read(out.path().join("heads.json")).unwrap()).unwrap();
    (tree(&out.path().join("files")), heads)
}

const AWS: [(&str, &str); 3] = [
    ("AWS_ACCESS_KEY_ID", "testing-key"),
    ("AWS_SECRET_ACCESS_KEY", "testing-secret-do-not-print"),
    ("AWS_REGION", "us-east-1"),
];

#[test]
fn s3_publishes_with_content_types_and_a_private_ca() {
    let m = moto(None);
    let base = format!("http://127.0.0.1:{}", m.port);
    curl(&["-X", "PUT", &format!("{base}/site")]);
    let work = Work::new();
    site_v1(&work);
    std::fs::write(
        work.dir.path().join("kanko.toml"),
        format!("[publish]\ntarget = \"s3://site/reports/\"\nendpoint = \"{base}\"\n"),
    )
    .unwrap();
    let r = kanko_env(&work, &["publish"], &AWS);
    r.ok();
    assert!(!r.stderr.contains("testing-secret"));
    let (got, heads) = s3_tree(&base, "site");
    let mut got: BTreeMap<String, Vec<u8>> = got
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("reports/").unwrap().to_string(), v))
        .collect();
    assert!(got.remove(MANIFEST).is_some());
    same_tree(&got, &published(&work.dist()), "target == dist/");
    let head = |key: &str| heads[&format!("reports/{key}")].clone();
    assert_eq!(
        head("a/a.epub"),
        "application/epub+zip | public, max-age=86400"
    );
    assert_eq!(head("a/a.pdf"), "application/pdf | public, max-age=86400");
    assert_eq!(
        head("index.html"),
        "text/html; charset=utf-8 | public, max-age=300"
    );
    assert!(
        head("feed.xml").starts_with("application/atom+xml"),
        "{}",
        head("feed.xml")
    );
    // second publish: nothing sent; then an update sends only changes and deletes B
    assert_eq!(sent(kanko_env(&work, &["publish"], &AWS).ok()), 0);
    let v1 = published(&work.dist());
    site_v2(&work);
    let v2 = published(&work.dist());
    let changed = v2.iter().filter(|(k, v)| v1.get(*k) != Some(*v)).count();
    assert_eq!(sent(kanko_env(&work, &["publish"], &AWS).ok()), changed);
    let mut got: BTreeMap<String, Vec<u8>> = s3_tree(&base, "site")
        .0
        .into_iter()
        .map(|(k, v)| (k.strip_prefix("reports/").unwrap().to_string(), v))
        .collect();
    got.remove(MANIFEST);
    same_tree(&got, &v2, "after the update");

    // HTTPS with a self-signed certificate: refused without ca_file, accepted with it
    let certs = tempfile::tempdir().unwrap();
    let c = certs.path();
    let (ca, cert, key) = (c.join("ca.pem"), c.join("cert.pem"), c.join("key.pem"));
    let openssl = |args: &[&str]| {
        let st = Command::new("openssl")
            .args(args)
            .current_dir(c)
            .stderr(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(st.success(), "openssl {args:?}");
    };
    // a private CA and a server certificate it signed for 127.0.0.1
    openssl(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=kanko test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
    ]);
    openssl(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "key.pem",
        "-out",
        "srv.csr",
    ]);
    std::fs::write(
        c.join("ext.cnf"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(&[
        "x509",
        "-req",
        "-in",
        "srv.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "ext.cnf",
        "-out",
        "cert.pem",
    ]);
    let tls = moto(Some((&cert, &key)));
    let tbase = format!("https://127.0.0.1:{}", tls.port);
    curl(&["-X", "PUT", &format!("{tbase}/site")]);
    std::fs::write(
        work.dir.path().join("kanko.toml"),
        format!("[publish]\ntarget = \"s3://site/\"\nendpoint = \"{tbase}\"\n"),
    )
    .unwrap();
    let r = kanko_env(&work, &["publish"], &AWS);
    r.fails().says("certificate").says("ca_file");
    std::fs::copy(&ca, work.dir.path().join("ca.pem")).unwrap();
    std::fs::write(
        work.dir.path().join("kanko.toml"),
        format!(
            "[publish]\ntarget = \"s3://site/\"\nendpoint = \"{tbase}\"\nca_file = \"ca.pem\"\n"
        ),
    )
    .unwrap();
    let r = kanko_env(&work, &["publish"], &AWS);
    r.ok();
    assert_eq!(sent(&r), v2.len());
}

/// Ctrl-C in the middle of an upload: kanko stops after the files in flight, leaves no broken
/// link, keeps no lock, and the same command finishes the job.
#[test]
fn ctrl_c_during_an_sftp_upload_stops_cleanly_and_the_rerun_finishes() {
    let s = sshd();
    let home = s.home.display().to_string();
    let work = Work::new();
    site_v1(&work);
    let root = tempfile::tempdir().unwrap();
    let www = root.path().join("www");
    std::fs::create_dir_all(&www).unwrap();
    // slow enough that the upload is still running when the signal comes
    let proxy = Proxy::new(s.port, None, Duration::from_millis(15));
    s.trust_port(proxy.port);
    let url = format!(
        "sftp://{}@127.0.0.1:{}/{}",
        user(),
        proxy.port,
        www.display()
    );
    let child = Command::new(crate::util::BIN)
        .current_dir(work.dir.path())
        .args(["publish", "--jobs", "1", &url])
        .env("LANG", "C.UTF-8")
        .env("HOME", &home)
        .env_remove("SSH_AUTH_SOCK")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let t = Instant::now();
    while tree(&www).keys().filter(|k| !k.starts_with('.')).count() < 3 {
        assert!(t.elapsed() < Duration::from_secs(60), "nothing arrived");
        std::thread::sleep(Duration::from_millis(20));
    }
    let st = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(err.contains("interrupted"), "{err}");
    let mut now = tree(&www);
    assert!(!now.contains_key(".kanko-publish.lock"), "lock left behind");
    now.retain(|k, _| !k.starts_with(".kanko") && !k.contains("/.kanko-tmp-"));
    let dist = published(&work.dist());
    assert!(now.len() < dist.len(), "stopped early");
    assert!(broken_links(&now).is_empty(), "{:?}", broken_links(&now));
    let missing = dist.iter().filter(|(k, v)| now.get(*k) != Some(*v)).count();
    drop(proxy);
    let direct = format!("sftp://{}@127.0.0.1:{}/{}", user(), s.port, www.display());
    let r = kanko_env(&work, &["publish", &direct], &[("HOME", home.as_str())]);
    assert_eq!(sent(r.ok()), missing, "no intact file sent again");
    let mut got = tree(&www);
    assert!(got.remove(MANIFEST).is_some());
    same_tree(&got, &dist, "after the rerun");
}
