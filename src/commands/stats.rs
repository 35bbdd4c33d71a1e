//! `kanko stats LOG…`: downloads and reading per report from the web server's access logs (see
//! `stats/`). The arguments become a `StatsConfig` once; kanko.toml is found as `build` finds it.

use std::process::ExitCode;

use crate::cli::StatsArgs;
use crate::config::SiteFile;
use crate::diag::Diag;
use crate::i18n::tr;
use crate::stats::StatsConfig;
use crate::stats::period::{Period, parse_date};

pub fn run(args: &StatsArgs) -> ExitCode {
    let term = crate::term::Term::new(false, false);
    match configure(args).and_then(|cfg| crate::stats::run(&cfg)) {
        Ok(code) => code,
        Err(d) => {
            term.diag(&d);
            ExitCode::from(1)
        }
    }
}

fn configure(args: &StatsArgs) -> Result<StatsConfig, Diag> {
    let site = SiteFile::load(&args.reports)?;
    Ok(StatsConfig {
        logs: args.logs.clone(),
        out: args.out.clone(),
        base: base_path(args, &site),
        period: period_of(args)?,
        format: args.format,
        chapter: args.chapter.clone(),
        quiet: args.quiet,
    })
}

pub fn period_of(args: &StatsArgs) -> Result<Option<Period>, Diag> {
    if let Some(fy) = args.fiscal_year {
        if !(1900..=9998).contains(&fy) {
            return Err(Diag::error(crate::t!(
                "--fiscal-year は 2024 のような西暦の年度です（{fy} ではなく）",
                "--fiscal-year takes a year such as 2024, not {fy}"
            )));
        }
        return Ok(Some(Period::fiscal(fy)));
    }
    let from = args
        .from
        .as_deref()
        .map(|s| parse_date(s, "--from"))
        .transpose()?;
    let to = args
        .to
        .as_deref()
        .map(|s| parse_date(s, "--to"))
        .transpose()?;
    Ok(match (from, to) {
        (None, None) => None,
        (f, t) => {
            let p = Period {
                from: f.unwrap_or(0),
                to: t.unwrap_or(99991231),
                fiscal_year: None,
            };
            if p.from > p.to {
                return Err(Diag::error(tr(
                    "--from の日付が --to より後です",
                    "--from is after --to",
                )));
            }
            Some(p)
        }
    })
}

/// The site's path on the server: `--base-path`, else the path of kanko.toml's `base_url`,
/// else `/`.
fn base_path(args: &StatsArgs, site: &SiteFile) -> String {
    if let Some(b) = &args.base_path {
        return b.clone();
    }
    site.site.base_url.clone().unwrap_or_else(|| "/".into())
}
