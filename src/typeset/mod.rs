//! Typesetting: the document tree goes to Typst as data and comes back as laid-out pages.
//!
//! One compile per report; the PDF, the reader's page images and text, the EPUB page list and
//! the cover thumbnail all reuse the same `PagedDocument`.

pub mod data;
pub mod fonts;
pub mod world;

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use typst::diag::SourceDiagnostic;
use typst::foundations::{Label, Selector, Value};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst::{World, WorldExt};
use typst_layout::PagedDocument;

use crate::diag::Diag;
use crate::doc::Block;
use crate::manuscript::Report;
use world::{Env, ReportWorld};

pub struct Typeset {
    pub doc: PagedDocument,
    /// Block id (`b17`) → page number (from 1) where the block starts.
    pub block_pages: HashMap<String, usize>,
    /// Chapter id (`ch2`) → first page.
    pub chapter_pages: HashMap<String, usize>,
    pub warnings: Vec<Diag>,
    /// Problems that keep the PDF from claiming PDF/UA-1 (found by kanko before Typst does).
    pub ua_blockers: Vec<Diag>,
}

pub fn typeset(env: &Env, r: &Report) -> Result<Typeset, Vec<Diag>> {
    let data = data::report_json(r);
    let mut files = vec![(
        world::DATA.to_string(),
        serde_json::to_vec(&data).unwrap_or_default(),
    )];
    for (rel, a) in &r.assets {
        files.push((data::image_vpath(rel, &r.assets), a.print.clone()));
    }
    let p = r.meta.published;
    let world = ReportWorld::new(env, files, (p.year, p.month, p.day));
    let warned = typst::compile::<PagedDocument>(&world);
    let doc = warned.output.map_err(|errs| {
        errs.iter()
            .map(|e| typst_diag(&world, e, r, true))
            .collect::<Vec<_>>()
    })?;
    let mut warnings: Vec<Diag> = warned
        .warnings
        .iter()
        .filter(|w| !w.message.contains("unknown font family"))
        .map(|w| typst_diag(&world, w, r, false))
        .collect();
    let (block_pages, chapter_pages) = positions(&doc);
    let ua_blockers = ua_checks(env, r, &mut warnings);
    Ok(Typeset {
        doc,
        block_pages,
        chapter_pages,
        warnings,
        ua_blockers,
    })
}

fn typst_diag(world: &ReportWorld, d: &SourceDiagnostic, r: &Report, error: bool) -> Diag {
    let mut msg = format!("typesetting: {}", d.message);
    for h in &d.hints {
        msg.push_str(&format!(" (hint: {})", h.v));
    }
    let base = if error {
        Diag::error(msg)
    } else {
        Diag::warning(msg)
    };
    let id = d.span.id();
    match (id, world.range(d.span)) {
        (Some(id), Some(range)) => {
            let path = id.vpath().get_with_slash().to_string();
            let line = world
                .source(id)
                .ok()
                .map(|s| crate::diag::line_col(s.text(), range.start))
                .unwrap_or((0, 0));
            base.help(format!("in kanko's layout {path}:{}:{}", line.0, line.1))
                .in_file(&r.dir)
        }
        _ => base.in_file(&r.dir),
    }
}

fn positions(doc: &PagedDocument) -> (HashMap<String, usize>, HashMap<String, usize>) {
    let intro = doc.introspector();
    let find = |label: &str| {
        let mut map = HashMap::new();
        let Some(label) = Label::new(PicoStr::intern(label)) else {
            return map;
        };
        for elem in intro.query(&Selector::Label(label)) {
            let (Some(loc), Ok(Value::Str(id))) = (elem.location(), elem.get_by_name("value"))
            else {
                continue;
            };
            if let Some(page) = intro.page(loc) {
                map.entry(id.to_string()).or_insert(page.get());
            }
        }
        map
    };
    (find("kanko-block"), find("kanko-chapter"))
}

/// Finds what PDF/UA-1 refuses before Typst does, so the editor gets file:line.
fn ua_checks(env: &Env, r: &Report, warnings: &mut Vec<Diag>) -> Vec<Diag> {
    let mut blockers = Vec::new();
    let mut last_level = 0u8;
    let mut checked: HashMap<char, bool> = HashMap::new();
    for ch in &r.chapters {
        let file = r.dir.join(&ch.file);
        for b in &ch.blocks {
            if let Block::Heading { level, pos, .. } = b {
                if *level > last_level + 1 {
                    blockers.push(Diag::warning(format!(
                        "heading level {level} follows level {last_level}: a level is skipped (the PDF cannot claim PDF/UA-1)"
                    )).at(&file, pos.line, pos.col));
                }
                last_level = *level;
            }
        }
        let mut blocks = ch.blocks.clone();
        crate::doc::walk_blocks_mut(
            &mut blocks,
            &mut |b| {
                if let Block::Figure { alt, pos, .. } = b {
                    if alt.trim().is_empty() {
                        blockers.push(Diag::warning("image has no alt text (write it between the brackets: ![説明](path)); the PDF cannot claim PDF/UA-1").at(&file, pos.line, pos.col));
                    }
                }
            },
            &mut |_| {},
        );
        let mut text = String::new();
        crate::doc::collect_text(&ch.blocks, &mut text);
        for n in &ch.notes {
            crate::doc::collect_text(&n.body, &mut text);
        }
        let missing: BTreeSet<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .filter(|c| {
                !*checked
                    .entry(*c)
                    .or_insert_with(|| env.fonts.covers(*c) || is_invisible(*c))
            })
            .collect();
        if !missing.is_empty() {
            let list: String = missing
                .iter()
                .map(|c| format!("{c} (U+{:04X}) ", *c as u32))
                .collect();
            let d = Diag::warning(format!(
                "no shipped font has these characters, they may print as empty boxes: {}",
                list.trim_end()
            ))
            .in_file(&file);
            warnings.push(d.clone());
            blockers.push(d);
        }
    }
    blockers
}

fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

/// Relative path of a report file for messages.
pub fn shown(r: &Report, file: &str) -> std::path::PathBuf {
    Path::new(&r.dir).join(file)
}
