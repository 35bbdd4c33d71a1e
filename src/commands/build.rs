//! `kanko build`: every report into the output folder, then the catalog.

use std::process::ExitCode;
use std::time::Instant;

use crate::build;
use crate::cli::BuildArgs;
use crate::config::{self, BuildConfig, Shard, SiteFile};
use crate::diag::Diag;
use crate::outcome::Live;
use crate::term::Term;
use crate::typeset::extra_fonts;

pub fn run(args: &BuildArgs) -> ExitCode {
    let started = Instant::now();
    let term = Term::new(args.quiet, args.verbose);
    let result = configure(args).and_then(|cfg| {
        let env = extra_fonts::env(&cfg.site.fonts);
        build::run(&env, &cfg, &term, &Live::default())
    });
    match result {
        Ok(run) => {
            term.summary(&run.outcomes, started.elapsed());
            if run.failed > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Err(d) => {
            term.diag(&d);
            ExitCode::from(1)
        }
    }
}

/// The arguments as the build reads them: the shard parsed (once), kanko.toml read (once).
pub fn configure(args: &BuildArgs) -> Result<BuildConfig, Diag> {
    let shard = args
        .shard
        .as_deref()
        .map(|s| Shard::parse(s, std::env::var("JOB_COMPLETION_INDEX").ok().as_deref()))
        .transpose()
        .map_err(|e| Diag::error(format!("--shard {e}")))?;
    let site = SiteFile::load(&args.reports)?;
    Ok(BuildConfig {
        reports: args.reports.clone(),
        out: args.out.clone(),
        only: args.only.clone(),
        jobs: args.jobs.map(usize::from).unwrap_or_else(config::cores),
        formats: config::formats(&args.formats),
        base_url: args.base_url.clone().or_else(|| site.site.base_url.clone()),
        force: args.force,
        shard,
        site,
        page_reference: args.page_reference.clone(),
    })
}
