//! The one place that prints: diagnostics, progress bars, each report's outcome and a
//! command's summary, on stderr, in the terminal's language. `-q` keeps only errors.

use std::time::Duration;

use crate::diag::Diag;
use crate::i18n::tr;
use crate::outcome::{Outcome, Status};

/// All terminal output: diagnostics, progress and the summary, on stderr.
pub struct Term {
    quiet: bool,
    /// Timings per step after each report (`--verbose`).
    verbose: bool,
    tty: bool,
    /// Bars per report above the overall bar (drawn only on a terminal).
    bars: indicatif::MultiProgress,
}

impl Term {
    pub fn new(quiet: bool, verbose: bool) -> Self {
        use std::io::IsTerminal;
        let tty = std::io::stderr().is_terminal();
        let bars = indicatif::MultiProgress::new();
        if quiet || !tty {
            bars.set_draw_target(indicatif::ProgressDrawTarget::hidden());
        }
        Term {
            quiet,
            verbose,
            tty,
            bars,
        }
    }

    pub fn diag(&self, d: &Diag) {
        if self.quiet && !d.is_error() {
            return;
        }
        let text = crate::diag::render(d, self.tty);
        self.bars.suspend(|| eprint!("{text}"));
    }

    pub fn line(&self, s: &str) {
        if !self.quiet {
            eprintln!("{s}");
        }
    }

    pub fn progress(&self, n: usize) -> indicatif::ProgressBar {
        if self.quiet || !self.tty {
            return indicatif::ProgressBar::hidden();
        }
        let pb = indicatif::ProgressBar::new(n as u64);
        let style = indicatif::ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        pb.set_style(style);
        pb.set_message(tr("レポートを組版中…", "typesetting reports…").to_string());
        pb.enable_steady_tick(Duration::from_millis(120));
        self.bars.add(pb)
    }

    /// A spinner for one report, showing the step it is at.
    pub fn report_bar(&self, slug: &str) -> indicatif::ProgressBar {
        if self.quiet || !self.tty {
            return indicatif::ProgressBar::hidden();
        }
        let style = indicatif::ProgressStyle::with_template("  {spinner} {prefix}: {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner());
        let bar = self
            .bars
            .insert_from_back(1, indicatif::ProgressBar::new_spinner());
        bar.set_style(style);
        bar.set_prefix(slug.to_string());
        bar.set_message(tr("読み込み中", "reading").to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }

    pub fn outcome(&self, o: &Outcome, pb: &indicatif::ProgressBar) {
        let mut text = String::new();
        for d in &o.diags {
            if self.quiet && !d.is_error() {
                continue;
            }
            text.push_str(&crate::diag::render(d, self.tty));
        }
        let secs = o.elapsed.as_secs_f64();
        let line = match &o.status {
            Status::Built { pages } => format!(
                "✓ {} — {} {} ({secs:.1}s)",
                o.slug,
                pages,
                tr("ページ", "pages")
            ),
            Status::Cached => format!(
                "✓ {} — {}",
                o.slug,
                tr(
                    "変更なし（前回の出力を使用）",
                    "unchanged (kept previous output)"
                )
            ),
            Status::Failed => format!(
                "✗ {} — {}",
                o.slug,
                tr(
                    "失敗（前回の出力はそのまま）",
                    "failed (previous output kept)"
                )
            ),
        };
        if !self.quiet || matches!(o.status, Status::Failed) {
            text.push_str(&line);
            text.push('\n');
        }
        if self.verbose && !o.timings.is_empty() {
            let steps: Vec<String> = o
                .timings
                .iter()
                .map(|(n, d)| format!("{n} {:.0} ms", d.as_secs_f64() * 1000.0))
                .collect();
            text.push_str(&format!("    {}\n", steps.join(", ")));
        }
        self.bars.suspend(|| eprint!("{text}"));
        pb.inc(1);
    }

    pub fn summary(&self, outcomes: &[Outcome], elapsed: Duration) {
        let count = |f: fn(&Status) -> bool| outcomes.iter().filter(|o| f(&o.status)).count();
        let built = count(|s| matches!(s, Status::Built { .. }));
        let cached = count(|s| matches!(s, Status::Cached));
        let failed = count(|s| matches!(s, Status::Failed));
        let pages: usize = outcomes
            .iter()
            .filter_map(|o| match &o.status {
                Status::Built { pages } => Some(*pages),
                _ => None,
            })
            .sum();
        let warnings: usize = outcomes
            .iter()
            .map(|o| o.diags.iter().filter(|d| !d.is_error()).count())
            .sum();
        let line = if crate::i18n::japanese() {
            format!(
                "完了: {built} 件作成、{cached} 件変更なし、{failed} 件失敗、{pages} ページ、警告 {warnings} 件（{:.1} 秒）",
                elapsed.as_secs_f64()
            )
        } else {
            format!(
                "done: {built} built, {cached} unchanged, {failed} failed, {pages} pages, {warnings} warnings in {:.1}s",
                elapsed.as_secs_f64()
            )
        };
        if !self.quiet || failed > 0 {
            eprintln!("{line}");
        }
    }
}
