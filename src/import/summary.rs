//! What `kanko import` tells the editor: what it found, and every place where the result is
//! only an approximation of the Word document (chapter and paragraph), in their language.

use std::fmt::Write as _;
use std::path::Path;

use super::Converted;
use super::model::{Approx, Block};

/// Where each approximation is: (chapter, paragraph), both 1-based; a paragraph is any block
/// (heading, paragraph, list item, table, figure) in the chapter file.
pub fn approximations(chapters: &[Vec<Block>]) -> Vec<(usize, usize, Approx)> {
    let mut out: Vec<(usize, usize, Approx)> = Vec::new();
    for (c, blocks) in chapters.iter().enumerate() {
        let mut n = 0;
        for b in blocks {
            match b {
                Block::Mark(a) => {
                    let item = (c + 1, n.max(1), a.clone());
                    if !out.contains(&item) {
                        out.push(item);
                    }
                }
                _ => n += 1,
            }
        }
    }
    out
}

fn describe(a: &Approx, ja: bool) -> String {
    let (j, e) = match a {
        Approx::MergedCells => (
            "結合されたセルを分けました（文字はそのまま、最初のセルに）".into(),
            "merged cells split (the text kept, in the first cell)".into(),
        ),
        Approx::ComplexTable => (
            "表の中に箇条書きや表があるため、表を行ごとの段落にしました".into(),
            "a list or table inside a cell: the table is written row by row as paragraphs".into(),
        ),
        Approx::Kenten => (
            "圏点（傍点）を強調（太字）にしました".into(),
            "emphasis marks (圏点) written as strong emphasis".into(),
        ),
        Approx::TextBox => (
            "テキストボックス・図形の中の文字を段落にしました".into(),
            "text in a text box or shape written as paragraphs".into(),
        ),
        Approx::LinkedImage(u) => (
            format!("リンクされた（埋め込まれていない）画像 {u} は取り込めません"),
            format!("linked (not embedded) image {u} is missing"),
        ),
        Approx::UnsupportedImage(f) => (
            format!(
                "画像 images/{f} は kanko で使えない形式です（PNG か JPEG にして追加してください）"
            ),
            format!(
                "image images/{f} is in a format kanko cannot show (convert it to PNG or JPEG)"
            ),
        ),
        Approx::Metafile {
            svg,
            original,
            missing,
        } => {
            let what = missing
                .iter()
                .map(|(m, n)| format!("{m} ×{n}"))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!(
                    "画像 images/{original}（Windows メタファイル）を images/{svg} に変換しましたが、描けない部分があります（{what}）。元のファイルは残しました。正確な図が要るときは Word や Excel で PNG として保存し、差し替えてください"
                ),
                format!(
                    "image images/{original} (a Windows metafile) was converted to images/{svg}, approximately: not drawn: {what}. The original is kept; for an exact picture, save it as PNG from Word or Excel and replace it"
                ),
            )
        }
        Approx::UnreadableMetafile(f, why) => (
            format!(
                "画像 images/{f}（Windows メタファイル）は変換できませんでした（{why}）。Word や Excel で PNG として保存し、追加してください"
            ),
            format!(
                "image images/{f} (a Windows metafile) could not be converted ({why}); save it as PNG from Word or Excel and add it"
            ),
        ),
        Approx::MissingImage(f) => (
            format!("画像 {f} が .docx の中にありません"),
            format!("image {f} is missing from the .docx"),
        ),
        Approx::Chart => (
            "グラフは取り込めません（図として画像を貼るか、chart ブロックで書き直してください）"
                .into(),
            "a chart could not be carried over (paste it as a picture or write a chart block)"
                .into(),
        ),
        Approx::MovedImage => (
            "表や脚注の中の画像を、その後ろに図として置きました".into(),
            "an image inside a table or note was placed after it as a figure".into(),
        ),
    };
    if ja { j } else { e }
}

pub fn render(c: &Converted, dest: &Path) -> String {
    let ja = crate::i18n::japanese();
    let tr = |j: &str, e: &str| if ja { j.to_string() } else { e.to_string() };
    let count = |f: fn(&Block) -> bool| c.blocks.iter().flatten().filter(|b| f(b)).count();
    let figures = count(|b| matches!(b, Block::Figure(i) if i.file.is_some()));
    let tables = count(|b| matches!(b, Block::Table(_)));
    let (chapters, notes, ruby) = (c.chapters.len(), c.notes, c.ruby);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} {}",
        tr("取り込みました:", "imported:"),
        dest.display()
    );
    let _ = if ja {
        writeln!(
            s,
            "  章 {chapters}、図 {figures}、表 {tables}、脚注 {notes}、ルビ {ruby}"
        )
    } else {
        writeln!(
            s,
            "  {chapters} chapter(s), {figures} figure(s), {tables} table(s), {notes} footnote(s), {ruby} ruby"
        )
    };
    let approx = approximations(&c.blocks);
    let mut lines: Vec<String> = approx
        .iter()
        .map(|(ch, p, a)| {
            let at = if ja {
                format!("第{ch}章 第{p}段落")
            } else {
                format!("chapter {ch}, paragraph {p}")
            };
            format!("{at}: {}", describe(a, ja))
        })
        .collect();
    if !c.placeholders.is_empty() {
        let keys = c
            .placeholders
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        lines.push(if ja {
            format!("report.toml: {keys} は仮の値「（…を記入）」です。書き換えるまで kanko check は失敗します")
        } else {
            format!("report.toml: {keys} hold placeholders 「（…を記入）」; kanko check fails until they are filled in")
        });
    }
    if c.date_from_props {
        lines.push(tr("report.toml: `published` は文書の保存日（文書のプロパティ）です。発行日に直してください", "report.toml: `published` is the document's last-saved date (its properties); set the issue date"));
    }
    if c.year_from_date {
        lines.push(tr(
            "report.toml: `fiscal_year` は保存日から推定しました。確かめてください",
            "report.toml: `fiscal_year` was guessed from that date; check it",
        ));
    }
    if c.credit_in_text {
        lines.push(tr("助成の謝辞文が段落の途中にあるため本文に残しました（kanko も謝辞文を印刷します。不要なら消してください）", "the funder credit sentence is inside a longer paragraph and was left there (kanko prints it too; delete it if not needed)"));
    }
    if !lines.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            tr("近似・要確認:", "approximations and things to check:")
        );
        for l in lines {
            let _ = writeln!(s, "  - {l}");
        }
    }
    let _ = writeln!(
        s,
        "{}",
        tr(
            "次に: report.toml を確かめてから `kanko build` を実行してください。",
            "next: check report.toml, then run `kanko build`."
        )
    );
    s
}
