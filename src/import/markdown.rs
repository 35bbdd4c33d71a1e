//! Blocks → kanko's Markdown (SPEC.md): ruby `{漢字|かんじ}`, footnotes `[^n]`, GFM tables, an
//! image alone in a paragraph as a figure. Every character the editor typed is escaped so that
//! it reads back as the same text, never as Markdown.

use super::escape::{escape, is_special};
use super::model::{Block, Fmt, Image, Inline, Kind, Para, Table};

/// One chapter file. `notes` are the whole document's notes; the ones this chapter refers to
/// are written at its end (kanko reads footnote definitions per chapter file).
pub fn chapter(blocks: &[Block], notes: &[Vec<Inline>]) -> String {
    let mut w = Writer::default();
    let mut i = 0;
    while i < blocks.len() {
        match &blocks[i] {
            Block::Para(p) if p.kind == Kind::Code => {
                let mut lines = Vec::new();
                while let Some(Block::Para(q)) = blocks.get(i)
                    && q.kind == Kind::Code
                {
                    lines.push(code_text(&q.body));
                    i += 1;
                }
                w.code(&lines.join("\n"));
                continue;
            }
            Block::Para(p) => w.para(p),
            Block::Table(t) => w.table(t),
            Block::Figure(img) => w.figure(img),
            Block::Mark(_) => {}
        }
        i += 1;
    }
    let mut out = w.out.trim_end().to_string();
    out.push('\n');
    if !w.notes.is_empty() {
        out.push('\n');
        for n in &w.notes {
            let body = notes
                .get(*n)
                .map(|b| inlines(b, Ctx::Inline))
                .unwrap_or_default();
            out.push_str(&format!("[^{}]: {}\n", n + 1, body.trim()));
        }
    }
    out
}

#[derive(Default)]
struct Writer {
    out: String,
    /// Levels of the list items just written (empty: not in a list).
    list: Vec<u8>,
    last_quote: bool,
    notes: Vec<usize>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Body text: a hard line break is `\` + newline.
    Block,
    /// Headings, table cells, notes: one line.
    Inline,
}

impl Writer {
    fn end_blocks(&mut self, keep_list: bool, keep_quote: bool) {
        if !keep_list && !self.list.is_empty() {
            self.list.clear();
            self.out.push('\n');
        }
        if !keep_quote && self.last_quote {
            self.last_quote = false;
            self.out.push('\n');
        }
    }

    fn para(&mut self, p: &Para) {
        self.collect_notes(&p.body);
        match p.kind {
            Kind::Heading(level) => {
                self.end_blocks(false, false);
                let mut text = inlines(&p.body, Ctx::Inline).trim().to_string();
                if text.ends_with('#') {
                    text.insert(text.len() - 1, '\\');
                }
                if text.is_empty() {
                    return;
                }
                let hashes = "#".repeat(level.clamp(1, 6) as usize);
                self.out.push_str(&format!("{hashes} {text}\n\n"));
            }
            Kind::Item { level, ordered } => {
                self.end_blocks(true, false);
                let level = level.min(self.list.last().map_or(0, |l| l + 1));
                self.list.push(level);
                let indent = "    ".repeat(level as usize);
                let marker = if ordered { "1. " } else { "- " };
                let cont = format!("{indent}{}", " ".repeat(marker.len()));
                let text = lines(&inlines(&p.body, Ctx::Block), &cont);
                self.out.push_str(&format!("{indent}{marker}{text}\n"));
            }
            Kind::Quote => {
                self.end_blocks(false, true);
                if self.last_quote {
                    self.out.push_str(">\n");
                }
                let text = lines(&inlines(&p.body, Ctx::Block), "> ");
                self.out.push_str(&format!("> {text}\n"));
                self.last_quote = true;
            }
            _ => {
                self.end_blocks(false, false);
                let text = inlines(&p.body, Ctx::Block);
                if text.trim().is_empty() {
                    return;
                }
                self.out.push_str(&format!("{}\n\n", lines(&text, "")));
            }
        }
    }

    fn collect_notes(&mut self, body: &[Inline]) {
        for i in body {
            match i {
                Inline::Note(n) if !self.notes.contains(n) => self.notes.push(*n),
                Inline::Link { body, .. } => self.collect_notes(body),
                _ => {}
            }
        }
    }

    fn code(&mut self, text: &str) {
        self.end_blocks(false, false);
        let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        self.out.push_str(&format!("{fence}\n{text}\n{fence}\n\n"));
    }

    fn figure(&mut self, img: &Image) {
        self.end_blocks(false, false);
        let Some(file) = &img.file else { return };
        let caption = img
            .caption
            .as_ref()
            .map(|c| Inline::plain(c).trim().to_string())
            .filter(|c| !c.is_empty());
        // `![alt](src "caption")`: Word's alt text (代替テキスト) in the brackets, its caption
        // paragraph as the title, which kanko prints as the caption. Both kept even when they
        // are the same text: `kanko check` then says so (`alt-caption`).
        let described = img.alt.trim();
        let (alt_text, title) = match &caption {
            Some(c) if !described.is_empty() => (
                described.to_string(),
                format!(
                    " \"{}\"",
                    c.replace('\n', " ")
                        .replace('\\', "\\\\")
                        .replace('"', "\\\"")
                ),
            ),
            Some(c) => (c.clone(), String::new()),
            None => (described.to_string(), String::new()),
        };
        let alt = escape(&alt_text, false);
        self.out
            .push_str(&format!("![{alt}](images/{file}{title})\n\n"));
    }

    fn table(&mut self, t: &Table) {
        self.end_blocks(false, false);
        for row in &t.rows {
            for cell in row {
                for p in cell {
                    self.collect_notes(&p.body);
                }
            }
        }
        let cell = |c: &Vec<Para>| {
            c.iter()
                .map(|p| inlines(&p.body, Ctx::Inline).trim().to_string())
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        };
        if t.complex {
            for row in &t.rows {
                let cells: Vec<String> = row.iter().map(cell).filter(|s| !s.is_empty()).collect();
                if !cells.is_empty() {
                    self.out
                        .push_str(&format!("{}\n\n", lines(&cells.join(" ／ "), "")));
                }
            }
            return;
        }
        let mut rows = t.rows.iter();
        let Some(head) = rows.next() else { return };
        let line = |cells: Vec<String>| format!("| {} |\n", cells.join(" | "));
        self.out.push_str(&line(head.iter().map(cell).collect()));
        self.out
            .push_str(&line(head.iter().map(|_| "---".to_string()).collect()));
        for r in rows {
            self.out.push_str(&line(r.iter().map(cell).collect()));
        }
        self.out.push('\n');
    }
}

fn code_text(body: &[Inline]) -> String {
    let mut s = String::new();
    for i in body {
        match i {
            Inline::Break => s.push('\n'),
            other => s.push_str(&Inline::plain(std::slice::from_ref(other))),
        }
    }
    s
}

/// Continuation lines (after a hard break) get `prefix`, and are escaped as line starts.
fn lines(text: &str, prefix: &str) -> String {
    text.split('\n')
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                l.to_string()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn inlines(items: &[Inline], ctx: Ctx) -> String {
    let mut out = String::new();
    let mut line_start = true;
    let mut skip = 0;
    for (n, item) in items.iter().enumerate() {
        if skip > 0 {
            skip -= 1;
            continue;
        }
        match item {
            Inline::Text(..) => {
                // The whole stretch of runs at once, so that their emphasis nests.
                let group: Vec<(&str, Fmt)> = items[n..]
                    .iter()
                    .map_while(|i| match i {
                        Inline::Text(t, f) => Some((t.as_str(), *f)),
                        _ => None,
                    })
                    .collect();
                skip = group.len() - 1;
                let next = match items.get(n + group.len()) {
                    Some(Inline::Link { .. } | Inline::Note(_)) => Some('['),
                    Some(Inline::Ruby { base, .. }) => base.chars().next(),
                    _ => None,
                };
                let prev = out.chars().last();
                out.push_str(&super::emphasis::runs(&group, line_start, prev, next));
            }
            Inline::Ruby { base, rt } => {
                if base.chars().chain(rt.chars()).any(is_special) {
                    out.push_str(&escape(base, line_start));
                } else {
                    out.push_str(&format!("{{{base}|{rt}}}"));
                }
            }
            Inline::Link { url, body } => {
                let text = inlines(body, Ctx::Inline);
                if text.trim().is_empty() {
                    continue;
                }
                out.push_str(&format!("[{}]({})", text, link_url(url)));
            }
            Inline::Note(i) => out.push_str(&format!("[^{}]", i + 1)),
            Inline::Break => {
                let last = items[n + 1..].iter().all(|i| matches!(i, Inline::Break));
                if ctx == Ctx::Inline || last {
                    out.push(' ');
                } else {
                    out.push_str("\\\n");
                    line_start = true;
                    continue;
                }
            }
        }
        line_start = out.is_empty() || out.ends_with('\n');
    }
    out.trim_end_matches(' ').to_string()
}

fn link_url(url: &str) -> String {
    let mut s = String::new();
    for c in url.chars() {
        match c {
            ' ' => s.push_str("%20"),
            '(' => s.push_str("%28"),
            ')' => s.push_str("%29"),
            '<' => s.push_str("%3C"),
            '>' => s.push_str("%3E"),
            '\\' => s.push_str("%5C"),
            c if c.is_control() => {}
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text(s.into(), Fmt::default())
    }

    #[test]
    fn typed_markup_stays_text() {
        assert_eq!(
            escape("# 1. *a* [b] <c> & d_e | ~f~", true),
            "\\# 1. \\*a\\* \\[b\\] \\<c\\> \\& d\\_e \\| \\~f\\~"
        );
        assert_eq!(escape("1. 目的", true), "1\\. 目的");
        assert_eq!(escape("- 項目", true), "\\- 項目");
        assert_eq!(escape("- 項目", false), "- 項目");
    }

    #[test]
    fn emphasis_keeps_spaces_outside() {
        let b = Fmt {
            bold: true,
            ..Fmt::default()
        };
        assert_eq!(
            super::super::emphasis::runs(&[(" 重要 ", b)], false, Some('は'), None),
            " **重要** "
        );
        let items = [text("これは"), Inline::Text("重要".into(), b), text("です")];
        assert_eq!(inlines(&items, Ctx::Block), "これは**重要**です");
    }

    #[test]
    fn ruby_notes_and_breaks() {
        let items = [
            Inline::Ruby {
                base: "漢字".into(),
                rt: "かんじ".into(),
            },
            Inline::Note(0),
            Inline::Break,
            text("- 次の行"),
            Inline::Break,
        ];
        assert_eq!(
            inlines(&items, Ctx::Block),
            "{漢字|かんじ}[^1]\\\n\\- 次の行"
        );
    }
}
