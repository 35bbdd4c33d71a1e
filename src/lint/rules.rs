//! The lint rules (the prose ones in `style.rs`), run over a report, and `--fix`.
//!
//! | id | default | what |
//! |---|---|---|
//! | `heading-skip` | warning | a heading level is skipped (`#` then `###`); the tree renumbers it |
//! | `image-alt` | warning | an image without alt text: decorative, not announced |
//! | `alt-caption` | warning | a figure whose caption (`![alt](src "caption")`) repeats its alt text |
//! | `html` | warning | each HTML element kanko read as structure (`<img>`, `<ruby>`, …), each left as text |
//! | `chart-title` | warning | a `chart` block without `title` |
//! | `image-resolution` | warning | a figure under 150 dpi at its printed width |
//! | `missing-glyph` | error | a character no shipped font has |
//! | `brackets` | warning | 「」『』（） not closed within a paragraph / line |
//! | `halfwidth-kana` | warning | half-width katakana (ｶﾀｶﾅ) |
//! | `fullwidth-alnum` | warning | full-width letters/digits in a report that also uses half-width ones |
//! | `mixed-style` | warning | です・ます and だ・である in one chapter |
//! | `empty-link` | warning | `[](url)` |
//! | `footnote-duplicate` | warning | a footnote label defined twice |
//! | `footnote-unused` | warning | a footnote defined and never referenced |
//! | `term` | warning | the term dictionary (shipped welfare preset + `[[lint.terms]]`) |

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use unicode_normalization::UnicodeNormalization;

use super::config::Config;
use super::findings::{Finding, Findings, msg};
use super::scan::{Class, Scan};
use super::style::{brackets, fullwidth_alnum, halfwidth_kana, mixed_style};
use crate::doc::Block;
use crate::manuscript::Report;
use crate::typeset::fonts::Fonts;

/// Print geometry for `image-resolution`: A4 with kanko's margins (layouts/style.typ).
const TEXT_WIDTH_MM: f64 = 210.0 - 2.0 * 24.0;
const TEXT_HEIGHT_MM: f64 = 297.0 - 27.0 - 25.0;
/// Figures taller than this share of the text height are scaled down to it (blocks.typ).
const MAX_FIGURE_HEIGHT: f64 = 0.6;
const MIN_DPI: f64 = 150.0;

// ---------------------------------------------------------------------------------------
// Running the rules

pub fn lint(r: &Report, cfg: &Config, fonts: &Fonts) -> Vec<Finding> {
    let mut cx = Findings {
        levels: cfg.rules.iter().map(|(id, l)| (id.as_str(), *l)).collect(),
        out: Vec::new(),
    };
    let chapters: Vec<(PathBuf, &crate::doc::Chapter, Scan)> = r
        .chapters
        .iter()
        .zip(&r.sources)
        .map(|(ch, src)| (r.dir.join(&ch.file), ch, Scan::new(src)))
        .collect();

    if cx.on("heading-skip") {
        let mut last = 0u8;
        for (file, ch, _) in &chapters {
            heading_skip(&mut cx, file, &ch.blocks, &mut last);
        }
    }
    if cx.on("fullwidth-alnum") {
        let uses_halfwidth = chapters.iter().any(|(_, _, s)| {
            s.chars_of(&[Class::Prose])
                .any(|(_, c)| c.is_ascii_alphanumeric())
        });
        if uses_halfwidth {
            for (file, _, scan) in &chapters {
                fullwidth_alnum(&mut cx, file, scan);
            }
        }
    }
    let mut glyphs: HashMap<char, bool> = HashMap::new();
    for (file, ch, scan) in &chapters {
        if cx.on("image-alt") {
            image_alt(&mut cx, file, ch, scan);
        }
        if cx.on("alt-caption") {
            alt_caption(&mut cx, file, &ch.blocks);
        }
        if cx.on("chart-title") {
            chart_title(&mut cx, file, &ch.blocks);
        }
        if cx.on("html") {
            let seen: Vec<_> = r
                .html
                .iter()
                .filter(|s| s.chapter == ch.id)
                .cloned()
                .collect();
            html(&mut cx, file, &seen);
        }
        if cx.on("image-resolution") {
            image_resolution(&mut cx, file, r, &ch.blocks);
        }
        if cx.on("missing-glyph") {
            missing_glyph(&mut cx, file, scan, fonts, &mut glyphs);
        }
        if cx.on("brackets") {
            brackets(&mut cx, file, scan);
        }
        if cx.on("halfwidth-kana") {
            halfwidth_kana(&mut cx, file, scan);
        }
        if cx.on("mixed-style") {
            mixed_style(&mut cx, file, scan);
        }
        if cx.on("empty-link") {
            empty_link(&mut cx, file, scan);
        }
        if cx.on("footnote-duplicate") || cx.on("footnote-unused") {
            footnotes(&mut cx, file, scan);
        }
        if cx.on("term") {
            terms(&mut cx, cfg, file, scan);
        }
    }
    let order: HashMap<PathBuf, usize> = chapters
        .iter()
        .enumerate()
        .map(|(i, (f, _, _))| (f.clone(), i))
        .collect();
    let mut out = cx.out;
    out.sort_by_key(|f| (order.get(&f.file).copied(), f.line, f.col));
    out
}

/// The term dictionary's matches in a chapter.
fn terms(cx: &mut Findings, cfg: &Config, file: &Path, scan: &Scan) {
    for t in &cfg.terms {
        for m in t.find(scan) {
            let note = t.note().map(|n| format!(" ({n})")).unwrap_or_default();
            let note_ja = t.note().map(|n| format!("（{n}）")).unwrap_or_default();
            let text = msg(
                format!("「{}」→「{}」{note_ja}", m.found, m.replacement),
                format!("「{}」 → 「{}」{note}", m.found, m.replacement),
            );
            cx.at(file, scan, m.start, "term", text);
        }
    }
}

/// Applies the dictionary's replacements to the chapter files, keeping `<file>.bak` copies.
/// Returns the changed files with the number of replacements in each.
pub fn fix(r: &Report, cfg: &Config) -> std::io::Result<Vec<(PathBuf, usize)>> {
    let mut out = Vec::new();
    if !cfg.rules.iter().any(|(id, _)| id == "term") {
        return Ok(out);
    }
    for ch in &r.chapters {
        let path = r.dir.join(&ch.file);
        let n = super::terms::fix_file(&path, &cfg.terms)?;
        if n > 0 {
            out.push((path, n));
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// The rules

fn heading_skip(cx: &mut Findings, file: &Path, blocks: &[Block], last: &mut u8) {
    for b in blocks {
        match b {
            Block::Heading {
                typed: level,
                level: structural,
                pos,
                ..
            } => {
                if *level > *last + 1 {
                    let text = if *last == 0 {
                        msg(
                            format!(
                                "最初の見出しが見出し{level}（{}）です。見出し1（#）から始めてください",
                                "#".repeat(*level as usize)
                            ),
                            format!("the first heading is level {level}; start with level 1 (#)"),
                        )
                    } else {
                        msg(
                            format!(
                                "見出し{last}の次が見出し{level}です（{}）。見出しのレベルを飛ばさないでください（見た目はそのまま、目次・PDF のタグ・EPUB では見出し{structural}として扱います）",
                                "#".repeat(*level as usize)
                            ),
                            format!(
                                "heading level {level} follows level {last}: a level is skipped (it keeps its look; the outline, the PDF tags and the EPUB treat it as level {structural})"
                            ),
                        )
                    };
                    cx.push(file, pos.line, pos.col, "heading-skip", text);
                }
                *last = *level;
            }
            Block::Quote { body, .. } => heading_skip(cx, file, body, last),
            Block::List { items, .. } => {
                for it in items {
                    heading_skip(cx, file, &it.body, last);
                }
            }
            _ => {}
        }
    }
}

fn is_alt_space(c: char) -> bool {
    c == ' ' || c == '\t' || c == '\u{3000}'
}

/// Offsets of `open` `[` whose brackets hold only white space and are followed by `(` / `[`
/// (`![](x)`, `[](x)`); `image` picks images or links.
fn empty_brackets(scan: &Scan, image: bool) -> Vec<usize> {
    let src = scan.src;
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    for (i, _) in src.match_indices('[') {
        if scan.class_at(i) != Class::Prose {
            continue;
        }
        let bang = i > 0 && bytes[i - 1] == b'!';
        let escaped = |k: usize| k > 0 && bytes[k - 1] == b'\\';
        if image != bang || escaped(i) || (bang && escaped(i - 1)) {
            continue;
        }
        let rest = &src[i + 1..];
        let inner = rest.len() - rest.trim_start_matches(is_alt_space).len();
        let after = &rest[inner..];
        if after.starts_with("](") || (image && after.starts_with("][")) {
            out.push(if bang { i - 1 } else { i });
        }
    }
    out
}

fn image_alt(cx: &mut Findings, file: &Path, ch: &crate::doc::Chapter, scan: &Scan) {
    let text = || {
        msg(
            "画像に代替テキストがありません。飾りの画像として扱い、読み上げられません（図番号も付きません）。内容を伝える画像なら [ ] の中に説明を書いてください（例: ![参加者数の推移](images/chart.png)）".to_string(),
            "image without alt text: it is treated as decorative and will not be announced (no figure number); if it carries content, describe it between the brackets, e.g. ![Participants per month](images/chart.png)".to_string(),
        )
    };
    let found = empty_brackets(scan, true);
    let mut lines: Vec<usize> = Vec::new();
    for off in found {
        lines.push(scan.line_col(off).0);
        cx.at(file, scan, off, "image-alt", text());
    }
    // Alt text that is only markup (`![**](x)`): the tree knows, the source scan does not.
    let mut missed = Vec::new();
    visit_blocks(&ch.blocks, &mut |b| {
        if let Block::Figure { alt, pos, .. } = b
            && alt.trim().is_empty()
            && !lines.contains(&pos.line)
        {
            missed.push(*pos);
        }
    });
    for p in missed {
        cx.push(file, p.line, p.col, "image-alt", text());
    }
}

/// A figure has two texts with two jobs: the caption everyone sees, the alt text for those who
/// cannot see the picture. Written apart but the same, the picture is described by its caption only.
fn alt_caption(cx: &mut Findings, file: &Path, blocks: &[Block]) {
    let squash = |s: &str| -> String { s.nfkc().filter(|c| !c.is_whitespace()).collect() };
    let mut same = Vec::new();
    visit_blocks(blocks, &mut |b| {
        if let Block::Figure {
            alt,
            caption,
            titled: true,
            pos,
            ..
        } = b
            && squash(alt) == squash(&crate::doc::plain_text(caption))
        {
            same.push(*pos);
        }
    });
    for p in same {
        cx.push(file, p.line, p.col, "alt-caption", msg(
            "図の代替テキストとキャプションが同じ文です。代替テキスト（[ ] の中）には、画像を見られない人のために写っているものを書いてください（例: ![机を囲む子ども5人と大学生](images/a.png \"学習会の様子\")）".to_string(),
            "the figure's alt text and caption are the same text; describe what the picture shows between the brackets for those who cannot see it, e.g. ![Five children and a student around a desk](images/a.png \"The study group\")".to_string(),
        ));
    }
}

/// Each kind of HTML element a chapter has, read as structure or left as text: one finding per
/// element name and outcome, at its first use, with the count and the lines.
fn html(cx: &mut Findings, file: &Path, seen: &[crate::manuscript::html::Seen]) {
    let mut groups: BTreeMap<(bool, String), Vec<crate::doc::Pos>> = BTreeMap::new();
    for s in seen {
        groups
            .entry((s.read, s.name.clone()))
            .or_default()
            .push(s.pos);
    }
    let mut out: Vec<(crate::doc::Pos, String)> = groups
        .into_iter()
        .map(|((read, name), at)| {
            let mut lines: Vec<String> = at.iter().take(8).map(|p| p.line.to_string()).collect();
            if at.len() > 8 {
                lines.push("…".into());
            }
            let (n, lines) = (at.len(), lines.join(", "));
            let m = match read {
                true => msg(
                    format!("HTML の `{name}` を{}として読みました（{n} 個、{lines} 行目）", crate::manuscript::html::meaning(&name, true)),
                    format!("HTML `{name}` read as {} ({n}×, line {lines})", crate::manuscript::html::meaning(&name, false)),
                ),
                false => msg(
                    format!("HTML の `{name}` は文字のまま表示します（{n} 個、{lines} 行目）。kanko が読む要素は README の「HTML」の節を見てください"),
                    format!("HTML `{name}` is shown as text ({n}×, line {lines}); the elements kanko reads are listed in the README (HTML)"),
                ),
            };
            (at[0], m)
        })
        .collect();
    out.sort_by_key(|(p, _)| (p.line, p.col));
    for (p, m) in out {
        cx.push(file, p.line, p.col, "html", m);
    }
}

/// A chart without `title` has no caption: readers cannot refer to it, and its alt text
/// starts with the chart type alone.
fn chart_title(cx: &mut Findings, file: &Path, blocks: &[Block]) {
    let mut untitled = Vec::new();
    visit_blocks(blocks, &mut |b| {
        if let Block::Chart { chart, pos } = b
            && chart.title.is_none()
        {
            untitled.push(*pos);
        }
    });
    for pos in untitled {
        let text = msg(
            "グラフに `title` がありません（図の見出しと代替テキストに使われます）".into(),
            "chart has no `title` (it becomes the figure caption and starts the alt text)".into(),
        );
        cx.push(file, pos.line, pos.col, "chart-title", text);
    }
}

fn visit_blocks(blocks: &[Block], f: &mut dyn FnMut(&Block)) {
    for b in blocks {
        f(b);
        match b {
            Block::Quote { body, .. } => visit_blocks(body, f),
            Block::List { items, .. } => {
                for it in items {
                    visit_blocks(&it.body, f);
                }
            }
            _ => {}
        }
    }
}

/// The printed width of a figure in millimetres (see layouts/blocks.typ: `width` × text
/// width, unless the image is so tall that its height is capped).
pub fn printed_width_mm(frac: f64, w: u32, h: u32) -> f64 {
    let frac = if frac > 0.0 && frac <= 1.0 { frac } else { 1.0 };
    let by_width = TEXT_WIDTH_MM * frac;
    if w == 0 || h == 0 {
        return by_width;
    }
    let height = by_width * h as f64 / w as f64;
    let cap = MAX_FIGURE_HEIGHT * TEXT_HEIGHT_MM;
    if height > cap {
        cap * w as f64 / h as f64
    } else {
        by_width
    }
}

/// Figures only: inline images (`Inline::Image`) are icons in running text, never checked.
fn image_resolution(cx: &mut Findings, file: &Path, r: &Report, blocks: &[Block]) {
    let mut found = Vec::new();
    visit_blocks(blocks, &mut |b| {
        if let Block::Figure {
            src, width, pos, ..
        } = b
            && let Some(a) = r.assets.get(src)
        {
            let mm = printed_width_mm(*width, a.width, a.height);
            let dpi = a.width as f64 / (mm / 25.4);
            if dpi < MIN_DPI {
                let need = (MIN_DPI * mm / 25.4).ceil() as u32;
                found.push((*pos, src.clone(), a.width, a.height, mm, dpi, need));
            }
        }
    });
    for (pos, src, w, h, mm, dpi, need) in found {
        let text = msg(
            format!(
                "画像 {src}（{w}×{h} px）は印刷幅 約{mm:.0} mm で {dpi:.0} dpi しかなく、印刷がぼやけます。幅 {need} px 以上（150 dpi 以上）の画像にしてください"
            ),
            format!(
                "image {src} ({w}×{h} px) prints about {mm:.0} mm wide at only {dpi:.0} dpi and will look blurred; use at least {need} px wide (150 dpi)"
            ),
        );
        cx.push(file, pos.line, pos.col, "image-resolution", text);
    }
}

fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

fn missing_glyph(
    cx: &mut Findings,
    file: &Path,
    scan: &Scan,
    fonts: &Fonts,
    cache: &mut HashMap<char, bool>,
) {
    // first offset and count of each missing character, in order of appearance
    let mut missing: Vec<(char, usize, usize)> = Vec::new();
    for (i, c) in scan.chars_of(&[Class::Prose, Class::Code, Class::Html]) {
        if c.is_whitespace() || c.is_control() || is_invisible(c) {
            continue;
        }
        let ok = *cache.entry(c).or_insert_with(|| fonts.covers(c));
        if ok {
            continue;
        }
        match missing.iter_mut().find(|m| m.0 == c) {
            Some(m) => m.2 += 1,
            None => missing.push((c, i, 1)),
        }
    }
    for (c, off, n) in missing {
        let u = c as u32;
        let more_ja = if n > 1 {
            format!("（この章で{n}か所）")
        } else {
            String::new()
        };
        let more_en = if n > 1 {
            format!(" ({n} times in this chapter)")
        } else {
            String::new()
        };
        let text = msg(
            format!(
                "「{c}」(U+{u:04X}) は同梱のどのフォントにもなく、空の四角で印刷されます{more_ja}。別の字に置き換えるか、その字のあるフォントを kanko.toml の [[fonts]] に加えてください（file = \"fonts/….otf\"、license = \"…\"）"
            ),
            format!(
                "no shipped font has {c} (U+{u:04X}); it would print as an empty box{more_en}. Use another character, or add a font that has it to kanko.toml as [[fonts]] (file = \"fonts/….otf\", license = \"…\")"
            ),
        );
        cx.at(file, scan, off, "missing-glyph", text);
    }
}

fn empty_link(cx: &mut Findings, file: &Path, scan: &Scan) {
    for off in empty_brackets(scan, false) {
        let text = msg(
            "リンクの文字がありません（[](…)）。[ ] の中にリンク先を表す文字を書いてください"
                .to_string(),
            "link without text ([](…)): write what it links to between the brackets".to_string(),
        );
        cx.at(file, scan, off, "empty-link", text);
    }
}

fn footnotes(cx: &mut Findings, file: &Path, scan: &Scan) {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for d in &scan.note_defs {
        if let Some(first) = seen.get(d.label.as_str()) {
            let (l, _) = scan.line_col(*first);
            let text = msg(
                format!(
                    "脚注 [^{}] が二度定義されています（最初は {l} 行目）",
                    d.label
                ),
                format!(
                    "footnote [^{}] is defined twice (first on line {l})",
                    d.label
                ),
            );
            cx.at(file, scan, d.offset, "footnote-duplicate", text);
        } else {
            seen.insert(&d.label, d.offset);
            if !scan.note_refs.iter().any(|r| r.label == d.label) {
                let text = msg(
                    format!(
                        "脚注 [^{}] は定義されていますが、本文から参照されていません（出力には含まれません）",
                        d.label
                    ),
                    format!(
                        "footnote [^{}] is defined but never referenced (it is left out of the outputs)",
                        d.label
                    ),
                );
                cx.at(file, scan, d.offset, "footnote-unused", text);
            }
        }
    }
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
