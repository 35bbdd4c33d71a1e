//! Command-line definitions only (clap derive).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub use crate::config::Format;

#[derive(Debug, Parser)]
#[command(
    name = "kanko",
    version,
    about = "刊行 — publish reports: Markdown in; PDF, EPUB, page-flip reader and catalog out"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build every report into the output folder (PDF, EPUB, reader, catalog).
    Build(BuildArgs),
    /// Validate every report and write nothing.
    Check(CheckArgs),
    /// Create a new report folder with a commented report.toml and a first chapter.
    New(NewArgs),
    /// Live preview: build into a temporary folder, serve it on 127.0.0.1 and rebuild on save.
    Serve(ServeArgs),
    /// Join the outputs of `build --shard I/N` into one site (catalog, feeds, sitemap, search).
    Merge(MergeArgs),
    /// Turn a Word manuscript (.docx) into a new report folder.
    Import(ImportArgs),
    /// Count downloads and readings of each report from the web server's access logs.
    Stats(StatsArgs),
    /// Upload the built site to the website: only what changed, never half-updated.
    Publish(PublishArgs),
}

#[derive(Debug, Args)]
pub struct StatsArgs {
    /// Access logs in the Combined Log Format (nginx, Apache), plain or .gz, in any order.
    #[arg(required = true, value_name = "LOG")]
    pub logs: Vec<PathBuf>,
    /// The built site (`kanko build --out`) whose files the requests are matched with.
    #[arg(long, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
    /// Folder whose kanko.toml gives `base_url` (the site's path on the server).
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub reports: PathBuf,
    /// The site's path on the server, e.g. /reports/ (default: from base_url, else /).
    #[arg(long, value_name = "PATH")]
    pub base_path: Option<String>,
    /// First day counted (YYYY-MM-DD, the server's local date).
    #[arg(long, value_name = "DATE", conflicts_with = "fiscal_year")]
    pub from: Option<String>,
    /// Last day counted (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", conflicts_with = "fiscal_year")]
    pub to: Option<String>,
    /// A Japanese fiscal year (年度): 2024 = 2024-04-01 to 2025-03-31 (default: the logs' last).
    #[arg(long, value_name = "YEAR")]
    pub fiscal_year: Option<i32>,
    /// What is printed: a table, CSV or JSON.
    #[arg(long, value_enum, default_value_t = StatsFormat::Table)]
    pub format: StatsFormat,
    /// Also write a Markdown chapter (chart + table) for next year's report.
    #[arg(long, value_name = "FILE.md")]
    pub chapter: Option<PathBuf>,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatsFormat {
    Table,
    Csv,
    Json,
}

#[derive(Debug, Args)]
pub struct MergeArgs {
    /// Output folders of the shard builds (each holds a kanko-shard.json).
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    /// The merged site.
    #[arg(long, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
    /// Print errors only.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The Word file (.docx).
    pub file: PathBuf,
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub reports: PathBuf,
    /// Folder name of the new report (default: from the file name, when it is usable).
    #[arg(long, value_name = "SLUG")]
    pub slug: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub reports: PathBuf,
    /// Port on 127.0.0.1.
    #[arg(long, default_value_t = 4173, value_name = "N")]
    pub port: u16,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Also answer requests for this host name (besides localhost, 127.0.0.1 and [::1]), e.g.
    /// when a proxy forwards to the preview; may be repeated.
    #[arg(long, value_name = "NAME")]
    pub allow_host: Vec<String>,
}

#[derive(Debug, Args, Clone)]
pub struct BuildArgs {
    /// Folder holding one sub-folder per report.
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub reports: PathBuf,
    /// Output folder (what web staff upload).
    #[arg(long, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
    /// Build only these reports (by folder name); may be repeated.
    #[arg(long, value_name = "SLUG")]
    pub only: Vec<String>,
    /// Reports built at the same time (default: the number of cores).
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub jobs: Option<u16>,
    /// Formats to build, comma-separated.
    #[arg(long, value_delimiter = ',', value_enum, default_values_t = Format::ALL.to_vec())]
    pub formats: Vec<Format>,
    /// Absolute address of the published folder, for sitemap.xml and Open Graph tags only.
    #[arg(long, value_name = "URL", env = "KANKO_BASE_URL")]
    pub base_url: Option<String>,
    /// Rebuild every report even when nothing changed.
    #[arg(long)]
    pub force: bool,
    /// Build only shard I of N (1-based; a stable hash of the folder name) and write a shard
    /// manifest instead of the catalog; `auto/N` takes I from JOB_COMPLETION_INDEX (0-based).
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Print errors only.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (timings per format).
    #[arg(long, short)]
    pub verbose: bool,
    /// For the browser tests: also draw every page with typst-render into DIR/<slug>/<n>.png.
    #[arg(long, value_name = "DIR", hide = true)]
    pub page_reference: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub reports: PathBuf,
    /// How findings are printed: `text` (file:line:col  rule-id  message) or `json`.
    #[arg(long, value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Apply the term dictionary's fixes to the chapter files in place (a `.bak` copy is kept).
    #[arg(long)]
    pub fix: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// Folder name of the new report (ASCII letters, digits, - and _).
    pub slug: String,
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub reports: PathBuf,
}

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Where to publish (wins over `[publish] target` in kanko.toml): file:///srv/www/reports/,
    /// sftp://user@host/public_html/reports/, s3://bucket/prefix/.
    #[arg(value_name = "TARGET")]
    pub target: Option<String>,
    /// The built site to upload.
    #[arg(long, default_value = "dist", value_name = "DIR")]
    pub out: PathBuf,
    /// Folder of the reports (kanko.toml is looked up as `build` does).
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub reports: PathBuf,
    /// Print the plan (files to send and delete) and change nothing.
    #[arg(long, short = 'n')]
    pub dry_run: bool,
    /// Parallel connections.
    #[arg(long, short = 'j', default_value_t = 4, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=32))]
    pub jobs: u16,
    /// Stop without changing anything when more files than this would be deleted.
    #[arg(long, default_value_t = 200, value_name = "N")]
    pub max_delete: usize,
    /// Remove another publish's lock on the target (only when that publish is known dead).
    #[arg(long)]
    pub break_lock: bool,
    /// Print errors only.
    #[arg(long, short)]
    pub quiet: bool,
}
