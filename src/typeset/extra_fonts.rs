//! `[[fonts]]` in `kanko.toml`: font files the editor adds for characters the shipped fonts
//! lack (simplified Chinese in a name or a quotation, a rare script). They are fallbacks only:
//! Typst turns to them for a character none of the layout's font lists has, so they never change
//! how text the shipped fonts cover looks. The PDF embeds the glyphs it uses, the reader's page
//! fonts are cut from the same glyphs, and the EPUB carries a cut of each added font
//! (`outputs::epub::fonts`).
//!
//! ```toml
//! [[fonts]]
//! file = "fonts/NotoSansSC-Regular.otf"   # relative to kanko.toml
//! license = "SIL Open Font License 1.1"
//! ```

use std::path::{Path, PathBuf};

use crate::diag::{Diag, line_col};
use crate::manuscript::fonts::FontEntry;
use crate::typeset::fonts::Fonts;
use crate::typeset::world::Env;

/// One added font file, read and checked.
pub struct Added {
    #[allow(dead_code)] // for messages and the README's licence list; kept with the bytes
    pub path: PathBuf,
    #[allow(dead_code)]
    pub license: String,
    pub data: Vec<u8>,
}

/// The environment with the shipped fonts and the added ones (`SiteFile::fonts`).
pub fn env(added: &[Vec<u8>]) -> Env {
    Env::with_fonts(Fonts::with_extra(added))
}

/// Reads and checks the font files `[[fonts]]` names (`toml` is kanko.toml, `src` its text).
pub fn read_entries(entries: &[FontEntry], toml: &Path, src: &str) -> Result<Vec<Added>, Diag> {
    let base = toml.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for e in entries {
        let at = |span: std::ops::Range<usize>| {
            let (line, col) = line_col(src, span.start);
            move |d: Diag| d.at(toml, line, col)
        };
        let license = e.license.get_ref().trim();
        if license.is_empty() {
            return Err(at(e.license.span())(Diag::error(crate::t!(
                "`[[fonts]]` の `license` が空です",
                "`[[fonts]] license` is empty"
            )))
            .help(crate::t!(
                "フォントのライセンス名を書いてください（例: \"SIL Open Font License 1.1\"）。PDF・EPUB・リーダーにそのフォントの字形が入るので、埋め込みと再配布を許すフォントだけを使えます",
                "name the font's licence (e.g. \"SIL Open Font License 1.1\"): the PDF, EPUB and reader carry its glyphs, so only fonts whose licence allows embedding and sharing can be used"
            )));
        }
        let file = e.file.get_ref();
        let path = base.join(file);
        let here = at(e.file.span());
        let data = std::fs::read(&path).map_err(|err| {
            here(Diag::error(crate::t!(
                "フォントファイル {file} を読めません: {err}",
                "cannot read the font file {file}: {err}"
            )))
            .help({
                let folder = base.display();
                crate::t!(
                    "`file` は kanko.toml のあるフォルダからの相対パスです（{folder}）",
                    "`file` is relative to the folder of kanko.toml ({folder})"
                )
            })
        })?;
        let faces = ttf_parser::fonts_in_collection(&data).unwrap_or(1);
        let mut parsed = 0;
        for i in 0..faces {
            let Ok(face) = ttf_parser::Face::parse(&data, i) else {
                continue;
            };
            parsed += 1;
            if face.permissions() == Some(ttf_parser::Permissions::Restricted) {
                return Err(here(Diag::error(crate::t!(
                    "{file} は埋め込みを禁じたフォントです（OS/2 fsType: Restricted License）",
                    "{file} forbids embedding (OS/2 fsType: Restricted License)"
                ))));
            }
        }
        if parsed == 0 {
            return Err(here(Diag::error(crate::t!(
                "{file} はフォントファイル（TrueType・OpenType の .ttf / .otf / .ttc）ではありません",
                "{file} is not a font file (TrueType or OpenType: .ttf, .otf, .ttc)"
            ))));
        }
        out.push(Added {
            path,
            license: license.to_string(),
            data,
        });
    }
    Ok(out)
}

/// The help of the missing-glyph warnings: how to add a font.
pub fn how_to_add() -> String {
    crate::t!(
        "その字のあるフォントを kanko.toml に加えると、PDF・EPUB・リーダーでその字形が使われます:\n  [[fonts]]\n  file = \"fonts/NotoSansSC-Regular.otf\"   # kanko.toml からの相対パス\n  license = \"SIL Open Font License 1.1\"\nフォントがないままでも、文字は PDF のテキストとして残ります（コピー・検索できます）",
        "add a font that has them to kanko.toml and the PDF, EPUB and reader use its glyphs:\n  [[fonts]]\n  file = \"fonts/NotoSansSC-Regular.otf\"   # relative to kanko.toml\n  license = \"SIL Open Font License 1.1\"\nWithout one the characters still stay in the PDF's text (copy and search find them)"
    )
}
