//! Errors about the `[lint]` table: the nearest known name, and the place in kanko.toml.

use std::path::Path;

use crate::diag::Diag;

/// ` (did you mean `x`?)` when a known name is close to `got` (the rule of every TOML file).
pub fn suggest(got: &str, known: &[&str]) -> String {
    match crate::tomldiag::suggest(got, known) {
        Some(k) => format!(" (did you mean `{k}`?)"),
        None => String::new(),
    }
}

/// An error about kanko.toml, at the line where `needle` first appears when it can be found.
pub fn config_error(shown: &Path, needle: &str, message: String, help: &str) -> Diag {
    let d = Diag::error(message).help(help);
    let located = std::fs::read_to_string(shown).ok().and_then(|src| {
        let lint_at = src.find("[lint").unwrap_or(0);
        let at = src[lint_at..]
            .find(needle)
            .map(|p| lint_at + p)
            .or_else(|| src.find(needle))?;
        Some(crate::diag::line_col(&src, at))
    });
    match located {
        Some((l, c)) => d.at(shown, l, c),
        None => d.in_file(shown),
    }
}
