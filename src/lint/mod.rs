//! House-style lint for `kanko check`: rules with ids, a term dictionary (prh-like) from
//! `kanko.toml`, and `--fix` for the dictionary's replacements.
//!
//! Findings are values; `kanko check` prints them as `file:line:col  rule-id  message` or as JSON.

pub mod config;
pub mod findings;
pub mod rules;
pub mod scan;
mod style;
pub mod terms;
mod tomlerr;

pub use config::Config;
pub use findings::Finding;
pub use rules::{fix, lint};
