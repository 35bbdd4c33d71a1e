//! `kanko import FILE.docx`: turns the Word file into a new report folder (never over an
//! existing one) and prints what could not be carried over.

use std::path::Path;
use std::process::ExitCode;

use crate::cli::ImportArgs;
use crate::i18n::t;
use crate::import;

pub fn run(args: &ImportArgs) -> ExitCode {
    let fail = |code: u8, msg: String, help: Option<String>| {
        eprintln!("{}: {}: {msg}", t("error"), args.file.display());
        if let Some(h) = help {
            eprintln!("  {}: {h}", t("help"));
        }
        ExitCode::from(code)
    };
    let slug = match slug_for(args) {
        Ok(s) => s,
        Err(msg) => return fail(2, msg, None),
    };
    let dest = args.reports.join(&slug);
    let shown = dest.display();
    if dest.exists() {
        return fail(
            1,
            crate::t!(
                "{shown} は既にあります。上書きはしません",
                "{shown} already exists; it is never overwritten"
            ),
            Some(crate::t!(
                "別の名前を --slug で指定してください",
                "choose another name with --slug"
            )),
        );
    }
    let bytes = match std::fs::read(&args.file) {
        Ok(b) => b,
        Err(e) => {
            return fail(
                1,
                crate::t!("ファイルを読めません（{e}）", "cannot read the file ({e})"),
                None,
            );
        }
    };
    let fallback = stem(&args.file);
    let converted = match import::convert(bytes, &fallback) {
        Ok(c) => c,
        Err(e) => {
            let (msg, help) = e.message();
            return fail(1, msg, Some(help));
        }
    };
    if let Err(e) = import::write(&args.reports, &dest, &converted) {
        return fail(
            1,
            crate::t!("{shown} に書けません（{e}）", "cannot write {shown} ({e})"),
            None,
        );
    }
    eprint!("{}", import::summary::render(&converted, &dest));
    ExitCode::SUCCESS
}

fn stem(file: &Path) -> String {
    file.file_stem()
        .map_or("report".into(), |s| s.to_string_lossy().into_owned())
}

/// `--slug`, or the file name when it makes a usable folder name (`Annual Report.docx` →
/// `annual-report`).
fn slug_for(args: &ImportArgs) -> Result<String, String> {
    if let Some(s) = &args.slug {
        crate::manuscript::check_slug(s)?;
        return Ok(s.clone());
    }
    let stem = stem(&args.file);
    let mut slug = String::new();
    for c in stem.trim().chars() {
        match c {
            c if c.is_ascii_alphanumeric() || c == '_' => slug.push(c.to_ascii_lowercase()),
            ' ' | '-' | '.' if !slug.ends_with('-') => slug.push('-'),
            ' ' | '-' | '.' => {}
            _ => {
                slug.clear();
                break;
            }
        }
    }
    let slug = slug.trim_matches('-').to_string();
    if crate::manuscript::check_slug(&slug).is_ok() {
        return Ok(slug);
    }
    Err(crate::t!(
        "ファイル名「{stem}」からフォルダ名（slug）を作れません。半角英数字と - _ で --slug を指定してください（例：--slug 2024-houkoku）",
        "cannot make a folder name (slug) from the file name \"{stem}\"; give one with --slug, using ASCII letters, digits, - and _ (e.g. --slug 2024-houkoku)"
    ))
}
