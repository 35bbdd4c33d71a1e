//! kanko — 刊行: Markdown report manuscripts in; PDF, EPUB, page-flip reader and catalog out.

mod chart;
mod cli;
mod diag;
mod doc;
mod export;
mod i18n;
mod import;
mod lint;
mod manuscript;
mod output;
mod phrase;
mod pipeline;
mod publish;
mod scaffold;
mod serve;
mod shard;
mod typeset;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Build(args) => pipeline::build(&args),
        cli::Command::Check(args) => pipeline::check(&args),
        cli::Command::New(args) => scaffold::new_report(&args),
        cli::Command::Serve(args) => serve::serve(&args),
        cli::Command::Merge(args) => shard::merge(&args),
        cli::Command::Import(args) => import::import(&args),
        cli::Command::Publish(args) => publish::run(&args),
    }
}
