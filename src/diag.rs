//! Messages for editors: errors and warnings that name a file, line and column.
//!
//! A `Diag` is a value; reports collect them and the pipeline prints them once, in order,
//! with the source line and a caret (codespan-reporting) when the file is known.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// A place in a file, 1-based (`file:line:col` in messages).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
}

/// The file operation an I/O error happened in (see [`Diag::io`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Io {
    Read,
    Write,
    Create,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diag {
    pub severity: Severity,
    /// The file the message is about, as the user named it (e.g. `reports/x/02-chousa.md`).
    pub file: Option<PathBuf>,
    /// 1-based; 0 = unknown.
    pub line: usize,
    pub col: usize,
    pub message: String,
    pub help: Option<String>,
}

impl Diag {
    pub fn error(message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Error,
            file: None,
            line: 0,
            col: 0,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diag {
            severity: Severity::Warning,
            ..Diag::error(message)
        }
    }

    pub fn at(mut self, file: impl AsRef<Path>, line: usize, col: usize) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self.line = line;
        self.col = col;
        self
    }

    pub fn in_file(mut self, file: impl AsRef<Path>) -> Self {
        self.file = Some(file.as_ref().to_path_buf());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A failed file operation: what was being done, to which path, and the system's reason.
    pub fn io(op: Io, path: impl AsRef<Path>, e: std::io::Error) -> Self {
        let what = match op {
            Io::Read => "cannot read",
            Io::Write => "cannot write",
            Io::Create => "cannot create",
        };
        Diag::error(format!("{what}: {e}")).in_file(path)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col` or just the file, or nothing.
    pub fn location(&self) -> Option<String> {
        let file = self.file.as_ref()?.display().to_string();
        Some(match (self.line, self.col) {
            (0, _) => file,
            (l, 0) => format!("{file}:{l}"),
            (l, c) => format!("{file}:{l}:{c}"),
        })
    }
}

impl fmt::Display for Diag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => crate::i18n::t("error"),
            Severity::Warning => crate::i18n::t("warning"),
        };
        match self.location() {
            Some(loc) => write!(f, "{loc}: {kind}: {}", self.message)?,
            None => write!(f, "{kind}: {}", self.message)?,
        }
        if let Some(help) = &self.help {
            write!(f, "\n  = {}: {help}", crate::i18n::t("help"))?;
        }
        Ok(())
    }
}

/// Byte offset → (line, column), both 1-based; columns count characters.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    let before = &src[..floor_char_boundary(src, offset)];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Renders a diagnostic with the offending source line and a caret under the column.
pub fn render(d: &Diag, color: bool) -> String {
    use codespan_reporting::diagnostic::{Diagnostic, Label};
    use codespan_reporting::files::SimpleFiles;
    use codespan_reporting::term::{self, termcolor::Buffer};

    let source = d
        .file
        .as_ref()
        .filter(|_| d.line > 0)
        .and_then(|p| std::fs::read(p).ok())
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let Some(source) = source else {
        return format!("{d}\n");
    };
    let mut files = SimpleFiles::new();
    let name = d
        .file
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let id = files.add(name, source.clone());
    let start = offset_of(&source, d.line, d.col.max(1));
    let end = next_char_end(&source, start);
    let base = match d.severity {
        Severity::Error => Diagnostic::error(),
        Severity::Warning => Diagnostic::warning(),
    };
    let mut diag = base
        .with_message(&d.message)
        .with_labels(vec![Label::primary(id, start..end)]);
    if let Some(h) = &d.help {
        diag = diag.with_notes(vec![format!("{}: {h}", crate::i18n::t("help"))]);
    }
    let mut buf = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    let config = term::Config::default();
    if term::emit(&mut buf, &config, &files, &diag).is_err() {
        return format!("{d}\n");
    }
    String::from_utf8_lossy(buf.as_slice()).into_owned()
}

fn offset_of(src: &str, line: usize, col: usize) -> usize {
    let mut offset = 0;
    for (i, l) in src.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let within: usize = l.chars().take(col - 1).map(char::len_utf8).sum();
            return (offset + within).min(src.len());
        }
        offset += l.len();
    }
    src.len()
}

fn next_char_end(src: &str, start: usize) -> usize {
    match src[start..].chars().next() {
        Some('\n') | None => start,
        Some(c) => start + c.len_utf8(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let src = "一行目\n二行目です\nthird";
        assert_eq!(line_col(src, 0), (1, 1));
        let off = src.find("です").unwrap();
        assert_eq!(line_col(src, off), (2, 4));
        assert_eq!(line_col(src, src.len()), (3, 6));
    }

    #[test]
    fn location_formats() {
        let d = Diag::error("x").at("a.md", 3, 2);
        assert_eq!(d.location().unwrap(), "a.md:3:2");
        assert_eq!(Diag::error("x").location(), None);
    }
}
