//! EPUB 3.3 from the document tree: one XHTML file per chapter, a navigation document with
//! toc, landmarks and a page list whose numbers are the PDF's pages, accessibility metadata.
//!
//! Written with the `zip` crate rather than epub-builder: epub-builder stamps zip entries with
//! the current time (so two builds differ) and has no page list or accessibility metadata.

use std::collections::HashMap;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::diag::Diag;
use crate::doc::{Block, Chapter};
use crate::manuscript::Report;
use crate::manuscript::meta::WritingMode;
use crate::outputs::colophon::{colophon_rows, identifier};
use crate::outputs::written::{Fact, Job, Written};
use crate::outputs::xhtml::esc::{esc, esc_phrases, url_path};
use crate::outputs::xhtml::writer::{Counters, Style, Writer};
use crate::typeset::Typeset;

const CSS: &str = include_str!("epub.css");

struct Item {
    id: String,
    href: String,
    mime: &'static str,
    props: Option<&'static str>,
    spine: bool,
    bytes: Vec<u8>,
}

/// Writes `<slug>.epub` into the stage.
pub fn write(job: &Job) -> Result<Written, Diag> {
    let r = job.report;
    let bytes =
        build(r, job.typeset).map_err(|e| Diag::error(format!("EPUB: {e}")).in_file(&r.dir))?;
    let name = format!("{}.epub", r.slug);
    let mut w = Written::default();
    w.put(job.stage, &name, &bytes)?;
    w.facts.push(Fact::Epub {
        name,
        size: bytes.len() as u64,
    });
    Ok(w)
}

pub fn build(r: &Report, t: &Typeset) -> Result<Vec<u8>, String> {
    let ja = r.meta.is_japanese();
    let pages = t.doc.pages().len();
    let first_chapter_page = r
        .chapters
        .first()
        .and_then(|c| t.chapter_pages.get(&c.id))
        .copied()
        .unwrap_or(1);
    let id_files = heading_files(&r.chapters);
    let style = Style {
        epub: true,
        japanese: ja,
        img_prefix: "img/",
        assets: &r.assets,
        id_files: Some(&id_files),
        pages: Some(&t.block_pages),
        vertical: r.meta.writing_mode == WritingMode::Vertical,
    };
    let mut items = Vec::new();
    let cover = crate::outputs::images::render_rgb(&t.doc.pages()[0], 1.5);
    items.push(item(
        "cover-image",
        "cover.jpg",
        "image/jpeg",
        Some("cover-image"),
        false,
        jpeg(&cover),
    ));
    let cover_body = format!(
        "<section epub:type=\"cover\" class=\"cover\"><img src=\"cover.jpg\" alt=\"{}\"/></section>",
        esc(&r.meta.title)
    );
    items.push(page_item(
        "cover",
        "cover.xhtml",
        r,
        &r.meta.title,
        &cover_body,
        true,
    ));
    let mut markers = String::new();
    for n in 1..first_chapter_page.max(1) {
        markers.push_str(&format!("<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-{n}\" aria-label=\"{n}\"></span>"));
    }
    let title_body = format!("{markers}{}", title_page(r));
    items.push(page_item(
        "titlepage",
        "title.xhtml",
        r,
        &r.meta.title,
        &title_body,
        true,
    ));
    let mut counters = Counters {
        last_page: first_chapter_page.saturating_sub(1),
        ..Counters::default()
    };
    let mut page_files: Vec<(usize, String)> = (1..first_chapter_page)
        .map(|n| (n, "title.xhtml".into()))
        .collect();
    for ch in &r.chapters {
        let before = counters.last_page;
        let mut w = Writer::new(&style);
        w.chapter(ch, &mut counters);
        let file = format!("{}.xhtml", ch.id);
        page_files.extend((before + 1..=counters.last_page).map(|n| (n, file.clone())));
        let body = format!(
            "<section epub:type=\"chapter\" role=\"doc-chapter\" aria-label=\"{}\">\n{}</section>",
            esc(&ch.title),
            w.out
        );
        let mut page = page_item(&ch.id, &file, r, &ch.title, &body, true);
        if has_chart(&ch.blocks) {
            // Inline SVG in an XHTML content document must be declared (EPUB 3 manifest).
            page.props = Some("svg");
        }
        items.push(page);
    }
    let mut tail = String::new();
    for n in counters.last_page + 1..=pages {
        tail.push_str(&format!("<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"page-{n}\" aria-label=\"{n}\"></span>"));
        page_files.push((n, "colophon.xhtml".into()));
    }
    let colophon_title = if ja { "奥付" } else { "Colophon" };
    items.push(page_item(
        "colophon",
        "colophon.xhtml",
        r,
        colophon_title,
        &format!("{tail}{}", colophon(r)),
        true,
    ));
    let nav = nav(r, &page_files);
    items.insert(
        2,
        item(
            "nav",
            "nav.xhtml",
            "application/xhtml+xml",
            Some("nav"),
            true,
            nav.into_bytes(),
        ),
    );
    let added = super::fonts::collect(&t.doc);
    items.push(item(
        "css",
        "style.css",
        "text/css",
        None,
        false,
        format!("{CSS}{}", super::fonts::css(&added)).into_bytes(),
    ));
    for (i, f) in added.into_iter().enumerate() {
        items.push(item(
            &format!("font{}", i + 1),
            &f.href,
            f.mime,
            None,
            false,
            f.data,
        ));
    }
    for (i, a) in r.assets.values().enumerate() {
        items.push(item(
            &format!("img{}", i + 1),
            &format!("img/{}", a.web_name()),
            a.mime(),
            None,
            false,
            a.screen.clone(),
        ));
    }
    let opf = opf(r, &items, has_figures(&r.chapters), uses_ruby(&r.chapters));
    zip_epub(r, &opf, &items)
}

fn item(
    id: &str,
    href: &str,
    mime: &'static str,
    props: Option<&'static str>,
    spine: bool,
    bytes: Vec<u8>,
) -> Item {
    Item {
        id: id.into(),
        href: href.into(),
        mime,
        props,
        spine,
        bytes,
    }
}

fn page_item(id: &str, href: &str, r: &Report, title: &str, body: &str, spine: bool) -> Item {
    item(
        id,
        href,
        "application/xhtml+xml",
        None,
        spine,
        xhtml_page(r, title, body).into_bytes(),
    )
}

fn jpeg(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let _ = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(img);
    out.into_inner()
}

pub fn xhtml_page(r: &Report, title: &str, body: &str) -> String {
    let lang = esc(&r.meta.language);
    let class = if r.meta.writing_mode == WritingMode::Vertical {
        " class=\"vertical\""
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" xml:lang=\"{lang}\" lang=\"{lang}\"{class}>\n<head>\n<meta charset=\"UTF-8\"/>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"style.css\"/>\n</head>\n<body>\n{body}\n</body>\n</html>\n",
        esc(title)
    )
}

fn title_page(r: &Report) -> String {
    let m = &r.meta;
    let mut s = String::from("<section epub:type=\"titlepage\" class=\"titlepage\">\n");
    s.push_str(&format!(
        "<p class=\"year\">{}（{}）</p>\n",
        esc(&m.labels.year),
        esc(&m.labels.year_western)
    ));
    let title = if m.is_japanese() {
        esc_phrases(&m.title)
    } else {
        esc(&m.title)
    };
    s.push_str(&format!("<h1 class=\"title\">{title}</h1>\n"));
    if let Some(sub) = &m.subtitle {
        s.push_str(&format!("<p class=\"subtitle\">{}</p>\n", esc(sub)));
    }
    s.push_str(&format!("<p class=\"project\">{}</p>\n", esc(&m.project)));
    s.push_str(&format!(
        "<p class=\"publisher\">{}</p>\n",
        esc(&m.publisher)
    ));
    s.push_str(&format!(
        "<p class=\"credit\">{}</p>\n</section>",
        esc(&m.labels.credit)
    ));
    s
}

fn colophon(r: &Report) -> String {
    let title = if r.meta.is_japanese() {
        "奥付"
    } else {
        "Colophon"
    };
    let mut s = format!(
        "<section epub:type=\"colophon\" role=\"doc-colophon\" class=\"colophon\" aria-labelledby=\"colophon-h\">\n<h1 id=\"colophon-h\">{title}</h1>\n<dl>\n"
    );
    for (k, v) in colophon_rows(r) {
        s.push_str(&format!("<dt>{}</dt><dd>{}</dd>\n", esc(k), esc(&v)));
    }
    s.push_str("</dl>\n</section>");
    s
}

fn heading_files(chapters: &[Chapter]) -> HashMap<String, String> {
    let mut map = HashMap::new();
    for ch in chapters {
        for b in &ch.blocks {
            if let Block::Heading { id, .. } = b {
                map.insert(id.clone(), format!("{}.xhtml", ch.id));
            }
        }
    }
    map
}

fn nav(r: &Report, page_files: &[(usize, String)]) -> String {
    let ja = r.meta.is_japanese();
    let l = |a: &'static str, b: &'static str| if ja { a } else { b };
    let mut toc = String::new();
    for ch in &r.chapters {
        toc.push_str(&format!(
            "<li><a href=\"{}.xhtml\">{}</a>",
            ch.id,
            esc(&ch.title)
        ));
        let subs: Vec<(String, String)> = ch
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading {
                    level: 2, id, body, ..
                } => Some((id.clone(), crate::doc::plain_text(body))),
                _ => None,
            })
            .filter(|(_, t)| !t.trim().is_empty())
            .collect();
        if !subs.is_empty() {
            toc.push_str("\n<ol>\n");
            for (id, title) in subs {
                toc.push_str(&format!(
                    "<li><a href=\"{}.xhtml#{}\">{}</a></li>\n",
                    ch.id,
                    esc(&id),
                    esc(&title)
                ));
            }
            toc.push_str("</ol>\n");
        }
        toc.push_str("</li>\n");
    }
    toc.push_str(&format!(
        "<li><a href=\"colophon.xhtml\">{}</a></li>\n",
        l("奥付", "Colophon")
    ));
    let first = r
        .chapters
        .first()
        .map_or("colophon".to_string(), |c| c.id.clone());
    let mut pages = String::new();
    for (n, file) in page_files {
        pages.push_str(&format!("<li><a href=\"{file}#page-{n}\">{n}</a></li>\n"));
    }
    let body = format!(
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-h\"><h1 id=\"toc-h\">{}</h1>\n<ol>\n{toc}</ol>\n</nav>\n\
<nav epub:type=\"landmarks\" id=\"landmarks\" aria-labelledby=\"lm-h\" hidden=\"hidden\"><h2 id=\"lm-h\">{}</h2>\n<ol>\n\
<li><a epub:type=\"cover\" href=\"cover.xhtml\">{}</a></li>\n<li><a epub:type=\"titlepage\" href=\"title.xhtml\">{}</a></li>\n\
<li><a epub:type=\"toc\" href=\"nav.xhtml#toc\">{}</a></li>\n<li><a epub:type=\"bodymatter\" href=\"{first}.xhtml\">{}</a></li>\n</ol>\n</nav>\n\
<nav epub:type=\"page-list\" id=\"page-list\" aria-labelledby=\"pl-h\" hidden=\"hidden\"><h2 id=\"pl-h\">{}</h2>\n<ol>\n{pages}</ol>\n</nav>",
        l("目次", "Contents"),
        l("ランドマーク", "Landmarks"),
        l("表紙", "Cover"),
        l("扉", "Title page"),
        l("目次", "Contents"),
        l("本文", "Start of content"),
        l("ページ一覧（印刷版のページ）", "Page list (print edition)")
    );
    xhtml_page(r, l("目次", "Contents"), &body)
}

fn opf(r: &Report, items: &[Item], figures: bool, ruby: bool) -> String {
    let m = &r.meta;
    let ja = m.is_japanese();
    let mut md = String::new();
    let mut add = |s: String| {
        md.push_str("    ");
        md.push_str(&s);
        md.push('\n');
    };
    add(format!(
        "<dc:identifier id=\"uid\">{}</dc:identifier>",
        esc(&identifier(r))
    ));
    add(format!("<dc:title>{}</dc:title>", esc(&m.title)));
    add(format!("<dc:language>{}</dc:language>", esc(&m.language)));
    add(format!("<dc:date>{}</dc:date>", m.published.iso()));
    add(format!(
        "<dc:publisher>{}</dc:publisher>",
        esc(&m.publisher)
    ));
    for (i, a) in m.authors.iter().enumerate() {
        add(format!(
            "<dc:creator id=\"creator{}\">{}</dc:creator>",
            i + 1,
            esc(a)
        ));
    }
    if let Some(d) = &m.description {
        add(format!("<dc:description>{}</dc:description>", esc(d)));
    }
    if let Some(l) = &m.license {
        add(format!("<dc:rights>{}</dc:rights>", esc(l)));
    }
    for (i, f) in m.funders.iter().enumerate() {
        add(format!(
            "<dc:contributor id=\"funder{}\">{}</dc:contributor>",
            i + 1,
            esc(&f.name)
        ));
        add(format!(
            "<meta refines=\"#funder{}\" property=\"role\" scheme=\"marc:relators\">fnd</meta>",
            i + 1
        ));
    }
    add(format!(
        "<meta property=\"dcterms:description\" id=\"credit\">{}</meta>",
        esc(&m.labels.credit)
    ));
    add(format!(
        "<meta property=\"dcterms:modified\">{}T00:00:00Z</meta>",
        m.published.iso()
    ));
    add("<meta property=\"schema:accessMode\">textual</meta>".into());
    if figures {
        add("<meta property=\"schema:accessMode\">visual</meta>".into());
    }
    add("<meta property=\"schema:accessModeSufficient\">textual</meta>".into());
    let mut features = vec![
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "printPageNumbers",
        "pageNavigation",
    ];
    if figures {
        features.push("alternativeText");
    }
    if ruby {
        features.push("rubyAnnotations");
    }
    for f in features {
        add(format!(
            "<meta property=\"schema:accessibilityFeature\">{f}</meta>"
        ));
    }
    add("<meta property=\"schema:accessibilityHazard\">none</meta>".into());
    let summary = if ja {
        "この電子書籍は見出し・目次・ページ一覧（印刷版と同じページ番号）による移動ができ、図には代替テキスト、ふりがなにはルビを用いています。文字の拡大や読み上げに対応します。"
    } else {
        "This ebook has structural navigation by headings, a table of contents and a page list matching the printed edition; figures have text alternatives. Text can be resized and read aloud."
    };
    add(format!(
        "<meta property=\"schema:accessibilitySummary\">{summary}</meta>"
    ));
    add(
        "<meta property=\"dcterms:conformsTo\">EPUB Accessibility 1.1 - WCAG 2.1 Level AA</meta>"
            .into(),
    );
    add(format!(
        "<meta property=\"a11y:certifiedBy\">{}</meta>",
        esc(&m.publisher)
    ));
    add(format!(
        "<meta property=\"pageBreakSource\">{}</meta>",
        esc(&format!("{}.pdf", r.slug))
    ));
    let mut manifest = String::new();
    let mut spine = String::new();
    for it in items {
        let props = it
            .props
            .map(|p| format!(" properties=\"{p}\""))
            .unwrap_or_default();
        manifest.push_str(&format!(
            "    <item id=\"{}\" href=\"{}\" media-type=\"{}\"{props}/>\n",
            esc(&it.id),
            esc(&url_path(&it.href)),
            it.mime
        ));
        if it.spine {
            spine.push_str(&format!("    <itemref idref=\"{}\"/>\n", esc(&it.id)));
        }
    }
    let ppd = if m.writing_mode == WritingMode::Vertical {
        " page-progression-direction=\"rtl\""
    } else {
        ""
    };
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<package xmlns=\"http://www.idpf.org/2007/opf\" version=\"3.0\" unique-identifier=\"uid\" xml:lang=\"{}\" prefix=\"a11y: http://www.idpf.org/epub/vocab/package/a11y/#\">\n  <metadata xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n{md}  </metadata>\n  <manifest>\n{manifest}  </manifest>\n  <spine{ppd}>\n{spine}  </spine>\n</package>\n",
        esc(&m.language)
    )
}

fn has_figures(chapters: &[Chapter]) -> bool {
    let mut blocks_found = false;
    let mut inline_found = false;
    for ch in chapters {
        let mut blocks = ch.blocks.clone();
        crate::doc::walk_blocks_mut(
            &mut blocks,
            &mut |b| blocks_found |= matches!(b, Block::Figure { .. } | Block::Chart { .. }),
            &mut |i| inline_found |= matches!(i, crate::doc::Inline::Image { .. }),
        );
    }
    blocks_found || inline_found
}

fn has_chart(blocks: &[Block]) -> bool {
    let mut found = false;
    let mut blocks = blocks.to_vec();
    crate::doc::walk_blocks_mut(
        &mut blocks,
        &mut |b| found |= matches!(b, Block::Chart { .. }),
        &mut |_| {},
    );
    found
}

fn uses_ruby(chapters: &[Chapter]) -> bool {
    let mut found = false;
    for ch in chapters {
        let mut blocks = ch.blocks.clone();
        crate::doc::walk_blocks_mut(&mut blocks, &mut |_| {}, &mut |i| {
            found |= matches!(i, crate::doc::Inline::Ruby { .. })
        });
    }
    found
}

fn zip_epub(r: &Report, opf: &str, items: &[Item]) -> Result<Vec<u8>, String> {
    let p = r.meta.published;
    let when = DateTime::from_date_and_time(
        p.year.clamp(1980, 2107) as u16,
        p.month as u8,
        p.day as u8,
        0,
        0,
        0,
    )
    .unwrap_or_default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(when);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(when);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let e = |e: zip::result::ZipError| e.to_string();
    zip.start_file("mimetype", stored).map_err(e)?;
    zip.write_all(b"application/epub+zip")
        .map_err(|x| x.to_string())?;
    let container = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<container version=\"1.0\" xmlns=\"urn:oasis:names:tc:opendocument:xmlns:container\">\n  <rootfiles>\n    <rootfile full-path=\"OEBPS/content.opf\" media-type=\"application/oebps-package+xml\"/>\n  </rootfiles>\n</container>\n";
    zip.start_file("META-INF/container.xml", deflated)
        .map_err(e)?;
    zip.write_all(container.as_bytes())
        .map_err(|x| x.to_string())?;
    zip.start_file("OEBPS/content.opf", deflated).map_err(e)?;
    zip.write_all(opf.as_bytes()).map_err(|x| x.to_string())?;
    for it in items {
        let opts = if it.mime.starts_with("image/") {
            stored
        } else {
            deflated
        };
        zip.start_file(format!("OEBPS/{}", it.href), opts)
            .map_err(e)?;
        zip.write_all(&it.bytes).map_err(|x| x.to_string())?;
    }
    Ok(zip.finish().map_err(e)?.into_inner())
}
