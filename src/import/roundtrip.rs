//! The Markdown the importer writes, read back by kanko's own manuscript reader (comrak with
//! the manuscript's options, ruby, footnotes), must be the runs it read from Word: the same
//! characters with the same bold / italic / strike. Run over every vendored .docx and over
//! small files made here for the cases pandoc's `char-styles.docx` and `deep-normalize.docx`
//! showed (runs of one emphasis split by Word, emphasis inside emphasis, emphasis next to
//! punctuation that CommonMark's flanking rules cannot close).

use std::io::Write;
use std::path::Path;

use super::model::{Block, Fmt, Inline, Kind};
use crate::doc;

const NOTE: char = '\u{E000}';
const RT_OPEN: char = '\u{E001}';
const RT_CLOSE: char = '\u{E002}';

fn push(out: &mut Vec<(char, Fmt)>, s: &str, f: Fmt) {
    out.extend(s.chars().filter(|c| *c != '／').map(|c| (c, f)));
}

/// What the Word file said, in the order the chapter file writes it.
fn expected(blocks: &[Block], notes: &[Vec<Inline>]) -> Vec<(char, Fmt)> {
    fn inl(items: &[Inline], out: &mut Vec<(char, Fmt)>, refs: &mut Vec<usize>) {
        for i in items {
            match i {
                Inline::Text(t, f) => push(out, t, *f),
                Inline::Ruby { base, rt } => {
                    if base
                        .chars()
                        .chain(rt.chars())
                        .any(|c| "\\`*_[]<>&~|".contains(c))
                    {
                        push(out, base, Fmt::default());
                    } else {
                        push(out, base, Fmt::default());
                        out.push((RT_OPEN, Fmt::default()));
                        push(out, rt, Fmt::default());
                        out.push((RT_CLOSE, Fmt::default()));
                    }
                }
                Inline::Link { body, .. } => {
                    if !Inline::plain(body).trim().is_empty() {
                        inl(body, out, refs);
                    }
                }
                Inline::Note(n) => {
                    out.push((NOTE, Fmt::default()));
                    if !refs.contains(n) {
                        refs.push(*n);
                    }
                }
                Inline::Break => out.push((' ', Fmt::default())),
            }
        }
    }
    let mut out = Vec::new();
    let mut refs = Vec::new();
    for b in blocks {
        match b {
            Block::Para(p) if p.kind != Kind::Code => inl(&p.body, &mut out, &mut refs),
            Block::Table(t) => {
                for cell in t.rows.iter().flatten() {
                    for p in cell {
                        inl(&p.body, &mut out, &mut refs);
                        out.push((' ', Fmt::default()));
                    }
                }
            }
            _ => {}
        }
        out.push((' ', Fmt::default()));
    }
    let mut done = 0;
    while done < refs.len() {
        let n = refs[done];
        let mut inner = Vec::new();
        if let Some(body) = notes.get(n) {
            inl(body, &mut out, &mut inner);
        }
        out.push((' ', Fmt::default()));
        done += 1;
    }
    super::emphasis::squeeze(&out)
}

/// What kanko's reader makes of the chapter file.
fn read_back(md: &str) -> Vec<(char, Fmt)> {
    fn inl(items: &[doc::Inline], f: Fmt, out: &mut Vec<(char, Fmt)>) {
        for i in items {
            match i {
                doc::Inline::Text { v } => push(out, v, f),
                doc::Inline::Code { v } => push(out, v, f),
                doc::Inline::Strong { body } => inl(body, Fmt { bold: true, ..f }, out),
                doc::Inline::Emph { body } => inl(body, Fmt { italic: true, ..f }, out),
                doc::Inline::Strike { body } => inl(body, Fmt { strike: true, ..f }, out),
                doc::Inline::Link { body, .. }
                | doc::Inline::Sup { body }
                | doc::Inline::Sub { body } => inl(body, f, out),
                doc::Inline::Ruby { base, rt } => {
                    push(out, base, Fmt::default());
                    out.push((RT_OPEN, Fmt::default()));
                    push(out, rt, Fmt::default());
                    out.push((RT_CLOSE, Fmt::default()));
                }
                doc::Inline::Note { .. } => out.push((NOTE, Fmt::default())),
                doc::Inline::Br => out.push((' ', f)),
                doc::Inline::Image { alt, .. } => push(out, alt, f),
            }
        }
    }
    fn blocks(bs: &[doc::Block], out: &mut Vec<(char, Fmt)>) {
        for b in bs {
            match b {
                doc::Block::Heading { body, .. } | doc::Block::Para { body, .. } => {
                    inl(body, Fmt::default(), out)
                }
                doc::Block::Table { head, rows, .. } => {
                    for cell in head.iter().chain(rows.iter().flatten()) {
                        inl(cell, Fmt::default(), out);
                        out.push((' ', Fmt::default()));
                    }
                }
                doc::Block::List { items, .. } => {
                    for it in items {
                        blocks(&it.body, out);
                    }
                }
                doc::Block::Quote { body, .. } => blocks(body, out),
                doc::Block::Html { text, .. } => push(out, text, Fmt::default()),
                _ => {}
            }
            out.push((' ', Fmt::default()));
        }
    }
    let mut ids = crate::manuscript::markdown::ReportIds::default();
    let parsed =
        crate::manuscript::markdown::parse_chapter(md, "01.md", Path::new("01.md"), 0, &mut ids);
    let mut out = Vec::new();
    blocks(&parsed.chapter.blocks, &mut out);
    for n in &parsed.chapter.notes {
        blocks(&n.body, &mut out);
    }
    super::emphasis::squeeze(&out)
}

/// Differences between what Word said and what kanko reads: the text must be identical; the
/// emphasis may differ only on punctuation left outside a delimiter that could not stand there.
fn check(name: &str, blocks: &[Vec<Block>], notes: &[Vec<Inline>], md: &[(String, String)]) {
    for (i, (file, text)) in md.iter().enumerate() {
        let want = expected(&blocks[i], notes);
        let got = read_back(text);
        let (w, g): (String, String) = (
            want.iter().map(|(c, _)| c).collect(),
            got.iter().map(|(c, _)| c).collect(),
        );
        assert_eq!(g, w, "{name} {file}: the text changed; Markdown:\n{text}");
        for (k, ((c, fw), (_, fg))) in want.iter().zip(&got).enumerate() {
            let punct = c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace());
            assert!(
                fw == fg || punct,
                "{name} {file}: {c:?} at {k} ({}) is {fg:?}, Word said {fw:?}; Markdown:\n{text}",
                w.chars()
                    .skip(k.saturating_sub(15))
                    .take(30)
                    .collect::<String>()
            );
        }
    }
}

fn convert(bytes: Vec<u8>, name: &str) -> super::Converted {
    super::convert(bytes, "x").unwrap_or_else(|e| panic!("{name}: {e:?}"))
}

#[test]
fn every_vendored_docx_reads_back_as_its_runs() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/docx");
    let mut n = 0;
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
    {
        let name = f.display().to_string();
        let c = convert(std::fs::read(f).unwrap(), &name);
        check(&name, &c.blocks, &c.note_bodies, &c.chapters);
        n += 1;
    }
    assert!(n >= 8, "vendored files missing");
}

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

/// A run: `props` is the inner XML of `w:rPr`.
fn run(props: &str, text: &str) -> String {
    let text = text
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>"#)
}

/// A .docx holding `body`, with character styles `Emph` (italic) and `Strong` (bold) and a
/// `Heading1` paragraph style, and a footnote with id 1.
fn docx(body: &str) -> Vec<u8> {
    let files = [
        (
            "[Content_Types].xml",
            r#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#.to_string(),
        ),
        (
            "_rels/.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#.to_string(),
        ),
        (
            "word/_rels/document.xml.rels",
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdF" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdL" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/" TargetMode="External"/></Relationships>"#.to_string(),
        ),
        (
            "word/styles.xml",
            format!(
                r#"<w:styles {W}><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style><w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style><w:style w:type="character" w:styleId="Emph"><w:name w:val="Emphasis"/><w:rPr><w:i/></w:rPr></w:style><w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style></w:styles>"#
            ),
        ),
        (
            "word/footnotes.xml",
            format!(
                r#"<w:footnotes {W}><w:footnote w:id="1"><w:p>{}{}</w:p></w:footnote></w:footnotes>"#,
                run("", "注の"),
                run("<w:b/>", "太字")
            ),
        ),
        (
            "word/document.xml",
            format!(r#"<w:document {W}><w:body>{body}</w:body></w:document>"#),
        ),
    ];
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, text) in files {
        z.start_file(name, opts).unwrap();
        z.write_all(text.as_bytes()).unwrap();
    }
    z.finish().unwrap().into_inner()
}

fn para(runs: &[String]) -> String {
    format!("<w:p>{}</w:p>", runs.concat())
}

/// pandoc's two cases and their neighbours, one paragraph each.
fn fixture() -> Vec<u8> {
    let e = r#"<w:rStyle w:val="Emph"/>"#;
    let s = r#"<w:rStyle w:val="Strong"/>"#;
    let body = [
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr>{}{}</w:p>"#,
            run("", "見出しの"),
            run("<w:i/>", "斜体")
        ),
        // char-styles.docx: an italic character style with a bold run inside it.
        para(&[
            run(e, "This is all in an "),
            run(&format!("{e}<w:b/>"), "italic style"),
            run(e, "."),
        ]),
        // deep-normalize.docx: one emphasis split into many runs, white space at their edges.
        para(&[
            run("<w:i/>", "Th"),
            run("<w:i/>", "is "),
            run("<w:i/><w:b/>", "is"),
            run("<w:i/><w:b/>", " "),
            run("<w:b/>", "deep"),
            run("", " and "),
            run("<w:b/><w:strike/>", "struck"),
            run("<w:strike/>", " through"),
            run("", "."),
        ]),
        // Emphasis on quotes between letters: CommonMark cannot open `*` there.
        para(&[run("", "said"), run("<w:i/>", "\"no\""), run("", "now")]),
        // Japanese brackets and a full-width space inside bold.
        para(&[
            run("", "これは"),
            run(s, "「重要」"),
            run("", "です。全角"),
            run("<w:b/>", "　空白"),
            run("", "の後。"),
        ]),
        // Crossing emphasis: bold "abcd", italic "cdef".
        para(&[
            run("<w:b/>", "ab"),
            run("<w:b/><w:i/>", "cd"),
            run("<w:i/>", "ef"),
            run("", " end"),
        ]),
        // Markup characters inside emphasis, emphasis on punctuation alone.
        para(&[
            run("<w:b/>", "*注*"),
            run("", "と"),
            run("<w:i/>", "a_b"),
            run("", "a"),
            run("<w:b/>", ","),
            run("", "b"),
        ]),
        // Emphasis across a line break, beside a footnote and a link.
        format!(
            r#"<w:p>{}<w:r><w:rPr><w:b/></w:rPr><w:br/></w:r>{}<w:r><w:footnoteReference w:id="1"/></w:r>{}<w:hyperlink r:id="rIdL">{}</w:hyperlink>{}</w:p>"#,
            run("<w:b/>", "上の行"),
            run("<w:b/>", "下の行"),
            run("<w:i/>", "リンク前"),
            run("<w:i/>", "リンク"),
            run("<w:i/>", "の後")
        ),
        // Bold and italic ending together, then a plain run.
        para(&[
            run("<w:b/><w:i/>", "both"),
            run("", "plain "),
            run("<w:i/>", "it "),
            run("<w:i/><w:b/>", "bi"),
            run("<w:b/>", "b"),
        ]),
    ]
    .concat();
    docx(&body)
}

#[test]
fn pandoc_char_styles_and_deep_normalize_cases_read_back_as_their_runs() {
    let c = convert(fixture(), "fixture");
    let md: String = c.chapters.iter().map(|(_, m)| m.as_str()).collect();
    eprintln!("{md}");
    assert!(
        md.contains("*This is all in an **italic style**.*"),
        "char-styles.docx's paragraph:\n{md}"
    );
    assert!(!md.contains("****") && !md.contains("***."), "{md}");
    check("fixture", &c.blocks, &c.note_bodies, &c.chapters);
}
