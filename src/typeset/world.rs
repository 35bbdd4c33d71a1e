//! A sandboxed Typst `World` for one report: the layouts, `/data.json` and the report's images,
//! all in memory. Nothing else on disk or on the network is reachable; `today()` is `published`.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime, Duration};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use super::fonts::{Fonts, LAYOUT_FILES};

/// What every report's World shares: the standard library and the fonts.
pub struct Env {
    pub library: LazyHash<Library>,
    pub fonts: Fonts,
}

impl Env {
    /// With the shipped fonts only (tests).
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn new() -> Self {
        Self::with_fonts(Fonts::load())
    }

    /// With the fonts `kanko.toml` adds (`typeset::extra_fonts::env`).
    pub fn with_fonts(fonts: Fonts) -> Self {
        Env {
            library: LazyHash::new(Library::default()),
            fonts,
        }
    }
}

pub const MAIN: &str = "/layouts/report.typ";
pub const DATA: &str = "/data.json";

pub fn file_id(path: &str) -> Option<FileId> {
    let vpath = VirtualPath::new(path).ok()?;
    Some(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

pub struct ReportWorld<'a> {
    env: &'a Env,
    main: FileId,
    sources: HashMap<FileId, Source>,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

impl<'a> ReportWorld<'a> {
    /// `files` maps virtual paths (`/data.json`, `/img/images/a.png`) to their bytes.
    pub fn new(env: &'a Env, files: Vec<(String, Vec<u8>)>, today: (i32, u32, u32)) -> Self {
        let mut sources = HashMap::new();
        for (name, text) in LAYOUT_FILES {
            if let Some(id) = file_id(&format!("/layouts/{name}")) {
                sources.insert(id, Source::new(id, text.to_string()));
            }
        }
        let files = files
            .into_iter()
            .filter_map(|(p, b)| Some((file_id(&p)?, Bytes::new(b))))
            .collect();
        ReportWorld {
            env,
            main: file_id(MAIN).expect("static path is valid"),
            sources,
            files,
            today: Datetime::from_ymd(today.0, today.1 as u8, today.2 as u8),
        }
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.env.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.env.fonts.book
    }

    fn main(&self) -> FileId {
        self.main
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        self.sources.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if let Some(b) = self.files.get(&id) {
            return Ok(b.clone());
        }
        self.sources
            .get(&id)
            .map(|s| Bytes::from_string(s.clone()))
            .ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.env.fonts.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_with_slash().into())
}
