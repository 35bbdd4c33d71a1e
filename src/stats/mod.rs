//! `kanko stats`: how many people downloaded and read each report, counted from the web
//! server's own access logs (no tracker, no cookie, nothing added to the pages).
//!
//! parse.rs reads a log line, input.rs the files (gzip, rotation, any order), site.rs maps
//! a request path to a report and what it means, count.rs makes visits and counts them,
//! report.rs turns the counts into the table, CSV, JSON and the Markdown chapter.

mod count;
mod input;
mod parse;
pub mod period;
mod report;
mod site;

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use crate::cli::StatsFormat;
use crate::diag::Diag;
use crate::i18n::tr;
use period::{Period, fiscal_year_of};

/// Malformed lines shown with their file and line (the rest are counted).
const SHOW_BAD: usize = 5;

/// What `kanko stats` was asked for, decided by the command.
pub struct StatsConfig {
    pub logs: Vec<std::path::PathBuf>,
    /// The built site (`dist/`) whose files the logs name.
    pub out: std::path::PathBuf,
    /// The site's path on the server (`/` or `/hokoku/`).
    pub base: String,
    /// None: the fiscal year of the log's last line.
    pub period: Option<Period>,
    pub format: StatsFormat,
    pub chapter: Option<std::path::PathBuf>,
    pub quiet: bool,
}

/// Counts the logs and writes the table, CSV, JSON or chapter.
pub fn run(args: &StatsConfig) -> Result<ExitCode, Diag> {
    let period = args.period;
    let base = &args.base;
    let site = site::Site::load(&args.out, base)?;
    let logs = input::scan(&args.logs)?;
    let mut counter = count::Counter::new(&site, period.map(|p| (p.from, p.to)));
    let mut bad_shown = Vec::new();
    let bar = progress_bar(args, logs.total_bytes);
    let done = logs.progress.clone();
    let mut n = 0u64;
    let mut malformed = 0u64;
    logs.merge(
        |l| {
            counter.line(l);
            n += 1;
            if n.is_multiple_of(65536) {
                bar.set_position(done.0.load(std::sync::atomic::Ordering::Relaxed));
            }
        },
        |m| {
            malformed += 1;
            if bad_shown.len() < SHOW_BAD {
                bad_shown.push(m);
            }
        },
    )?;
    bar.finish_and_clear();
    counter.add_malformed(malformed);
    counter.finish();
    let lines = counter.lines.clone();
    for m in &bad_shown {
        let why = m.why.describe();
        let d = Diag::warning(crate::t!(
            "アクセスログの形式ではない行を飛ばしました: {why}",
            "skipped a line that is not in the access log format: {why}"
        ))
        .at(&m.file, m.line, 0);
        eprintln!("{d}");
    }
    if lines.malformed > bad_shown.len() as u64 {
        let more = lines.malformed - bad_shown.len() as u64;
        eprintln!(
            "{}",
            crate::t!(
                "ほかに {more} 行を飛ばしました",
                "{more} more malformed lines skipped"
            )
        );
    }
    let chosen = match period {
        Some(p) => p,
        None => match lines.last {
            Some(last) => Period::fiscal(fiscal_year_of(last)),
            None => {
                return Err(Diag::error(tr(
                    "ログに読める行がありません",
                    "the logs hold no readable line",
                )));
            }
        },
    };
    if period.is_some() && lines.lines == lines.malformed + lines.outside_period {
        let span = match (lines.first, lines.last) {
            (Some(a), Some(b)) => format!("{}〜{}", report::iso(a), report::iso(b)),
            _ => "-".into(),
        };
        let p = report::period_label(&chosen, crate::i18n::japanese());
        return Err(Diag::error(crate::t!(
            "ログにこの期間（{p}）の行がありません（ログは {span}）",
            "the logs have no line in this period ({p}); they cover {span}"
        )));
    }
    if counter.matched() == 0 {
        let mut hint = String::new();
        if let Some((b, _)) = counter
            .other_bases
            .iter()
            .max_by_key(|(b, n)| (**n, b.len()))
        {
            hint = crate::t!(
                "。報告書のファイルは {b} の下で読まれています: --base-path {b} を指定してください",
                ". The reports' files were asked for under {b}: try --base-path {b}"
            );
        }
        let base = &site.base;
        eprintln!(
            "{}",
            crate::t!(
                "この期間のログには、この公開フォルダ（{base}）へのアクセスがありません{hint}",
                "the logs of this period hold no request of this site ({base}){hint}"
            )
        );
    }
    let summary = report::summarize(&site, &counter, &chosen, logs.count(), period.is_none());
    let out = match args.format {
        StatsFormat::Table => report::table(&summary, crate::i18n::japanese()),
        StatsFormat::Csv => report::csv(&summary),
        StatsFormat::Json => serde_json::to_string_pretty(&summary).unwrap_or_default() + "\n",
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(out.as_bytes());
    if let Some(path) = &args.chapter {
        let md = report::chapter(&summary, site.language.starts_with("ja"));
        crate::output::write_atomic(path, md.as_bytes()).map_err(|e| {
            Diag::error(crate::t!("書き込めません: {e}", "cannot write: {e}")).in_file(path)
        })?;
        let p = path.display();
        eprintln!(
            "{}",
            crate::t!("章を書きました: {p}", "chapter written: {p}")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn progress_bar(args: &StatsConfig, total: u64) -> indicatif::ProgressBar {
    use std::io::IsTerminal;
    if args.quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new(total);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} [{bar:30}] {bytes}/{total_bytes} {msg} ({elapsed})",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
    .progress_chars("=> ");
    pb.set_style(style);
    pb.set_message(tr("ログを集計中…", "counting the logs…").to_string());
    pb.enable_steady_tick(Duration::from_millis(200));
    pb
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::period::parse_date;

    #[test]
    fn fiscal_years_turn_in_april() {
        assert_eq!(fiscal_year_of(20250331), 2024);
        assert_eq!(fiscal_year_of(20250401), 2025);
        assert_eq!(fiscal_year_of(20240101), 2023);
        let p = Period::fiscal(2024);
        assert_eq!((p.from, p.to), (20240401, 20250331));
        let months: Vec<i32> = p.months().collect();
        assert_eq!(months.len(), 12);
        assert_eq!(months[0], 2024 * 12 + 3);
        assert_eq!(months[11], 2025 * 12 + 2);
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2024-04-01", "--from").unwrap(), 20240401);
        assert_eq!(parse_date("2024-4-1", "--from").unwrap(), 20240401);
        assert!(parse_date("2024-02-30", "--from").is_err());
        assert!(parse_date("2024/04/01", "--from").is_err());
        assert!(parse_date("2024-13-01", "--to").is_err());
        assert!(parse_date("2024-00-01", "--to").is_err());
    }
}
