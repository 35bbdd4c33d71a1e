//! The few HTML elements kanko reads as document structure (Markdown written for GitHub or
//! mdBook carries some): `<img src alt>`, `<ruby>`/`<rt>`/`<rp>`, `<br>`, `<sup>`, `<sub>`,
//! `<kbd>`, `<a href>`, and `<span>`, `<div>`, `<p>`, `<details>`, `<summary>` for their
//! content. Only complete elements are read; every other tag, and a tag without its end, stays
//! text exactly as typed. Nothing here ever passes HTML through: tags become kanko's own tree,
//! attributes other than `src`, `alt` and `href` are dropped, text stays text.

use crate::doc::Pos;

/// An HTML element of a chapter, read as structure or left as text (`kanko check` lists them).
#[derive(Debug, Clone, PartialEq)]
pub struct Seen {
    /// The chapter's id (`ch1`).
    pub chapter: String,
    /// `<span>`, `</sup>`, `<script>`.
    pub name: String,
    pub read: bool,
    pub pos: Pos,
}

/// What kanko makes of an element read, for `kanko check`.
pub fn meaning(name: &str, ja: bool) -> &'static str {
    let n = name.trim_matches(['<', '>', '/']);
    match (n, ja) {
        ("img", true) => "画像",
        ("img", false) => "an image",
        ("ruby" | "rt" | "rp", true) => "ルビ",
        ("ruby" | "rt" | "rp", false) => "ruby",
        ("br", true) => "改行",
        ("br", false) => "a line break",
        ("sup", true) => "上付き文字",
        ("sup", false) => "superscript",
        ("sub", true) => "下付き文字",
        ("sub", false) => "subscript",
        ("kbd", true) => "コード",
        ("kbd", false) => "code",
        ("a", true) => "リンク",
        ("a", false) => "a link",
        (_, true) => "その内容",
        (_, false) => "its content",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tag {
    /// Lower case.
    pub name: String,
    pub close: bool,
    pub self_closing: bool,
    pub attrs: Vec<(String, String)>,
}

impl Tag {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `<br>`, `<img>`: complete by themselves.
    pub fn is_void(&self) -> bool {
        !self.close && matches!(self.name.as_str(), "br" | "img")
    }

    /// An element read with its content (needs its end tag).
    pub fn is_container(&self) -> bool {
        is_inline_container(&self.name) || is_block_container(&self.name)
    }

    pub fn is_known(&self) -> bool {
        matches!(self.name.as_str(), "br" | "img") || self.is_container()
    }

    /// How `kanko check` names it.
    pub fn shown(&self) -> String {
        if self.close {
            format!("</{}>", self.name)
        } else {
            format!("<{}>", self.name)
        }
    }
}

pub fn is_inline_container(name: &str) -> bool {
    matches!(
        name,
        "span" | "sup" | "sub" | "kbd" | "a" | "ruby" | "rt" | "rp"
    )
}

pub fn is_block_container(name: &str) -> bool {
    matches!(name, "div" | "p" | "details" | "summary")
}

/// The tag at the start of `s` (CommonMark's open/closing tag grammar) and its length in bytes.
pub fn tag_at(s: &str) -> Option<(Tag, usize)> {
    let b = s.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    let mut i = 1;
    let close = b.get(i) == Some(&b'/');
    if close {
        i += 1;
    }
    let start = i;
    if !b.get(i).is_some_and(u8::is_ascii_alphabetic) {
        return None;
    }
    while b
        .get(i)
        .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
    {
        i += 1;
    }
    let name = s[start..i].to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        let ws = skip_ws(b, i);
        if close {
            return (b.get(ws) == Some(&b'>')).then(|| {
                (
                    Tag {
                        name,
                        close,
                        self_closing: false,
                        attrs,
                    },
                    ws + 1,
                )
            });
        }
        match b.get(ws) {
            Some(b'>') => {
                let t = Tag {
                    name,
                    close,
                    self_closing: false,
                    attrs,
                };
                return Some((t, ws + 1));
            }
            Some(b'/') if b.get(ws + 1) == Some(&b'>') => {
                let t = Tag {
                    name,
                    close,
                    self_closing: true,
                    attrs,
                };
                return Some((t, ws + 2));
            }
            _ => {}
        }
        // An attribute needs whitespace before it.
        if ws == i {
            return None;
        }
        i = ws;
        let an = i;
        if !b
            .get(i)
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, b'_' | b':'))
        {
            return None;
        }
        while b
            .get(i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b':' | b'-'))
        {
            i += 1;
        }
        let key = s[an..i].to_ascii_lowercase();
        let eq = skip_ws(b, i);
        if b.get(eq) != Some(&b'=') {
            attrs.push((key, String::new()));
            continue;
        }
        let v = skip_ws(b, eq + 1);
        let (value, end) = match b.get(v)? {
            q @ (b'"' | b'\'') => {
                let rest = &s[v + 1..];
                let len = rest.find(*q as char)?;
                (&rest[..len], v + 1 + len + 1)
            }
            _ => {
                let mut e = v;
                while b
                    .get(e)
                    .is_some_and(|c| !c.is_ascii_whitespace() && !b"\"'=<>`".contains(c))
                {
                    e += 1;
                }
                if e == v {
                    return None;
                }
                (&s[v..e], e)
            }
        };
        attrs.push((key, decode_entities(value)));
        i = end;
    }
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

/// The whole of `s` as one tag (an inline HTML node is exactly one).
pub fn parse_tag(s: &str) -> Option<Tag> {
    tag_at(s).filter(|(_, len)| *len == s.len()).map(|(t, _)| t)
}

/// A piece of an HTML block: text (entities decoded) or a tag, at a byte offset.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Text(String),
    Tag(Tag, String),
}

/// An HTML block cut into text and tags.
pub fn tokens(s: &str) -> Vec<(Token, usize)> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while let Some(off) = s[i..].find('<') {
        let at = i + off;
        match tag_at(&s[at..]) {
            Some((t, len)) => {
                if at > text_start {
                    out.push((Token::Text(decode_entities(&s[text_start..at])), text_start));
                }
                out.push((Token::Tag(t, s[at..at + len].to_string()), at));
                i = at + len;
                text_start = i;
            }
            None => i = at + 1,
        }
    }
    if text_start < s.len() {
        out.push((Token::Text(decode_entities(&s[text_start..])), text_start));
    }
    out
}

/// `&amp;`, `&lt;`, `&#12354;`, `&nbsp;` …; anything it cannot read stays as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    quick_xml::escape::unescape_with(s, |name| match name {
        "nbsp" => Some("\u{a0}"),
        "copy" => Some("©"),
        "reg" => Some("®"),
        "hellip" => Some("…"),
        "mdash" => Some("—"),
        "ndash" => Some("–"),
        "times" => Some("×"),
        "yen" => Some("¥"),
        _ => quick_xml::escape::resolve_xml_entity(name),
    })
    .map_or_else(|_| s.to_string(), |c| c.into_owned())
}

/// One item of a run of siblings, for matching tags to their ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind<'a> {
    /// A start tag of an element read with its content.
    Open(&'a str),
    Close(&'a str),
    /// `<br>`, `<img>`, `<span/>`: complete by itself.
    Void,
    /// Text, a Markdown node, or a tag kanko does not read.
    Leaf,
    /// A Markdown block between HTML blocks: inline elements do not reach across it.
    Barrier,
}

/// Items as a tree: an element with its content, or a single item.
#[derive(Debug, Clone, PartialEq)]
pub enum Tree {
    /// Item `i` as it is (a tag here is one left as text).
    Leaf(usize),
    /// A complete element by itself (`<br>`, `<img>`).
    Void(usize),
    /// Start tag at `open`, end tag at `close`, and what is between.
    Elem {
        open: usize,
        close: usize,
        body: Vec<Tree>,
    },
}

/// Pairs start and end tags: an element is read when its end tag follows among the same
/// siblings (an inline element's before the next Markdown block); everything else is a leaf.
pub fn tree(kinds: &[Kind]) -> Vec<Tree> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < kinds.len() {
        match kinds[i] {
            Kind::Open(name) => match matching_close(kinds, i, name) {
                Some(j) => {
                    out.push(Tree::Elem {
                        open: i,
                        close: j,
                        body: tree_offset(&kinds[i + 1..j], i + 1),
                    });
                    i = j + 1;
                    continue;
                }
                None => out.push(Tree::Leaf(i)),
            },
            Kind::Void => out.push(Tree::Void(i)),
            _ => out.push(Tree::Leaf(i)),
        }
        i += 1;
    }
    out
}

fn tree_offset(kinds: &[Kind], base: usize) -> Vec<Tree> {
    fn shift(t: Tree, by: usize) -> Tree {
        match t {
            Tree::Leaf(i) => Tree::Leaf(i + by),
            Tree::Void(i) => Tree::Void(i + by),
            Tree::Elem { open, close, body } => Tree::Elem {
                open: open + by,
                close: close + by,
                body: body.into_iter().map(|t| shift(t, by)).collect(),
            },
        }
    }
    tree(kinds).into_iter().map(|t| shift(t, base)).collect()
}

fn matching_close(kinds: &[Kind], open: usize, name: &str) -> Option<usize> {
    let inline = is_inline_container(name);
    let mut depth = 0usize;
    for (j, k) in kinds.iter().enumerate().skip(open + 1) {
        match *k {
            Kind::Open(n) if n == name => depth += 1,
            Kind::Close(n) if n == name => {
                if depth == 0 {
                    return Some(j);
                }
                depth -= 1;
            }
            Kind::Barrier if inline => return None,
            _ => {}
        }
    }
    None
}

/// The items of `trees` that are tags left as text (for deciding whether an HTML block can be read).
pub fn leaves(trees: &[Tree], out: &mut Vec<usize>) {
    for t in trees {
        match t {
            Tree::Leaf(i) => out.push(*i),
            Tree::Void(_) => {}
            Tree::Elem { body, .. } => leaves(body, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_attributes() {
        let t =
            parse_tag(r#"<img alt="メモリ上の文字列" src='img/a.svg' class=center />"#).unwrap();
        assert_eq!(t.name, "img");
        assert!(t.self_closing && !t.close);
        assert_eq!(t.attr("alt"), Some("メモリ上の文字列"));
        assert_eq!(t.attr("src"), Some("img/a.svg"));
        assert_eq!(parse_tag("</SPAN >").unwrap().name, "span");
        assert!(parse_tag("<label> 要素").is_none());
        assert!(parse_tag("<a href=\"x\"").is_none());
        assert_eq!(
            parse_tag(r#"<a href="a&amp;b">"#).unwrap().attr("href"),
            Some("a&b")
        );
    }

    #[test]
    fn only_complete_elements_are_read() {
        use Kind::*;
        // <span> a </span> <sup> b
        let t = tree(&[Open("span"), Leaf, Close("span"), Open("sup"), Leaf]);
        assert!(matches!(
            t[0],
            Tree::Elem {
                open: 0,
                close: 2,
                ..
            }
        ));
        assert_eq!(t[1], Tree::Leaf(3));
        // an inline element does not reach across a Markdown block; a block element does
        let t = tree(&[Open("span"), Barrier, Close("span")]);
        assert_eq!(t.len(), 3);
        let t = tree(&[Open("div"), Barrier, Close("div")]);
        assert_eq!(t.len(), 1);
        // nested same-name elements pair from the inside
        let t = tree(&[Open("span"), Open("span"), Close("span"), Close("span")]);
        assert!(matches!(&t[0], Tree::Elem { close: 3, body, .. } if body.len() == 1));
    }

    #[test]
    fn block_tokens() {
        let t = tokens("<p>a &lt;b&gt; <x</p>");
        assert_eq!(t.len(), 3);
        assert_eq!(t[1].0, Token::Text("a <b> <x".into()));
    }
}
