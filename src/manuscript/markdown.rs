//! Markdown → document tree, through comrak's AST and a few small passes.
//!
//! comrak (not pulldown-cmark) because its `cjk_friendly_emphasis` extension makes
//! `これは**「重要」**です` bold, and it gives every node a source position for messages.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};
use comrak::{Arena, Options, parse_document};

use crate::diag::Diag;
use crate::doc::{Align, Block, Chapter, Footnote, Inline, ListItem, Pos};

#[path = "markdown_html.rs"]
mod html_read;

/// Deeper quotes and lists than this are flattened (Typst's show-rule depth is ~64, and no
/// reader can follow eight levels anyway).
pub const MAX_NESTING: usize = 8;

/// State shared by all chapters of one report: ids must be unique report-wide.
#[derive(Default)]
pub struct ReportIds {
    pub ids: HashSet<String>,
    pub footnotes: usize,
    pub headings: usize,
    /// Chapter file → its headings' GitHub-style anchors (unique within the file, `-1`, `-2`
    /// as GitHub numbers them) → the heading's id in the report. Links written for GitHub,
    /// VS Code or mdBook (`#宣言的なマクロ`, `02.md#背景`) resolve through it.
    pub anchors: HashMap<String, HashMap<String, String>>,
}

/// Where each image was referenced, for resolving and messages.
#[derive(Debug, Clone)]
pub struct ImageRef {
    pub src: String,
    pub pos: Pos,
}

pub struct ParsedChapter {
    pub chapter: Chapter,
    pub images: Vec<ImageRef>,
    pub warnings: Vec<Diag>,
    /// HTML elements read as structure or left as text.
    pub html: Vec<super::html::Seen>,
}

pub fn options() -> Options<'static> {
    let mut o = Options::default();
    o.extension.table = true;
    o.extension.footnotes = true;
    o.extension.strikethrough = true;
    o.extension.tasklist = true;
    o.extension.autolink = true;
    o.extension.cjk_friendly_emphasis = true;
    o
}

/// Parses one chapter. `shown` is the chapter's path as messages name it.
pub fn parse_chapter(
    src: &str,
    file: &str,
    shown: &Path,
    index: usize,
    ids: &mut ReportIds,
) -> ParsedChapter {
    let arena = Arena::new();
    let root = parse_document(&arena, src, &options());
    let mut c = Converter {
        shown,
        lines: src.lines().collect(),
        defs: HashMap::new(),
        notes: Vec::new(),
        note_numbers: HashMap::new(),
        images: Vec::new(),
        warnings: Vec::new(),
        ids,
        flatten_warned: false,
        file: file.replace('\\', "/"),
        anchorizer: comrak::Anchorizer::new(),
        last_title: String::new(),
        html: Vec::new(),
    };
    for node in root.children() {
        if let NodeValue::FootnoteDefinition(d) = &node.data.borrow().value {
            c.defs.insert(d.name.clone(), node);
        }
    }
    let blocks = c.blocks(root, 0);
    let title = chapter_title(&blocks).unwrap_or_else(|| file_stem(file));
    let notes = std::mem::take(&mut c.notes);
    let chapter_id = format!("ch{}", index + 1);
    let mut html = std::mem::take(&mut c.html);
    html.iter_mut().for_each(|s| s.chapter = chapter_id.clone());
    ParsedChapter {
        chapter: Chapter {
            id: format!("ch{}", index + 1),
            file: file.to_string(),
            title,
            blocks,
            notes,
        },
        images: c.images,
        warnings: c.warnings,
        html,
    }
}

fn file_stem(file: &str) -> String {
    Path::new(file)
        .file_stem()
        .map_or(file.to_string(), |s| s.to_string_lossy().into_owned())
}

fn chapter_title(blocks: &[Block]) -> Option<String> {
    let pick = |want: Option<u8>| {
        blocks.iter().find_map(|b| match b {
            Block::Heading { level, body, .. } if want.is_none_or(|w| w == *level) => {
                Some(crate::doc::plain_text(body))
            }
            _ => None,
        })
    };
    pick(Some(1))
        .or_else(|| pick(None))
        .filter(|t| !t.trim().is_empty())
}

struct Converter<'a, 'i> {
    shown: &'a Path,
    lines: Vec<&'a str>,
    defs: HashMap<String, &'a AstNode<'a>>,
    notes: Vec<Footnote>,
    note_numbers: HashMap<String, (usize, String)>,
    images: Vec<ImageRef>,
    warnings: Vec<Diag>,
    ids: &'i mut ReportIds,
    flatten_warned: bool,
    /// The chapter file (`/`-separated), the key of `ReportIds::anchors`.
    file: String,
    anchorizer: comrak::Anchorizer,
    /// The title of the image read last (`![alt](src "title")`): a figure's caption.
    last_title: String,
    /// HTML elements read as structure or left as text, for `kanko check`.
    html: Vec<super::html::Seen>,
}

impl<'a> Converter<'a, '_> {
    fn pos(&self, node: &'a AstNode<'a>) -> Pos {
        let sp = node.data.borrow().sourcepos;
        let line = sp.start.line;
        // comrak counts columns in bytes; editors count characters.
        let col = self
            .lines
            .get(line.wrapping_sub(1))
            .map_or(sp.start.column, |l| {
                let byte = sp.start.column.saturating_sub(1).min(l.len());
                let byte = (0..=byte)
                    .rev()
                    .find(|b| l.is_char_boundary(*b))
                    .unwrap_or(0);
                l[..byte].chars().count() + 1
            });
        Pos { line, col }
    }

    fn warn(&mut self, pos: Pos, msg: String) {
        self.warnings
            .push(Diag::warning(msg).at(self.shown, pos.line, pos.col));
    }

    fn blocks(&mut self, parent: &'a AstNode<'a>, depth: usize) -> Vec<Block> {
        if let Some(out) = self.html_blocks(parent, depth) {
            return out;
        }
        let mut out = Vec::new();
        for node in parent.children() {
            self.block(node, depth, &mut out);
        }
        out
    }

    fn block(&mut self, node: &'a AstNode<'a>, depth: usize, out: &mut Vec<Block>) {
        let pos = self.pos(node);
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Paragraph => out.push(self.paragraph(node, pos)),
            NodeValue::Heading(h) => out.push(self.heading(node, h.level, pos)),
            NodeValue::BlockQuote => {
                if depth >= MAX_NESTING {
                    self.flattened(pos);
                    out.extend(self.blocks(node, depth + 1));
                } else {
                    let body = self.blocks(node, depth + 1);
                    out.push(Block::Quote { body, pos });
                }
            }
            NodeValue::List(l) => {
                if depth >= MAX_NESTING {
                    self.flattened(pos);
                    for item in node.children() {
                        out.extend(self.blocks(item, depth + 1));
                    }
                } else {
                    let items = node
                        .children()
                        .map(|item| ListItem {
                            task: task_of(item),
                            body: self.blocks(item, depth + 1),
                        })
                        .collect();
                    out.push(Block::List {
                        ordered: l.list_type == ListType::Ordered,
                        start: l.start,
                        tight: l.tight,
                        items,
                        pos,
                    });
                }
            }
            NodeValue::CodeBlock(cb) => {
                let lang = cb.info.split_whitespace().next().map(str::to_string);
                let text = cb
                    .literal
                    .strip_suffix('\n')
                    .unwrap_or(&cb.literal)
                    .to_string();
                out.push(Block::Code { lang, text, pos });
            }
            NodeValue::HtmlBlock(h) => {
                self.seen_as_text(&h.literal, pos);
                let text = strip_comments(&h.literal);
                if !text.trim().is_empty() {
                    out.push(Block::Html {
                        text: text.trim_end().to_string(),
                        pos,
                    });
                }
            }
            NodeValue::ThematicBreak => out.push(Block::Rule { pos }),
            NodeValue::Table(t) => out.push(self.table(node, &t.alignments, pos)),
            NodeValue::FootnoteDefinition(_) => {}
            _ => out.extend(self.blocks(node, depth)),
        }
    }

    fn flattened(&mut self, pos: Pos) {
        if !self.flatten_warned {
            self.flatten_warned = true;
            self.warn(
                pos,
                crate::t!(
                    "{MAX_NESTING} 段より深い引用・箇条書きは平らにしました",
                    "quotes or lists nested deeper than {MAX_NESTING} levels are flattened"
                ),
            );
        }
    }

    fn paragraph(&mut self, node: &'a AstNode<'a>, pos: Pos) -> Block {
        let body = self.inlines(node);
        let meaningful: Vec<&Inline> = body
            .iter()
            .filter(|i| !matches!(i, Inline::Text { v } if v.trim().is_empty()))
            .collect();
        if let [Inline::Image { src, alt }] = meaningful.as_slice() {
            return self.figure(src, alt, pos);
        }
        Block::Para { body, pos }
    }

    /// A figure: `![alt](src "caption")` — the brackets are the alt text (what a screen reader
    /// says, as everywhere in Markdown), the title the caption everyone sees; without a title
    /// the alt text is the caption too.
    fn figure(&mut self, src: &str, alt: &str, pos: Pos) -> Block {
        let title = std::mem::take(&mut self.last_title);
        let title = title.trim();
        // Empty brackets stay decorative (CommonMark, HTML), a title or not: `image-alt` says so.
        let titled = !title.is_empty() && !alt.trim().is_empty();
        let caption = if !titled {
            vec![Inline::text(alt)]
        } else {
            super::ruby::split_ruby(title)
        };
        Block::Figure {
            src: src.to_string(),
            alt: alt.to_string(),
            caption,
            titled,
            width: 0.8,
            pos,
        }
    }

    fn heading(&mut self, node: &'a AstNode<'a>, level: u8, pos: Pos) -> Block {
        let mut body = self.inlines(node);
        if body
            .iter()
            .all(|i| matches!(i, Inline::Text { v } if v.trim().is_empty()))
        {
            // A line of only `#` is an empty heading in CommonMark. An empty heading has no
            // place in a table of contents (and PDF/UA refuses it), so the editor's
            // characters are printed as typed instead.
            let typed = self
                .lines
                .get(pos.line.wrapping_sub(1))
                .map_or("#", |l| l.trim());
            self.warn(
                pos,
                crate::t!(
                    "空の見出し `{typed}` は文字として表示します",
                    "empty heading `{typed}`: printed as text"
                ),
            );
            return Block::Para {
                body: vec![Inline::text(typed)],
                pos,
            };
        }
        let explicit = take_heading_id(&mut body);
        self.ids.headings += 1;
        // GitHub's anchor of the heading's text, unique within this file as GitHub makes it.
        let anchor = self.anchorizer.anchorize(&crate::doc::plain_text(&body));
        let id = match explicit {
            Some(id) if is_valid_id(&id) && !self.ids.ids.contains(&id) => id,
            Some(id) => {
                self.warn(pos, format!("heading id `{id}` is invalid or used twice; a generated id is used instead (ids: ASCII letters first, then letters, digits, - _ .)"));
                self.generated_id(&anchor)
            }
            None => self.generated_id(&anchor),
        };
        if !anchor.is_empty() {
            self.ids
                .anchors
                .entry(self.file.clone())
                .or_default()
                .entry(anchor)
                .or_insert_with(|| id.clone());
        }
        self.ids.ids.insert(id.clone());
        Block::Heading {
            level,
            typed: level,
            id,
            body,
            pos,
        }
    }

    /// A heading's id from its GitHub anchor: the anchor itself when no other heading of the
    /// report has it (else `-1`, `-2`, … until unique), `sec-N` when the text gives none or the
    /// anchor is one of the ids kanko's own pages use.
    fn generated_id(&self, anchor: &str) -> String {
        if anchor.is_empty() || is_reserved_id(anchor) {
            return format!("sec-{}", self.ids.headings);
        }
        (0..)
            .map(|n| {
                if n == 0 {
                    anchor.to_string()
                } else {
                    format!("{anchor}-{n}")
                }
            })
            .find(|id| !self.ids.ids.contains(id))
            .unwrap_or_default()
    }

    fn table(&mut self, node: &'a AstNode<'a>, aligns: &[TableAlignment], pos: Pos) -> Block {
        let align = aligns
            .iter()
            .map(|a| match a {
                TableAlignment::Left => Align::Left,
                TableAlignment::Center => Align::Center,
                TableAlignment::Right => Align::Right,
                TableAlignment::None => Align::Auto,
            })
            .collect();
        let mut head = Vec::new();
        let mut rows = Vec::new();
        for row in node.children() {
            let is_head = matches!(row.data.borrow().value, NodeValue::TableRow(true));
            let cells: Vec<Vec<Inline>> = row.children().map(|cell| self.inlines(cell)).collect();
            if is_head {
                head = cells
            } else {
                rows.push(cells)
            }
        }
        Block::Table {
            align,
            head,
            rows,
            pos,
        }
    }

    fn inlines(&mut self, parent: &'a AstNode<'a>) -> Vec<Inline> {
        if let Some(out) = self.html_inlines(parent) {
            return out;
        }
        let mut out = Vec::new();
        for node in parent.children() {
            self.inline(node, &mut out);
        }
        finish_inlines(out)
    }

    fn inline(&mut self, node: &'a AstNode<'a>, out: &mut Vec<Inline>) {
        let value = node.data.borrow().value.clone();
        match value {
            NodeValue::Text(t) => out.push(Inline::text(t.to_string())),
            NodeValue::SoftBreak => out.push(Inline::text(SOFT_BREAK)),
            NodeValue::LineBreak => out.push(Inline::Br),
            NodeValue::Code(c) => out.push(Inline::Code { v: c.literal }),
            NodeValue::HtmlInline(h) => {
                if !(h.starts_with("<!--") && h.ends_with("-->")) {
                    let pos = self.pos(node);
                    self.seen_as_text(&h, pos);
                    out.push(Inline::text(h));
                }
            }
            NodeValue::Emph => out.push(Inline::Emph {
                body: self.inlines(node),
            }),
            NodeValue::Strong => out.push(Inline::Strong {
                body: self.inlines(node),
            }),
            NodeValue::Strikethrough => out.push(Inline::Strike {
                body: self.inlines(node),
            }),
            NodeValue::Link(l) => {
                if let Some((url, shown, rest)) = cut_autolink(node, &l.url) {
                    self.link(node, &url, vec![Inline::text(shown)], out);
                    self.bare_urls(node, &rest, out);
                    return;
                }
                let body = self.inlines(node);
                self.link(node, &l.url, body, out);
            }
            NodeValue::Image(l) => {
                let alt = alt_text(node);
                let pos = self.pos(node);
                self.last_title = l.title.to_string();
                self.images.push(ImageRef {
                    src: l.url.clone(),
                    pos,
                });
                out.push(Inline::Image {
                    src: l.url.clone(),
                    alt,
                });
            }
            NodeValue::FootnoteReference(r) => self.note_ref(&r.name, out),
            _ => {
                for child in node.children() {
                    self.inline(child, out);
                }
            }
        }
    }

    /// Text that followed a cut autolink: GFM saw it as part of the URL, so a second URL in it
    /// (「http://a.jp/とhttp://b.jp/」) was not linked; link it here.
    fn bare_urls(&mut self, node: &'a AstNode<'a>, text: &str, out: &mut Vec<Inline>) {
        let mut rest = text;
        while let Some(at) = ["https://", "http://"]
            .iter()
            .filter_map(|p| rest.find(p))
            .min()
        {
            let len = super::autolink::url_len(&rest[at..]);
            let (before, url) = (&rest[..at], &rest[at..at + len]);
            if !before.is_empty() {
                out.push(Inline::text(before));
            }
            if len <= "https://".len() {
                out.push(Inline::text(url));
            } else {
                self.link(node, url, vec![Inline::text(url)], out);
            }
            rest = &rest[at + len..];
        }
        if !rest.is_empty() {
            out.push(Inline::text(rest));
        }
    }

    fn link(&mut self, node: &'a AstNode<'a>, url: &str, body: Vec<Inline>, out: &mut Vec<Inline>) {
        let pos = self.pos(node);
        self.link_at(pos, url, body, out);
    }

    fn link_at(&mut self, pos: Pos, url: &str, body: Vec<Inline>, out: &mut Vec<Inline>) {
        match link_target(url) {
            Ok(url) => out.push(Inline::Link { url, body }),
            Err(why) => {
                self.warn(
                    pos,
                    format!("link `{url}` {why}; its text is shown without a link"),
                );
                out.extend(body);
            }
        }
    }

    fn note_ref(&mut self, name: &str, out: &mut Vec<Inline>) {
        if let Some((n, id)) = self.note_numbers.get(name) {
            out.push(Inline::Note {
                id: id.clone(),
                n: *n,
            });
            return;
        }
        let Some(def) = self.defs.get(name).copied() else {
            out.push(Inline::text(format!("[^{name}]")));
            return;
        };
        self.ids.footnotes += 1;
        let n = self.ids.footnotes;
        let id = format!("fn-{n}");
        self.note_numbers.insert(name.to_string(), (n, id.clone()));
        out.push(Inline::Note { id: id.clone(), n });
        let body = self.blocks(def, 1);
        self.notes.push(Footnote { id, n, body });
    }
}

/// A bare URL (GFM autolink) that ran on into Japanese text: the URL as it should be and
/// its text, and the text after it. `None` when the link is not an autolink or ends where GFM
/// ended it.
fn cut_autolink<'a>(node: &'a AstNode<'a>, url: &str) -> Option<(String, String, String)> {
    let child = node.first_child()?;
    if child.next_sibling().is_some() {
        return None;
    }
    let NodeValue::Text(text) = &child.data.borrow().value else {
        return None;
    };
    // The text as written is the URL, or the URL less the scheme comrak adds (`www.…`, e-mail).
    let prefix = url.strip_suffix(text.as_ref() as &str)?;
    if !matches!(prefix, "" | "http://" | "https://" | "mailto:") {
        return None;
    }
    let keep = super::autolink::url_len(text);
    if keep == text.len() || keep == 0 {
        return None;
    }
    let (shown, rest) = text.split_at(keep);
    Some((
        format!("{prefix}{shown}"),
        shown.to_string(),
        rest.to_string(),
    ))
}

/// An image's description as plain text; images inside it are not images of the report.
fn alt_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for d in node.descendants().skip(1) {
        match &d.data.borrow().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    let text: String = super::ruby::split_ruby(&out)
        .iter()
        .map(|i| match i {
            Inline::Ruby { base, .. } => base.clone(),
            Inline::Text { v } => v.clone(),
            _ => String::new(),
        })
        .collect();
    text
}

fn task_of<'a>(item: &'a AstNode<'a>) -> Option<bool> {
    match &item.data.borrow().value {
        NodeValue::TaskItem(t) => Some(t.symbol.is_some()),
        _ => None,
    }
}

/// The links that reach the outputs: absolute http(s), mailto and tel addresses (normalised,
/// so every format gets a valid URL), `#id` links to a heading of the report and links to a
/// chapter file (`02-chousa.md#id`), both checked once all chapters are read. `javascript:` and friends never do, and neither do relative paths,
/// which lead nowhere once the report is a PDF, an EPUB or a web page.
pub fn link_target(raw: &str) -> Result<String, &'static str> {
    let raw = raw.trim();
    if let Some(id) = raw.strip_prefix('#') {
        // `#%E5%AE%A3…` (as browsers and mdBook copy `#宣言…`) is decoded when resolved.
        return if id.is_empty() {
            Err("is empty")
        } else {
            Ok(raw.to_string())
        };
    }
    if let Some(chapter) = chapter_path(raw) {
        return Ok(chapter);
    }
    let parsed = url::Url::parse(raw).map_err(
        |_| "is not an absolute address (http://…, https://…, mailto:…) or a #heading-id",
    )?;
    match parsed.scheme() {
        "http" | "https" => {
            let host = parsed.host_str().unwrap_or("");
            if host.is_empty() || host.split('.').any(str::is_empty) {
                return Err("has no valid host name");
            }
            Ok(strict_uri(&parsed))
        }
        "mailto" | "tel" => Ok(strict_uri(&parsed)),
        _ => Err("uses a scheme other than http, https, mailto or tel"),
    }
}

/// A relative link to a chapter file of the report (`02-chousa.md`, `./02-chousa.md#houhou`),
/// kept as written until every chapter is read, when it becomes a `#id` link or plain text.
fn chapter_path(raw: &str) -> Option<String> {
    if raw.contains(':') || raw.starts_with('/') || raw.starts_with('\\') {
        return None;
    }
    let path = raw.split('#').next().unwrap_or(raw);
    let path = super::assets::percent_decode(path);
    path.to_ascii_lowercase()
        .ends_with(".md")
        .then(|| raw.to_string())
}

/// The URL with everything after the host percent-encoded to RFC 3986's character set
/// (WHATWG serialisation leaves `[`, `]`, `\\`, `|` … in paths and queries; EPUBCheck and
/// strict readers refuse them).
fn strict_uri(u: &url::Url) -> String {
    let s = u.as_str();
    let cut = &u[..url::Position::BeforePath].len();
    let mut out = s[..*cut].to_string();
    for b in s[*cut..].bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:/?#@!$&'()*+,;=%".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// For the tests: a target is safe when `link_target` accepts it.
#[cfg(test)]
pub fn is_safe_url(url: &str) -> bool {
    link_target(url).is_ok()
}

fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Ids kanko's own pages and tree use (chapters, footnotes, the EPUB navigation, the
/// reader's controls): a heading anchor never takes one.
fn is_reserved_id(id: &str) -> bool {
    const FIXED: &[&str] = &[
        "toc",
        "toc-h",
        "page-list",
        "pl-h",
        "landmarks",
        "lm-h",
        "uid",
        "k",
        "funder",
        "filters",
        "credit",
        "creator",
        "colophon",
        "cover",
        "main",
        "content",
    ];
    let numbered = |p: &str| {
        id.strip_prefix(p)
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    };
    FIXED.contains(&id)
        || ["kr-", "tm-", "page-", "colophon-", "ref-"]
            .iter()
            .any(|p| id.starts_with(p))
        || ["ch", "sec-", "fn-", "fig-", "tbl-", "b"]
            .iter()
            .any(|p| numbered(p))
}

/// Removes a trailing `{#id}` from a heading's text and returns the id.
fn take_heading_id(body: &mut Vec<Inline>) -> Option<String> {
    let Some(Inline::Text { v }) = body.last_mut() else {
        return None;
    };
    let trimmed = v.trim_end();
    if !trimmed.ends_with('}') {
        return None;
    }
    let open = trimmed.rfind("{#")?;
    let id = trimmed[open + 2..trimmed.len() - 1].to_string();
    if id.is_empty() || id.contains(char::is_whitespace) {
        return None;
    }
    let rest = trimmed[..open].trim_end().to_string();
    if rest.is_empty() {
        body.pop();
    } else {
        *v = rest;
    }
    Some(id)
}

fn strip_comments(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start + 4..].find("-->") {
            Some(end) => rest = &rest[start + 4 + end + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

const SOFT_BREAK: &str = "\u{0}soft\u{0}";

/// Merges adjacent text, turns soft breaks into a space (or nothing between Japanese
/// characters, where a space would be wrong) and finds ruby.
fn finish_inlines(items: Vec<Inline>) -> Vec<Inline> {
    let mut merged: Vec<Inline> = Vec::new();
    for item in items {
        match (merged.last_mut(), item) {
            (Some(Inline::Text { v: a }), Inline::Text { v: b }) => a.push_str(&b),
            (_, item) => merged.push(item),
        }
    }
    let mut out = Vec::new();
    for (i, item) in merged.iter().enumerate() {
        match item {
            Inline::Text { v } if v.contains(SOFT_BREAK) => {
                let before = i.checked_sub(1).and_then(|j| last_char(&merged[j]));
                let after = merged.get(i + 1).and_then(first_char);
                let text = resolve_soft_breaks(v, before, after);
                out.extend(super::ruby::split_ruby(&text));
            }
            Inline::Text { v } => out.extend(super::ruby::split_ruby(v)),
            other => out.push(other.clone()),
        }
    }
    out
}

fn resolve_soft_breaks(s: &str, before: Option<char>, after: Option<char>) -> String {
    let parts: Vec<&str> = s.split(SOFT_BREAK).collect();
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        out.push_str(part);
        if i + 1 < parts.len() {
            let prev = out.chars().last().or(before);
            let next = parts[i + 1].chars().next().or(after);
            let joins = prev.is_some_and(is_wide) && next.is_some_and(is_wide);
            if !joins {
                out.push(' ');
            }
        }
    }
    out
}

fn last_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text { v } | Inline::Code { v } => v.chars().last(),
        Inline::Ruby { base, .. } => base.chars().last(),
        Inline::Strong { body }
        | Inline::Emph { body }
        | Inline::Strike { body }
        | Inline::Link { body, .. } => body.last().and_then(last_char),
        _ => None,
    }
}

fn first_char(i: &Inline) -> Option<char> {
    match i {
        Inline::Text { v } | Inline::Code { v } => v.chars().next(),
        Inline::Ruby { base, .. } => base.chars().next(),
        Inline::Strong { body }
        | Inline::Emph { body }
        | Inline::Strike { body }
        | Inline::Link { body, .. } => body.first().and_then(first_char),
        _ => None,
    }
}

/// Japanese and other East Asian wide characters: a line break between two of them is no space.
pub fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> ParsedChapter {
        let mut ids = ReportIds::default();
        parse_chapter(src, "01.md", Path::new("r/01.md"), 0, &mut ids)
    }

    fn first_para(src: &str) -> Vec<Inline> {
        match &parse(src).chapter.blocks[0] {
            Block::Para { body, .. } => body.clone(),
            b => panic!("not a paragraph: {b:?}"),
        }
    }

    #[test]
    fn japanese_emphasis_is_bold_without_asterisks() {
        let body = first_para("これは**「重要」**です");
        assert_eq!(
            body[1],
            Inline::Strong {
                body: vec![Inline::text("「重要」")]
            }
        );
        let body = first_para("**テスト。**テスト");
        assert_eq!(
            body[0],
            Inline::Strong {
                body: vec![Inline::text("テスト。")]
            }
        );
    }

    #[test]
    fn soft_break_between_japanese_is_no_space() {
        assert_eq!(
            first_para("日本語の\n文章"),
            vec![Inline::text("日本語の文章")]
        );
        assert_eq!(first_para("two\nwords"), vec![Inline::text("two words")]);
    }

    #[test]
    fn image_alone_is_a_figure_with_alt_caption() {
        let p = parse("![調査結果のグラフ](images/a.png)\n");
        match &p.chapter.blocks[0] {
            Block::Figure { src, alt, .. } => {
                assert_eq!(src, "images/a.png");
                assert_eq!(alt, "調査結果のグラフ");
            }
            b => panic!("{b:?}"),
        }
        assert_eq!(p.images.len(), 1);
    }

    #[test]
    fn heading_ids_and_titles() {
        let p = parse("# はじめに {#intro}\n\n## 背景\n");
        assert_eq!(p.chapter.title, "はじめに");
        match &p.chapter.blocks[0] {
            Block::Heading { id, body, .. } => {
                assert_eq!(id, "intro");
                assert_eq!(body, &vec![Inline::text("はじめに")]);
            }
            b => panic!("{b:?}"),
        }
    }

    #[test]
    fn html_comments_dropped_other_html_is_text() {
        let p = parse(
            "<!-- 内部メモ -->\n\n<section onclick=\"x()\">hi</section>\n\n本文<b>太</b><!-- c -->\n",
        );
        assert!(
            matches!(&p.chapter.blocks[0], Block::Html { text, .. } if text.starts_with("<section"))
        );
        let Block::Para { body, .. } = &p.chapter.blocks[1] else {
            panic!()
        };
        assert_eq!(crate::doc::plain_text(body), "本文<b>太</b>");
    }

    #[test]
    fn headings_get_github_anchors_unique_with_suffixes() {
        let p = parse(
            "# 宣言的なマクロ\n\n## Hello, World!\n\n## 背景\n\n## 背景\n\n## !!!\n\n## ch1\n\n## 背景 {#bg}\n",
        );
        let ids: Vec<&str> = p
            .chapter
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { id, .. } => Some(id.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            ids,
            [
                "宣言的なマクロ",
                "hello-world",
                "背景",
                "背景-1",
                "sec-5",
                "sec-6",
                "bg"
            ]
        );
    }

    #[test]
    fn a_figure_title_is_its_caption() {
        let p = parse("![写真の説明](a.png \"{学習|がくしゅう}会\")\n");
        let Block::Figure {
            alt,
            caption,
            titled,
            ..
        } = &p.chapter.blocks[0]
        else {
            panic!()
        };
        assert_eq!(alt, "写真の説明");
        assert!(*titled);
        assert!(
            matches!(&caption[0], Inline::Ruby { base, rt } if base == "学習" && rt == "がくしゅう")
        );
    }

    #[test]
    fn a_div_is_read_for_its_content_and_its_attributes_dropped() {
        let p = parse("<div onclick=\"x()\">hi &amp; <span style=\"x\">you</span></div>\n");
        assert_eq!(
            p.chapter.blocks,
            vec![Block::Para {
                body: vec![Inline::text("hi & you")],
                pos: Pos { line: 1, col: 20 }
            }]
        );
        assert_eq!(p.html.len(), 2);
        assert!(p.html.iter().all(|s| s.read));
    }

    #[test]
    fn html_with_japanese_comments_and_odd_tags_never_panics() {
        for src in [
            "<div><!-- 日本語のコメント --><span>中</span></div>\n",
            "<section><!-- 日本語 --><b>太</b></section>\n",
            "<div>\n<!-- 複数行の\nコメント -->\n<img src=\"a.png\" alt=\"画\"></div>\n",
            "文<span>中<!-- 注 --></span>と<ruby>漢<rt></rt></ruby>と<ruby><rt>よみ</rt></ruby>と<a>名</a>\n",
            "<details><summary>要約<span></summary></span></details>\n",
            "<p\n",
            "<img src=\"\" alt=\"空\">\n",
        ] {
            let p = parse(src);
            assert!(!p.chapter.blocks.is_empty(), "{src}");
        }
        let p = parse("<div><!-- 日本語のコメント --><span>中</span></div>\n");
        assert_eq!(p.html[1].pos, Pos { line: 1, col: 23 });
    }

    #[test]
    fn deep_nesting_is_flattened_with_one_warning() {
        let src = ">".repeat(1000) + " deep";
        let p = parse(&src);
        assert_eq!(p.warnings.len(), 1);
        fn depth(b: &Block) -> usize {
            match b {
                Block::Quote { body, .. } => 1 + body.iter().map(depth).max().unwrap_or(0),
                _ => 0,
            }
        }
        assert!(depth(&p.chapter.blocks[0]) <= MAX_NESTING);
    }

    #[test]
    fn footnotes_numbered_and_unsafe_links_dropped() {
        let p = parse("本文[^a]と[^a]。[x](javascript:alert(1))\n\n[^a]: 注の本文\n[^b]: 未使用\n");
        assert_eq!(p.chapter.notes.len(), 1);
        let Block::Para { body, .. } = &p.chapter.blocks[0] else {
            panic!()
        };
        assert!(matches!(&body[1], Inline::Note { n: 1, .. }));
        assert!(matches!(&body[3], Inline::Note { n: 1, .. }));
        assert!(!body.iter().any(|i| matches!(i, Inline::Link { .. })));
        assert!(
            p.warnings.iter().any(|w| w.message.contains("javascript:")),
            "{:?}",
            p.warnings
        );
    }

    #[test]
    fn link_targets_are_normalised_to_strict_uris() {
        assert_eq!(
            link_target("https://example.com/?find=\\*").unwrap(),
            "https://example.com/?find=%5C*"
        );
        assert_eq!(
            link_target("https://example.com/a b[1]").unwrap(),
            "https://example.com/a%20b%5B1%5D"
        );
        assert_eq!(
            link_target("https://例え.jp/パス").unwrap(),
            "https://xn--r8jz45g.jp/%E3%83%91%E3%82%B9"
        );
        assert!(link_target("https://../").is_err());
        assert!(link_target("foo/bar.html").is_err());
        assert_eq!(link_target("#sec-1").unwrap(), "#sec-1");
    }

    #[test]
    fn safe_urls() {
        assert!(is_safe_url("https://example.org/a"));
        assert!(is_safe_url("#sec"));
        assert!(is_safe_url("mailto:a@b"));
        assert!(!is_safe_url("javascript:alert(1)"));
        assert!(!is_safe_url(" JavaScript:alert(1)"));
        assert!(!is_safe_url("data:text/html,x"));
        assert!(!is_safe_url("//evil.example"));
    }
}
