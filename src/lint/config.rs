//! `[lint]` in kanko.toml: rules on/off and their severity, the term dictionary.

use std::path::Path;

use crate::diag::Diag;

/// Settings for the lint. Built from `kanko.toml`'s `[lint]` table (absent = defaults).
#[derive(Debug, Clone)]
pub struct Config {
    /// (rule id, level) for every enabled rule; a rule switched off is absent.
    pub rules: Vec<(String, super::Level)>,
    /// Term dictionary: the shipped welfare preset (unless switched off) plus the user's terms.
    pub terms: Vec<super::rules::Term>,
}

impl Config {
    pub fn from_toml(table: Option<&toml::Table>, shown: &Path) -> Result<Config, Diag> {
        super::rules::config_from_toml(table, shown)
    }
}
