//! The document tree as the JSON that `layouts/report.typ` reads: the one door from editor text
//! into Typst. Text only ever travels as JSON strings, so no editor keystroke can become Typst code.

use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value, json};

use crate::doc::{Align, Block, Chapter, Inline};
use crate::manuscript::Report;

/// Virtual path under which an image (keyed by its path in the report folder) is mounted.
/// The real format's extension is appended, because Typst trusts the extension and editors
/// do save PNGs as `.jpg`.
pub fn image_vpath(rel: &str, assets: &Assets) -> String {
    let ext = assets.get(rel).map_or("png", |a| a.ext());
    format!("/img/{rel}.{ext}")
}

pub type Assets = std::collections::BTreeMap<String, crate::manuscript::assets::Asset>;

pub fn report_json(r: &Report) -> Value {
    let m = &r.meta;
    let (lang, region) = split_lang(&m.language);
    let funders: Vec<Value> = m
        .funders
        .iter()
        .map(|f| {
            json!({
                "name": f.name, "program": f.program,
                "logo": f.logo.as_ref().and_then(|l| vpath_of(r, &l.path)),
            })
        })
        .collect();
    let cover_image = m.cover_image.as_ref().and_then(|c| vpath_of(r, &c.path));
    let mut bids = 0usize;
    let ids: HashSet<String> = r
        .chapters
        .iter()
        .flat_map(|c| c.blocks.iter())
        .filter_map(|b| match b {
            Block::Heading { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect();
    let chapters: Vec<Value> = r
        .chapters
        .iter()
        .map(|c| chapter_json(c, &r.assets, &ids, m.is_japanese(), &mut bids))
        .collect();
    json!({
        "lang": lang,
        "region": region,
        "vertical": m.writing_mode == crate::manuscript::meta::WritingMode::Vertical,
        "meta": {
            "title": m.title, "subtitle": m.subtitle, "project": m.project,
            "title_phrases": if m.is_japanese() { phrase_pieces(&m.title) } else { Value::Null },
            "publisher": m.publisher, "year_label": m.labels.year,
            "year_western": m.labels.year_western, "published_label": m.labels.published,
            "published_iso": m.published.iso(), "authors": m.authors, "credit": m.labels.credit,
            "funders": funders, "license": m.license, "isbn": m.isbn, "url": m.url,
            "description": m.description,
            "cover": { "image": cover_image, "color": m.cover_color },
            "labels": labels(m.is_japanese()),
        },
        "chapters": chapters,
    })
}

fn vpath_of(r: &Report, src: &str) -> Option<String> {
    let (rel, _) = crate::manuscript::assets::resolve(src, &r.dir).ok()?;
    r.assets
        .contains_key(&rel)
        .then(|| image_vpath(&rel, &r.assets))
}

fn split_lang(tag: &str) -> (String, Option<String>) {
    let mut parts = tag.split('-');
    let lang = parts.next().unwrap_or("ja").to_ascii_lowercase();
    let region = parts.find(|p| p.len() == 2).map(str::to_ascii_uppercase);
    let region = region.or_else(|| (lang == "ja").then(|| "JP".to_string()));
    (lang, region)
}

pub fn labels(japanese: bool) -> Value {
    if japanese {
        json!({
            "toc": "目次", "colophon": "奥付", "published": "発行日", "publisher": "発行",
            "authors": "編集・執筆", "funding": "助成", "license": "ライセンス", "isbn": "ISBN",
            "url": "URL", "figure": "図", "project": "事業名",
        })
    } else {
        json!({
            "toc": "Contents", "colophon": "Colophon", "published": "Published",
            "publisher": "Publisher", "authors": "Authors", "funding": "Funding",
            "license": "Licence", "isbn": "ISBN", "url": "URL", "figure": "Figure",
            "project": "Project",
        })
    }
}

/// A title cut into the pieces it may break between: the spaces the editor typed (kept as
/// strings of their own) and, inside the words, phrase (文節) boundaries.
fn phrase_pieces(text: &str) -> Value {
    let mut out = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let end = rest.find([' ', '\u{3000}']).unwrap_or(rest.len());
        let (word, tail) = rest.split_at(end);
        for p in crate::phrase::phrases(word) {
            out.push(Value::String(p.to_string()));
        }
        let spaces = tail.len() - tail.trim_start_matches([' ', '\u{3000}']).len();
        if spaces > 0 {
            out.push(Value::String(tail[..spaces].to_string()));
        }
        rest = &tail[spaces..];
    }
    Value::Array(out)
}

/// A heading's inlines with each text run cut into phrases: `{"t": "phrase", "v": …}` is a
/// piece the layout keeps on one line. Pieces longer than `MAX_UNBROKEN` stay breakable.
fn phrase_inlines(inlines: &Value) -> Value {
    let Value::Array(items) = inlines else {
        return inlines.clone();
    };
    let mut out = Vec::new();
    for item in items {
        let Value::String(text) = item else {
            out.push(item.clone());
            continue;
        };
        let Value::Array(pieces) = phrase_pieces(text) else {
            continue;
        };
        for p in pieces {
            let short = p
                .as_str()
                .is_some_and(|s| s.trim().chars().count() <= crate::phrase::MAX_UNBROKEN);
            let spaces = p.as_str().is_some_and(|s| s.trim().is_empty());
            out.push(if short && !spaces {
                json!({"t": "phrase", "v": p})
            } else {
                p
            });
        }
    }
    Value::Array(out)
}

/// Block ids are numbered in document order across chapters: `b1`, `b2`, …
pub fn block_id(n: usize) -> String {
    format!("b{n}")
}

fn chapter_json(
    c: &Chapter,
    assets: &Assets,
    ids: &HashSet<String>,
    phrases: bool,
    bids: &mut usize,
) -> Value {
    let notes: HashMap<&str, &[Block]> = c
        .notes
        .iter()
        .map(|n| (n.id.as_str(), n.body.as_slice()))
        .collect();
    let mut w = Writer {
        notes,
        placed: HashSet::new(),
        assets,
        ids,
        phrases,
    };
    let blocks: Vec<Value> = c
        .blocks
        .iter()
        .map(|b| {
            *bids += 1;
            let mut v = w.block(b);
            if let Value::Object(o) = &mut v {
                o.insert("bid".into(), Value::String(block_id(*bids)));
            }
            v
        })
        .collect();
    json!({ "id": c.id, "file": c.file, "blocks": blocks })
}

struct Writer<'a> {
    notes: HashMap<&'a str, &'a [Block]>,
    placed: HashSet<String>,
    assets: &'a Assets,
    /// Heading ids: a `#id` link to anything else would make Typst fail on a missing label.
    ids: &'a HashSet<String>,
    /// Japanese: headings break only between phrases (文節).
    phrases: bool,
}

impl Writer<'_> {
    fn blocks(&mut self, bs: &[Block]) -> Value {
        Value::Array(bs.iter().map(|b| self.block(b)).collect())
    }

    fn block(&mut self, b: &Block) -> Value {
        match b {
            Block::Heading {
                level,
                typed,
                id,
                body,
                ..
            } => {
                let body = if self.phrases {
                    phrase_inlines(&self.inlines(body))
                } else {
                    self.inlines(body)
                };
                json!({"t": "heading", "level": level, "look": typed, "id": id, "body": body})
            }
            Block::Para { body, .. } => json!({"t": "para", "body": self.inlines(body)}),
            Block::Figure {
                src,
                alt,
                caption,
                width,
                ..
            } => json!({
                "t": "figure", "src": image_vpath(src, self.assets), "alt": alt,
                "caption": self.inlines(caption), "width": width,
                "decorative": alt.trim().is_empty(),
            }),
            Block::Table {
                align, head, rows, ..
            } => {
                let head: Vec<Value> = head.iter().map(|c| self.inlines(c)).collect();
                let rows: Vec<Value> = rows
                    .iter()
                    .map(|r| Value::Array(r.iter().map(|c| self.inlines(c)).collect()))
                    .collect();
                let align: Vec<&str> = align.iter().map(align_name).collect();
                json!({"t": "table", "align": align, "head": head, "rows": rows})
            }
            Block::List {
                ordered,
                start,
                tight,
                items,
                ..
            } => {
                let items: Vec<Value> = items
                    .iter()
                    .map(|i| json!({"task": i.task, "body": self.blocks(&i.body)}))
                    .collect();
                json!({"t": "list", "ordered": ordered, "start": start, "tight": tight, "items": items})
            }
            Block::Quote { body, .. } => json!({"t": "quote", "body": self.blocks(body)}),
            Block::Code { lang, text, .. } => json!({"t": "code", "lang": lang, "text": text}),
            Block::Html { text, .. } => json!({"t": "html", "text": text}),
            Block::Rule { .. } => json!({"t": "rule"}),
            Block::Chart { chart, .. } => chart_json(chart),
        }
    }

    fn inlines(&mut self, is: &[Inline]) -> Value {
        Value::Array(
            is.iter()
                .enumerate()
                .map(|(k, i)| {
                    let before = k.checked_sub(1).and_then(|j| is.get(j));
                    self.inline(i, [before, is.get(k + 1)])
                })
                .collect(),
        )
    }

    /// One inline; `around` (the inlines before and after it) matters to ruby only.
    fn inline(&mut self, i: &Inline, around: [Option<&Inline>; 2]) -> Value {
        let obj = |t: &str, pairs: Vec<(&str, Value)>| {
            let mut m = Map::new();
            m.insert("t".into(), Value::String(t.into()));
            for (k, v) in pairs {
                m.insert(k.into(), v);
            }
            Value::Object(m)
        };
        match i {
            Inline::Text { v } => Value::String(v.clone()),
            Inline::Strong { body } => obj("strong", vec![("body", self.inlines(body))]),
            Inline::Emph { body } => obj("emph", vec![("body", self.inlines(body))]),
            Inline::Strike { body } => obj("strike", vec![("body", self.inlines(body))]),
            Inline::Sup { body } => obj("sup", vec![("body", self.inlines(body))]),
            Inline::Sub { body } => obj("sub", vec![("body", self.inlines(body))]),
            Inline::Code { v } => obj("code", vec![("v", Value::String(v.clone()))]),
            Inline::Link { url, body } => {
                let dead = url
                    .strip_prefix('#')
                    .is_some_and(|id| !self.ids.contains(id));
                let url = if dead { String::new() } else { url.clone() };
                obj(
                    "link",
                    vec![("url", Value::String(url)), ("body", self.inlines(body))],
                )
            }
            Inline::Ruby { base, rt } => {
                // Whether the reading may hang over the neighbour on each side: kana only
                // (JIS X 4051: never over kanji, whose own reading it would seem to be).
                let hang = [
                    around[0].and_then(edge_char(false)).is_some_and(is_kana),
                    around[1].and_then(edge_char(true)).is_some_and(is_kana),
                ];
                obj(
                    "ruby",
                    vec![
                        ("base", Value::String(base.clone())),
                        ("rt", Value::String(rt.clone())),
                        ("hang", json!(hang)),
                    ],
                )
            }
            Inline::Note { id, .. } => {
                if self.placed.insert(id.clone()) {
                    let body = self.notes.get(id.as_str()).copied().unwrap_or(&[]);
                    let body = self.blocks(body);
                    obj(
                        "note",
                        vec![("id", Value::String(id.clone())), ("body", body)],
                    )
                } else {
                    obj("noteref", vec![("id", Value::String(id.clone()))])
                }
            }
            Inline::Br => obj("br", vec![]),
            Inline::Image { src, alt } => obj(
                "image",
                vec![
                    ("src", Value::String(image_vpath(src, self.assets))),
                    ("alt", Value::String(alt.clone())),
                    ("decorative", Value::Bool(alt.trim().is_empty())),
                ],
            ),
        }
    }
}

/// The first (`first`) or last character of a text inline, as a ruby's neighbour.
fn edge_char(first: bool) -> impl Fn(&Inline) -> Option<char> {
    move |i| match i {
        Inline::Text { v } if first => v.chars().next(),
        Inline::Text { v } => v.chars().next_back(),
        _ => None,
    }
}

/// Hiragana or katakana (with the long vowel mark and iteration marks), not kanji.
fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}')
}

fn align_name(a: &Align) -> &'static str {
    match a {
        Align::Auto => "auto",
        Align::Left => "left",
        Align::Center => "center",
        Align::Right => "right",
    }
}

/// A chart as data for `layouts/chart.typ`: every label already written, the scale computed.
fn chart_json(c: &crate::chart::Chart) -> Value {
    use crate::chart::{Kind, format};
    let n = c.categories.len();
    let series: Vec<Value> = c
        .series
        .iter()
        .enumerate()
        .map(|(j, s)| {
            let (values, labels): (Vec<Option<f64>>, Vec<String>) = if c.kind == Kind::Stacked {
                (0..n)
                    .map(|i| {
                        let p = c.shares(i)[j];
                        let label = p.map_or(format::missing(c.japanese).into(), format::percent);
                        (p, label)
                    })
                    .unzip()
            } else {
                s.values.iter().map(|v| (*v, c.value_label(*v))).unzip()
            };
            json!({"name": s.name, "values": values, "labels": labels})
        })
        .collect();
    let (lo, hi, ticks) = c.axis();
    let hi = if matches!(c.kind, Kind::Bar | Kind::Column) {
        c.max_value()
    } else {
        hi
    };
    let ticks: Vec<Value> = ticks
        .iter()
        .map(|t| json!({"v": t, "label": format::number(*t)}))
        .collect();
    let table = c.table.then(|| {
        let (head, rows) = c.table_rows();
        let align: Vec<&str> = (0..head.len())
            .map(|i| if i == 0 { "left" } else { "right" })
            .collect();
        let cells = |r: &[String]| r.iter().map(|s| json!([s])).collect::<Vec<_>>();
        let rows: Vec<Value> = rows.iter().map(|r| Value::Array(cells(r))).collect();
        json!({"t": "table", "align": align, "head": cells(&head), "rows": rows})
    });
    json!({
        "t": "chart", "kind": c.kind, "caption": c.caption(), "alt": c.alt, "note": c.note,
        "categories": c.categories, "series": series, "lo": lo, "hi": hi, "ticks": ticks,
        "table": table,
    })
}
