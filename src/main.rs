//! kanko — 刊行: Markdown report manuscripts in; PDF, EPUB, page-flip reader and catalog out.
//!
//! `main` parses the command line and hands it to its command (`commands/`); the layers below
//! take configuration values, never clap structs. See docs/architecture.md for the picture.

mod build;
mod chart;
mod cli;
mod commands;
mod config;
mod diag;
mod doc;
mod i18n;
mod import;
mod lint;
mod manuscript;
mod outcome;
mod output;
mod outputs;
mod phrase;
mod preview;
mod publish;
mod record;
mod sfnt;
mod stats;
mod term;
mod tomldiag;
mod typeset;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cli.command {
        cli::Command::Build(args) => commands::build::run(&args),
        cli::Command::Check(args) => commands::check::run(&args),
        cli::Command::New(args) => commands::new::new_report(&args),
        cli::Command::Serve(args) => commands::serve::run(&args),
        cli::Command::Merge(args) => commands::merge::run(&args),
        cli::Command::Import(args) => commands::import::run(&args),
        cli::Command::Stats(args) => commands::stats::run(&args),
        cli::Command::Publish(args) => commands::publish::run(&args),
    }
}
