//! `kanko serve`: the live preview (see `preview/`), on 127.0.0.1.

use std::process::ExitCode;

use crate::cli::ServeArgs;
use crate::preview;

pub fn run(args: &ServeArgs) -> ExitCode {
    preview::server::serve(&preview::server::Options {
        reports: args.reports.clone(),
        port: args.port,
        open: args.open,
        allow_host: args.allow_host.clone(),
    })
}
