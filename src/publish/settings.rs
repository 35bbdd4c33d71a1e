//! What `[publish]` of kanko.toml says, and the small helpers every target shares (the home
//! folder, percent-decoding of URL parts).

use std::path::PathBuf;

#[derive(Debug, Default)]
pub struct Settings {
    pub target: Option<String>,
    /// PEM file with the CA certificate(s) of a private CA (FTPS, S3 over HTTPS).
    pub ca_file: Option<PathBuf>,
    /// S3-compatible endpoint (R2, MinIO, …), e.g. `https://<account>.r2.cloudflarestorage.com`.
    pub endpoint: Option<String>,
    pub region: Option<String>,
    /// SSH key file (default: the agent, then ~/.ssh/id_ed25519, id_ecdsa, id_rsa).
    pub identity: Option<PathBuf>,
    /// known_hosts file (default ~/.ssh/known_hosts).
    pub known_hosts: Option<PathBuf>,
}

pub fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("."), PathBuf::from)
}

/// Percent-decodes a URL path (Japanese folder names arrive encoded).
pub fn percent(p: &str) -> String {
    let bytes = p.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(h) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(b) = u8::from_str_radix(h, 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
