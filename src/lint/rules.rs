//! The lint rules. (Filled in by the lint work: see `issues show 8`.)

use std::path::Path;

use super::{Config, Finding};
use crate::diag::Diag;
use crate::manuscript::Report;
use crate::typeset::fonts::Fonts;

/// One dictionary entry: `wrong` (a regular expression) → `right`.
#[derive(Debug, Clone)]
pub struct Term {
    pub wrong: String,
    pub right: String,
}

pub fn config_from_toml(_table: Option<&toml::Table>, _shown: &Path) -> Result<Config, Diag> {
    Ok(Config {
        rules: Vec::new(),
        terms: Vec::new(),
    })
}

pub fn lint(_r: &Report, _cfg: &Config, _fonts: &Fonts) -> Vec<Finding> {
    Vec::new()
}

/// Applies the dictionary's replacements to the chapter files, keeping `<file>.bak` copies.
/// Returns the changed files with the number of replacements in each.
pub fn fix(_r: &Report, _cfg: &Config) -> std::io::Result<Vec<(std::path::PathBuf, usize)>> {
    Ok(Vec::new())
}
