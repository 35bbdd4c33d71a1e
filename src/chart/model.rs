//! A chart as the outputs draw it: its kind, categories and series, labels and alt text, checked.

use std::path::Path;

use serde::Serialize;

use super::format;
use crate::diag::{Diag, Pos};

/// Categories above this make a bar or column chart hard to read: a warning, not an error.
pub const MANY_CATEGORIES: usize = 40;
/// More series than this cannot be told apart by lightness and marks.
pub const MAX_SERIES: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Horizontal bars, one row per category.
    Bar,
    /// Vertical columns, grouped when there are several series.
    Column,
    /// Horizontal 100 % stacked bars: each category's series as shares of its sum.
    Stacked,
    Line,
}

impl Kind {
    pub const NAMES: &[&str] = &["bar", "column", "stacked", "line"];

    pub fn from_name(s: &str) -> Option<Kind> {
        match s {
            "bar" => Some(Kind::Bar),
            "column" => Some(Kind::Column),
            "stacked" => Some(Kind::Stacked),
            "line" => Some(Kind::Line),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Series {
    pub name: String,
    /// One per category; `None` is a missing value (an empty cell).
    pub values: Vec<Option<f64>>,
}

/// A chart ready to draw: every number checked, every label written.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chart {
    pub kind: Kind,
    pub title: Option<String>,
    /// Header of the category column (the table's first header cell).
    pub label: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    pub unit: String,
    pub total: Option<f64>,
    pub note: Option<String>,
    /// Print the data table under the chart in the PDF too.
    pub table: bool,
    /// The report is Japanese (labels, alt text).
    pub japanese: bool,
    /// Written from the data (see `alt`).
    pub alt: String,
}

impl Chart {
    /// The caption: the title, with 「n=312」 when a total is given.
    pub fn caption(&self) -> String {
        let title = self.title.clone().unwrap_or_default();
        match self.total {
            Some(t) => format::with_n(&title, t, self.japanese),
            None => title,
        }
    }

    /// The label printed at a data point: `222人（71.2%）`, `45%`, or "no data".
    pub fn value_label(&self, v: Option<f64>) -> String {
        format::value_label(v, self.decimals(), &self.unit, self.total, self.japanese)
    }

    /// Decimals that every value of the chart is printed with (the most any value needs).
    pub fn decimals(&self) -> usize {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .map(|v| format::decimals(*v))
            .max()
            .unwrap_or(0)
    }

    /// Shares of each category's sum, for stacked charts (in %).
    pub fn shares(&self, cat: usize) -> Vec<Option<f64>> {
        let sum: f64 = self
            .series
            .iter()
            .filter_map(|s| s.values.get(cat).copied().flatten())
            .sum();
        self.series
            .iter()
            .map(|s| {
                let v = s.values.get(cat).copied().flatten()?;
                (sum > 0.0).then(|| v / sum * 100.0)
            })
            .collect()
    }

    /// The data table: header row and rows of text, as every format prints it.
    pub fn table_rows(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let ja = self.japanese;
        let mut head = vec![self.label.clone()];
        let pct = self.total.is_some() && self.series.len() == 1;
        for s in &self.series {
            head.push(s.name.clone());
        }
        if pct {
            head.push(if ja { "割合" } else { "Share" }.to_string());
        }
        let rows = self
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let mut row = vec![c.clone()];
                for s in &self.series {
                    row.push(format::number_or_missing(
                        s.values[i],
                        self.decimals(),
                        &self.unit,
                    ));
                }
                if let (true, Some(t)) = (pct, self.total) {
                    row.push(match self.series[0].values[i] {
                        Some(v) if t > 0.0 => format::percent(v / t * 100.0),
                        _ => "—".into(),
                    });
                }
                row
            })
            .collect();
        (head, rows)
    }

    /// The largest value of any series (0 when there is none): the end of the value axis.
    pub fn max_value(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0_f64, |a, b| a.max(*b))
    }

    pub fn min_value(&self) -> f64 {
        self.series
            .iter()
            .flat_map(|s| s.values.iter().flatten())
            .fold(0.0_f64, |a, b| a.min(*b))
    }

    /// The value axis: `(low, high, ticks)` on a 1-2-2.5-5 grid, always including zero.
    pub fn axis(&self) -> (f64, f64, Vec<f64>) {
        let (lo, hi) = (self.min_value(), self.max_value());
        let span = if hi - lo > 0.0 { hi - lo } else { 1.0 };
        let raw = span / 5.0;
        let mag = 10f64.powf(raw.log10().floor());
        let step = [1.0, 2.0, 2.5, 5.0, 10.0]
            .iter()
            .map(|m| m * mag)
            .find(|s| *s >= raw * 0.999)
            .unwrap_or(10.0 * mag);
        let (lo, hi) = ((lo / step).floor() * step, (hi / step).ceil() * step);
        let hi = if hi > lo { hi } else { lo + step };
        let count = ((hi - lo) / step).round() as usize;
        let ticks = (0..=count.min(20)).map(|k| lo + step * k as f64).collect();
        (lo, hi, ticks)
    }

    /// Every character the chart prints (for the missing-glyph check).
    pub fn text(&self) -> String {
        let mut out = self.caption();
        for s in self
            .categories
            .iter()
            .chain(self.series.iter().map(|s| &s.name))
        {
            out.push('\n');
            out.push_str(s);
        }
        out.push('\n');
        out.push_str(&self.label);
        out.push_str(&self.unit);
        out.push_str(self.note.as_deref().unwrap_or(""));
        out.push_str(&self.alt);
        out
    }
}

/// Where a chart block is, for messages: the chapter file and the fence's position.
pub struct Origin<'a> {
    /// The chapter as messages name it.
    pub file: &'a Path,
    /// The report folder (CSV paths are relative to it).
    pub dir: &'a Path,
    pub pos: Pos,
    pub japanese: bool,
    /// Checks a file path the block names and gives it relative to the report folder and in
    /// full (the manuscript's rule for every file it names).
    pub resolve: fn(&str, &Path) -> Result<(String, std::path::PathBuf), String>,
}

/// What reading one chart gives: the chart (when usable), the CSV file read, and messages.
pub struct Resolved {
    pub chart: Option<Chart>,
    /// `(path relative to the report folder, bytes)` of the CSV file, for the input hash.
    pub input: Option<(String, Vec<u8>)>,
    pub diags: Vec<Diag>,
}
