//! A small writer of WordprocessingML for the import tests: enough of a .docx (parts,
//! relationships, content types) for each feature to be written the way Word writes it.

#![allow(dead_code)]

use std::io::Write;

pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// Styles the way Japanese Word writes them: ids `a`, `1`, `2`, names in English.
pub const JA_STYLES: &str = r#"
<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="a4"><w:name w:val="caption"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="a5"><w:name w:val="Quote"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="HTML"><w:name w:val="HTML Preformatted"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="a6"><w:name w:val="List Paragraph"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="a7"><w:name w:val="TOC Heading"/><w:basedOn w:val="1"/></w:style>
<w:style w:type="paragraph" w:styleId="11"><w:name w:val="toc 1"/><w:basedOn w:val="a"/></w:style>
<w:style w:type="paragraph" w:styleId="setsu"><w:name w:val="節見出し"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
"#;

#[derive(Default)]
pub struct Docx {
    body: String,
    styles: String,
    numbering: Option<String>,
    footnotes: Vec<(u32, String)>,
    rels: Vec<(String, String, String, bool)>,
    media: Vec<(String, Vec<u8>)>,
    core: Option<String>,
    app: Option<String>,
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A plain run.
pub fn r(text: &str) -> String {
    format!(
        r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

/// A run with properties (`<w:b/>`, `<w:i/>`…).
pub fn rp(props: &str, text: &str) -> String {
    format!(
        r#"<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

/// Ruby as Word writes it (ルビ).
pub fn ruby(base: &str, rt: &str) -> String {
    format!(
        r#"<w:r><w:ruby><w:rubyPr><w:rubyAlign w:val="distributeSpace"/><w:hps w:val="10"/><w:hpsRaise w:val="18"/><w:hpsBaseText w:val="21"/><w:lid w:val="ja-JP"/></w:rubyPr><w:rt><w:r><w:t>{}</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>{}</w:t></w:r></w:rubyBase></w:ruby></w:r>"#,
        esc(rt),
        esc(base)
    )
}

/// A paragraph with a style id (None: Normal) and its inner XML.
pub fn p(style: Option<&str>, inner: &str) -> String {
    match style {
        Some(s) => format!(r#"<w:p><w:pPr><w:pStyle w:val="{s}"/></w:pPr>{inner}</w:p>"#),
        None => format!("<w:p>{inner}</w:p>"),
    }
}

/// A list item: numbering `num` at level `ilvl`.
pub fn li(num: u32, ilvl: u32, text: &str) -> String {
    format!(
        r#"<w:p><w:pPr><w:pStyle w:val="a6"/><w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>{}</w:p>"#,
        r(text)
    )
}

/// numbering.xml with numId 1 = bullets, numId 2 = decimal numbers (two levels each).
pub const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="●"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/><w:lvlText w:val="○"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimalFullWidth"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="aiueoFullWidth"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>"#;

/// A table: rows of cells, each cell `(tcPr inner XML, text)`.
pub fn table(rows: &[Vec<(&str, &str)>]) -> String {
    let mut s = String::from("<w:tbl><w:tblPr/><w:tblGrid/>");
    for row in rows {
        s.push_str("<w:tr>");
        for (pr, text) in row {
            s.push_str(&format!(
                "<w:tc><w:tcPr>{pr}</w:tcPr>{}</w:tc>",
                p(None, &r(text))
            ));
        }
        s.push_str("</w:tr>");
    }
    s.push_str("</w:tbl>");
    s
}

/// An inline picture with a description, as Word writes it.
pub fn picture(rid: &str, descr: &str) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="図 1" descr="{}"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr><pic:cNvPr id="0" name="image1.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#,
        esc(descr)
    )
}

/// A text box (DrawingML with a VML fallback, as Word writes both).
pub fn text_box(text: &str) -> String {
    format!(
        r#"<w:r><mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="wps"><w:drawing><wp:anchor xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="2" name="テキスト ボックス 2"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:txbx><w:txbxContent>{}</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml"><v:textbox><w:txbxContent>{}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>"#,
        p(None, &r(text)),
        p(None, &r(text))
    )
}

impl Docx {
    pub fn new() -> Docx {
        Docx {
            styles: JA_STYLES.to_string(),
            ..Docx::default()
        }
    }

    /// Appends body XML (paragraphs, tables).
    pub fn add(mut self, xml: &str) -> Docx {
        self.body.push_str(xml);
        self
    }

    pub fn numbering(mut self, xml: &str) -> Docx {
        self.numbering = Some(xml.to_string());
        self
    }

    pub fn footnote(mut self, id: u32, text: &str) -> Docx {
        self.footnotes.push((id, text.to_string()));
        self
    }

    pub fn image(mut self, rid: &str, name: &str, bytes: Vec<u8>) -> Docx {
        self.rels.push((
            rid.into(),
            format!("{REL}/image"),
            format!("media/{name}"),
            false,
        ));
        self.media.push((name.into(), bytes));
        self
    }

    pub fn link(mut self, rid: &str, url: &str) -> Docx {
        self.rels
            .push((rid.into(), format!("{REL}/hyperlink"), url.into(), true));
        self
    }

    pub fn core(mut self, title: &str, creator: &str, modified: &str) -> Docx {
        self.core = Some(format!(
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dcterms:modified xsi:type="dcterms:W3CDTF">{modified}</dcterms:modified></cp:coreProperties>"#,
            esc(title),
            esc(creator)
        ));
        self
    }

    pub fn company(mut self, name: &str) -> Docx {
        self.app = Some(format!(
            r#"<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Company>{}</Company></Properties>"#,
            esc(name)
        ));
        self
    }

    /// The .docx file. The main part is deliberately not at `word/document.xml`, so the
    /// reader must follow the relationships.
    pub fn bytes(&self) -> Vec<u8> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut ct = String::from(
            r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/main.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>"#,
        );
        let mut root_rels = format!(
            r#"<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/main.xml"/>"#
        );
        if let Some(c) = &self.core {
            root_rels.push_str(r#"<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>"#);
            files.push(("docProps/core.xml".into(), c.clone().into_bytes()));
        }
        if let Some(a) = &self.app {
            root_rels.push_str(&format!(r#"<Relationship Id="rId3" Type="{REL}/extended-properties" Target="docProps/app.xml"/>"#));
            files.push(("docProps/app.xml".into(), a.clone().into_bytes()));
        }
        files.push(("_rels/.rels".into(), rels_xml(&root_rels).into_bytes()));
        let mut doc_rels =
            format!(r#"<Relationship Id="rIdS" Type="{REL}/styles" Target="styles-ja.xml"/>"#);
        files.push((
            "word/styles-ja.xml".into(),
            format!(r#"<w:styles xmlns:w="{W}">{}</w:styles>"#, self.styles).into_bytes(),
        ));
        if let Some(n) = &self.numbering {
            doc_rels.push_str(&format!(
                r#"<Relationship Id="rIdN" Type="{REL}/numbering" Target="numbering.xml"/>"#
            ));
            files.push(("word/numbering.xml".into(), n.clone().into_bytes()));
        }
        if !self.footnotes.is_empty() {
            doc_rels.push_str(&format!(
                r#"<Relationship Id="rIdF" Type="{REL}/footnotes" Target="footnotes.xml"/>"#
            ));
            let mut f = format!(
                r#"<w:footnotes xmlns:w="{W}"><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>"#
            );
            for (id, text) in &self.footnotes {
                f.push_str(&format!(
                    r#"<w:footnote w:id="{id}"><w:p><w:r><w:footnoteRef/></w:r>{}</w:p></w:footnote>"#,
                    r(&format!(" {text}"))
                ));
            }
            f.push_str("</w:footnotes>");
            files.push(("word/footnotes.xml".into(), f.into_bytes()));
        }
        for (id, kind, target, external) in &self.rels {
            let mode = if *external {
                r#" TargetMode="External""#
            } else {
                ""
            };
            doc_rels.push_str(&format!(
                r#"<Relationship Id="{id}" Type="{kind}" Target="{}"{mode}/>"#,
                esc(target)
            ));
        }
        for (name, bytes) in &self.media {
            files.push((format!("word/media/{name}"), bytes.clone()));
        }
        files.push((
            "word/_rels/main.xml.rels".into(),
            rels_xml(&doc_rels).into_bytes(),
        ));
        files.push((
            "word/main.xml".into(),
            format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{W}" xmlns:r="{R}"><w:body>{}</w:body></w:document>"#,
                self.body
            )
            .into_bytes(),
        ));
        ct.push_str("</Types>");
        files.insert(0, ("[Content_Types].xml".into(), ct.into_bytes()));
        zip_files(&files)
    }
}

fn rels_xml(inner: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{inner}</Relationships>"#
    )
}

pub fn zip_files(files: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    for (name, bytes) in files {
        z.start_file(name.as_str(), opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap().into_inner()
}
