//! Artifacts: from one typeset report to the files in `dist/<slug>/`.

pub mod catalog;
pub mod chart;
pub mod ctx;
pub mod epub;
pub mod epub_fonts;
pub mod images;
pub mod pagedata;
pub mod pagefont;
pub mod pdf;
pub mod pdfbox;
pub mod print;
pub mod reader;
pub mod search;
pub mod sfnt;
pub mod webfont;
pub mod xhtml;

use std::path::Path;

use crate::cli::Format;
use crate::diag::Diag;
use crate::manuscript::Report;
use crate::manuscript::meta::WritingMode;
use crate::output;
use crate::typeset::{self, Typeset};
use catalog::{Entry, FileRef};
use ctx::{Ctx, State};

/// Fingerprint of the web assets compiled into the binary (part of the cache key).
pub fn web_fingerprint() -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for s in reader::ASSETS
        .iter()
        .map(|(_, s)| s)
        .chain(catalog::ASSETS.iter().map(|(_, s)| s))
    {
        h.update(s.as_bytes());
    }
    hex::encode(h.finalize())
}

pub struct Built {
    pub entry: Entry,
    pub warnings: Vec<Diag>,
    /// (fingerprint, page) of each top-level block in document order.
    pub blocks: Vec<(u64, usize)>,
    /// Time per step, for `--verbose`.
    pub timings: Vec<(&'static str, std::time::Duration)>,
}

fn block_fingerprints(r: &Report, t: &Typeset) -> Vec<(u64, usize)> {
    use std::hash::{Hash, Hasher};
    let mut n = 0;
    let mut out = Vec::new();
    for ch in &r.chapters {
        for b in &ch.blocks {
            n += 1;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            format!("{b:?}").hash(&mut h);
            let page = t
                .block_pages
                .get(&crate::typeset::data::block_id(n))
                .copied()
                .unwrap_or(1);
            out.push((h.finish(), page));
        }
    }
    out
}

/// Typesets a report, writes every asked-for format into a staging folder and moves it into
/// `dist/<slug>/`. Returns the catalog entry and the warnings.
pub fn build_report(
    ctx: &Ctx,
    r: &Report,
    key: &str,
    step: &(dyn Fn(&str) + Sync),
) -> Result<Built, Vec<Diag>> {
    step(crate::i18n::tr("組版中", "typesetting"));
    let clock = std::time::Instant::now();
    let t = typeset::typeset(ctx.env, r)?;
    let mut timings = vec![("typeset", clock.elapsed())];
    let mut warnings = t.warnings.clone();
    warnings.extend(
        t.ua_blockers
            .iter()
            .filter(|d| !d.message.contains("no shipped font"))
            .cloned(),
    );
    if r.meta.writing_mode == WritingMode::Vertical {
        warnings.push(Diag::warning(crate::i18n::tr(
            "縦組みの指定ですが、PDF は横組みで作成しました（EPUB とリーダーは縦組み・右開き）",
            "writing_mode = \"vertical\": the PDF is set horizontally (Typst cannot set vertical text); the EPUB and the reader follow the vertical setting",
        )).in_file(r.dir.join("report.toml")));
    }
    let out = &ctx.args.out;
    let stage = output::stage_dir(out, &r.slug).map_err(|e| vec![io_err(out, e)])?;
    let formats = ctx::formats(ctx.args);
    let want = |f: Format| formats.contains(&f);
    let mut entry = catalog::entry(r, &t);
    let timed = |name: &'static str, f: &dyn Fn() -> Result<(), Diag>| {
        let clock = std::time::Instant::now();
        f().map(|_| (name, clock.elapsed()))
    };
    step(crate::i18n::tr(
        "PDF・EPUB・リーダーを作成中",
        "writing PDF, EPUB and reader",
    ));
    let binding = print_binding(ctx, r, want(Format::Print));
    let (pdf, rest) = rayon::join(
        || {
            let clock = std::time::Instant::now();
            let pdf = want(Format::Pdf).then(|| pdf::export(r, &t)).transpose();
            let main = ("pdf", clock.elapsed());
            let clock = std::time::Instant::now();
            let printed = binding
                .map(|b| print::write(ctx.env, r, &t, b, &stage))
                .transpose();
            (pdf, main, printed, ("print", clock.elapsed()))
        },
        || -> Result<Vec<(&'static str, std::time::Duration)>, Diag> {
            let mut done = vec![timed("cover", &|| images::cover(&t, &stage))?];
            if want(Format::Epub) {
                done.push(timed("epub", &|| epub::write(r, &t, &stage))?);
            }
            if want(Format::Reader) {
                let pages = ctx.live.pages.as_ref();
                done.push(timed("reader", &|| {
                    reader::write(r, &t, &stage, &formats, pages)
                })?);
            }
            Ok(done)
        },
    );
    let (pdf, pdf_time, printed, print_time) = pdf;
    if want(Format::Pdf) {
        timings.push(pdf_time);
    }
    if let Some(w) = printed.map_err(|e| vec![e])? {
        timings.push(print_time);
        warnings.extend(w);
    }
    timings.extend(rest.map_err(|e| vec![e])?);
    if let Some(pdf) = pdf.map_err(|e| vec![e])? {
        warnings.extend(pdf.warnings);
        let name = format!("{}.pdf", r.slug);
        output::put(&stage, &name, &pdf.bytes).map_err(|e| vec![io_err(&stage, e)])?;
        entry.files.pdf = Some(FileRef {
            name,
            size: pdf.bytes.len() as u64,
        });
        entry.pdf_ua = pdf.ua;
    }
    entry.files.cover = Some(images::COVER.to_string());
    if want(Format::Epub) {
        let name = format!("{}.epub", r.slug);
        let size = std::fs::metadata(stage.join(&name))
            .map(|m| m.len())
            .unwrap_or(0);
        entry.files.epub = Some(FileRef { name, size });
    }
    if want(Format::Reader) {
        entry.files.reader = Some("reader/index.html".into());
    }
    search::write(&search::collect(r, &t), &entry, &stage).map_err(|e| vec![e])?;
    catalog::write_report_page(&ctx.site_info(), r, &entry, &stage).map_err(|e| vec![e])?;
    let state = State {
        key: key.to_string(),
        entry: entry.clone(),
        inputs: r.inputs.clone(),
    };
    let json = serde_json::to_vec_pretty(&state).unwrap_or_default();
    output::put(&stage, output::STATE_FILE, &json).map_err(|e| vec![io_err(&stage, e)])?;
    output::commit_report(out, &r.slug, &stage).map_err(|e| vec![io_err(out, e)])?;
    Ok(Built {
        entry,
        warnings,
        // Only `kanko serve` compares them (to reload at the edited page); a one-shot build of
        // thousands of reports would hold them all until the catalog is written.
        blocks: if ctx.live.pages.is_some() {
            block_fingerprints(r, &t)
        } else {
            Vec::new()
        },
        timings,
    })
}

/// The print PDF is written for `--formats print` or a `[print]` table in report.toml or
/// kanko.toml (not by `kanko serve`); the report's binding wins over the site's.
fn print_binding(ctx: &Ctx, r: &Report, asked: bool) -> Option<crate::manuscript::meta::Binding> {
    let (mine, site) = (r.meta.print, ctx.site.print);
    // `kanko serve` previews the screen outputs only.
    let configured = (mine.is_some() || site.is_some()) && ctx.live.pages.is_none();
    (asked || configured).then(|| {
        mine.and_then(|p| p.binding)
            .or(site.and_then(|p| p.binding))
            .unwrap_or_default()
    })
}

pub fn io_err(path: &Path, e: std::io::Error) -> Diag {
    Diag::error(format!("cannot write: {e}")).in_file(path)
}
