//! WordprocessingML body → blocks. Revisions are taken as accepted, fields keep their shown
//! result (a table of contents is dropped: kanko makes its own), content controls and smart
//! tags are unwrapped, text in text boxes becomes paragraphs after the one holding the box.

use std::collections::HashMap;

use super::model::{Approx, Block, Doc, Fmt, Image, Inline, Kind, Para, Table};
use super::numbering::{ListKind, Numbering};
use super::package::{Package, Rels};
use super::styles::{Role, Styles, num_pr};
use super::xml::{El, is_on};

/// Columns beyond this in one row are not a table anyone reads; spans are capped to it.
const MAX_COLUMNS: usize = 64;

struct Field {
    instr: String,
    result: bool,
}

pub struct Walker<'a> {
    pub styles: &'a Styles,
    pub numbering: &'a Numbering,
    pub pkg: &'a mut Package,
    pub rels: Rels,
    /// (`footnote`|`endnote`, id) → the note's element.
    pub notes: HashMap<(&'static str, String), &'a El>,
    pub note_rels: HashMap<&'static str, Rels>,
    pub doc: Doc,
    fields: Vec<Field>,
    in_note: bool,
    /// Part name → file name under `images/`, so an image used twice is copied once.
    media: HashMap<String, Option<String>>,
}

impl<'a> Walker<'a> {
    pub fn new(
        styles: &'a Styles,
        numbering: &'a Numbering,
        pkg: &'a mut Package,
        rels: Rels,
    ) -> Self {
        Walker {
            styles,
            numbering,
            pkg,
            rels,
            notes: HashMap::new(),
            note_rels: HashMap::new(),
            doc: Doc::default(),
            fields: Vec::new(),
            in_note: false,
            media: HashMap::new(),
        }
    }

    /// Reads `w:body` (or any block container: a cell, a text box) into `out`.
    pub fn blocks(&mut self, parent: &El, out: &mut Vec<Block>) {
        for e in parent.elements() {
            match e.name.as_str() {
                "p" => self.paragraph(e, out),
                "tbl" => self.table(e, out),
                "sdt" => {
                    if !is_toc_sdt(e)
                        && let Some(c) = e.child("sdtContent")
                    {
                        self.blocks(c, out);
                    }
                }
                "customXml" | "ins" | "moveTo" | "sdtContent" => self.blocks(e, out),
                "AlternateContent" => {
                    if let Some(c) = e.child("Choice") {
                        self.blocks(c, out);
                    }
                }
                "sectPr" => self.section(e),
                _ => {}
            }
        }
    }

    fn section(&mut self, sect: &El) {
        if matches!(
            sect.child_val("textDirection"),
            Some("tbRl" | "tbRlV" | "rl" | "rlV")
        ) {
            self.doc.vertical = true;
        }
    }

    fn paragraph(&mut self, p: &El, out: &mut Vec<Block>) {
        let ppr = p.child("pPr");
        let style = ppr.and_then(|x| x.child_val("pStyle"));
        let outline = ppr
            .and_then(|x| x.child_val("outlineLvl"))
            .and_then(|v| v.parse().ok());
        if let Some(s) = ppr.and_then(|x| x.child("sectPr")) {
            self.section(s);
        }
        let mut body = Vec::new();
        let mut extra = Vec::new();
        self.inlines(p, &mut body, &mut extra);
        let role = self.styles.role(style, outline);
        let num = ppr
            .and_then(|x| x.child("numPr"))
            .and_then(num_pr)
            .or_else(|| self.styles.numbering(style));
        let kind = match role {
            Role::Toc => {
                out.extend(extra);
                return;
            }
            Role::Heading(l) => Kind::Heading(l),
            Role::Title => Kind::Title,
            Role::Subtitle => Kind::Subtitle,
            Role::Quote => Kind::Quote,
            Role::Code => Kind::Code,
            Role::Caption => Kind::Caption,
            Role::Normal => match num.and_then(|(id, l)| Some((self.numbering.kind(&id, l)?, l))) {
                Some((k, level)) => Kind::Item {
                    level: level.min(8),
                    ordered: k == ListKind::Ordered,
                },
                None => Kind::Normal,
            },
        };
        let has_text = body.iter().any(|i| match i {
            Inline::Text(t, _) => !t.trim().is_empty(),
            Inline::Break => false,
            _ => true,
        });
        if has_text || kind == Kind::Code {
            out.push(Block::Para(Para { kind, body }));
        }
        out.extend(extra);
    }

    fn visible(&self) -> bool {
        self.fields.iter().all(|f| f.result && !is_toc(&f.instr))
    }

    fn inlines(&mut self, el: &El, out: &mut Vec<Inline>, extra: &mut Vec<Block>) {
        for e in el.elements() {
            match e.name.as_str() {
                "r" => self.run(e, out, extra),
                "hyperlink" => {
                    let mut body = Vec::new();
                    self.inlines(e, &mut body, extra);
                    let url = e
                        .rel_attr("id")
                        .and_then(|id| self.rels.get(id))
                        .filter(|r| r.external)
                        .map(|r| r.target.clone())
                        .filter(|u| is_web_link(u));
                    match url {
                        Some(url) if !body.is_empty() => out.push(Inline::Link { url, body }),
                        _ => out.extend(body),
                    }
                }
                "ins" | "moveTo" | "smartTag" | "customXml" | "dir" | "bdo" | "sdtContent" => {
                    self.inlines(e, out, extra)
                }
                "sdt" => {
                    if let Some(c) = e.child("sdtContent") {
                        self.inlines(c, out, extra);
                    }
                }
                "fldSimple" if !is_toc(e.attr("instr").unwrap_or("")) => {
                    self.inlines(e, out, extra)
                }
                "AlternateContent" => {
                    if let Some(c) = e.child("Choice") {
                        self.inlines(c, out, extra);
                    }
                }
                "oMath" | "oMathPara" if self.visible() => {
                    push_text(out, &e.run_text(), Fmt::default())
                }
                "ruby" if self.visible() => self.ruby(e, out),
                _ => {}
            }
        }
    }

    fn run(&mut self, r: &El, out: &mut Vec<Inline>, extra: &mut Vec<Block>) {
        let rpr = r.child("rPr");
        let on = |name: &str| rpr.and_then(|x| is_on(x.child(name)));
        if on("vanish") == Some(true) {
            return;
        }
        let cf = self
            .styles
            .char_format(rpr.and_then(|x| x.child_val("rStyle")));
        let kenten = rpr
            .and_then(|x| x.child_val("em"))
            .is_some_and(|v| v != "none");
        let fmt = Fmt {
            bold: kenten || on("b").or(cf.bold).unwrap_or(false),
            italic: on("i").or(cf.italic).unwrap_or(false),
            strike: on("strike") == Some(true) || on("dstrike") == Some(true),
        };
        if kenten && self.visible() && !r.run_text().trim().is_empty() {
            extra.push(Block::Mark(Approx::Kenten));
        }
        self.run_content(r, fmt, out, extra);
    }

    fn run_content(&mut self, r: &El, fmt: Fmt, out: &mut Vec<Inline>, extra: &mut Vec<Block>) {
        for c in r.elements() {
            let shown = self.visible();
            match c.name.as_str() {
                "t" if shown => push_text(out, &c.text(), fmt),
                "tab" | "ptab" if shown => push_text(out, " ", fmt),
                "noBreakHyphen" if shown => push_text(out, "-", fmt),
                "br" if shown && !matches!(c.attr("type"), Some("page" | "column")) => {
                    out.push(Inline::Break)
                }
                "cr" if shown => out.push(Inline::Break),
                "fldChar" => match c.attr("fldCharType") {
                    Some("begin") => self.fields.push(Field {
                        instr: String::new(),
                        result: false,
                    }),
                    Some("separate") => {
                        if let Some(f) = self.fields.last_mut() {
                            f.result = true;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "instrText" => {
                    if let Some(f) = self.fields.last_mut()
                        && f.instr.len() < 4096
                    {
                        f.instr.push_str(&c.text());
                    }
                }
                "footnoteReference" if shown => self.note("footnote", c, out),
                "endnoteReference" if shown => self.note("endnote", c, out),
                "drawing" | "pict" | "object" if shown => {
                    let mut alt = String::new();
                    self.graphic(c, &mut alt, extra);
                }
                "AlternateContent" => {
                    if let Some(choice) = c.child("Choice") {
                        self.run_content(choice, fmt, out, extra);
                    }
                }
                "ruby" if shown => self.ruby(c, out),
                _ => {}
            }
        }
    }

    fn ruby(&mut self, e: &El, out: &mut Vec<Inline>) {
        let base = e.child("rubyBase").map(El::run_text).unwrap_or_default();
        let rt = e.child("rt").map(El::run_text).unwrap_or_default();
        let (base, rt) = (clean(&base), clean(&rt));
        if base.trim().is_empty() {
            return;
        }
        if rt.trim().is_empty() || base.contains(['{', '}', '|']) || rt.contains(['{', '}', '|']) {
            push_text(out, &base, Fmt::default());
            return;
        }
        self.doc.ruby += 1;
        out.push(Inline::Ruby {
            base: base.trim().to_string(),
            rt: rt.trim().to_string(),
        });
    }

    fn note(&mut self, kind: &'static str, r: &El, out: &mut Vec<Inline>) {
        if self.in_note {
            return;
        }
        let Some(id) = r.attr("id") else { return };
        let Some(el) = self.notes.get(&(kind, id.to_string())).copied() else {
            return;
        };
        self.in_note = true;
        let saved_rels = self
            .note_rels
            .get(kind)
            .cloned()
            .map(|r| std::mem::replace(&mut self.rels, r));
        let saved_fields = std::mem::take(&mut self.fields);
        let mut blocks = Vec::new();
        self.blocks(el, &mut blocks);
        self.fields = saved_fields;
        if let Some(r) = saved_rels {
            self.rels = r;
        }
        self.in_note = false;
        let mut body: Vec<Inline> = Vec::new();
        for b in blocks {
            if let Block::Para(p) = b {
                if !body.is_empty() {
                    push_text(&mut body, " ", Fmt::default());
                }
                body.extend(p.body.into_iter().map(|i| match i {
                    Inline::Break => Inline::Text(" ".into(), Fmt::default()),
                    other => other,
                }));
            }
        }
        if Inline::plain(&body).trim().is_empty() {
            return;
        }
        self.doc.notes.push(body);
        out.push(Inline::Note(self.doc.notes.len() - 1));
    }

    /// Pictures, text boxes and charts inside a `w:drawing` / `w:pict` / `w:object`.
    fn graphic(&mut self, el: &El, alt: &mut String, extra: &mut Vec<Block>) {
        for c in el.elements() {
            match c.name.as_str() {
                "docPr" | "cNvPr" => {
                    let a = [c.attr("descr"), c.attr("title")]
                        .into_iter()
                        .flatten()
                        .map(clean)
                        .find(|s| !s.trim().is_empty());
                    if let Some(a) = a {
                        *alt = a;
                    }
                }
                "blip" => match (c.rel_attr("embed"), c.rel_attr("link")) {
                    (Some(id), _) => self.image(id, alt, extra),
                    (None, Some(id)) => {
                        let url = self
                            .rels
                            .get(id)
                            .map_or(id.to_string(), |r| r.target.clone());
                        extra.push(Block::Mark(Approx::LinkedImage(url)));
                    }
                    _ => {}
                },
                "imagedata" => {
                    if let Some(id) = c.rel_attr("id").or_else(|| c.rel_attr("relid")) {
                        let mut a = alt.clone();
                        if a.is_empty() {
                            a = c.attr("title").map(clean).unwrap_or_default();
                        }
                        self.image(id, &a, extra);
                    }
                }
                "txbxContent" => {
                    let mut b = Vec::new();
                    let saved = std::mem::take(&mut self.fields);
                    self.blocks(c, &mut b);
                    self.fields = saved;
                    if !b.is_empty() {
                        extra.push(Block::Mark(Approx::TextBox));
                        extra.extend(b);
                    }
                }
                "chart" => extra.push(Block::Mark(Approx::Chart)),
                "Fallback" => {}
                "AlternateContent" => {
                    if let Some(choice) = c.child("Choice") {
                        self.graphic(choice, alt, extra);
                    }
                }
                _ => self.graphic(c, alt, extra),
            }
        }
    }

    fn image(&mut self, id: &str, alt: &str, extra: &mut Vec<Block>) {
        let Some(rel) = self.rels.get(id).cloned() else {
            extra.push(Block::Mark(Approx::MissingImage(id.to_string())));
            return;
        };
        if rel.external {
            extra.push(Block::Mark(Approx::LinkedImage(rel.target)));
            return;
        }
        let file = match self.media.get(&rel.target) {
            Some(f) => f.clone(),
            None => {
                let f = self.copy_media(&rel.target, extra);
                self.media.insert(rel.target.clone(), f.clone());
                f
            }
        };
        let Some(file) = file else { return };
        if self.in_note {
            extra.push(Block::Mark(Approx::MovedImage));
        }
        extra.push(Block::Figure(Image {
            file: Some(file),
            alt: alt.to_string(),
            caption: None,
        }));
    }

    /// Copies a media part into the report's `images/`; None when kanko cannot show it.
    fn copy_media(&mut self, target: &str, extra: &mut Vec<Block>) -> Option<String> {
        let Some(bytes) = self.pkg.read(target) else {
            extra.push(Block::Mark(Approx::MissingImage(target.to_string())));
            return None;
        };
        let (ext, shown) = image_kind(&bytes);
        let stem = target
            .rsplit('/')
            .next()
            .unwrap_or("image")
            .rsplit_once('.')
            .map_or(target, |(s, _)| s);
        let stem: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let stem = if stem.trim_matches('-').is_empty() {
            "image".to_string()
        } else {
            stem
        };
        let name = self.free_name(&stem, ext);
        if matches!(ext, "emf" | "wmf") {
            return self.metafile(name, &stem, bytes, extra);
        }
        self.doc.media.push((name.clone(), bytes));
        if shown {
            Some(name)
        } else {
            extra.push(Block::Mark(Approx::UnsupportedImage(name)));
            None
        }
    }

    /// `stem.ext`, or `stem-2.ext`… when an earlier image took the name.
    fn free_name(&self, stem: &str, ext: &str) -> String {
        let mut name = format!("{stem}.{ext}");
        let mut n = 2;
        while self
            .doc
            .media
            .iter()
            .any(|(m, _)| m.eq_ignore_ascii_case(&name))
        {
            name = format!("{stem}-{n}.{ext}");
            n += 1;
        }
        name
    }

    /// An EMF / WMF picture: converted to SVG; the original is kept beside it when the SVG
    /// leaves something out (named in the summary) or cannot be made.
    fn metafile(
        &mut self,
        name: String,
        stem: &str,
        bytes: Vec<u8>,
        extra: &mut Vec<Block>,
    ) -> Option<String> {
        match super::metafile::to_svg(&bytes) {
            Ok(c) => {
                let svg = self.free_name(stem, "svg");
                self.doc.media.push((svg.clone(), c.svg));
                if !c.missing.is_empty() {
                    self.doc.media.push((name.clone(), bytes));
                    extra.push(Block::Mark(Approx::Metafile {
                        svg: svg.clone(),
                        original: name,
                        missing: c.missing,
                    }));
                }
                Some(svg)
            }
            Err(why) => {
                self.doc.media.push((name.clone(), bytes));
                extra.push(Block::Mark(Approx::UnreadableMetafile(name, why)));
                None
            }
        }
    }

    fn table(&mut self, tbl: &El, out: &mut Vec<Block>) {
        let mut rows: Vec<Vec<Vec<Para>>> = Vec::new();
        let mut header: Option<usize> = None;
        let (mut merged, mut complex) = (false, false);
        let mut after = Vec::new();
        for tr in unwrap(tbl, "tr") {
            let trpr = tr.child("trPr");
            if trpr.and_then(|x| x.child("del")).is_some() {
                continue;
            }
            if header.is_none() && trpr.and_then(|x| is_on(x.child("tblHeader"))) == Some(true) {
                header = Some(rows.len());
            }
            let mut cells = Vec::new();
            for tc in unwrap(tr, "tc") {
                let tcpr = tc.child("tcPr");
                let span: usize = tcpr
                    .and_then(|x| x.child_val("gridSpan"))
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(1)
                    .clamp(1, MAX_COLUMNS);
                if span > 1
                    || tcpr.and_then(|x| x.child("vMerge")).is_some()
                    || tcpr.and_then(|x| x.child("hMerge")).is_some()
                {
                    merged = true;
                }
                let mut blocks = Vec::new();
                self.blocks(tc, &mut blocks);
                cells.push(cell_paras(blocks, &mut complex, &mut after));
                for _ in 1..span {
                    cells.push(Vec::new());
                }
            }
            cells.truncate(MAX_COLUMNS);
            rows.push(cells);
        }
        if let Some(h) = header.filter(|h| *h > 0) {
            let row = rows.remove(h);
            rows.insert(0, row);
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        let empty = rows
            .iter()
            .flatten()
            .flatten()
            .all(|p| Inline::plain(&p.body).trim().is_empty());
        if width == 0 || empty {
            out.extend(after);
            return;
        }
        for r in &mut rows {
            r.resize_with(width, Vec::new);
        }
        out.push(Block::Table(Table { rows, complex }));
        if merged {
            out.push(Block::Mark(Approx::MergedCells));
        }
        if complex {
            out.push(Block::Mark(Approx::ComplexTable));
        }
        out.extend(after);
    }
}

/// A cell's blocks as paragraphs; lists and tables inside make the table complex, pictures
/// move after the table.
fn cell_paras(blocks: Vec<Block>, complex: &mut bool, after: &mut Vec<Block>) -> Vec<Para> {
    let mut paras = Vec::new();
    for b in blocks {
        match b {
            Block::Para(p) => {
                if matches!(p.kind, Kind::Item { .. } | Kind::Code) {
                    *complex = true;
                }
                paras.push(p);
            }
            Block::Table(t) => {
                *complex = true;
                for cell in t.rows.into_iter().flatten() {
                    paras.extend(cell);
                }
            }
            Block::Figure(_) => {
                after.push(Block::Mark(Approx::MovedImage));
                after.push(b);
            }
            Block::Mark(_) => after.push(b),
        }
    }
    paras
}

/// Children named `name`, looking through content controls and inserted revisions.
fn unwrap<'e>(el: &'e El, name: &str) -> Vec<&'e El> {
    let mut out = Vec::new();
    for e in el.elements() {
        match e.name.as_str() {
            n if n == name => out.push(e),
            "sdt" => {
                if let Some(c) = e.child("sdtContent") {
                    out.extend(unwrap(c, name));
                }
            }
            "customXml" | "ins" | "moveTo" => out.extend(unwrap(e, name)),
            _ => {}
        }
    }
    out
}

fn is_toc(instr: &str) -> bool {
    instr.trim_start().starts_with("TOC")
}

fn is_toc_sdt(e: &El) -> bool {
    e.child("sdtPr")
        .and_then(|p| p.find("docPartGallery"))
        .and_then(|g| g.attr("val"))
        .is_some_and(|v| v.contains("Table of Contents"))
}

fn is_web_link(u: &str) -> bool {
    let l = u.to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://") || l.starts_with("mailto:")
}

/// Control characters out; line ends and tabs as spaces.
fn clean(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

fn push_text(out: &mut Vec<Inline>, s: &str, fmt: Fmt) {
    let s = clean(s);
    if s.is_empty() {
        return;
    }
    if let Some(Inline::Text(t, f)) = out.last_mut()
        && *f == fmt
    {
        t.push_str(&s);
        return;
    }
    out.push(Inline::Text(s, fmt));
}

/// The extension to write and whether kanko can show it (PNG, JPEG, SVG).
fn image_kind(b: &[u8]) -> (&'static str, bool) {
    let head = String::from_utf8_lossy(&b[..b.len().min(512)]).to_ascii_lowercase();
    if b.starts_with(b"\x89PNG") {
        ("png", true)
    } else if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        ("jpg", true)
    } else if head.contains("<svg") {
        ("svg", true)
    } else if b.starts_with(b"GIF8") {
        ("gif", false)
    } else if b.starts_with(b"BM") {
        ("bmp", false)
    } else if b.starts_with(b"II*\0") || b.starts_with(b"MM\0*") {
        ("tif", false)
    } else if b.get(40..44) == Some(b" EMF") {
        ("emf", false)
    } else if b.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A]) {
        ("wmf", false)
    } else {
        ("bin", false)
    }
}
