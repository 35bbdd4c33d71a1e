//! `s3://user@host:port/path` (path relative to the login folder; `//abs` for absolute).

use super::config::Settings;
use super::target::{Conn, Error, Result, Target};
use crate::diag::Diag;

pub struct S3Target {}

impl S3Target {
    pub fn new(_url: &url::Url, _path: String, _s: &Settings) -> std::result::Result<Self, Diag> {
        Ok(S3Target {})
    }
}

impl Target for S3Target {
    fn connect(&self) -> Result<Box<dyn Conn>> {
        Err(Error::fatal("s3: not yet"))
    }
    fn shown(&self) -> String {
        String::new()
    }
}
