//! `sftp://user@host:port/path`: the path is relative to the login folder; `//abs/path` is
//! absolute. libssh2 (crate `ssh2`): the SSH agent, key files, `known_hosts` checking.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ssh2::{CheckResult, ErrorCode, HashType, KnownHostFileKind, OpenFlags, OpenType, Session};

use super::settings::{Settings, home};
use super::target::{Conn, Error, Result, Target, safe_rel, temp_name};
use crate::diag::Diag;

pub struct SftpTarget {
    host: String,
    port: u16,
    user: String,
    /// Folder on the server, without a trailing `/` ("" = the login folder).
    root: String,
    identity: Option<PathBuf>,
    known_hosts: PathBuf,
}

pub const PASSWORD_ENV: &str = "KANKO_PUBLISH_PASSWORD";

impl SftpTarget {
    pub fn new(url: &url::Url, path: String, s: &Settings) -> std::result::Result<Self, Diag> {
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| {
                Diag::error(pt!(
                    "SFTP の公開先にホスト名がありません",
                    "the SFTP target has no host name"
                ))
            })?
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let user = match url.username() {
            "" => std::env::var("USER").unwrap_or_else(|_| "root".into()),
            u => super::settings::percent(u),
        };
        let root = path.strip_prefix('/').unwrap_or(&path);
        let root = root.trim_end_matches('/').to_string();
        let identity = s
            .identity
            .clone()
            .or_else(|| std::env::var_os("KANKO_SSH_KEY").map(PathBuf::from));
        Ok(SftpTarget {
            host,
            port: url.port().unwrap_or(22),
            user,
            root,
            identity,
            known_hosts: s
                .known_hosts
                .clone()
                .unwrap_or_else(|| home().join(".ssh/known_hosts")),
        })
    }

    fn fingerprint(sess: &Session) -> String {
        use base64::Engine;
        let hash = sess.host_key_hash(HashType::Sha256).unwrap_or_default();
        format!(
            "SHA256:{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(hash)
        )
    }

    fn check_host(&self, sess: &Session) -> Result<()> {
        let (key, _) = sess
            .host_key()
            .ok_or_else(|| Error::fatal("SSH: the server sent no host key"))?;
        let mut kh = sess.known_hosts().map_err(|e| ssh_err("known_hosts", &e))?;
        let _ = kh.read_file(&self.known_hosts, KnownHostFileKind::OpenSSH);
        let fp = Self::fingerprint(sess);
        let name = if self.port == 22 {
            self.host.clone()
        } else {
            format!("[{}]:{}", self.host, self.port)
        };
        match kh.check_port(&self.host, self.port, key) {
            CheckResult::Match => Ok(()),
            CheckResult::Mismatch => Err(Error::fatal(pt!(
                "{name} のホスト鍵が known_hosts のものと違います（{fp}）。なりすましの恐れがあるため接続しません",
                "the host key of {name} differs from the one in known_hosts ({fp}); not connecting (the server may be an impostor)"
            ))
            .help(pt!(
                "サーバーの管理者に鍵を変えたか確かめてください。変えたのなら {kh} の古い行を消します（ssh-keygen -R '{name}'）",
                "ask the server's administrator whether its key changed; if so, remove the old line from {kh} (ssh-keygen -R '{name}')",
                kh = self.known_hosts.display()
            ))),
            CheckResult::NotFound | CheckResult::Failure => Err(Error::fatal(pt!(
                "{name} のホスト鍵を知りません（指紋 {fp}）。確かめるまで接続しません",
                "unknown host key for {name} (fingerprint {fp}); not connecting until it is confirmed"
            ))
            .help(pt!(
                "指紋がサーバーの管理者に聞いたものと同じなら、`ssh-keyscan -p {port} {host} >> {kh}` で登録してから実行してください（または一度 `ssh -p {port} {user}@{host}` で接続して yes と答えます）",
                "if the fingerprint is the one the server's administrator gave you, add it with `ssh-keyscan -p {port} {host} >> {kh}` and run again (or connect once with `ssh -p {port} {user}@{host}` and answer yes)",
                port = self.port,
                host = self.host,
                user = self.user,
                kh = self.known_hosts.display()
            ))),
        }
    }

    fn auth(&self, sess: &Session) -> Result<()> {
        let user = &self.user;
        if self.identity.is_none() && std::env::var_os("SSH_AUTH_SOCK").is_some() {
            let _ = sess.userauth_agent(user);
        }
        let pass = std::env::var("KANKO_SSH_PASSPHRASE").ok();
        let keys: Vec<PathBuf> = match &self.identity {
            Some(k) => vec![k.clone()],
            None => ["id_ed25519", "id_ecdsa", "id_rsa"]
                .iter()
                .map(|n| home().join(".ssh").join(n))
                .filter(|p| p.is_file())
                .collect(),
        };
        for k in &keys {
            if sess.authenticated() {
                break;
            }
            let _ = sess.userauth_pubkey_file(user, None, k, pass.as_deref());
        }
        if !sess.authenticated()
            && let Ok(pw) = std::env::var(PASSWORD_ENV)
        {
            let _ = sess.userauth_password(user, &pw);
        }
        if sess.authenticated() {
            return Ok(());
        }
        Err(Error::fatal(pt!(
            "SFTP: {user}@{host} にログインできません（鍵もパスワードも受け付けられませんでした）",
            "SFTP: cannot log in as {user}@{host} (no key or password was accepted)",
            host = self.host
        ))
        .help(pt!(
            "ssh-agent に鍵を入れる（ssh-add）、鍵ファイルを `[publish] identity` か KANKO_SSH_KEY で指定する、またはパスワードを環境変数 {PASSWORD_ENV} に置いてください",
            "add your key to ssh-agent (ssh-add), name a key file with `[publish] identity` or KANKO_SSH_KEY, or put the password in the {PASSWORD_ENV} environment variable"
        )))
    }
}

impl Target for SftpTarget {
    fn connect(&self) -> Result<Box<dyn Conn>> {
        let addr = (self.host.as_str(), self.port)
            .to_socket_addrs()
            .map_err(|e| Error::io(&format!("SFTP {}", self.host), &e))?
            .next()
            .ok_or_else(|| Error::fatal(format!("SFTP: {} has no address", self.host)))?;
        let tcp = TcpStream::connect_timeout(&addr, Duration::from_secs(20))
            .map_err(|e| Error::io(&format!("SFTP {}:{}", self.host, self.port), &e))?;
        let _ = tcp.set_nodelay(true);
        let mut sess = Session::new().map_err(|e| ssh_err("SSH", &e))?;
        sess.set_tcp_stream(tcp);
        sess.set_timeout(60_000);
        sess.handshake().map_err(|e| ssh_err("SSH handshake", &e))?;
        self.check_host(&sess)?;
        self.auth(&sess)?;
        let sftp = sess.sftp().map_err(|e| ssh_err("SFTP", &e))?;
        if !self.root.is_empty() && sftp.stat(Path::new(&self.root)).is_err() {
            return Err(Error::fatal(pt!(
                "SFTP: 公開先のフォルダ {} がサーバーにありません",
                "SFTP: the target folder {} does not exist on the server",
                self.root
            )));
        }
        Ok(Box::new(SftpConn {
            _sess: sess,
            sftp,
            root: self.root.clone(),
            dirs: HashSet::new(),
        }))
    }

    fn shown(&self) -> String {
        format!(
            "sftp://{}@{}:{}/{}",
            self.user, self.host, self.port, self.root
        )
    }
}

fn ssh_err(what: &str, e: &ssh2::Error) -> Error {
    // Session errors (negative codes: socket, timeout, protocol) are worth a retry.
    let transient = match e.code() {
        ErrorCode::Session(n) => n < 0 && n != -18 && n != -19,
        ErrorCode::SFTP(n) => n == 7 || n == 6, // connection lost, no connection
    };
    Error {
        transient,
        message: format!("{what}: {}", e.message()),
        help: None,
    }
}

const NO_SUCH_FILE: i32 = 2;

fn is_sftp(e: &ssh2::Error, code: i32) -> bool {
    matches!(e.code(), ErrorCode::SFTP(n) if n == code)
}

struct SftpConn {
    _sess: Session,
    sftp: ssh2::Sftp,
    root: String,
    dirs: HashSet<String>,
}

impl SftpConn {
    fn abs(&self, rel: &str) -> String {
        if self.root.is_empty() {
            rel.to_string()
        } else {
            format!("{}/{rel}", self.root)
        }
    }

    fn mkdirs(&mut self, rel: &str) -> Result<()> {
        let Some((dir, _)) = rel.rsplit_once('/') else {
            return Ok(());
        };
        let mut so_far = String::new();
        for part in dir.split('/') {
            if !so_far.is_empty() {
                so_far.push('/');
            }
            so_far.push_str(part);
            if self.dirs.contains(&so_far) {
                continue;
            }
            let p = self.abs(&so_far);
            if self.sftp.stat(Path::new(&p)).is_err() {
                self.sftp
                    .mkdir(Path::new(&p), 0o755)
                    .or_else(|e| match self.sftp.stat(Path::new(&p)) {
                        Ok(_) => Ok(()),
                        Err(_) => Err(e),
                    })
                    .map_err(|e| ssh_err(&format!("SFTP mkdir {p}"), &e))?;
            }
            self.dirs.insert(so_far.clone());
        }
        Ok(())
    }

    /// Writes a file; `Err(None)` when its folder does not exist.
    fn write(&mut self, path: &str, bytes: &[u8]) -> std::result::Result<(), Option<Error>> {
        let what = format!("SFTP {path}");
        let mut f = self
            .sftp
            .open_mode(
                Path::new(path),
                OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::TRUNCATE,
                0o644,
                OpenType::File,
            )
            .map_err(|e| (!is_sftp(&e, NO_SUCH_FILE)).then(|| ssh_err(&what, &e)))?;
        f.write_all(bytes).map_err(|e| Some(Error::io(&what, &e)))?;
        f.close().map_err(|e| Some(ssh_err(&what, &e)))
    }
}

impl Conn for SftpConn {
    fn get(&mut self, rel: &str) -> Result<Option<Vec<u8>>> {
        safe_rel(rel)?;
        let p = self.abs(rel);
        match self.sftp.open(Path::new(&p)) {
            Ok(mut f) => {
                let mut v = Vec::new();
                f.read_to_end(&mut v)
                    .map_err(|e| Error::io(&format!("SFTP {p}"), &e))?;
                Ok(Some(v))
            }
            Err(e) if is_sftp(&e, NO_SUCH_FILE) => Ok(None),
            Err(e) => Err(ssh_err(&format!("SFTP {p}"), &e)),
        }
    }

    fn stat(&mut self, rel: &str) -> Result<Option<u64>> {
        safe_rel(rel)?;
        let p = self.abs(rel);
        match self.sftp.stat(Path::new(&p)) {
            Ok(st) => Ok(st.size),
            Err(e) if is_sftp(&e, NO_SUCH_FILE) => Ok(None),
            Err(e) => Err(ssh_err(&format!("SFTP {p}"), &e)),
        }
    }

    fn put(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        safe_rel(rel)?;
        let (dst, tmp) = (self.abs(rel), self.abs(&temp_name(rel)));
        match self.write(&tmp, bytes) {
            Ok(()) => {}
            Err(Some(e)) => return Err(e),
            Err(None) => {
                self.mkdirs(rel)?;
                self.write(&tmp, bytes).map_err(|e| {
                    e.unwrap_or_else(|| Error::fatal(format!("SFTP: cannot create {dst}")))
                })?;
            }
        }
        // SFTP v3 (OpenSSH) refuses to rename over an existing file: then remove it first.
        if self
            .sftp
            .rename(Path::new(&tmp), Path::new(&dst), None)
            .is_err()
        {
            let _ = self.sftp.unlink(Path::new(&dst));
            self.sftp
                .rename(Path::new(&tmp), Path::new(&dst), None)
                .map_err(|e| {
                    let _ = self.sftp.unlink(Path::new(&tmp));
                    ssh_err(&format!("SFTP rename {dst}"), &e)
                })?;
        }
        Ok(())
    }

    fn put_new(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        safe_rel(rel)?;
        let dst = self.abs(rel);
        match self.write(&dst, bytes) {
            Ok(()) => Ok(()),
            Err(Some(e)) => Err(e),
            Err(None) => {
                self.mkdirs(rel)?;
                self.write(&dst, bytes).map_err(|e| {
                    e.unwrap_or_else(|| Error::fatal(format!("SFTP: cannot create {dst}")))
                })
            }
        }
    }

    fn create_new(&mut self, rel: &str, bytes: &[u8]) -> Result<bool> {
        safe_rel(rel)?;
        let p = self.abs(rel);
        match self.sftp.open_mode(
            Path::new(&p),
            OpenFlags::WRITE | OpenFlags::CREATE | OpenFlags::EXCLUSIVE,
            0o644,
            OpenType::File,
        ) {
            Ok(mut f) => {
                f.write_all(bytes)
                    .map_err(|e| Error::io(&format!("SFTP {p}"), &e))?;
                Ok(true)
            }
            Err(e) => match self.sftp.stat(Path::new(&p)) {
                Ok(_) => Ok(false),
                Err(_) => Err(ssh_err(&format!("SFTP {p}"), &e)),
            },
        }
    }

    fn delete(&mut self, rel: &str) -> Result<()> {
        safe_rel(rel)?;
        let p = self.abs(rel);
        match self.sftp.unlink(Path::new(&p)) {
            Ok(()) => {}
            Err(e) if is_sftp(&e, NO_SUCH_FILE) => {}
            Err(e) => return Err(ssh_err(&format!("SFTP rm {p}"), &e)),
        }
        // folders left empty go too (rmdir fails on a folder that still holds something)
        let mut rest = rel;
        while let Some((dir, _)) = rest.rsplit_once('/') {
            if self.sftp.rmdir(Path::new(&self.abs(dir))).is_err() {
                break;
            }
            self.dirs.remove(dir);
            rest = dir;
        }
        Ok(())
    }
}
