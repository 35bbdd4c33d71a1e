//! The document tree as (X)HTML, shared by the EPUB chapters and the reader's text mode.
//!
//! Every piece of manuscript text passes through [`super::esc`], the one escaping module of the
//! web outputs, so raw HTML typed by an editor is shown as text and never becomes markup.

use std::collections::HashMap;

use super::esc::{esc, esc_phrases, url_path};

use crate::doc::{Align, Block, Chapter, Inline};

/// How the chapter is written: EPUB (XHTML with `epub:type`) or plain HTML.
pub struct Style<'a> {
    pub epub: bool,
    pub japanese: bool,
    /// Prefix for image paths (`img/`).
    pub img_prefix: &'a str,
    /// The report's images, for their file names in the output.
    pub assets: &'a crate::typeset::data::Assets,
    /// Heading id → file it lives in (for links across chapter files), when chapters are split.
    pub id_files: Option<&'a HashMap<String, String>>,
    /// Block id → page, for print page markers.
    pub pages: Option<&'a HashMap<String, usize>>,
    /// 縦組み: one- and two-digit numbers are set upright (縦中横).
    pub vertical: bool,
}

/// Running numbers that continue across chapters (figures, block ids, last page marker).
#[derive(Default)]
pub struct Counters {
    pub figures: usize,
    pub blocks: usize,
    pub last_page: usize,
}

pub struct Writer<'a> {
    pub out: String,
    style: &'a Style<'a>,
    refs_seen: HashMap<String, usize>,
    /// Inside a Japanese heading: text gets `<wbr/>` between phrases.
    in_heading: bool,
}

impl<'a> Writer<'a> {
    pub fn new(style: &'a Style<'a>) -> Self {
        Writer {
            out: String::new(),
            style,
            refs_seen: HashMap::new(),
            in_heading: false,
        }
    }

    /// Writes a chapter's blocks (with page markers) and its footnotes.
    pub fn chapter(&mut self, ch: &Chapter, counters: &mut Counters) {
        for b in &ch.blocks {
            counters.blocks += 1;
            let bid = crate::typeset::data::block_id(counters.blocks);
            if let Some(page) = self.style.pages.and_then(|p| p.get(&bid)).copied() {
                for n in (counters.last_page + 1)..=page {
                    self.page_marker(n);
                }
                counters.last_page = counters.last_page.max(page);
            }
            self.block(b, counters);
        }
        if !ch.notes.is_empty() {
            // Unique per chapter: the text mode shows every chapter on one page (axe landmark-unique).
            let label = if self.style.japanese {
                format!("注（{}）", esc(&ch.title))
            } else {
                format!("Notes: {}", esc(&ch.title))
            };
            let section = if self.style.epub {
                format!(
                    "<section class=\"footnotes\" epub:type=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{label}\">\n"
                )
            } else {
                format!(
                    "<section class=\"footnotes\" role=\"doc-endnotes\" aria-label=\"{label}\">\n"
                )
            };
            self.out.push_str(&section);
            for n in &ch.notes {
                let kind = if self.style.epub {
                    " epub:type=\"footnote\""
                } else {
                    ""
                };
                self.out.push_str(&format!(
                    "<aside id=\"{}\"{kind} role=\"doc-footnote\"><p class=\"fn-num\"><a href=\"#ref-{}\" role=\"doc-backlink\">{}</a></p>",
                    esc(&n.id), esc(&n.id), n.n
                ));
                for b in &n.body {
                    self.block(b, counters);
                }
                self.out.push_str("</aside>\n");
            }
            self.out.push_str("</section>\n");
        }
    }

    fn page_marker(&mut self, n: usize) {
        if self.style.epub {
            self.out.push_str(&format!(
                "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-{n}\" aria-label=\"{n}\"></span>\n"
            ));
        } else {
            self.out.push_str(&format!(
                "<span class=\"pagebreak\" id=\"page-{n}\" data-page=\"{n}\"></span>\n"
            ));
        }
    }

    pub fn blocks(&mut self, bs: &[Block], c: &mut Counters) {
        for b in bs {
            self.block(b, c);
        }
    }

    fn block(&mut self, b: &Block, c: &mut Counters) {
        match b {
            Block::Heading {
                level, id, body, ..
            } => {
                self.out.push_str(&format!("<h{level} id=\"{}\">", esc(id)));
                self.in_heading = self.style.japanese;
                self.inlines(body);
                self.in_heading = false;
                self.out.push_str(&format!("</h{level}>\n"));
            }
            Block::Para { body, .. } => {
                self.out.push_str("<p>");
                self.inlines(body);
                self.out.push_str("</p>\n");
            }
            Block::Figure { src, alt, .. } if alt.trim().is_empty() => {
                // Decorative (empty alt, as in CommonMark and HTML): not announced, no number.
                self.out.push_str(&format!(
                    "<div class=\"decorative\"><img src=\"{}{}\" alt=\"\"/></div>\n",
                    esc(self.style.img_prefix),
                    esc(&url_path(&self.img_name(src)))
                ));
            }
            Block::Figure {
                src, alt, caption, ..
            } => {
                c.figures += 1;
                let label = if self.style.japanese {
                    format!("図{}", c.figures)
                } else {
                    format!("Figure {}", c.figures)
                };
                let sep = if self.style.japanese {
                    "\u{3000}"
                } else {
                    ". "
                };
                self.out.push_str(&format!(
                    "<figure><img src=\"{}{}\" alt=\"{}\"{}/><figcaption><span class=\"fig-label\">{label}</span>{sep}",
                    esc(self.style.img_prefix), esc(&url_path(&self.img_name(src))), esc(alt), self.img_size(src)
                ));
                self.inlines(caption);
                self.out.push_str("</figcaption></figure>\n");
            }
            Block::Table {
                align, head, rows, ..
            } => self.table(align, head, rows),
            Block::List {
                ordered,
                start,
                items,
                ..
            } => {
                let tag = if *ordered { "ol" } else { "ul" };
                let start_attr = if *ordered && *start != 1 {
                    format!(" start=\"{start}\"")
                } else {
                    String::new()
                };
                let class = if items.iter().any(|i| i.task.is_some()) {
                    " class=\"tasks\""
                } else {
                    ""
                };
                self.out.push_str(&format!("<{tag}{start_attr}{class}>\n"));
                for item in items {
                    self.out.push_str("<li>");
                    if let Some(done) = item.task {
                        let (mark, label) = match (done, self.style.japanese) {
                            (true, true) => ("☑", "完了"),
                            (false, true) => ("☐", "未完了"),
                            (true, false) => ("☑", "done"),
                            (false, false) => ("☐", "not done"),
                        };
                        self.out.push_str(&format!("<span class=\"task\" role=\"img\" aria-label=\"{label}\">{mark}</span> "));
                    }
                    self.list_item_body(&item.body, c);
                    self.out.push_str("</li>\n");
                }
                self.out.push_str(&format!("</{tag}>\n"));
            }
            Block::Quote { body, .. } => {
                self.out.push_str("<blockquote>\n");
                self.blocks(body, c);
                self.out.push_str("</blockquote>\n");
            }
            Block::Code { lang, text, .. } => {
                let class = lang
                    .as_ref()
                    .map(|l| format!(" class=\"language-{}\"", esc(&slug_class(l))))
                    .unwrap_or_default();
                self.out
                    .push_str(&format!("<pre><code{class}>{}</code></pre>\n", esc(text)));
            }
            Block::Html { text, .. } => {
                self.out.push_str(&format!(
                    "<pre class=\"raw-html\"><code>{}</code></pre>\n",
                    esc(text)
                ));
            }
            Block::Rule { .. } => self.out.push_str("<hr/>\n"),
            Block::Chart { chart, .. } => {
                c.figures += 1;
                let cx = super::chart::Ctx {
                    number: c.figures,
                    epub: self.style.epub,
                    japanese: self.style.japanese,
                };
                self.out.push_str(&super::chart::figure(chart, &cx));
            }
        }
    }

    /// Tight list items hold one paragraph: write its text without `<p>`.
    fn list_item_body(&mut self, body: &[Block], c: &mut Counters) {
        match body {
            [Block::Para { body, .. }] => self.inlines(body),
            [Block::Para { body, .. }, rest @ ..] => {
                self.inlines(body);
                self.out.push('\n');
                self.blocks(rest, c);
            }
            _ => self.blocks(body, c),
        }
    }

    fn table(&mut self, align: &[Align], head: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>]) {
        let class = |i: usize| match align.get(i) {
            Some(Align::Left) => " class=\"al-l\"",
            Some(Align::Center) => " class=\"al-c\"",
            Some(Align::Right) => " class=\"al-r\"",
            _ => "",
        };
        self.out.push_str("<div class=\"table-wrap\"><table>\n");
        if !head.is_empty() {
            self.out.push_str("<thead><tr>");
            for (i, cell) in head.iter().enumerate() {
                self.out
                    .push_str(&format!("<th scope=\"col\"{}>", class(i)));
                self.inlines(cell);
                self.out.push_str("</th>");
            }
            self.out.push_str("</tr></thead>\n");
        }
        self.out.push_str("<tbody>\n");
        for row in rows {
            self.out.push_str("<tr>");
            for (i, cell) in row.iter().enumerate() {
                self.out.push_str(&format!("<td{}>", class(i)));
                self.inlines(cell);
                self.out.push_str("</td>");
            }
            self.out.push_str("</tr>\n");
        }
        self.out.push_str("</tbody></table></div>\n");
    }

    pub fn inlines(&mut self, is: &[Inline]) {
        for i in is {
            self.inline(i);
        }
    }

    fn inline(&mut self, i: &Inline) {
        match i {
            Inline::Text { v } if self.style.vertical => self.out.push_str(&upright_numbers(v)),
            Inline::Text { v } if self.in_heading => self.out.push_str(&esc_phrases(v)),
            Inline::Text { v } => self.out.push_str(&esc(v)),
            Inline::Strong { body } => self.wrap("strong", body),
            Inline::Emph { body } => self.wrap("em", body),
            Inline::Strike { body } => self.wrap("del", body),
            Inline::Sup { body } => self.wrap("sup", body),
            Inline::Sub { body } => self.wrap("sub", body),
            Inline::Code { v } => self.out.push_str(&format!("<code>{}</code>", esc(v))),
            Inline::Link { url, body } if url.is_empty() => self.inlines(body),
            Inline::Link { url, body } => {
                let href = self.href(url);
                self.out.push_str(&format!("<a href=\"{}\">", esc(&href)));
                self.inlines(body);
                self.out.push_str("</a>");
            }
            Inline::Ruby { base, rt } => self.out.push_str(&format!(
                "<ruby>{}<rp>（</rp><rt>{}</rt><rp>）</rp></ruby>",
                esc(base),
                esc(rt)
            )),
            Inline::Note { id, n } => {
                let seen = self.refs_seen.entry(id.clone()).or_insert(0);
                *seen += 1;
                let ref_id = if *seen == 1 {
                    format!("ref-{id}")
                } else {
                    format!("ref-{id}-{seen}")
                };
                let kind = if self.style.epub {
                    " epub:type=\"noteref\""
                } else {
                    ""
                };
                self.out.push_str(&format!(
                    "<sup><a id=\"{}\" href=\"#{}\"{kind} role=\"doc-noteref\">{n}</a></sup>",
                    esc(&ref_id),
                    esc(id)
                ));
            }
            Inline::Br => self.out.push_str("<br/>"),
            Inline::Image { src, alt } => self.out.push_str(&format!(
                "<img class=\"inline\" src=\"{}{}\" alt=\"{}\"/>",
                esc(self.style.img_prefix),
                esc(&url_path(&self.img_name(src))),
                esc(alt)
            )),
        }
    }

    /// ` width=".." height=".."` from the image's pixel size, so that the page keeps the room
    /// for it before it loads (no layout shift); CSS scales it to the column.
    fn img_size(&self, src: &str) -> String {
        match self.style.assets.get(src) {
            Some(a) if a.width > 0 && a.height > 0 => format!(
                " width=\"{}\" height=\"{}\"{}",
                a.width,
                a.height,
                if self.style.epub {
                    ""
                } else {
                    " loading=\"lazy\""
                }
            ),
            _ => String::new(),
        }
    }

    fn img_name(&self, src: &str) -> String {
        self.style
            .assets
            .get(src)
            .map_or(src.to_string(), |a| a.web_name())
    }

    fn wrap(&mut self, tag: &str, body: &[Inline]) {
        self.out.push_str(&format!("<{tag}>"));
        self.inlines(body);
        self.out.push_str(&format!("</{tag}>"));
    }

    fn href(&self, url: &str) -> String {
        if let (Some(id), Some(files)) = (url.strip_prefix('#'), self.style.id_files)
            && let Some(file) = files.get(id)
        {
            return format!("{file}#{id}");
        }
        url.to_string()
    }
}

/// Escaped text with runs of one or two ASCII digits wrapped for 縦中横
/// (`<span class="tcy">12</span>`); longer numbers stay rotated, as Japanese typesetting does.
fn upright_numbers(text: &str) -> String {
    let mut out = String::new();
    let mut digits = String::new();
    let flush = |digits: &mut String, out: &mut String| {
        match digits.len() {
            0 => {}
            1 | 2 => out.push_str(&format!("<span class=\"tcy\">{digits}</span>")),
            _ => out.push_str(digits),
        }
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut out);
            out.push_str(&esc(&c.to_string()));
        }
    }
    flush(&mut digits, &mut out);
    out
}

fn slug_class(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esc_neutralises_markup_and_strips_forbidden_controls() {
        assert_eq!(
            esc("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"
        );
        assert_eq!(esc("a\u{0}b\u{1b}c"), "abc");
        assert_eq!(esc("\"on\"&"), "&quot;on&quot;&amp;");
    }

    #[test]
    fn short_numbers_are_upright_in_vertical_text() {
        assert_eq!(
            upright_numbers("令和6年12月<b>"),
            "令和<span class=\"tcy\">6</span>年<span class=\"tcy\">12</span>月&lt;b&gt;"
        );
        assert_eq!(upright_numbers("2024年"), "2024年");
    }

    #[test]
    fn url_path_encodes_spaces_and_japanese() {
        assert_eq!(url_path("images/a b.png"), "images/a%20b.png");
        assert_eq!(url_path("images/図.png"), "images/%E5%9B%B3.png");
    }
}
