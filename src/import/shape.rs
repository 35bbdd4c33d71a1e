//! The read blocks shaped into a report: the title taken out, captions joined to their figures,
//! the funder credit sentence taken out (kanko prints it), chapters split at level-1 headings.

use super::meta::{Funder, parse_credit};
use super::model::{Block, Inline, Kind, Para};

/// Caption labels Word numbers itself (`図 1`, `Figure 2:`); kanko numbers figures too.
static LABEL: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"^\s*(?:図|Figure|Fig\.?)\s*[0-9０-９]+(?:\s*[-‐.．]\s*[0-9０-９]+)?\s*[:：.．]?\s*",
    )
    .expect("label regex")
});

pub struct Shaped {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub funders: Vec<Funder>,
    /// True when a credit sentence was found inside a longer paragraph and left there.
    pub credit_in_text: bool,
    pub chapters: Vec<Vec<Block>>,
}

pub fn shape(mut blocks: Vec<Block>, fallback_title: &str) -> Shaped {
    let title = take_first(&mut blocks, Kind::Title);
    let subtitle = take_first(&mut blocks, Kind::Subtitle);
    join_captions(&mut blocks);
    let (funders, credit_in_text) = take_credit(&mut blocks);
    normalise_headings(&mut blocks);
    let mut chapters = split(blocks);
    if !chapters.iter().any(|c| {
        c.iter()
            .any(|b| matches!(b, Block::Para(p) if p.kind == Kind::Heading(1)))
    }) {
        let heading = title.clone().unwrap_or_else(|| fallback_title.to_string());
        if let Some(first) = chapters.first_mut() {
            first.insert(0, heading_block(&heading));
        }
    }
    Shaped {
        title,
        subtitle,
        funders,
        credit_in_text,
        chapters,
    }
}

fn heading_block(text: &str) -> Block {
    Block::Para(Para {
        kind: Kind::Heading(1),
        body: vec![Inline::Text(text.to_string(), Default::default())],
    })
}

/// The first paragraph of `kind` (its text); later ones stay as ordinary paragraphs.
fn take_first(blocks: &mut Vec<Block>, kind: Kind) -> Option<String> {
    let i = blocks
        .iter()
        .position(|b| matches!(b, Block::Para(p) if p.kind == kind))?;
    let Block::Para(p) = blocks.remove(i) else {
        return None;
    };
    for b in blocks.iter_mut() {
        if let Block::Para(p) = b
            && p.kind == kind
        {
            p.kind = Kind::Normal;
        }
    }
    Some(Inline::plain(&p.body).trim().to_string()).filter(|t| !t.is_empty())
}

/// A Caption-style paragraph right after a figure (or right before one, when the one after
/// is not a caption) becomes its caption.
fn join_captions(blocks: &mut Vec<Block>) {
    let mut i = 0;
    while i < blocks.len() {
        if matches!(blocks[i], Block::Figure(_)) {
            let next = (i + 1..blocks.len()).find(|&j| !matches!(blocks[j], Block::Mark(_)));
            let prev = (0..i).rev().find(|&j| !matches!(blocks[j], Block::Mark(_)));
            let is_cap = |j: Option<usize>, blocks: &[Block]| {
                j.filter(|&j| matches!(&blocks[j], Block::Para(p) if p.kind == Kind::Caption))
            };
            if let Some(j) = is_cap(next, blocks).or_else(|| is_cap(prev, blocks))
                && let Block::Para(p) = blocks.remove(j)
            {
                let fig = if j < i { i - 1 } else { i };
                if let Block::Figure(img) = &mut blocks[fig] {
                    img.caption = Some(strip_label(p.body));
                }
                i = fig;
            }
        }
        i += 1;
    }
    for b in blocks.iter_mut() {
        if let Block::Para(p) = b
            && p.kind == Kind::Caption
        {
            p.kind = Kind::Normal;
        }
    }
}

fn strip_label(mut body: Vec<Inline>) -> Vec<Inline> {
    if let Some(Inline::Text(t, _)) = body.first_mut()
        && let Some(m) = LABEL.find(t)
        && m.end() < t.len()
    {
        *t = t[m.end()..].to_string();
    }
    body
}

fn take_credit(blocks: &mut Vec<Block>) -> (Vec<Funder>, bool) {
    let mut funders = Vec::new();
    let mut in_text = false;
    blocks.retain(|b| {
        let Block::Para(p) = b else { return true };
        if p.kind != Kind::Normal {
            return true;
        }
        let text = Inline::plain(&p.body);
        if let Some(f) = parse_credit(&text) {
            funders.extend(f);
            return false;
        }
        if let Some(start) = text
            .find("この事業は「")
            .or_else(|| text.find("本事業は「"))
            && let Some(len) = text[start..].find("の一環として")
            && let Some(end) = text[start + len..].find('。')
            && let Some(f) = parse_credit(&text[start..start + len + end + '。'.len_utf8()])
        {
            funders.extend(f);
            in_text = true;
        }
        true
    });
    (funders, in_text)
}

/// The top heading level in the document becomes level 1.
fn normalise_headings(blocks: &mut [Block]) {
    let min = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Para(Para {
                kind: Kind::Heading(l),
                ..
            }) => Some(*l),
            _ => None,
        })
        .min();
    let Some(shift) = min.map(|m| m - 1).filter(|s| *s > 0) else {
        return;
    };
    for b in blocks {
        if let Block::Para(p) = b
            && let Kind::Heading(l) = &mut p.kind
        {
            *l -= shift;
        }
    }
}

/// Chapters begin at level-1 headings; text before the first one opens the first chapter.
fn split(blocks: Vec<Block>) -> Vec<Vec<Block>> {
    let mut chapters: Vec<Vec<Block>> = vec![Vec::new()];
    let mut seen_heading = false;
    for b in blocks {
        if matches!(&b, Block::Para(p) if p.kind == Kind::Heading(1)) {
            if seen_heading {
                chapters.push(Vec::new());
            }
            seen_heading = true;
        }
        if let Some(c) = chapters.last_mut() {
            c.push(b);
        }
    }
    chapters
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(kind: Kind, t: &str) -> Block {
        Block::Para(Para {
            kind,
            body: vec![Inline::Text(t.into(), Default::default())],
        })
    }

    #[test]
    fn chapters_split_at_level_one_and_the_credit_leaves_the_text() {
        let blocks = vec![
            para(Kind::Title, "年次報告"),
            para(Kind::Normal, "前書き"),
            para(Kind::Heading(2), "はじめに"),
            para(Kind::Heading(3), "目的"),
            para(
                Kind::Normal,
                "この事業は「令和5年度A機構 X事業」の一環として実施しました。",
            ),
            para(Kind::Heading(2), "結果"),
        ];
        let s = shape(blocks, "x");
        assert_eq!(s.title.as_deref(), Some("年次報告"));
        assert_eq!(s.chapters.len(), 2);
        assert_eq!(s.chapters[0].len(), 3);
        assert!(matches!(&s.chapters[0][1], Block::Para(p) if p.kind == Kind::Heading(1)));
        assert_eq!(s.funders[0].name, "A機構");
        assert!(!s.credit_in_text);
    }

    #[test]
    fn a_document_without_headings_gets_one() {
        let s = shape(vec![para(Kind::Normal, "本文")], "houkoku");
        assert!(matches!(&s.chapters[0][0], Block::Para(p) if Inline::plain(&p.body) == "houkoku"));
        assert_eq!(
            strip_label(vec![Inline::Text(
                "図 1 利用者数".into(),
                Default::default()
            )])[0],
            Inline::Text("利用者数".into(), Default::default())
        );
    }
}
