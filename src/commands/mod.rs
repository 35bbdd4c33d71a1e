//! One file per subcommand. Each turns its arguments into a configuration once, runs the layers
//! below with it and maps the result to an exit code: 0 success, 1 a failure the user can fix
//! in the input, 2 a command line clap refused.

pub mod build;
pub mod check;
pub mod import;
pub mod merge;
pub mod new;
pub mod publish;
pub mod serve;
pub mod stats;
