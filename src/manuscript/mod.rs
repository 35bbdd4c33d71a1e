//! The manuscript side: a report folder becomes a `Report` (metadata + document tree + images).

pub mod assets;
mod autolink;
mod charts;
pub mod fonts;
pub mod html;
pub mod identity;
pub mod levels;
pub mod limits;
pub mod markdown;
pub mod meta;
pub mod placeholder;
pub mod ruby;
pub mod site;
pub mod text;
pub mod wareki;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::diag::Diag;
use crate::doc::{Block, Chapter, Inline};
use assets::Asset;
use meta::Meta;

/// A report, read and checked, ready for every format.
#[derive(Debug, Clone)]
pub struct Report {
    pub slug: String,
    pub dir: PathBuf,
    pub meta: Meta,
    pub chapters: Vec<Chapter>,
    /// Keyed by the path relative to the report folder (`images/chart.png`).
    pub assets: BTreeMap<String, Asset>,
    /// Hash of every input file of this report.
    pub input_hash: String,
    /// Which files `input_hash` covers, for the no-change check of the next build.
    pub inputs: Inputs,
    /// Each chapter's decoded source text (same order as `chapters`), for the house-style lint.
    pub sources: Vec<String>,
    /// HTML elements of the chapters, read as structure or left as text (`kanko check`).
    pub html: Vec<html::Seen>,
}

/// The files a report was read from, in the order they were hashed, and the chapter files the
/// folder listed when `report.toml` names none. With the same bytes in the same files (and the
/// same listing) loading gives the same report, so the next build can compare hashes instead of
/// parsing Markdown and decoding images again.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Inputs {
    pub files: Vec<String>,
    pub listing: Option<Vec<String>>,
}

/// The `input_hash` the folder's files give now, if they are still the files `inputs` names
/// (`None` when one is missing or the chapter listing changed).
pub fn input_hash_now(dir: &Path, inputs: &Inputs) -> Option<String> {
    if inputs.files.is_empty() {
        return None;
    }
    if let Some(listed) = &inputs.listing
        && *listed != md_listing(dir)
    {
        return None;
    }
    let mut hasher = Sha256::new();
    for name in &inputs.files {
        let bytes = std::fs::read(dir.join(name)).ok()?;
        hash_file(&mut hasher, name, &bytes);
    }
    Some(hex::encode(hasher.finalize()))
}

/// What loading a report folder gives: the report when it is usable, and every message.
pub struct Loaded {
    pub slug: String,
    pub report: Option<Report>,
    pub diags: Vec<Diag>,
}

/// Which folder names are report slugs: they become URLs and file names.
pub fn check_slug(name: &str) -> Result<(), String> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(crate::t!(
            "フォルダ名 `{name}` は報告書の slug に使えません。ウェブのアドレスの一部になるため、半角英数字と `-`・`_` だけ（例：`2024-chiiki-houkoku`）、64文字までにしてください",
            "folder name `{name}` cannot be a report slug: it becomes part of web addresses, so use ASCII letters, digits, `-` and `_` only (e.g. `2024-chiiki-houkoku`), at most 64 characters"
        ))
    }
}

pub fn load(dir: &Path) -> Loaded {
    let slug = dir
        .file_name()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let mut diags = Vec::new();
    let report = load_inner(dir, &slug, &mut diags);
    Loaded {
        slug,
        report,
        diags,
    }
}

fn load_inner(dir: &Path, slug: &str, diags: &mut Vec<Diag>) -> Option<Report> {
    if let Err(e) = check_slug(slug) {
        diags.push(Diag::error(e).in_file(dir));
        return None;
    }
    let mut hasher = Hashed::default();
    let toml_path = dir.join("report.toml");
    let Ok(toml_bytes) = std::fs::read(&toml_path) else {
        diags.push(
            Diag::error(crate::t!("この報告書フォルダに report.toml がありません", "no report.toml in this report folder"))
                .in_file(dir)
                .help(crate::t!("`kanko new SLUG` で説明つきのひな形を作れます。ビルドに含めないフォルダは名前を `_` で始めてください", "run `kanko new SLUG` for a commented template, or start the folder name with `_` to keep it out of the build")),
        );
        return None;
    };
    hasher.file("report.toml", &toml_bytes);
    let toml_src = match text::decode(&toml_bytes, &toml_path) {
        Ok((s, w)) => {
            diags.extend(w);
            s
        }
        Err(e) => {
            diags.push(e);
            return None;
        }
    };
    let meta = match meta::parse_report(&toml_src, &toml_path) {
        Ok(m) => m,
        Err(e) => {
            diags.extend(e);
            return None;
        }
    };
    warn_if_future(&meta, &toml_path, diags);
    diags.extend(
        meta.placeholders
            .iter()
            .map(|p| placeholder::diag(p, &toml_path, crate::diag::Severity::Warning)),
    );
    let files = chapter_files(dir, &meta, &toml_path, diags)?;
    let meta_listing = meta
        .chapters
        .is_none()
        .then(|| files.iter().map(|(rel, _)| rel.clone()).collect());
    let mut ids = markdown::ReportIds::default();
    let mut chapters = Vec::new();
    let mut sources = Vec::new();
    let mut images = Vec::new();
    let mut html = Vec::new();
    let mut total = 0;
    for (i, (rel, path)) in files.iter().enumerate() {
        let Ok(bytes) = std::fs::read(path) else {
            diags.push(Diag::error("cannot read chapter file").in_file(path));
            continue;
        };
        total += bytes.len();
        if let Some(d) = limits::chapter(bytes.len(), path) {
            diags.push(d);
            continue;
        }
        if let Some(d) = limits::report(total, &toml_path) {
            diags.push(d);
            break;
        }
        hasher.file(rel, &bytes);
        let src = match text::decode(&bytes, path) {
            Ok((s, w)) => {
                diags.extend(w);
                s
            }
            Err(e) => {
                diags.push(e);
                continue;
            }
        };
        if src.trim().is_empty() {
            diags.push(Diag::error(crate::i18n::tr("章のファイルが空です", "chapter file is empty")).at(path, 1, 1).help(
                "write at least a heading, or remove the file from the folder (or from `chapters`)",
            ));
            continue;
        }
        let mut parsed = markdown::parse_chapter(&src, rel, path, i, &mut ids);
        diags.extend(parsed.warnings);
        limits::paragraphs(&parsed.chapter.blocks, path, diags);
        let ja = meta.is_japanese();
        for (csv, bytes) in charts::resolve(&mut parsed.chapter.blocks, path, dir, ja, diags) {
            hasher.file(&csv, &bytes);
        }
        images.extend(parsed.images.into_iter().map(|r| (path.clone(), r)));
        html.extend(parsed.html);
        chapters.push(parsed.chapter);
        sources.push(src);
    }
    let assets = load_assets(dir, &meta, &images, &mut hasher, diags);
    if diags.iter().any(Diag::is_error) {
        return None;
    }
    rewrite_image_paths(&mut chapters, dir);
    resolve_links(&mut chapters, &sources, dir, diags, &ids.anchors);
    levels::make_consecutive(&mut chapters);
    Some(Report {
        slug: slug.to_string(),
        dir: dir.to_path_buf(),
        meta,
        chapters,
        assets,
        input_hash: hex::encode(hasher.sha.finalize()),
        inputs: Inputs {
            files: hasher.files,
            listing: meta_listing,
        },
        sources,
        html,
    })
}

/// A `published` date after today is allowed (reports are prepared ahead) but worth a word.
fn warn_if_future(meta: &Meta, toml_path: &Path, diags: &mut Vec<Diag>) {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    let p = meta.published;
    if days_from_civil(p.year, p.month, p.day) > days {
        diags.push(
            Diag::warning(format!(
                "`published` is {} — a date in the future; the outputs will show it as the issue date",
                p.iso()
            ))
            .in_file(toml_path),
        );
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y } as i64;
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The hash of a report's inputs, and the names it covers.
#[derive(Default)]
struct Hashed {
    sha: Sha256,
    files: Vec<String>,
}

impl Hashed {
    fn file(&mut self, name: &str, bytes: &[u8]) {
        hash_file(&mut self.sha, name, bytes);
        self.files.push(name.to_string());
    }
}

fn hash_file(h: &mut Sha256, name: &str, bytes: &[u8]) {
    h.update((name.len() as u64).to_le_bytes());
    h.update(name.as_bytes());
    h.update((bytes.len() as u64).to_le_bytes());
    h.update(bytes);
}

fn chapter_files(
    dir: &Path,
    meta: &Meta,
    toml_path: &Path,
    diags: &mut Vec<Diag>,
) -> Option<Vec<(String, PathBuf)>> {
    let files: Vec<(String, PathBuf)> = match &meta.chapters {
        Some(list) => {
            let mut out = Vec::new();
            for c in list {
                match assets::resolve(&c.path, dir) {
                    Ok((rel, full)) => out.push((rel, full)),
                    Err(e) => diags.push(
                        Diag::error(
                            e.replace("image", "chapter")
                                .replace("画像", "章のファイル"),
                        )
                        .at(toml_path, c.line, c.col),
                    ),
                }
            }
            out
        }
        None => md_listing(dir)
            .into_iter()
            .map(|n| (n.clone(), dir.join(n)))
            .collect(),
    };
    if files.is_empty() && !diags.iter().any(Diag::is_error) {
        diags.push(
            Diag::error(crate::i18n::tr(
                "章がありません（*.md ファイルがない）",
                "report has no chapters (no *.md files)",
            ))
            .in_file(dir)
            .help("add chapter files such as 01-hajimeni.md beside report.toml"),
        );
        return None;
    }
    Some(files)
}

/// The chapter files of a folder whose `report.toml` names none: its `*.md` files, sorted,
/// except those starting with `.` or `_`.
fn md_listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".md") && !n.starts_with('.') && !n.starts_with('_'))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

fn load_assets(
    dir: &Path,
    meta: &Meta,
    refs: &[(PathBuf, markdown::ImageRef)],
    hasher: &mut Hashed,
    diags: &mut Vec<Diag>,
) -> BTreeMap<String, Asset> {
    let toml_path = dir.join("report.toml");
    let mut wanted: Vec<(String, PathBuf, usize, usize)> = refs
        .iter()
        .map(|(file, r)| (r.src.clone(), file.clone(), r.pos.line, r.pos.col))
        .collect();
    let toml_refs = meta
        .cover_image
        .iter()
        .chain(meta.funders.iter().filter_map(|f| f.logo.as_ref()));
    for p in toml_refs {
        wanted.push((p.path.clone(), toml_path.clone(), p.line, p.col));
    }
    let mut assets = BTreeMap::new();
    for (src, file, line, col) in wanted {
        let loaded = assets::resolve(&src, dir).and_then(|(rel, full)| {
            if assets.contains_key(&rel) {
                return Ok(None);
            }
            let bytes = assets::read(&rel, &full)?;
            hasher.file(&rel, &bytes);
            assets::load(&rel, bytes).map(Some)
        });
        match loaded {
            Ok(Some(a)) => {
                assets.insert(a.rel.clone(), a);
            }
            Ok(None) => {}
            Err(e) => diags.push(Diag::error(e).at(&file, line, col)),
        }
    }
    assets
}

/// `#id` links must name a heading of this report, and links to a chapter file
/// (`02-chousa.md`, `02-chousa.md#id`) a chapter of it (and a heading of that chapter): they
/// become `#id` links, which every format resolves. Others become plain text with a warning.
fn resolve_links(
    chapters: &mut [Chapter],
    sources: &[String],
    dir: &Path,
    diags: &mut Vec<Diag>,
    anchors: &Anchors,
) {
    let targets = LinkTargets::of(chapters, anchors);
    for (ch, src) in chapters.iter_mut().zip(sources) {
        let file = dir.join(&ch.file);
        let from = ch.file.clone();
        let mut dead = Vec::new();
        let mut fix = |i: &mut Inline| {
            let Inline::Link { url, .. } = i else { return };
            if url.starts_with('#') || is_chapter_link(url) {
                match targets.resolve(&from, url) {
                    Some(id) => *url = format!("#{id}"),
                    // An empty target means "text that was a link": every format prints only the text.
                    None => dead.push(std::mem::take(url)),
                }
            }
        };
        crate::doc::walk_blocks_mut(&mut ch.blocks, &mut |_| {}, &mut fix);
        for n in &mut ch.notes {
            crate::doc::walk_blocks_mut(&mut n.body, &mut |_| {}, &mut fix);
        }
        for url in dead {
            let (line, col) = link_position(src, &url);
            let msg = if url.starts_with('#') {
                crate::t!(
                    "リンク `{url}` の見出しがこの報告書にありません（見出しの id は GitHub と同じく見出しの文字から付き、`{{#id}}` でも付けられます）。文字だけを表示します",
                    "link `{url}` names no heading of this report (a heading's id comes from its text as on GitHub, or from `{{#id}}`); its text is shown without a link"
                )
            } else {
                crate::t!(
                    "リンク `{url}` の章または見出しがこの報告書にありません。文字だけを表示します",
                    "link `{url}` names no chapter or heading of this report; its text is shown without a link"
                )
            };
            diags.push(Diag::warning(msg).at(&file, line, col));
        }
    }
}

fn is_chapter_link(url: &str) -> bool {
    !url.is_empty() && !url.contains(':')
}

/// Where a link is written in a chapter's source (`](url`), for the warning; 1:1 if not found.
fn link_position(src: &str, url: &str) -> (usize, usize) {
    let Some(at) = src.find(&format!("]({url}")).or_else(|| src.find(url)) else {
        return (1, 1);
    };
    let before = &src[..at];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

type Anchors = std::collections::HashMap<String, std::collections::HashMap<String, String>>;

/// The heading ids of a report, and of each chapter file.
struct LinkTargets<'a> {
    all: std::collections::HashSet<String>,
    /// chapter file → GitHub anchor → heading id (see `ReportIds::anchors`)
    anchors: &'a Anchors,
    /// chapter file (relative, `/`-separated) → (id of its first heading, all its heading ids)
    chapters: std::collections::HashMap<String, (Option<String>, Vec<String>)>,
}

impl<'a> LinkTargets<'a> {
    fn of(chapters: &[Chapter], anchors: &'a Anchors) -> Self {
        let mut all = std::collections::HashSet::new();
        let mut by_file = std::collections::HashMap::new();
        for ch in chapters {
            let ids: Vec<String> = ch
                .blocks
                .iter()
                .filter_map(|b| match b {
                    Block::Heading { id, .. } => Some(id.clone()),
                    _ => None,
                })
                .collect();
            all.extend(ids.iter().cloned());
            by_file.insert(ch.file.replace('\\', "/"), (ids.first().cloned(), ids));
        }
        LinkTargets {
            all,
            anchors,
            chapters: by_file,
        }
    }

    /// The heading id a link from chapter file `from` leads to.
    fn resolve(&self, from: &str, url: &str) -> Option<String> {
        if let Some(id) = url.strip_prefix('#') {
            // Browsers and mdBook copy `#%E5%AE%A3…` for `#宣言…`: the id is the decoded text.
            let id = assets::percent_decode(id);
            let id = id.as_str();
            // The heading of this chapter GitHub gives that anchor (as on GitHub, where each
            // file is a page), else an id of the report (`{#id}` or generated), else the
            // anchor of a heading of another chapter (in chapter order).
            let here = self.anchors.get(&from.replace('\\', "/"));
            if let Some(id) = here.and_then(|a| a.get(id)) {
                return Some(id.clone());
            }
            if self.all.contains(id) {
                return Some(id.to_string());
            }
            let mut files: Vec<&String> = self.chapters.keys().collect();
            files.sort();
            return files
                .into_iter()
                .find_map(|f| self.anchors.get(f).and_then(|a| a.get(id)))
                .cloned();
        }
        let (path, frag) = match url.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (url, None),
        };
        let path = assets::percent_decode(path);
        let (first, ids) = self.chapters.get(&relative_to(from, &path)?)?;
        let file = relative_to(from, &path)?;
        match frag.map(assets::percent_decode).filter(|f| !f.is_empty()) {
            Some(f) => match self.anchors.get(&file).and_then(|a| a.get(&f)) {
                Some(id) => Some(id.clone()),
                None => ids.contains(&f).then_some(f),
            },
            None => first.clone(),
        }
    }
}

/// `path` (relative to the folder of chapter `from`) as a path from the report folder;
/// `None` when it leaves the report folder.
fn relative_to(from: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = from.split(['/', '\\']).collect();
    parts.pop();
    for part in path.split(['/', '\\']) {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Image sources in the tree become the normalised relative path (the asset key).
fn rewrite_image_paths(chapters: &mut [Chapter], dir: &Path) {
    let fix = |src: &mut String| {
        if let Ok((rel, _)) = assets::resolve(src, dir) {
            *src = rel;
        }
    };
    for ch in chapters {
        let mut visit = |b: &mut Block| {
            if let Block::Figure { src, .. } = b {
                fix(src)
            }
        };
        crate::doc::walk_blocks_mut(&mut ch.blocks, &mut visit, &mut |i: &mut Inline| {
            if let Inline::Image { src, .. } = i {
                fix(src);
            }
        });
        for n in &mut ch.notes {
            crate::doc::walk_blocks_mut(&mut n.body, &mut visit, &mut |i: &mut Inline| {
                if let Inline::Image { src, .. } = i {
                    fix(src);
                }
            });
        }
    }
}
