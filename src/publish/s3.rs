//! `s3://bucket/prefix/`: AWS S3, Cloudflare R2 and other S3 APIs (`[publish] endpoint`).
//! Requests are signed by `rusty-s3` (sans-IO) and sent by `ureq` (blocking, rustls).
//! An object PUT is atomic, so no temporary name is needed.

use std::time::Duration;

use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle, actions};

use super::settings::{Settings, home};
use super::target::{Conn, Error, Result, Target, safe_rel};
use crate::diag::Diag;

pub struct S3Target {
    bucket: Bucket,
    creds: Credentials,
    prefix: String,
    agent: ureq::Agent,
    shown: String,
}

const SIGNED_FOR: Duration = Duration::from_secs(15 * 60);

fn no_keys() -> Diag {
    Diag::error(pt!(
        "S3 のアクセスキーがありません",
        "no S3 access key found"
    ))
    .help(pt!(
        "環境変数 AWS_ACCESS_KEY_ID と AWS_SECRET_ACCESS_KEY、または ~/.aws/credentials（AWS_PROFILE で別のプロファイル）に置いてください",
        "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or put them in ~/.aws/credentials (another profile with AWS_PROFILE)"
    ))
}

/// `[profile]` of the AWS credentials file (`aws_access_key_id`, `aws_secret_access_key`).
fn from_file() -> Option<Credentials> {
    let path = std::env::var_os("AWS_SHARED_CREDENTIALS_FILE")
        .map_or_else(|| home().join(".aws/credentials"), Into::into);
    let text = std::fs::read_to_string(path).ok()?;
    let profile = std::env::var("AWS_PROFILE").unwrap_or_else(|_| "default".into());
    let (mut inside, mut key, mut secret, mut token) = (false, None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            inside = name.trim() == profile;
        } else if inside && let Some((k, v)) = line.split_once('=') {
            let v = v.trim().to_string();
            match k.trim() {
                "aws_access_key_id" => key = Some(v),
                "aws_secret_access_key" => secret = Some(v),
                "aws_session_token" => token = Some(v),
                _ => {}
            }
        }
    }
    match (key, secret, token) {
        (Some(k), Some(s), Some(t)) => Some(Credentials::new_with_token(k, s, t)),
        (Some(k), Some(s), None) => Some(Credentials::new(k, s)),
        _ => None,
    }
}

/// A ureq agent that checks certificates against the system's usual roots, or only against
/// `ca_file` when one is named (verification is never off).
pub fn agent(ca_file: Option<&std::path::Path>) -> std::result::Result<ureq::Agent, Diag> {
    let mut tls = ureq::tls::TlsConfig::builder();
    if let Some(ca) = ca_file {
        let pem =
            std::fs::read(ca).map_err(|e| crate::diag::Diag::io(crate::diag::Io::Read, ca, e))?;
        let certs: Vec<_> = ureq::tls::parse_pem(&pem)
            .filter_map(|i| match i {
                Ok(ureq::tls::PemItem::Certificate(c)) => Some(c),
                _ => None,
            })
            .collect();
        if certs.is_empty() {
            return Err(Diag::error(pt!(
                "ca_file に証明書（PEM）がありません",
                "ca_file holds no PEM certificate"
            ))
            .in_file(ca));
        }
        tls = tls.root_certs(ureq::tls::RootCerts::new_with_certs(&certs));
    }
    Ok(ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .timeout_connect(Some(Duration::from_secs(20)))
        .tls_config(tls.build())
        .build()
        .into())
}

impl S3Target {
    pub fn new(url: &url::Url, path: String, s: &Settings) -> std::result::Result<Self, Diag> {
        let name = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| {
                Diag::error(pt!(
                    "s3:// の後にバケット名がありません",
                    "no bucket name after s3://"
                ))
            })?
            .to_string();
        let region = s
            .region
            .clone()
            .or_else(|| std::env::var("AWS_REGION").ok())
            .or_else(|| std::env::var("AWS_DEFAULT_REGION").ok())
            .unwrap_or_else(|| "us-east-1".into());
        let (endpoint, style) = match s
            .endpoint
            .clone()
            .or_else(|| std::env::var("AWS_ENDPOINT_URL").ok())
        {
            Some(e) => (e, UrlStyle::Path),
            None => (
                format!("https://s3.{region}.amazonaws.com"),
                UrlStyle::VirtualHost,
            ),
        };
        let ep = url::Url::parse(&endpoint).map_err(|e| {
            Diag::error(pt!(
                "endpoint が URL として読めません（{e}）",
                "endpoint is not a URL ({e})"
            ))
        })?;
        if ep.scheme() == "http"
            && !matches!(ep.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"))
        {
            eprintln!(
                "{}",
                pt!(
                    "注意: endpoint が http:// です。通信は暗号化されません",
                    "warning: the endpoint is http://; traffic is not encrypted"
                )
            );
        }
        let bucket = Bucket::new(ep, style, name.clone(), region).map_err(|e| {
            Diag::error(pt!(
                "S3 のバケット {name} が使えません（{e}）",
                "cannot use S3 bucket {name} ({e})"
            ))
        })?;
        let creds = Credentials::from_env()
            .or_else(from_file)
            .ok_or_else(no_keys)?;
        let prefix = path.trim_start_matches('/').to_string();
        let prefix = if prefix.is_empty() || prefix.ends_with('/') {
            prefix
        } else {
            format!("{prefix}/")
        };
        Ok(S3Target {
            shown: format!("s3://{name}/{prefix}"),
            bucket,
            creds,
            prefix,
            agent: agent(s.ca_file.as_deref())?,
        })
    }
}

impl Target for S3Target {
    fn connect(&self) -> Result<Box<dyn Conn>> {
        let mut c = S3Conn {
            bucket: self.bucket.clone(),
            creds: self.creds.clone(),
            prefix: self.prefix.clone(),
            agent: self.agent.clone(),
        };
        // Checks the bucket and the keys once, with a cheap request.
        let key = format!("{}{}", c.prefix, super::plan::LOCK);
        let url = actions::HeadObject::new(&c.bucket, Some(&c.creds), &key).sign(SIGNED_FOR);
        let r = c.agent.head(url.as_str()).call().map_err(net)?;
        let code = r.status().as_u16();
        if code == 403 || code == 401 {
            return Err(Error::fatal(pt!(
                "S3: アクセスを拒否されました（HTTP {code}）。キーかバケットの権限が違います",
                "S3: access denied (HTTP {code}); wrong key or no permission on the bucket"
            ))
            .help(pt!(
                "AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY（または ~/.aws/credentials）と、バケットへの書き込み権限を確かめてください",
                "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or ~/.aws/credentials) and the key's write permission on the bucket"
            )));
        }
        if code == 404 {
            // 404 for the lock object is normal; a missing bucket says so in a GET's body
            let url = actions::HeadBucket::new(&c.bucket, Some(&c.creds)).sign(SIGNED_FOR);
            let r = c.agent.head(url.as_str()).call().map_err(net)?;
            if r.status().as_u16() == 404 {
                return Err(Error::fatal(pt!(
                    "S3: バケット {} がありません",
                    "S3: bucket {} does not exist",
                    c.bucket.name()
                )));
            }
        }
        c.prefix.shrink_to_fit();
        Ok(Box::new(c))
    }
    fn shown(&self) -> String {
        self.shown.clone()
    }
}

/// ureq errors never carry the signed URL into a message: only the kind.
fn net(e: ureq::Error) -> Error {
    let text = e.to_string();
    let tls = matches!(e, ureq::Error::Tls(_) | ureq::Error::Rustls(_))
        || text.contains("certificate")
        || text.contains("tls");
    if tls {
        return Error::fatal(pt!(
            "S3: TLS 証明書を確かめられません（{text}）",
            "S3: the TLS certificate could not be verified ({text})"
        ))
        .help(pt!(
            "自前の認証局の証明書なら `[publish] ca_file = \"ca.pem\"` で指定してください",
            "if the server uses a private CA, name its certificate with `[publish] ca_file = \"ca.pem\"`"
        ));
    }
    let msg = match &e {
        ureq::Error::Io(io) => format!("S3: {io}"),
        ureq::Error::Timeout(t) => format!("S3: timeout ({t})"),
        ureq::Error::HostNotFound => "S3: host not found".to_string(),
        ureq::Error::ConnectionFailed => "S3: connection failed".to_string(),
        _ => "S3: request failed".to_string(),
    };
    Error::transient(msg)
}

fn status(what: &str, code: u16) -> Error {
    let e = Error {
        transient: code >= 500 || code == 429 || code == 408,
        message: format!("S3 {what}: HTTP {code}"),
        help: None,
    };
    if code == 403 {
        return e.help(pt!(
            "キーの権限を確かめてください",
            "check the key's permissions"
        ));
    }
    e
}

/// Content-Type by file name (web fonts, EPUB, feeds, UTF-8 text).
pub fn content_type(rel: &str) -> &'static str {
    let ext = rel.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match ext.as_deref() {
        Some("html" | "htm") => "text/html; charset=utf-8",
        Some("xhtml") => "application/xhtml+xml; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("json") => "application/json; charset=utf-8",
        Some("xml") if rel.contains("opds") => {
            "application/atom+xml;profile=opds-catalog; charset=utf-8"
        }
        Some("xml") if rel.ends_with("sitemap.xml") => "application/xml; charset=utf-8",
        Some("xml" | "atom") => "application/atom+xml; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("jpg" | "jpeg") => "image/jpeg",
        Some("webp") => "image/webp",
        Some("gif") => "image/gif",
        Some("ico") => "image/x-icon",
        Some("woff2") => "font/woff2",
        Some("woff") => "font/woff",
        Some("otf") => "font/otf",
        Some("ttf") => "font/ttf",
        Some("pdf") => "application/pdf",
        Some("epub") => "application/epub+zip",
        Some("webmanifest") => "application/manifest+json",
        _ => "application/octet-stream",
    }
}

/// Pages, feeds, data and scripts change in place: short; the rest (PDF, EPUB, images, fonts)
/// longer.
pub fn cache_control(rel: &str) -> &'static str {
    match content_type(rel) {
        t if t.contains("charset") => "public, max-age=300",
        _ => "public, max-age=86400",
    }
}

struct S3Conn {
    bucket: Bucket,
    creds: Credentials,
    prefix: String,
    agent: ureq::Agent,
}

impl S3Conn {
    fn key(&self, rel: &str) -> Result<String> {
        safe_rel(rel)?;
        Ok(format!("{}{rel}", self.prefix))
    }
}

impl Conn for S3Conn {
    fn get(&mut self, rel: &str) -> Result<Option<Vec<u8>>> {
        let key = self.key(rel)?;
        let url = actions::GetObject::new(&self.bucket, Some(&self.creds), &key).sign(SIGNED_FOR);
        let r = self.agent.get(url.as_str()).call().map_err(net)?;
        match r.status().as_u16() {
            200 => Ok(Some(r.into_body().read_to_vec().map_err(net)?)),
            404 => Ok(None),
            c => Err(status(&format!("GET {rel}"), c)),
        }
    }

    fn stat(&mut self, rel: &str) -> Result<Option<u64>> {
        let key = self.key(rel)?;
        let url = actions::HeadObject::new(&self.bucket, Some(&self.creds), &key).sign(SIGNED_FOR);
        let r = self.agent.head(url.as_str()).call().map_err(net)?;
        match r.status().as_u16() {
            200 => Ok(r
                .headers()
                .get("content-length")
                .and_then(|v| v.to_str().ok()?.parse().ok())),
            404 => Ok(None),
            c => Err(status(&format!("HEAD {rel}"), c)),
        }
    }

    fn put(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let key = self.key(rel)?;
        let (ct, cc) = (content_type(rel), cache_control(rel));
        let mut a = actions::PutObject::new(&self.bucket, Some(&self.creds), &key);
        a.headers_mut().insert("content-type", ct);
        a.headers_mut().insert("cache-control", cc);
        let url = a.sign(SIGNED_FOR);
        let r = self
            .agent
            .put(url.as_str())
            .header("content-type", ct)
            .header("cache-control", cc)
            .send(bytes)
            .map_err(net)?;
        match r.status().as_u16() {
            200 | 201 | 204 => Ok(()),
            c => Err(status(&format!("PUT {rel}"), c)),
        }
    }

    fn create_new(&mut self, rel: &str, bytes: &[u8]) -> Result<bool> {
        if self.stat(rel)?.is_some() {
            return Ok(false);
        }
        let key = self.key(rel)?;
        let mut a = actions::PutObject::new(&self.bucket, Some(&self.creds), &key);
        a.headers_mut().insert("if-none-match", "*");
        let url = a.sign(SIGNED_FOR);
        let r = self
            .agent
            .put(url.as_str())
            .header("if-none-match", "*")
            .send(bytes)
            .map_err(net)?;
        match r.status().as_u16() {
            200 | 201 | 204 => Ok(true),
            412 | 409 => Ok(false),
            c => Err(status(&format!("PUT {rel}"), c)),
        }
    }

    fn delete(&mut self, rel: &str) -> Result<()> {
        let key = self.key(rel)?;
        let url =
            actions::DeleteObject::new(&self.bucket, Some(&self.creds), &key).sign(SIGNED_FOR);
        let r = self.agent.delete(url.as_str()).call().map_err(net)?;
        match r.status().as_u16() {
            200 | 204 | 404 => Ok(()),
            c => Err(status(&format!("DELETE {rel}"), c)),
        }
    }
}
