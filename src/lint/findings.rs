//! What the rules find, and the collector they report into (it knows which rules are on).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::scan::Scan;
use crate::diag::Severity;
use crate::i18n::japanese;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    pub file: PathBuf,
    pub line: usize,
    pub col: usize,
    pub rule: String,
    pub severity: Severity,
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

/// A message in the terminal's language.
pub fn msg(ja: String, en: String) -> String {
    if japanese() { ja } else { en }
}

pub struct Findings<'r> {
    pub levels: HashMap<&'r str, Severity>,
    pub out: Vec<Finding>,
}

impl<'r> Findings<'r> {
    pub fn on(&self, rule: &str) -> bool {
        self.levels.contains_key(rule)
    }

    pub fn push(&mut self, file: &Path, line: usize, col: usize, rule: &str, message: String) {
        if let Some(l) = self.levels.get(rule) {
            self.out.push(Finding {
                file: file.to_path_buf(),
                line,
                col,
                rule: rule.to_string(),
                severity: *l,
                message,
            });
        }
    }

    pub fn at(&mut self, file: &Path, scan: &Scan, offset: usize, rule: &str, message: String) {
        let (l, c) = scan.line_col(offset);
        self.push(file, l, c, rule, message);
    }
}
