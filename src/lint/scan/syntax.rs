//! Markdown syntax inside a chapter's lines, for the classifier: a line's prefix (quote marks,
//! list markers, heading marks and ids) and the inline syntax of a paragraph (code spans, link
//! targets, footnote labels, autolinks, raw HTML).

use std::ops::Range;

use super::{Class, LineInfo, LineKind, NoteMark, Scan};

impl Scan<'_> {
    // Long: one left-to-right pass over a line's prefix; each step peels one kind of marker
    // (quote, list item, heading, footnote definition) and they nest in that order.
    /// Marks a line's Markdown prefix as syntax.
    pub(super) fn line_prefix(&mut self, l: &LineInfo) {
        let bytes = self.src.as_bytes();
        let mut p = l.start;
        let mut markers = 0;
        loop {
            while p < l.end && (bytes[p] == b' ' || bytes[p] == b'\t') {
                p += 1;
            }
            if p >= l.end {
                break;
            }
            if l.quote && bytes[p] == b'>' {
                self.set(p..p + 1, Class::Markup);
                p += 1;
                continue;
            }
            if l.item_start
                && markers < 4
                && let Some(n) = list_marker(&self.src[p..l.end])
            {
                self.set(p..p + n, Class::Markup);
                p += n;
                markers += 1;
                // task list box
                let rest = &self.src[p..l.end];
                let t = rest.trim_start();
                let ws = rest.len() - t.len();
                if ws > 0 && (t.starts_with("[ ]") || t.starts_with("[x]") || t.starts_with("[X]"))
                {
                    self.set(p + ws..p + ws + 3, Class::Markup);
                    p += ws + 3;
                }
                continue;
            }
            break;
        }
        let rest = &self.src[p..l.end];
        match l.kind {
            LineKind::Heading => {
                let hashes = rest.bytes().take_while(|b| *b == b'#').count();
                if (1..=6).contains(&hashes) {
                    self.set(p..p + hashes, Class::Markup);
                    // closing sequence `## title ##`
                    let t = rest.trim_end();
                    let closing = t.bytes().rev().take_while(|b| *b == b'#').count();
                    if closing > 0
                        && closing < t.len()
                        && t.as_bytes()[t.len() - closing - 1] == b' '
                    {
                        self.set(p + t.len() - closing..p + t.len(), Class::Markup);
                    }
                } else if rest.trim().chars().all(|c| c == '=' || c == '-') {
                    // setext underline
                    self.set(p..l.end, Class::Markup);
                }
                // `{#id}` at the end
                let t = rest.trim_end();
                if t.ends_with('}')
                    && let Some(q) = t.rfind("{#")
                {
                    self.set(p + q..p + t.len(), Class::Markup);
                }
            }
            LineKind::Table
                if rest
                    .trim()
                    .chars()
                    .all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t')) =>
            {
                self.set(p..l.end, Class::Markup);
            }
            _ => {}
        }
        // footnote definition `[^label]:`
        if rest.starts_with("[^")
            && let Some(close) = rest.find("]:")
        {
            let label = &rest[2..close];
            if !label.is_empty() && !label.contains(char::is_whitespace) {
                self.note_defs.push(NoteMark {
                    label: label.to_lowercase(),
                    offset: p,
                });
                self.set(p..p + close + 2, Class::Markup);
                return;
            }
        }
        // link reference definition `[label]: url`
        if rest.starts_with('[')
            && !rest.starts_with("[^")
            && let Some(close) = rest.find("]:")
            && !rest[..close].contains(']')
        {
            self.set(p..l.end, Class::Markup);
        }
    }

    // Long: one byte scanner over a paragraph; each match arm is one inline syntax, and they
    // share the cursor, so splitting them would pass the scanner state around.
    /// Marks a paragraph's inline syntax (code spans, link targets, notes, autolinks, HTML).
    pub(super) fn inline(&mut self, r: Range<usize>) {
        let src = self.src;
        let bytes = src.as_bytes();
        let mut i = r.start;
        while i < r.end {
            if self.class[i] != Class::Prose {
                i += 1;
                continue;
            }
            let b = bytes[i];
            match b {
                b'\\' if i + 1 < r.end && bytes[i + 1].is_ascii_punctuation() => {
                    i += 2;
                }
                b'`' => {
                    let n = bytes[i..r.end].iter().take_while(|c| **c == b'`').count();
                    let mut k = i + n;
                    let mut close = None;
                    while k < r.end {
                        if bytes[k] == b'`' {
                            let m = bytes[k..r.end].iter().take_while(|c| **c == b'`').count();
                            if m == n {
                                close = Some(k + m);
                                break;
                            }
                            k += m;
                        } else {
                            k += 1;
                        }
                    }
                    match close {
                        Some(e) => {
                            self.set(i..e, Class::Code);
                            i = e;
                        }
                        None => i += n,
                    }
                }
                b'<' => {
                    let rest = &src[i..r.end];
                    let line_end = rest.find('\n').map_or(r.end, |q| i + q);
                    let gt = src[i..line_end].find('>').map(|q| i + q + 1);
                    let next = bytes.get(i + 1).copied().unwrap_or(b' ');
                    match gt {
                        Some(e) if is_autolink(&src[i + 1..e - 1]) => {
                            self.set(i..e, Class::Markup);
                            i = e;
                        }
                        Some(e) if next.is_ascii_alphabetic() || next == b'/' || next == b'!' => {
                            self.set(i..e, Class::Html);
                            i = e;
                        }
                        _ => i += 1,
                    }
                }
                b'[' if bytes.get(i + 1) == Some(&b'^') => {
                    let rest = &src[i + 2..r.end];
                    let close = rest.find(']');
                    match close {
                        Some(q) if q > 0 && !rest[..q].contains(char::is_whitespace) => {
                            let e = i + 2 + q + 1;
                            self.note_refs.push(NoteMark {
                                label: rest[..q].to_lowercase(),
                                offset: i,
                            });
                            self.set(i..e, Class::Markup);
                            i = e;
                        }
                        _ => i += 1,
                    }
                }
                b']' if bytes.get(i + 1) == Some(&b'(') => {
                    // link or image destination (and title): up to the matching `)`
                    let mut depth = 0usize;
                    let mut k = i + 1;
                    let mut end = None;
                    while k < r.end {
                        match bytes[k] {
                            b'(' => depth += 1,
                            b')' => {
                                depth -= 1;
                                if depth == 0 {
                                    end = Some(k + 1);
                                    break;
                                }
                            }
                            b'\\' => k += 1,
                            b'\n' => break,
                            _ => {}
                        }
                        k += 1;
                    }
                    match end {
                        Some(e) => {
                            self.set(i + 1..e, Class::Markup);
                            i = e;
                        }
                        None => i += 1,
                    }
                }
                b'h' | b'w' => {
                    let rest = &src[i..r.end];
                    let starts = rest.starts_with("https://")
                        || rest.starts_with("http://")
                        || rest.starts_with("www.");
                    let word_start = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
                    if starts && word_start {
                        let n = rest
                            .bytes()
                            .take_while(|c| {
                                c.is_ascii_alphanumeric() || b"-._~:/?#[]@!$&'()*+,;=%".contains(c)
                            })
                            .count();
                        self.set(i..i + n, Class::Markup);
                        i += n;
                    } else {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
    }
}

fn is_autolink(inner: &str) -> bool {
    let lower = inner.to_ascii_lowercase();
    !inner.contains(char::is_whitespace)
        && (lower.starts_with("http://")
            || lower.starts_with("https://")
            || lower.starts_with("mailto:")
            || (inner.contains('@') && !inner.contains('/')))
}

/// Length of a list marker (`-`, `*`, `+`, `1.`, `1)`) followed by white space or the end.
fn list_marker(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let n = if matches!(b.first(), Some(b'-' | b'*' | b'+')) {
        1
    } else {
        let d = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if (1..=9).contains(&d) && matches!(b.get(d), Some(b'.' | b')')) {
            d + 1
        } else {
            return None;
        }
    };
    match b.get(n) {
        None | Some(b' ' | b'\t') => Some(n),
        _ => None,
    }
}
