//! House-style lint for `kanko check`: rules with ids, a term dictionary (prh-like) from
//! `kanko.toml`, and `--fix` for the dictionary's replacements.
//!
//! Findings are values; `pipeline::check` prints them as `file:line:col  rule-id  message`
//! or as JSON.

pub mod config;
pub mod rules;
pub mod scan;
pub mod terms;

use std::path::PathBuf;

use serde::Serialize;

pub use config::Config;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub rule: String,
    pub severity: Level,
    pub message: String,
}

impl Finding {
    /// `file:line:col  rule-id  message`
    pub fn line(&self) -> String {
        format!(
            "{}:{}:{}  {}  {}",
            self.file.display(),
            self.line,
            self.col,
            self.rule,
            self.message
        )
    }
}

pub use rules::{fix, lint};
