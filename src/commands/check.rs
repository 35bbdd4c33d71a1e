//! `kanko check`: load, typeset and lint every report; write nothing (except with `--fix`).

use std::path::Path;
use std::process::ExitCode;

use rayon::prelude::*;

use crate::build::discover;
use crate::build::report::release_free_memory;
use crate::cli::CheckArgs;
use crate::config::SiteFile;
use crate::diag::{Diag, Severity};
use crate::i18n::tr;
use crate::lint::Finding;
use crate::manuscript;
use crate::term::Term;
use crate::typeset::world::Env;

pub fn run(args: &CheckArgs) -> ExitCode {
    let term = Term::new(false, false);
    let fail = |d: Diag| {
        term.diag(&d);
        ExitCode::from(1)
    };
    let dirs = match discover(&args.reports) {
        Ok(d) => d,
        Err(d) => return fail(d),
    };
    let file = match SiteFile::load(&args.reports) {
        Ok(s) => s,
        Err(d) => return fail(d),
    };
    // Messages about [lint] name the kanko.toml that was read (inside or beside reports/).
    let site_file = file
        .path
        .clone()
        .unwrap_or_else(|| args.reports.join("kanko.toml"));
    let site = &file.site;
    let cfg = match crate::lint::Config::from_toml(site.lint.as_ref(), &site_file) {
        Ok(c) => c,
        Err(d) => return fail(d),
    };
    let env = crate::typeset::extra_fonts::env(&file.fonts);
    let results: Vec<CheckResult> = dirs
        .par_iter()
        .map(|d| check_one(&env, d, &cfg, args.fix))
        .collect();
    report_check(args, &term, &results)
}

struct CheckResult {
    slug: String,
    diags: Vec<Diag>,
    findings: Vec<crate::lint::Finding>,
    ok: bool,
}

fn check_one(env: &Env, dir: &Path, cfg: &crate::lint::Config, fix: bool) -> CheckResult {
    let loaded = manuscript::load(dir);
    let mut diags = loaded.diags;
    let mut findings = Vec::new();
    let placeholders = loaded.report.as_ref().map_or(0, |r| {
        let toml = r.dir.join("report.toml");
        manuscript::placeholder::harden(&mut diags, &r.meta.placeholders, &toml)
    });
    let typeset_ok = match loaded.report {
        Some(r) => {
            let mut r = r;
            if fix {
                match crate::lint::fix(&r, cfg) {
                    Ok(changed) => {
                        // Lint what is on disk now, not the text before the fixes.
                        if !changed.is_empty()
                            && let Some(fresh) = manuscript::load(dir).report
                        {
                            r = fresh;
                        }
                        for (file, n) in changed {
                            diags.push(
                                Diag::warning(format!(
                                    "{n} {}",
                                    tr(
                                        "件の表記を直しました（元のファイルは .bak に保存）",
                                        "term(s) fixed (the original is kept as .bak)"
                                    )
                                ))
                                .in_file(file),
                            );
                        }
                    }
                    Err(e) => diags.push(Diag::error(format!("--fix: {e}")).in_file(&r.dir)),
                }
            }
            findings = crate::lint::lint(&r, cfg, &env.fonts);
            match crate::typeset::typeset(env, &r) {
                Ok(t) => {
                    diags.extend(t.warnings);
                    true
                }
                Err(e) => {
                    diags.extend(e);
                    false
                }
            }
        }
        None => false,
    };
    let ok = typeset_ok && placeholders == 0;
    comemo::evict(2);
    release_free_memory();
    CheckResult {
        slug: loaded.slug,
        diags,
        findings,
        ok,
    }
}

fn report_check(args: &CheckArgs, term: &Term, results: &[CheckResult]) -> ExitCode {
    let failed = results.iter().filter(|r| !r.ok).count();
    let lint_errors = results
        .iter()
        .flat_map(|r| &r.findings)
        .filter(|f| f.severity == Severity::Error)
        .count();
    if args.format == crate::cli::CheckFormat::Json {
        let items: Vec<Item> = results
            .iter()
            .flat_map(|r| {
                r.diags
                    .iter()
                    .map(Item::of_diag)
                    .chain(r.findings.iter().map(Item::of_finding))
            })
            .collect();
        // Through a JSON value, so keys come out sorted, as before.
        let value = serde_json::to_value(&items).unwrap_or_default();
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        for r in results {
            for d in &r.diags {
                term.diag(d);
            }
            for f in &r.findings {
                println!("{}", f.line());
            }
            let mark = if r.ok { "✓" } else { "✗" };
            term.line(&format!("{mark} {}", r.slug));
        }
        let ok = results.len() - failed;
        term.line(&crate::t!(
            "検査: 問題なし {ok} 件、失敗 {failed} 件、表記エラー {lint_errors} 件",
            "checked: {ok} ok, {failed} failed, {lint_errors} style error(s)"
        ));
    }
    if failed > 0 || lint_errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// One line of `check --format json`: a manuscript diagnostic (rule `manuscript`) or a finding.
#[derive(serde::Serialize)]
struct Item<'a> {
    file: Option<String>,
    line: usize,
    col: usize,
    rule: &'a str,
    severity: Severity,
    message: &'a str,
}

impl<'a> Item<'a> {
    fn of_diag(d: &'a Diag) -> Self {
        Item {
            file: d.file.as_ref().map(|f| f.display().to_string()),
            line: d.line,
            col: d.col,
            rule: "manuscript",
            severity: d.severity,
            message: &d.message,
        }
    }

    fn of_finding(f: &'a Finding) -> Self {
        Item {
            file: Some(f.file.display().to_string()),
            line: f.line,
            col: f.col,
            rule: &f.rule,
            severity: f.severity,
            message: &f.message,
        }
    }
}
