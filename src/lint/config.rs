//! `[lint]` in kanko.toml: which rules are on and how severe (the table of rule ids and their
//! defaults lives here), and the term dictionary (the shipped preset plus the user's terms).

use std::collections::BTreeMap;
use std::path::Path;

use super::terms::{self, Term};
use super::tomlerr::{config_error, suggest};
use crate::diag::{Diag, Severity};

/// Settings for the lint. Built from `kanko.toml`'s `[lint]` table (absent = defaults).
#[derive(Debug, Clone)]
pub struct Config {
    /// (rule id, level) for every enabled rule; a rule switched off is absent.
    pub rules: Vec<(String, Severity)>,
    /// Term dictionary: the shipped welfare preset (unless switched off) plus the user's terms.
    pub terms: Vec<Term>,
}

impl Config {
    pub fn from_toml(table: Option<&toml::Table>, shown: &Path) -> Result<Config, Diag> {
        config_from_toml(table, shown)
    }
}

/// Every rule with its default severity.
pub const RULES: &[(&str, Severity)] = &[
    ("heading-skip", Severity::Warning),
    ("image-alt", Severity::Warning),
    ("alt-caption", Severity::Warning),
    ("html", Severity::Warning),
    ("chart-title", Severity::Warning),
    ("image-resolution", Severity::Warning),
    ("missing-glyph", Severity::Error),
    ("brackets", Severity::Warning),
    ("halfwidth-kana", Severity::Warning),
    ("fullwidth-alnum", Severity::Warning),
    ("mixed-style", Severity::Warning),
    ("empty-link", Severity::Warning),
    ("footnote-duplicate", Severity::Warning),
    ("footnote-unused", Severity::Warning),
    ("term", Severity::Warning),
];

const LINT_KEYS: &[&str] = &["preset", "rules", "terms"];
const LEVELS: &[&str] = &["error", "warning", "off"];

pub(super) fn config_from_toml(table: Option<&toml::Table>, shown: &Path) -> Result<Config, Diag> {
    let mut levels: BTreeMap<&str, Option<Severity>> =
        RULES.iter().map(|(id, l)| (*id, Some(*l))).collect();
    let mut use_preset = true;
    let mut user_terms: Vec<Term> = Vec::new();
    if let Some(t) = table {
        for k in t.keys() {
            if !LINT_KEYS.contains(&k.as_str()) {
                return Err(config_error(
                    shown,
                    k,
                    format!("[lint]: unknown key `{k}`{}", suggest(k, LINT_KEYS)),
                    "[lint] has `preset = true|false`, `rules = { rule-id = \"error\"|\"warning\"|\"off\" }` and [[lint.terms]]",
                ));
            }
        }
        match t.get("preset") {
            None => {}
            Some(toml::Value::Boolean(b)) => use_preset = *b,
            Some(_) => {
                return Err(config_error(
                    shown,
                    "preset",
                    "[lint]: `preset` must be true or false".to_string(),
                    "preset = false switches off the shipped welfare term dictionary",
                ));
            }
        }
        match t.get("rules") {
            None => {}
            Some(toml::Value::Table(rules)) => {
                let ids: Vec<&str> = RULES.iter().map(|(id, _)| *id).collect();
                for (id, v) in rules {
                    let Some(slot) = levels.get_mut(id.as_str()) else {
                        return Err(config_error(
                            shown,
                            id,
                            format!("[lint.rules]: unknown rule `{id}`{}", suggest(id, &ids)),
                            &format!("the rules are: {}", ids.join(", ")),
                        ));
                    };
                    *slot = match v.as_str() {
                        Some("error") => Some(Severity::Error),
                        Some("warning") => Some(Severity::Warning),
                        Some("off") => None,
                        _ => {
                            let shown_v = v.to_string();
                            return Err(config_error(
                                shown,
                                id,
                                format!(
                                    "[lint.rules]: `{id} = {shown_v}` is not a severity{}",
                                    v.as_str().map(|s| suggest(s, LEVELS)).unwrap_or_default()
                                ),
                                "write \"error\", \"warning\" or \"off\"",
                            ));
                        }
                    };
                }
            }
            Some(_) => {
                return Err(config_error(
                    shown,
                    "rules",
                    "[lint]: `rules` must be a table".to_string(),
                    "e.g. rules = { heading-skip = \"warning\", term = \"off\" }",
                ));
            }
        }
        match t.get("terms") {
            None => {}
            Some(toml::Value::Array(a)) => {
                for (i, v) in a.iter().enumerate() {
                    let Some(tt) = v.as_table() else {
                        return Err(config_error(
                            shown,
                            "terms",
                            "[lint]: `terms` must be an array of tables ([[lint.terms]])"
                                .to_string(),
                            "[[lint.terms]]\nwrong = \"子供\"\nright = \"子ども\"",
                        ));
                    };
                    user_terms.push(Term::from_table(tt, i + 1, shown)?);
                }
            }
            Some(_) => {
                return Err(config_error(
                    shown,
                    "terms",
                    "[lint]: `terms` must be an array of tables ([[lint.terms]])".to_string(),
                    "[[lint.terms]]\nwrong = \"子供\"\nright = \"子ども\"",
                ));
            }
        }
    }
    let mut terms: Vec<Term> = if use_preset {
        terms::preset()
            .into_iter()
            .filter(|p| !user_terms.iter().any(|u| u.wrong == p.wrong))
            .collect()
    } else {
        Vec::new()
    };
    terms.extend(user_terms);
    Ok(Config {
        rules: RULES
            .iter()
            .filter_map(|(id, _)| levels[id].map(|l| (id.to_string(), l)))
            .collect(),
        terms,
    })
}

impl Default for Config {
    fn default() -> Self {
        config_from_toml(None, Path::new("kanko.toml")).expect("defaults are valid")
    }
}
