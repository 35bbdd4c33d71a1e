//! `[publish]` in kanko.toml and the target URL.

use std::path::{Path, PathBuf};

use crate::diag::Diag;

use super::settings::{Settings, home, percent};
use super::target::Target;

const SECRET_KEYS: [&str; 6] = [
    "password",
    "passphrase",
    "secret",
    "secret_access_key",
    "access_key_id",
    "token",
];

/// Reads the `[publish]` table (already parsed as TOML by `parse_site`).
pub fn settings(table: Option<&toml::Table>, file: &Path) -> Result<Settings, Diag> {
    let mut s = Settings::default();
    let Some(t) = table else {
        return Ok(s);
    };
    let base = file.parent().unwrap_or(Path::new("."));
    for (k, v) in t {
        let text = || -> Result<String, Diag> {
            v.as_str().map(str::to_string).ok_or_else(|| {
                Diag::error(pt!(
                    "`[publish] {k}` は文字列で書いてください",
                    "`[publish] {k}` must be a string"
                ))
                .in_file(file)
            })
        };
        match k.as_str() {
            "target" => s.target = Some(text()?),
            "ca_file" => s.ca_file = Some(base.join(text()?)),
            "endpoint" => s.endpoint = Some(text()?),
            "region" => s.region = Some(text()?),
            "identity" => s.identity = Some(expand_home(&text()?)),
            "known_hosts" => s.known_hosts = Some(expand_home(&text()?)),
            k if SECRET_KEYS.iter().any(|x| k.contains(x)) => {
                return Err(Diag::error(pt!(
                    "`[publish] {k}`: パスワードや鍵を kanko.toml に書かないでください（リポジトリに残ります）",
                    "`[publish] {k}`: do not put passwords or keys in kanko.toml (it is kept in the repository)"
                ))
                .in_file(file)
                .help(pt!(
                    "FTP/SFTP のパスワードは環境変数 KANKO_PUBLISH_PASSWORD か ~/.netrc（FTP）に、SSH は ssh-agent か鍵ファイルに、S3 は AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY か ~/.aws/credentials に置いてください",
                    "put FTP/SFTP passwords in the KANKO_PUBLISH_PASSWORD environment variable or ~/.netrc (FTP), SSH keys in ssh-agent or a key file, S3 keys in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or ~/.aws/credentials"
                )));
            }
            other => {
                return Err(Diag::error(pt!(
                    "`[publish]` に知らないキー `{other}` があります（target, ca_file, endpoint, region, identity, known_hosts のどれかです）",
                    "unknown key `{other}` in `[publish]` (expected target, ca_file, endpoint, region, identity, known_hosts)"
                ))
                .in_file(file));
            }
        }
    }
    Ok(s)
}

fn expand_home(s: &str) -> PathBuf {
    match s.strip_prefix("~/") {
        Some(rest) => home().join(rest),
        None => PathBuf::from(s),
    }
}

fn bad(msg: String) -> Diag {
    Diag::error(msg)
}

/// Parses a target URL into a backend.
pub fn open(raw: &str, s: &Settings) -> Result<Box<dyn Target>, Diag> {
    let looks_local = raw.starts_with('/') || raw.starts_with('.') || !raw.contains("://");
    if looks_local {
        return Ok(Box::new(super::file::FileTarget {
            root: PathBuf::from(raw),
        }));
    }
    let url = url::Url::parse(raw).map_err(|e| {
        bad(pt!(
            "公開先の URL が読めません（{e}）",
            "cannot read the target URL ({e})"
        ))
    })?;
    if url.password().is_some() {
        return Err(bad(pt!(
            "公開先の URL にパスワードを書かないでください",
            "do not put a password in the target URL"
        ))
        .help(pt!(
            "パスワードは環境変数 KANKO_PUBLISH_PASSWORD に置いてください",
            "put it in the KANKO_PUBLISH_PASSWORD environment variable"
        )));
    }
    let path = percent(url.path());
    if path.split('/').any(|c| c == "..") {
        return Err(bad(pt!(
            "公開先のパスに `..` は使えません",
            "`..` is not allowed in the target path"
        )));
    }
    match url.scheme() {
        "file" => Ok(Box::new(super::file::FileTarget {
            root: PathBuf::from(path),
        })),
        "sftp" | "ssh" => Ok(Box::new(super::sftp::SftpTarget::new(&url, path, s)?)),
        "s3" => Ok(Box::new(super::s3::S3Target::new(&url, path, s)?)),
        other => Err(bad(pt!(
            "対応していない公開先です: `{other}://`（file://, sftp://, s3:// が使えます）",
            "unsupported target: `{other}://` (use file://, sftp:// or s3://)"
        ))),
    }
}
