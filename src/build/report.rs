//! One report, start to finish: unchanged → keep; else load, typeset, run every asked-for writer
//! (PDF and print beside cover, EPUB and reader), fold what they wrote into the catalog entry,
//! write the report's site files and its record, and move the folder into `dist/<slug>/`.

use std::path::Path;
use std::time::{Duration, Instant};

use super::cache;
use crate::config::{BuildConfig, Format};
use crate::diag::{Diag, Io};
use crate::i18n::tr;
use crate::manuscript::meta::{Binding, Site, WritingMode};
use crate::manuscript::{self, Report};
use crate::outcome::{Live, Outcome, Status};
use crate::output;
use crate::outputs::site::entry::{self, Entry, FileRef, SiteInfo};
use crate::outputs::written::{Fact, Job, Written};
use crate::outputs::{cover, epub, pdf, reader, site};
use crate::record::{self, Record};
use crate::typeset::world::Env;
use crate::typeset::{self, Typeset};

/// What the reports of one run share.
pub struct Run<'a> {
    pub env: &'a Env,
    pub cfg: &'a BuildConfig,
    pub live: &'a Live,
}

impl Run<'_> {
    /// What the site writers need from the run.
    pub fn site_info(&self) -> SiteInfo {
        SiteInfo {
            site: self.cfg.site.site.clone(),
            base_url: self.cfg.base_url.clone(),
        }
    }
}

/// Builds one report folder; `step` is told which step it is at (for the progress line).
pub fn build_one(run: &Run, dir: &Path, step: &(dyn Fn(&str) + Sync)) -> Outcome {
    let started = Instant::now();
    let slug = dir.file_name().map(|n| n.to_string_lossy().into_owned());
    let last = slug.as_deref().and_then(|s| record::read(&run.cfg.out, s));
    if cache::unchanged(run.cfg, dir, last.as_ref()) {
        let entry = last.map(|r| r.entry);
        return Outcome {
            slug: slug.unwrap_or_default(),
            status: Status::Cached,
            entry: entry.map(Box::new),
            diags: Vec::new(),
            elapsed: started.elapsed(),
            blocks: Vec::new(),
            timings: Vec::new(),
        };
    }
    let mut loaded = manuscript::load(dir);
    if let Some(r) = loaded.report.as_mut() {
        manuscript::identity::apply_cover(&run.cfg.site.site, r);
    }
    let mut diags = loaded.diags;
    let mut blocks = Vec::new();
    let mut timings = Vec::new();
    let (status, entry) = match loaded.report {
        None => (Status::Failed, None),
        Some(report) => {
            let key = cache::key(run.cfg, &report.input_hash);
            match last.filter(|l| l.key == key && !run.cfg.force) {
                Some(last) => {
                    diags.retain(|d| d.is_error());
                    (Status::Cached, Some(Box::new(last.entry)))
                }
                None => match build_report(run, &report, &key, step) {
                    Ok(built) => {
                        diags.extend(built.warnings);
                        blocks = built.blocks;
                        timings = built.timings;
                        let pages = built.entry.pages;
                        (Status::Built { pages }, Some(Box::new(built.entry)))
                    }
                    Err(errs) => {
                        diags.extend(errs);
                        (Status::Failed, None)
                    }
                },
            }
        }
    };
    if run.live.pages.is_none() {
        // One-shot builds free Typst's memo cache per report (peak memory ~3× lower);
        // `kanko serve` keeps it so a re-typeset only redoes what changed.
        comemo::evict(2);
        release_free_memory();
    }
    Outcome {
        slug: loaded.slug,
        status,
        entry,
        diags,
        elapsed: started.elapsed(),
        blocks,
        timings,
    }
}

/// Hands the pages a report's build (or check) freed back to the system. glibc keeps freed memory
/// in its per-thread arenas, and after a report most of a worker's memory is free.
pub fn release_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        unsafe extern "C" {
            fn malloc_trim(pad: usize) -> std::os::raw::c_int;
        }
        // SAFETY: malloc_trim only returns free heap pages to the kernel; it takes no pointers.
        unsafe {
            malloc_trim(0);
        }
    }
}

struct Built {
    entry: Entry,
    warnings: Vec<Diag>,
    /// (fingerprint, page) of each top-level block in document order.
    blocks: Vec<(u64, usize)>,
    /// Time per step, for `--verbose`.
    timings: Vec<(&'static str, Duration)>,
}

type Timed = Result<(Written, (&'static str, Duration)), Diag>;

fn timed(name: &'static str, f: impl FnOnce() -> Result<Written, Diag>) -> Timed {
    let clock = Instant::now();
    f().map(|w| (w, (name, clock.elapsed())))
}

/// Typesets a report, writes every asked-for format into a staging folder and moves it into
/// `dist/<slug>/`.
fn build_report(
    run: &Run,
    r: &Report,
    key: &str,
    step: &(dyn Fn(&str) + Sync),
) -> Result<Built, Vec<Diag>> {
    step(tr("組版中", "typesetting"));
    let clock = Instant::now();
    let t = typeset::typeset(run.env, r)?;
    let mut timings = vec![("typeset", clock.elapsed())];
    let mut warnings = typeset_warnings(r, &t);
    let out = &run.cfg.out;
    let stage = output::stage_dir(out, &r.slug).map_err(|e| vec![Diag::io(Io::Create, out, e)])?;
    let formats = &run.cfg.formats;
    let want = |f: Format| formats.contains(&f);
    let info = run.site_info();
    let job = Job {
        env: run.env,
        report: r,
        typeset: &t,
        stage: &stage,
        formats,
        print: print_binding(&run.cfg.site.site, r, want(Format::Print), run.live),
        pages: run.live.pages.as_ref(),
        reference: run.cfg.page_reference.as_deref(),
        site: &info,
    };
    step(tr(
        "PDF・EPUB・リーダーを作成中",
        "writing PDF, EPUB and reader",
    ));
    let (written, times) = write_formats(&job).map_err(|e| vec![e])?;
    timings.extend(times);
    let mut entry = entry::entry(r, &t);
    for w in written {
        fold(&mut entry, &w.facts);
        warnings.extend(w.warnings);
    }
    site::search::report::write(&site::search::report::collect(r, &t), &entry, &stage)
        .map_err(|e| vec![e])?;
    site::catalog::write_report_page(&info, r, &entry, &stage).map_err(|e| vec![e])?;
    let record = Record {
        key: key.to_string(),
        entry: entry.clone(),
        inputs: r.inputs.clone(),
    };
    output::put(&stage, record::FILE, &record.to_json())
        .map_err(|e| vec![Diag::io(Io::Write, &stage, e)])?;
    output::commit_report(out, &r.slug, &stage).map_err(|e| vec![Diag::io(Io::Write, out, e)])?;
    Ok(Built {
        entry,
        warnings,
        // Only `kanko serve` compares them (to reload at the edited page); a one-shot build of
        // thousands of reports would hold them all until the catalog is written.
        blocks: if run.live.pages.is_some() {
            block_fingerprints(r, &t)
        } else {
            Vec::new()
        },
        timings,
    })
}

/// Runs every asked-for writer: the PDFs on one side, the rest on the other, so the two longest
/// run side by side. Returns what each wrote (the print PDF first, then cover, EPUB, reader, then
/// the screen PDF: the order their warnings have always been shown in) and the time of each.
fn write_formats(job: &Job) -> Result<(Vec<Written>, Vec<(&'static str, Duration)>), Diag> {
    let want = |f: Format| job.formats.contains(&f);
    let (pdfs, rest) = rayon::join(
        || {
            let screen = want(Format::Pdf).then(|| timed("pdf", || pdf::screen::write(job)));
            let print = job.print.map(|_| timed("print", || pdf::print::write(job)));
            (screen, print)
        },
        || -> Result<Vec<(Written, (&'static str, Duration))>, Diag> {
            let mut done = vec![timed("cover", || cover::cover(job))?];
            if want(Format::Epub) {
                done.push(timed("epub", || epub::package::write(job))?);
            }
            if want(Format::Reader) {
                done.push(timed("reader", || reader::write::write(job))?);
            }
            Ok(done)
        },
    );
    let (screen, print) = pdfs;
    let (print, rest, screen) = (print.transpose()?, rest?, screen.transpose()?);
    let mut timings = Vec::new();
    let mut written = Vec::new();
    if let Some((_, time)) = &screen {
        timings.push(*time);
    }
    for (w, time) in print.into_iter().chain(rest) {
        timings.push(time);
        written.push(w);
    }
    written.extend(screen.map(|(w, _)| w));
    Ok((written, timings))
}

/// Typst's warnings, the PDF/UA blockers worth telling, and what vertical text means for the PDF.
fn typeset_warnings(r: &Report, t: &Typeset) -> Vec<Diag> {
    let mut warnings = t.warnings.clone();
    warnings.extend(
        t.ua_blockers
            .iter()
            .filter(|d| !d.message.contains("no shipped font"))
            .cloned(),
    );
    if r.meta.writing_mode == WritingMode::Vertical {
        warnings.push(Diag::warning(tr(
            "縦組みの指定ですが、PDF は横組みで作成しました（EPUB とリーダーは縦組み・右開き）",
            "writing_mode = \"vertical\": the PDF is set horizontally (Typst cannot set vertical text); the EPUB and the reader follow the vertical setting",
        )).in_file(r.dir.join("report.toml")));
    }
    warnings
}

/// What the writers found out goes into the catalog entry.
fn fold(entry: &mut Entry, facts: &[Fact]) {
    for fact in facts {
        match fact {
            Fact::Pdf { name, size, ua } => {
                entry.files.pdf = Some(FileRef {
                    name: name.clone(),
                    size: *size,
                });
                entry.pdf_ua = *ua;
            }
            Fact::Epub { name, size } => {
                entry.files.epub = Some(FileRef {
                    name: name.clone(),
                    size: *size,
                })
            }
            Fact::Reader(start) => entry.files.reader = Some(start.clone()),
            Fact::Cover(file) => entry.files.cover = Some(file.clone()),
        }
    }
}

/// The print PDF is written for `--formats print` or a `[print]` table in report.toml or
/// kanko.toml (not by `kanko serve`); the report's binding wins over the site's.
fn print_binding(site: &Site, r: &Report, asked: bool, live: &Live) -> Option<Binding> {
    let (mine, site) = (r.meta.print, site.print);
    // `kanko serve` previews the screen outputs only.
    let configured = (mine.is_some() || site.is_some()) && live.pages.is_none();
    (asked || configured).then(|| {
        mine.and_then(|p| p.binding)
            .or(site.and_then(|p| p.binding))
            .unwrap_or_default()
    })
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
