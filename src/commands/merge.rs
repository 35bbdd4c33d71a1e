//! `kanko merge SHARD_DIR… --out DIR`: the outputs of `build --shard I/N` as one site.

use std::process::ExitCode;

use crate::build::shard;
use crate::cli::MergeArgs;
use crate::term::Term;

pub fn run(args: &MergeArgs) -> ExitCode {
    let term = Term::new(args.quiet, false);
    match shard::merge(&args.shards, &args.out, &term) {
        Ok(n) => {
            let dir = args.out.display();
            term.line(&crate::t!(
                "統合: {n} 件の報告書を {dir} に書き出しました",
                "merged: {n} reports into {dir}"
            ));
            ExitCode::SUCCESS
        }
        Err(d) => {
            term.diag(&d);
            ExitCode::from(1)
        }
    }
}
