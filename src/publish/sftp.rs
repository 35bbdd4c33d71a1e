//! `sftp://user@host:port/path` (path relative to the login folder; `//abs` for absolute).

use super::config::Settings;
use super::target::{Conn, Error, Result, Target};
use crate::diag::Diag;

pub struct SftpTarget {}

impl SftpTarget {
    pub fn new(_url: &url::Url, _path: String, _s: &Settings) -> std::result::Result<Self, Diag> {
        Ok(SftpTarget {})
    }
}

impl Target for SftpTarget {
    fn connect(&self) -> Result<Box<dyn Conn>> {
        Err(Error::fatal("sftp: not yet"))
    }
    fn shown(&self) -> String {
        String::new()
    }
}
