//! Sizes past which a report is refused before it is typeset, so that one file can never take
//! the whole machine (a 201 MB chapter once grew `kanko build` to 24 GB before the kernel
//! killed it). Chosen far above real work: a 1 MB chapter of Japanese prose is 183 A4 pages and
//! builds in about 200 MB of memory (measured 2026-12-04); the longest reports kanko is made
//! for are a few hundred pages.

use std::path::Path;

use crate::diag::Diag;
use crate::doc::{Block, plain_text};

/// One chapter file (≈ 900 A4 pages of Japanese prose).
pub const MAX_CHAPTER_BYTES: usize = 5 * 1024 * 1024;
/// All chapter files of one report together (≈ 1,800 pages, about 2 GB to typeset).
pub const MAX_REPORT_BYTES: usize = 10 * 1024 * 1024;
/// One paragraph (≈ 110 A4 pages without a break): line breaking works on a whole paragraph,
/// so its cost grows with it (a 1-million-character paragraph took 27 s and 487 MB). A
/// 100,000-character one still builds (tests/it/hostile.rs).
pub const MAX_PARAGRAPH_CHARS: usize = 200_000;

fn mb(bytes: usize) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// A chapter file too large to typeset.
pub fn chapter(bytes: usize, path: &Path) -> Option<Diag> {
    if bytes <= MAX_CHAPTER_BYTES {
        return None;
    }
    let (got, max) = (mb(bytes), mb(MAX_CHAPTER_BYTES));
    Some(
        Diag::error(crate::t!(
            "章のファイルが大きすぎます（{got} MB。1つの章は {max} MB まで）",
            "the chapter file is too large ({got} MB; a chapter may be up to {max} MB)"
        ))
        .at(path, 1, 1)
        .help(crate::t!(
            "見出し（# や ##）のところで、いくつかのファイル（01.md、02.md …）に分けてください",
            "split it at its headings (# or ##) into several files (01.md, 02.md, …)"
        )),
    )
}

/// All chapters of a report together too large to typeset.
pub fn report(bytes: usize, toml: &Path) -> Option<Diag> {
    if bytes <= MAX_REPORT_BYTES {
        return None;
    }
    let (got, max) = (mb(bytes), mb(MAX_REPORT_BYTES));
    Some(
        Diag::error(crate::t!(
            "この報告書の章は合わせて {got} MB あり、大きすぎます（1つの報告書は {max} MB まで）",
            "this report's chapters hold {got} MB of text together, too much to typeset (a report may hold up to {max} MB)"
        ))
        .in_file(toml)
        .help(crate::t!(
            "上巻・下巻のように、いくつかの報告書のフォルダに分けてください",
            "split it into several reports (volumes), each in its own folder"
        )),
    )
}

/// Paragraphs (and headings, list items, quotes, table cells) longer than the limit.
pub fn paragraphs(blocks: &[Block], path: &Path, out: &mut Vec<Diag>) {
    for b in blocks {
        let (body, pos) = match b {
            Block::Para { body, pos } | Block::Heading { body, pos, .. } => (body, pos),
            Block::List { items, .. } => {
                for it in items {
                    paragraphs(&it.body, path, out);
                }
                continue;
            }
            Block::Quote { body, .. } => {
                paragraphs(body, path, out);
                continue;
            }
            Block::Table {
                head, rows, pos, ..
            } => {
                if let Some(cell) = head
                    .iter()
                    .chain(rows.iter().flatten())
                    .find(|c| plain_text(c).chars().count() > MAX_PARAGRAPH_CHARS)
                {
                    out.push(too_long(
                        plain_text(cell).chars().count(),
                        path,
                        pos.line,
                        pos.col,
                    ));
                }
                continue;
            }
            _ => continue,
        };
        let n = plain_text(body).chars().count();
        if n > MAX_PARAGRAPH_CHARS {
            out.push(too_long(n, path, pos.line, pos.col));
        }
    }
}

fn too_long(n: usize, path: &Path, line: usize, col: usize) -> Diag {
    Diag::error(crate::t!(
        "段落が長すぎます（{n} 文字。1つの段落は {MAX_PARAGRAPH_CHARS} 文字まで）",
        "the paragraph is too long ({n} characters; a paragraph may be up to {MAX_PARAGRAPH_CHARS})"
    ))
    .at(path, line.max(1), col.max(1))
    .help(crate::t!(
        "空行を入れて、いくつかの段落に分けてください",
        "split it into several paragraphs with blank lines"
    ))
}
