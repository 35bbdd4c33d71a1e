//! A chapter's source, classified byte by byte for the lint: what is prose an editor wrote,
//! what is code, raw HTML, a comment, or Markdown syntax (link targets, footnote labels,
//! list markers, heading ids). Rules look only at the classes they care about, and every
//! position they report is a real `line:col` in the file.
//!
//! Block structure comes from comrak (the same parser and options the manuscript uses);
//! inline syntax (code spans, link targets, footnote labels, URLs) is found by a small scanner
//! over each paragraph, which is all the lint needs.

mod syntax;

use std::ops::Range;

/// A run of characters of one category: (category, full width?, (byte offset, char)…).
type Run = (Category, bool, Vec<(usize, char)>);

use comrak::nodes::NodeValue;
use comrak::{Arena, parse_document};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// Text the reader sees, as typed.
    Prose,
    /// Code blocks and code spans (printed, but never linted for style).
    Code,
    /// Raw HTML (shown as text in the PDF, sanitised elsewhere).
    Html,
    /// `<!-- comments -->`: dropped from every output.
    Comment,
    /// Markdown syntax: link targets, footnote labels, list and quote markers, heading ids, URLs.
    Markup,
}

/// What a run of lines is, for the rules that work paragraph by paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Category {
    Body,
    List,
    Quote,
    Table,
    Heading,
    Footnote,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LineKind {
    Blank,
    Code,
    Html,
    Heading,
    Table,
    Text,
}

#[derive(Debug, Clone)]
struct LineInfo {
    start: usize,
    /// End of the line's content (before `\r\n` / `\n`).
    end: usize,
    kind: LineKind,
    quote: bool,
    item_start: bool,
    in_list: bool,
    note_start: bool,
    in_note: bool,
}

/// A footnote label in the source: `[^label]` (reference) or `[^label]:` (definition).
#[derive(Debug, Clone)]
pub struct NoteMark {
    pub label: String,
    pub offset: usize,
}

/// A paragraph-like run of text (a paragraph, a list item, a heading, a table row…): its
/// prose characters with their byte offsets.
#[derive(Debug, Clone)]
pub struct Unit {
    pub category: Category,
    pub chars: Vec<(usize, char)>,
}

pub struct Scan<'a> {
    pub src: &'a str,
    pub class: Vec<Class>,
    line_starts: Vec<usize>,
    lines: Vec<LineInfo>,
    pub note_defs: Vec<NoteMark>,
    pub note_refs: Vec<NoteMark>,
}

impl<'a> Scan<'a> {
    pub fn new(src: &'a str) -> Scan<'a> {
        let mut line_starts = vec![0];
        for (i, b) in src.bytes().enumerate() {
            if b == b'\n' {
                line_starts.push(i + 1);
            }
        }
        let mut lines: Vec<LineInfo> = line_starts
            .iter()
            .enumerate()
            .map(|(i, &start)| {
                let mut end = line_starts.get(i + 1).map_or(src.len(), |n| n - 1);
                if end > start && src.as_bytes()[end - 1] == b'\r' {
                    end -= 1;
                }
                let kind = if src[start..end].trim().is_empty() {
                    LineKind::Blank
                } else {
                    LineKind::Text
                };
                LineInfo {
                    start,
                    end,
                    kind,
                    quote: false,
                    item_start: false,
                    in_list: false,
                    note_start: false,
                    in_note: false,
                }
            })
            .collect();
        mark_blocks(src, &mut lines);
        let mut s = Scan {
            src,
            class: vec![Class::Prose; src.len()],
            line_starts,
            lines,
            note_defs: Vec::new(),
            note_refs: Vec::new(),
        };
        s.classify();
        s
    }

    /// Byte offset → 1-based (line, column); columns count characters.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let idx = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.line_starts[idx];
        let mut end = offset.min(self.src.len());
        while !self.src.is_char_boundary(end) {
            end -= 1;
        }
        (idx + 1, self.src[start..end].chars().count() + 1)
    }

    /// Byte offset → 1-based line.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.line_starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    pub fn class_at(&self, offset: usize) -> Class {
        self.class.get(offset).copied().unwrap_or(Class::Markup)
    }

    /// Maximal runs of prose within one line.
    pub fn prose_segments(&self) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for l in &self.lines {
            let mut i = l.start;
            while i < l.end {
                if self.class[i] != Class::Prose {
                    i += 1;
                    continue;
                }
                let s = i;
                while i < l.end && self.class[i] == Class::Prose {
                    i += 1;
                }
                out.push(s..i);
            }
        }
        out
    }

    /// Characters of the given classes with their offsets (line ends excluded).
    pub fn chars_of<'s>(&'s self, want: &'s [Class]) -> impl Iterator<Item = (usize, char)> + 's {
        self.src
            .char_indices()
            .filter(move |(i, c)| *c != '\n' && *c != '\r' && want.contains(&self.class[*i]))
    }

    /// Paragraph-like units of prose: paragraphs, list items, headings, table rows, footnotes.
    pub fn units(&self) -> Vec<Unit> {
        let mut out: Vec<Unit> = Vec::new();
        let mut cur: Option<Run> = None;
        let flush = |cur: &mut Option<Run>, out: &mut Vec<Unit>| {
            if let Some((category, _, chars)) = cur.take()
                && !chars.is_empty()
            {
                out.push(Unit { category, chars });
            }
        };
        for l in &self.lines {
            let category = match l.kind {
                LineKind::Blank | LineKind::Code | LineKind::Html => {
                    flush(&mut cur, &mut out);
                    continue;
                }
                LineKind::Table => Category::Table,
                LineKind::Heading => Category::Heading,
                LineKind::Text if l.quote => Category::Quote,
                LineKind::Text if l.in_note => Category::Footnote,
                LineKind::Text if l.in_list => Category::List,
                LineKind::Text => Category::Body,
            };
            let single = matches!(category, Category::Table | Category::Heading);
            let new = match &cur {
                None => true,
                Some((c, q, _)) => {
                    *c != category || *q != l.quote || single || l.item_start || l.note_start
                }
            };
            if new {
                flush(&mut cur, &mut out);
                cur = Some((category, l.quote, Vec::new()));
            }
            if let Some((_, _, chars)) = cur.as_mut() {
                chars.extend(
                    self.src[l.start..l.end]
                        .char_indices()
                        .map(|(i, c)| (l.start + i, c))
                        .filter(|(i, _)| self.class[*i] == Class::Prose),
                );
            }
        }
        flush(&mut cur, &mut out);
        out
    }

    fn set(&mut self, r: Range<usize>, c: Class) {
        let end = r.end.min(self.class.len());
        for x in &mut self.class[r.start.min(end)..end] {
            *x = c;
        }
    }

    fn classify(&mut self) {
        // Whole lines first: code and HTML blocks.
        for i in 0..self.lines.len() {
            let l = self.lines[i].clone();
            match l.kind {
                LineKind::Code => self.set(l.start..l.end, Class::Code),
                LineKind::Html => {
                    self.set(l.start..l.end, Class::Html);
                }
                _ => {}
            }
        }
        self.mark_html_comments();
        // Line starts: quote markers, list markers, heading markers, footnote definitions,
        // link reference definitions, table delimiter rows.
        for i in 0..self.lines.len() {
            let l = self.lines[i].clone();
            if matches!(l.kind, LineKind::Blank | LineKind::Code | LineKind::Html) {
                continue;
            }
            self.line_prefix(&l);
        }
        // Inline syntax, paragraph by paragraph.
        let mut i = 0;
        while i < self.lines.len() {
            let k = self.lines[i].kind;
            if matches!(k, LineKind::Blank | LineKind::Code | LineKind::Html) {
                i += 1;
                continue;
            }
            let start = self.lines[i].start;
            let mut j = i;
            while j + 1 < self.lines.len()
                && !matches!(
                    self.lines[j + 1].kind,
                    LineKind::Blank | LineKind::Code | LineKind::Html
                )
            {
                j += 1;
            }
            let end = self.lines[j].end;
            self.inline(start..end);
            i = j + 1;
        }
    }

    /// `<!-- … -->` anywhere outside code, including inside HTML blocks.
    fn mark_html_comments(&mut self) {
        let mut from = 0;
        while let Some(p) = self.src[from..].find("<!--") {
            let s = from + p;
            if self.class[s] == Class::Code {
                from = s + 4;
                continue;
            }
            let e = self.src[s + 4..]
                .find("-->")
                .map_or(self.src.len(), |q| s + 4 + q + 3);
            for k in s..e {
                if self.class[k] != Class::Code {
                    self.class[k] = Class::Comment;
                }
            }
            from = e;
        }
    }
}

/// Line kinds and container flags from comrak's block tree.
fn mark_blocks(src: &str, lines: &mut [LineInfo]) {
    let arena = Arena::new();
    let root = parse_document(&arena, src, &crate::manuscript::markdown::options());
    let n = lines.len();
    let range = |s: usize, e: usize| (s.max(1) - 1)..e.min(n);
    for node in root.descendants() {
        let data = node.data.borrow();
        let sp = data.sourcepos;
        if sp.start.line == 0 {
            continue;
        }
        let lines_of = range(sp.start.line, sp.end.line.max(sp.start.line));
        match &data.value {
            NodeValue::CodeBlock(_) => {
                for l in &mut lines[lines_of] {
                    l.kind = LineKind::Code;
                }
            }
            NodeValue::HtmlBlock(_) => {
                for l in &mut lines[lines_of] {
                    l.kind = LineKind::Html;
                }
            }
            NodeValue::Heading(_) => {
                for l in &mut lines[lines_of] {
                    if l.kind == LineKind::Text {
                        l.kind = LineKind::Heading;
                    }
                }
            }
            NodeValue::Table(_) => {
                for l in &mut lines[lines_of] {
                    if l.kind == LineKind::Text {
                        l.kind = LineKind::Table;
                    }
                }
            }
            NodeValue::BlockQuote => {
                for l in &mut lines[lines_of] {
                    l.quote = true;
                }
            }
            NodeValue::Item(_) | NodeValue::TaskItem(_) => {
                let first = lines_of.start;
                for l in &mut lines[lines_of] {
                    l.in_list = true;
                }
                if let Some(l) = lines.get_mut(first) {
                    l.item_start = true;
                }
            }
            NodeValue::FootnoteDefinition(_) => {
                let first = lines_of.start;
                for l in &mut lines[lines_of] {
                    l.in_note = true;
                }
                if let Some(l) = lines.get_mut(first) {
                    l.note_start = true;
                }
            }
            _ => {}
        }
    }
    // A blank line ends a quote's paragraph like any other.
    for l in lines.iter_mut() {
        if l.kind == LineKind::Blank {
            l.quote = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(src: &str) -> String {
        let s = Scan::new(src);
        s.chars_of(&[Class::Prose]).map(|(_, c)| c).collect()
    }

    #[test]
    fn code_links_and_notes_are_not_prose() {
        let src = "# 見出し {#top}\n\n本文`子供`と[リンク](https://example.jp/子供)[^1]。\n\n```\n子供\n```\n\n[^1]: 注の本文\n";
        let p = prose(src);
        assert!(p.contains("見出し"));
        assert!(!p.contains("#"));
        assert!(!p.contains("子供"), "{p}");
        assert!(p.contains("本文と[リンク]。"), "{p}");
        assert!(p.contains("注の本文"));
        let s = Scan::new(src);
        assert_eq!(s.note_refs.len(), 1);
        assert_eq!(s.note_defs.len(), 1);
        assert_eq!(s.line_col(s.note_defs[0].offset), (9, 1));
    }

    #[test]
    fn units_split_list_items_and_headings() {
        let src = "- 「一つ目\n- 二つ目」\n\n本文は\n続く。\n";
        let s = Scan::new(src);
        let u = s.units();
        assert_eq!(u.len(), 3, "{u:?}");
        assert_eq!(u[0].category, Category::List);
        assert_eq!(u[2].category, Category::Body);
        assert_eq!(
            u[2].chars.iter().map(|c| c.1).collect::<String>(),
            "本文は続く。"
        );
    }

    #[test]
    fn columns_count_characters() {
        let s = Scan::new("あいう\nかきく");
        assert_eq!(s.line_col("あいう\nか".len()), (2, 2));
    }
}
