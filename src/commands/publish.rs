//! `kanko publish [TARGET]`: the built site onto the website (see `publish/`).

use std::process::ExitCode;

use crate::cli::PublishArgs;

pub fn run(args: &PublishArgs) -> ExitCode {
    crate::publish::run(args)
}
