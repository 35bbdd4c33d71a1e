//! The Markdown converter's side of `manuscript::html`: complete HTML elements in a paragraph
//! (inline HTML) or in HTML blocks become kanko's own blocks and inlines.

use comrak::nodes::{AstNode, NodeValue};

use super::super::html::{self, Kind, Seen, Tag, Token, Tree};
use super::{Converter, ImageRef, SOFT_BREAK, finish_inlines};
use crate::doc::{Block, Inline, Pos};

/// One of a run of siblings: a Markdown node, or a piece of an HTML block, or a tag.
pub(super) enum Item<'a> {
    Node(&'a AstNode<'a>),
    /// A Markdown block between HTML blocks.
    Block(&'a AstNode<'a>),
    Text(String, Pos),
    Tag(Tag, String, Pos),
}

fn kind<'t>(item: &'t Item) -> Kind<'t> {
    match item {
        Item::Tag(t, ..) if t.is_void() => Kind::Void,
        Item::Tag(t, ..) if t.is_container() && t.close => Kind::Close(&t.name),
        // `<span/>` is no element in HTML (the `/` means nothing there): text, as typed.
        Item::Tag(t, ..) if t.is_container() && !t.self_closing => Kind::Open(&t.name),
        Item::Block(_) => Kind::Barrier,
        _ => Kind::Leaf,
    }
}

/// The tag an inline HTML node is, when kanko reads that element.
fn known_inline_tag<'a>(node: &'a AstNode<'a>) -> Option<Tag> {
    match &node.data.borrow().value {
        NodeValue::HtmlInline(h) => html::parse_tag(h).filter(Tag::is_known),
        _ => None,
    }
}

/// An HTML block's text with comments blanked out (same lines and columns) and its tokens,
/// when every tag in it is one kanko reads.
fn readable_block(literal: &str) -> Option<(String, Vec<(Token, usize)>)> {
    let blanked = blank_comments(literal);
    let toks = html::tokens(&blanked);
    let mut tags = toks.iter().filter_map(|(t, _)| match t {
        Token::Tag(t, _) => Some(t),
        Token::Text(_) => None,
    });
    let first = tags.next()?;
    let ok = first.is_known() && tags.all(Tag::is_known);
    ok.then_some((blanked, toks))
}

fn blank_comments(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        let after = &rest[start..];
        let len = after[4..].find("-->").map_or(after.len(), |e| 4 + e + 3);
        out.extend(
            after[..len]
                .chars()
                .map(|c| if c == '\n' { '\n' } else { ' ' }),
        );
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

/// Text of an HTML block as HTML reads it: white space around line ends and runs of spaces
/// collapse (a line end becomes Markdown's soft break: nothing between Japanese characters).
fn html_text(s: &str) -> String {
    let lines: Vec<String> = s
        .split('\n')
        .enumerate()
        .map(|(i, l)| {
            let l = if i > 0 { l.trim_start() } else { l };
            let mut out = String::new();
            let mut space = false;
            for c in l.chars() {
                if matches!(c, ' ' | '\t' | '\r') {
                    space = true;
                } else {
                    if space {
                        out.push(' ');
                    }
                    space = false;
                    out.push(c);
                }
            }
            if space && i + 1 == s.split('\n').count() {
                out.push(' ');
            }
            out
        })
        .collect();
    lines.join(SOFT_BREAK)
}

/// Where byte `off` of `text` (an HTML block with its comments blanked) is in the chapter.
fn at(base: Pos, text: &str, off: usize) -> Pos {
    let before = text.get(..off).unwrap_or(text);
    let nl = before.matches('\n').count();
    let last = before.rsplit('\n').next().unwrap_or("").chars().count();
    if nl == 0 {
        Pos {
            line: base.line,
            col: base.col + last,
        }
    } else {
        Pos {
            line: base.line + nl,
            col: last + 1,
        }
    }
}

impl<'a> Converter<'a, '_> {
    fn seen(&mut self, name: String, read: bool, pos: Pos) {
        self.html.push(Seen {
            chapter: String::new(),
            name,
            read,
            pos,
        });
    }

    /// The HTML elements of an inline HTML node or block kanko leaves as text (start tags only).
    pub(super) fn seen_as_text(&mut self, literal: &str, pos: Pos) {
        let blanked = blank_comments(literal);
        for (t, off) in html::tokens(&blanked) {
            if let Token::Tag(t, _) = t
                && !t.close
            {
                self.seen(t.shown(), false, at(pos, &blanked, off));
            }
        }
    }

    /// The inlines of a paragraph, heading or cell whose children hold HTML kanko reads.
    pub(super) fn html_inlines(&mut self, parent: &'a AstNode<'a>) -> Option<Vec<Inline>> {
        if !parent.children().any(|n| known_inline_tag(n).is_some()) {
            return None;
        }
        let items: Vec<Item<'a>> = parent
            .children()
            .map(|n| match (known_inline_tag(n), &n.data.borrow().value) {
                (Some(t), NodeValue::HtmlInline(raw)) => Item::Tag(t, raw.clone(), self.pos(n)),
                _ => Item::Node(n),
            })
            .collect();
        let kinds: Vec<Kind> = items.iter().map(kind).collect();
        let trees = html::tree(&kinds);
        let mut out = Vec::new();
        self.inline_trees(&trees, &items, &mut out);
        Some(finish_inlines(out))
    }

    /// Block children of `parent` when one is an HTML block kanko can read; `None` otherwise.
    pub(super) fn html_blocks(
        &mut self,
        parent: &'a AstNode<'a>,
        depth: usize,
    ) -> Option<Vec<Block>> {
        let children: Vec<&'a AstNode<'a>> = parent.children().collect();
        #[allow(clippy::type_complexity)]
        let mut readable: Vec<Option<(String, Vec<(Token, usize)>)>> = children
            .iter()
            .map(|n| match &n.data.borrow().value {
                NodeValue::HtmlBlock(h) => readable_block(&h.literal),
                _ => None,
            })
            .collect();
        loop {
            if readable.iter().all(Option::is_none) {
                return None;
            }
            let mut items: Vec<Item<'a>> = Vec::new();
            let mut owner: Vec<usize> = Vec::new();
            for (k, node) in children.iter().enumerate() {
                let Some((blanked, toks)) = &readable[k] else {
                    items.push(Item::Block(node));
                    owner.push(k);
                    continue;
                };
                let base = self.pos(node);
                for (t, off) in toks {
                    let pos = at(base, blanked, *off);
                    items.push(match t {
                        Token::Text(s) => Item::Text(s.clone(), pos),
                        Token::Tag(t, raw) => Item::Tag(t.clone(), raw.clone(), pos),
                    });
                    owner.push(k);
                }
            }
            let kinds: Vec<Kind> = items.iter().map(kind).collect();
            let trees = html::tree(&kinds);
            let mut left = Vec::new();
            html::leaves(&trees, &mut left);
            // A block with a tag that found no end is shown as today (text), whole.
            let mut demoted = false;
            for i in left {
                if matches!(items[i], Item::Tag(..)) {
                    readable[owner[i]] = None;
                    demoted = true;
                }
            }
            if demoted {
                continue;
            }
            let mut out = Vec::new();
            self.block_trees(&trees, &items, depth, &mut out);
            return Some(out);
        }
    }

    fn block_trees(
        &mut self,
        trees: &[Tree],
        items: &[Item<'a>],
        depth: usize,
        out: &mut Vec<Block>,
    ) {
        let mut para: Vec<Tree> = Vec::new();
        for t in trees {
            match t {
                Tree::Leaf(i) if matches!(items[*i], Item::Block(_)) => {
                    self.flush_para(&mut para, items, out);
                    if let Item::Block(node) = items[*i] {
                        self.block(node, depth, out);
                    }
                }
                Tree::Elem { open, body, .. } if matches!(&items[*open], Item::Tag(tag, ..) if html::is_block_container(&tag.name)) =>
                {
                    self.flush_para(&mut para, items, out);
                    if let Item::Tag(tag, _, pos) = &items[*open] {
                        self.seen(tag.shown(), true, *pos);
                    }
                    self.block_trees(body, items, depth, out);
                }
                t => para.push(t.clone()),
            }
        }
        self.flush_para(&mut para, items, out);
    }

    fn flush_para(&mut self, para: &mut Vec<Tree>, items: &[Item<'a>], out: &mut Vec<Block>) {
        if para.is_empty() {
            return;
        }
        let trees = std::mem::take(para);
        let pos = first_pos(&trees, items).unwrap_or_default();
        let mut inl = Vec::new();
        self.inline_trees(&trees, items, &mut inl);
        let mut body = finish_inlines(inl);
        trim_ends(&mut body);
        if body.is_empty() {
            return;
        }
        if let [Inline::Image { src, alt }] = body.as_slice() {
            let (src, alt) = (src.clone(), alt.clone());
            out.push(self.figure(&src, &alt, pos));
            return;
        }
        out.push(Block::Para { body, pos });
    }

    fn inline_trees(&mut self, trees: &[Tree], items: &[Item<'a>], out: &mut Vec<Inline>) {
        for t in trees {
            match t {
                Tree::Leaf(i) => match &items[*i] {
                    Item::Node(n) | Item::Block(n) => self.inline(n, out),
                    Item::Text(s, _) => out.push(Inline::text(html_text(s))),
                    Item::Tag(tag, raw, pos) => {
                        self.seen(tag.shown(), false, *pos);
                        out.push(Inline::text(raw.clone()));
                    }
                },
                Tree::Void(i) => {
                    if let Item::Tag(tag, raw, pos) = &items[*i] {
                        self.void(tag, raw, *pos, out);
                    }
                }
                Tree::Elem { open, body, .. } => {
                    let Item::Tag(tag, _, pos) = &items[*open] else {
                        continue;
                    };
                    let (tag, pos) = (tag.clone(), *pos);
                    self.seen(tag.shown(), true, pos);
                    if tag.name == "ruby" {
                        self.ruby(body, items, out);
                        continue;
                    }
                    let mut inner = Vec::new();
                    self.inline_trees(body, items, &mut inner);
                    self.element(&tag, inner, pos, out);
                }
            }
        }
    }

    fn void(&mut self, tag: &Tag, raw: &str, pos: Pos, out: &mut Vec<Inline>) {
        match tag.name.as_str() {
            "br" => {
                self.seen(tag.shown(), true, pos);
                out.push(Inline::Br);
            }
            "img" => match tag.attr("src").map(str::trim).filter(|s| !s.is_empty()) {
                Some(src) => {
                    self.seen(tag.shown(), true, pos);
                    self.images.push(ImageRef {
                        src: src.to_string(),
                        pos,
                    });
                    self.last_title.clear();
                    out.push(Inline::Image {
                        src: src.to_string(),
                        alt: tag.attr("alt").unwrap_or("").to_string(),
                    });
                }
                None => {
                    self.seen(tag.shown(), false, pos);
                    out.push(Inline::text(raw));
                }
            },
            _ => {
                self.seen(tag.shown(), false, pos);
                out.push(Inline::text(raw));
            }
        }
    }

    fn element(&mut self, tag: &Tag, body: Vec<Inline>, pos: Pos, out: &mut Vec<Inline>) {
        match tag.name.as_str() {
            "a" => match tag.attr("href") {
                Some(href) => self.link_at(pos, href, body, out),
                None => out.extend(body),
            },
            "sup" => out.push(Inline::Sup { body }),
            "sub" => out.push(Inline::Sub { body }),
            "kbd" => out.push(Inline::Code {
                v: crate::doc::plain_text(&body).replace(SOFT_BREAK, " "),
            }),
            _ => out.extend(body),
        }
    }

    /// `<ruby>詳<rp>(</rp><rt>つまび</rt><rp>)</rp></ruby>`: each base with the reading after it.
    fn ruby(&mut self, body: &[Tree], items: &[Item<'a>], out: &mut Vec<Inline>) {
        let name = |t: &Tree| match t {
            Tree::Elem { open, .. } => match &items[*open] {
                Item::Tag(tag, ..) => Some(tag.name.clone()),
                _ => None,
            },
            _ => None,
        };
        let mut base = String::new();
        let mut any_rt = false;
        for t in body {
            let mut inner = Vec::new();
            match name(t).as_deref() {
                Some("rp") => continue,
                Some("rt") => {
                    if let Tree::Elem { body, .. } = t {
                        self.inline_trees(body, items, &mut inner);
                    }
                    let rt = plain(&inner);
                    any_rt = true;
                    if !base.trim().is_empty() && !rt.trim().is_empty() {
                        out.push(Inline::Ruby {
                            base: std::mem::take(&mut base).trim().to_string(),
                            rt: rt.trim().to_string(),
                        });
                    }
                    base.clear();
                }
                _ => {
                    self.inline_trees(std::slice::from_ref(t), items, &mut inner);
                    base.push_str(&plain(&inner));
                }
            }
        }
        if !any_rt || !base.is_empty() {
            out.push(Inline::text(base));
        }
    }
}

fn plain(inlines: &[Inline]) -> String {
    crate::doc::plain_text(inlines).replace(SOFT_BREAK, "")
}

fn first_pos(trees: &[Tree], items: &[Item]) -> Option<Pos> {
    let i = match trees.first()? {
        Tree::Leaf(i) | Tree::Void(i) => *i,
        Tree::Elem { open, .. } => *open,
    };
    match &items[i] {
        Item::Text(_, p) | Item::Tag(_, _, p) => Some(*p),
        _ => None,
    }
}

/// White space at the start and end of a paragraph read from HTML is not text.
fn trim_ends(body: &mut Vec<Inline>) {
    while let Some(Inline::Text { v }) = body.first_mut() {
        let t = v.trim_start().to_string();
        if t.is_empty() {
            body.remove(0);
        } else {
            *v = t;
            break;
        }
    }
    while let Some(Inline::Text { v }) = body.last_mut() {
        let t = v.trim_end().to_string();
        if t.is_empty() {
            body.pop();
        } else {
            *v = t;
            break;
        }
    }
}
