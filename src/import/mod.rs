//! Word import (`kanko import FILE.docx`): a Word manuscript becomes a new report folder (report.toml,
//! numbered chapter files, images/) and a plain list of what could not be carried over.
//!
//! Steps: open the package → read styles, numbering, notes and the body into blocks →
//! shape them into chapters → write Markdown and report.toml into a temporary folder →
//! rename it into place (an existing folder is never touched).

mod body;
mod emphasis;
mod error;
mod escape;
mod limits;
mod markdown;
mod meta;
mod metafile;
mod model;
mod numbering;
mod package;
#[cfg(test)]
mod roundtrip;
mod shape;
mod styles;
pub mod summary;
mod xml;

use std::path::{Path, PathBuf};

pub use error::ImportError;

/// Everything to write, and what the summary reports.
pub struct Converted {
    pub toml: String,
    pub placeholders: Vec<&'static str>,
    /// (file name, Markdown).
    pub chapters: Vec<(String, String)>,
    pub media: Vec<(String, Vec<u8>)>,
    pub blocks: Vec<Vec<model::Block>>,
    pub notes: usize,
    /// The notes' text as read (for the round-trip test).
    #[cfg_attr(not(test), allow(dead_code))]
    pub note_bodies: Vec<Vec<model::Inline>>,
    pub ruby: usize,
    pub credit_in_text: bool,
    pub date_from_props: bool,
    pub year_from_date: bool,
}

/// Reads the .docx bytes into what will be written. Never writes anything.
pub fn convert(bytes: Vec<u8>, fallback_title: &str) -> Result<Converted, ImportError> {
    let mut pkg = package::open(bytes)?;
    let main = pkg.main.clone();
    let rels = pkg.rels_of(&main);
    let Some(bytes) = pkg.read(&main) else {
        return Err(match pkg.refused.take() {
            Some((part, got, stored)) => ImportError::TooLarge(part, got, stored),
            None => ImportError::NoMainPart,
        });
    };
    let document = xml::parse(&bytes).map_err(ImportError::BadMainPart)?;
    let body = document
        .child("body")
        .ok_or_else(|| ImportError::BadMainPart("no w:body".into()))?;
    let mut part = |suffix: &str| {
        let target = package::by_kind(&rels, suffix)?.target.clone();
        let x = pkg.xml(&target)?;
        Some((x, pkg.rels_of(&target)))
    };
    let styles_x = part("/styles");
    let numbering_x = part("/numbering");
    let footnotes = part("/footnotes");
    let endnotes = part("/endnotes");
    let root = pkg.rels_of("");
    let mut props_part = |suffix: &str| {
        let target = package::by_kind(&root, suffix)?.target.clone();
        pkg.xml(&target)
    };
    let core = props_part("/core-properties");
    let app = props_part("/extended-properties");
    let props = meta::Props::read(core.as_ref(), app.as_ref());
    let styles = styles::Styles::parse(styles_x.as_ref().map(|x| &x.0));
    let numbering = numbering::Numbering::parse(numbering_x.as_ref().map(|x| &x.0));
    let mut w = body::Walker::new(&styles, &numbering, &mut pkg, rels);
    for (kind, part) in [("footnote", &footnotes), ("endnote", &endnotes)] {
        let Some((x, r)) = part else { continue };
        w.note_rels.insert(kind, r.clone());
        for n in x.elements().filter(|e| e.name == kind) {
            let special = matches!(n.attr("type"), Some(t) if t != "normal");
            if let (Some(id), false) = (n.attr("id"), special) {
                w.notes.insert((kind, id.to_string()), n);
            }
        }
    }
    let mut blocks = Vec::new();
    w.blocks(body, &mut blocks);
    let doc = std::mem::take(&mut w.doc);
    drop(w);
    if let Some((part, got, stored)) = pkg.refused.take() {
        return Err(ImportError::TooLarge(part, got, stored));
    }
    Ok(assemble(doc, blocks, props, fallback_title))
}

fn assemble(
    doc: model::Doc,
    blocks: Vec<model::Block>,
    props: meta::Props,
    fallback_title: &str,
) -> Converted {
    let english = !has_japanese(&blocks, &doc.notes);
    let shaped = shape::shape(blocks, props.title.as_deref().unwrap_or(fallback_title));
    let fiscal_year = shaped.funders.first().map(|f| f.fiscal_year);
    let year_from_date = fiscal_year.is_none() && props.date.is_some();
    let fiscal_year = fiscal_year.or_else(|| {
        let d = props.date.as_deref()?;
        let (y, m): (i32, u32) = (d.get(..4)?.parse().ok()?, d.get(5..7)?.parse().ok()?);
        Some(if m < 4 { y - 1 } else { y })
    });
    let report = meta::ReportToml {
        title: shaped.title.clone().or(props.title.clone()),
        subtitle: shaped.subtitle.clone(),
        publisher: props.company.clone(),
        published: props.date.clone(),
        fiscal_year,
        english,
        description: props.description.clone(),
        authors: props.authors.clone(),
        vertical: doc.vertical,
        funders: shaped.funders.clone(),
    };
    let (toml, placeholders) = report.render();
    let width = shaped.chapters.len().to_string().len().max(2);
    let chapters = shaped
        .chapters
        .iter()
        .enumerate()
        .map(|(i, blocks)| {
            (
                format!("{:0width$}.md", i + 1),
                markdown::chapter(blocks, &doc.notes),
            )
        })
        .collect();
    Converted {
        toml,
        placeholders,
        chapters,
        media: doc.media,
        blocks: shaped.chapters,
        notes: doc.notes.len(),
        note_bodies: doc.notes.clone(),
        ruby: doc.ruby,
        credit_in_text: shaped.credit_in_text,
        date_from_props: props.date.is_some(),
        year_from_date,
    }
}

fn has_japanese(blocks: &[model::Block], notes: &[Vec<model::Inline>]) -> bool {
    let ja = |s: &str| {
        s.chars().any(|c| {
            matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{ff66}'..='\u{ff9f}')
        })
    };
    let mut any_text = false;
    for b in blocks {
        let text = match b {
            model::Block::Para(p) => model::Inline::plain(&p.body),
            model::Block::Table(t) => t
                .rows
                .iter()
                .flatten()
                .flatten()
                .map(|p| model::Inline::plain(&p.body))
                .collect(),
            _ => continue,
        };
        any_text |= !text.trim().is_empty();
        if ja(&text) {
            return true;
        }
    }
    !any_text || notes.iter().any(|n| ja(&model::Inline::plain(n)))
}

/// Writes into a temporary folder beside the destination, then renames it into place.
pub fn write(reports: &Path, dest: &Path, c: &Converted) -> std::io::Result<()> {
    std::fs::create_dir_all(reports)?;
    let tmp = tempfile::Builder::new()
        .prefix("_import-")
        .tempdir_in(reports)?;
    let dir = tmp.path();
    std::fs::write(dir.join("report.toml"), &c.toml)?;
    for (name, md) in &c.chapters {
        std::fs::write(dir.join(name), md)?;
    }
    if !c.media.is_empty() {
        std::fs::create_dir(dir.join("images"))?;
        for (name, bytes) in &c.media {
            std::fs::write(dir.join("images").join(name), bytes)?;
        }
    }
    if dest.exists() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            "the folder appeared while importing",
        ));
    }
    let kept: PathBuf = tmp.keep();
    std::fs::rename(&kept, dest).inspect_err(|_| {
        let _ = std::fs::remove_dir_all(&kept);
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    /// A small .docx holding most of what the reader walks, stored uncompressed so that the
    /// mutations below hit the XML itself.
    fn sample() -> Vec<(String, Vec<u8>)> {
        let w = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;
        let body = format!(
            r#"<w:document {w}><w:body><w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:r><w:t>見出し</w:t></w:r></w:p><w:p><w:r><w:ruby><w:rt><w:r><w:t>かんじ</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>漢字</w:t></w:r></w:rubyBase></w:ruby></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:ins><w:r><w:t>挿入</w:t></w:r></w:ins><w:del><w:r><w:delText>削除</w:delText></w:r></w:del><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p><w:tbl><w:tr><w:tc><w:tcPr><w:gridSpan w:val="2"/></w:tcPr><w:p><w:r><w:t>表</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc><w:tc><w:p><w:pPr><w:numPr><w:ilvl w:val="3"/><w:numId w:val="1"/></w:numPr></w:pPr><w:r><w:t>項目</w:t></w:r></w:p></w:tc></w:tr></w:tbl><w:p><w:r><w:drawing><wp:inline xmlns:wp="x"><wp:docPr id="1" descr="説明"/><a:blip xmlns:a="y" r:embed="rId9"/></wp:inline></w:drawing></w:r></w:p><w:sectPr><w:textDirection w:val="tbRl"/></w:sectPr></w:body></w:document>"#
        );
        let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
        let doc_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/a.png"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>"#;
        let notes = format!(
            r#"<w:footnotes {w}><w:footnote w:id="1"><w:p><w:r><w:footnoteReference w:id="1"/><w:t>注</w:t></w:r></w:p></w:footnote></w:footnotes>"#
        );
        vec![
            ("_rels/.rels".into(), rels.as_bytes().to_vec()),
            (
                "word/_rels/document.xml.rels".into(),
                doc_rels.as_bytes().to_vec(),
            ),
            ("word/document.xml".into(), body.into_bytes()),
            ("word/footnotes.xml".into(), notes.into_bytes()),
            ("word/media/a.png".into(), b"\x89PNG\r\n\x1a\n".to_vec()),
        ]
    }

    fn zip(files: &[(String, Vec<u8>)]) -> Vec<u8> {
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Stored);
        for (name, bytes) in files {
            z.start_file(name.as_str(), opts).unwrap();
            z.write_all(bytes).unwrap();
        }
        z.finish().unwrap().into_inner()
    }

    #[test]
    fn the_sample_reads_whole() {
        let c = super::convert(zip(&sample()), "x").unwrap_or_else(|e| panic!("{e:?}"));
        let md: String = c.chapters.iter().map(|(_, m)| m.as_str()).collect();
        for want in [
            "# 見出し",
            "{漢字|かんじ}",
            "[^1]: 注",
            "挿入",
            "表",
            "項目",
            "images/a.png",
        ] {
            assert!(md.contains(want), "{want} missing:\n{md}");
        }
        assert!(!md.contains("削除") && !md.contains("PAGE"), "{md}");
        assert!(c.toml.contains("writing_mode = \"vertical\""));
    }

    /// Damaged files (bytes cut, swapped, or markup characters dropped in) never panic.
    #[test]
    fn damaged_parts_never_panic() {
        let files = sample();
        let mut seed: u64 = 0x5eed;
        let mut next = move || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        for _ in 0..400 {
            let mut f = files.clone();
            let part = next() % f.len();
            let bytes = &mut f[part].1;
            for _ in 0..1 + next() % 4 {
                if bytes.is_empty() {
                    break;
                }
                let at = next() % bytes.len();
                match next() % 4 {
                    0 => bytes.truncate(at),
                    1 => bytes[at] = b"<>/\"=&x"[next() % 7],
                    2 => {
                        let len = (next() % 40).min(bytes.len() - at);
                        bytes.drain(at..at + len);
                    }
                    _ => bytes.insert(at, next() as u8),
                }
            }
            let _ = super::convert(zip(&f), "x");
            let mut raw = zip(&files);
            let at = next() % raw.len();
            raw[at] ^= 0xff;
            let _ = super::convert(raw, "x");
        }
    }
}
