//! From the spec and the CSV cells to a `Chart`: pick the label and value columns, parse the
//! numbers, check what the chart type needs, sort, write the alt text.

use super::csv::{Cell, Table};
use super::model::{Chart, Kind, MANY_CATEGORIES, MAX_SERIES, Origin, Series};
use super::spec::{Sort, Spec};
use crate::diag::Diag;

// Long: checks a chart's columns and values against its spec in the order an editor reads the
// messages, building the series as it goes.
pub fn build(spec: Spec, table: Table, o: &Origin, diags: &mut Vec<Diag>) -> Option<Chart> {
    let before = diags.len();
    let names: Vec<&str> = table.head.iter().map(|c| c.text.as_str()).collect();
    let label_col = match &spec.label {
        None => 0,
        Some((name, at)) => match column(&names, name) {
            Some(i) => i,
            None => {
                diags.push(no_column(o, "label", name, &names, (at.line, at.col)));
                return None;
            }
        },
    };
    let value_cols: Vec<usize> = match &spec.values {
        Some((wanted, at)) => {
            let mut cols = Vec::new();
            for name in wanted {
                match column(&names, name) {
                    Some(i) => cols.push(i),
                    None => diags.push(no_column(o, "values", name, &names, (at.line, at.col))),
                }
            }
            cols
        }
        None => (0..names.len())
            .filter(|i| *i != label_col)
            .filter(|i| numeric_column(&table, *i))
            .collect(),
    };
    if diags.len() > before {
        return None;
    }
    if value_cols.is_empty() {
        // No column is all numbers: name the first cell that is not one.
        let bad = (0..names.len()).filter(|i| *i != label_col).find_map(|i| {
            table
                .rows
                .iter()
                .map(|r| &r[i])
                .find(|c| super::csv::number(&c.text).is_err())
        });
        let d = match bad {
            Some(c) => not_a_number(&table, c),
            None => Diag::error(crate::t!(
                "CSV に数値の列がありません（見出しの列のほかに、値の列が必要です）",
                "the CSV has no column of numbers (besides the label column, one column of values is needed)"
            ))
            .at(&table.file, table.head[0].at.line, table.head[0].at.col),
        };
        diags.push(d);
        return None;
    }
    if value_cols.len() > MAX_SERIES {
        let k = value_cols.len();
        diags.push(
            Diag::error(crate::t!(
                "値の列が多すぎます（{k}列、{MAX_SERIES}列まで）",
                "too many value columns ({k}; at most {MAX_SERIES})"
            ))
            .at(o.file, spec.at.line, spec.at.col)
            .help(crate::t!(
                "`values = [\"列名\", …]` で描く列を選んでください",
                "choose the columns to plot with `values = [\"column\", …]`"
            )),
        );
        return None;
    }
    let mut percent_cells = false;
    let mut series: Vec<Series> = Vec::new();
    for &col in &value_cols {
        let mut values = Vec::new();
        for row in &table.rows {
            let cell = &row[col];
            match super::csv::number(&cell.text) {
                Ok(v) => {
                    percent_cells |= v.is_some_and(|(_, p)| p);
                    let v = v.map(|(v, _)| v);
                    if let Some(x) = v
                        && x < 0.0
                        && spec.kind != Kind::Line
                    {
                        diags.push(negative(&table, cell, spec.kind));
                    }
                    values.push(v);
                }
                Err(()) => diags.push(not_a_number(&table, cell)),
            }
        }
        series.push(Series {
            name: names[col].to_string(),
            values,
        });
    }
    if diags.len() > before {
        return None;
    }
    let mut categories: Vec<String> = table
        .rows
        .iter()
        .map(|r| r[label_col].text.clone())
        .collect();
    sort(spec.sort, &mut categories, &mut series);
    let n = categories.len();
    if n > MANY_CATEGORIES && matches!(spec.kind, Kind::Bar | Kind::Column | Kind::Stacked) {
        diags.push(
            Diag::warning(crate::t!(
                "項目が {n} 個あります。{MANY_CATEGORIES} 個を超える棒グラフは読み取りにくくなります",
                "the chart has {n} categories; a bar chart with more than {MANY_CATEGORIES} is hard to read"
            ))
            .at(o.file, spec.at.line, spec.at.col)
            .help(crate::t!(
                "上位の項目だけを描き、残りは「その他」にまとめるか、表にしてください",
                "plot the largest categories and group the rest as \"other\", or use a table"
            )),
        );
    }
    let unit = spec.unit.clone().unwrap_or_else(|| {
        if percent_cells {
            "%".into()
        } else {
            String::new()
        }
    });
    let mut chart = Chart {
        kind: spec.kind,
        title: spec.title,
        label: names[label_col].to_string(),
        categories,
        series,
        unit,
        total: spec.total,
        note: spec.note,
        table: spec.table,
        japanese: o.japanese,
        alt: String::new(),
    };
    chart.alt = super::alt::write(&chart);
    Some(chart)
}

fn column(names: &[&str], want: &str) -> Option<usize> {
    names.iter().position(|n| *n == want.trim())
}

fn numeric_column(t: &Table, i: usize) -> bool {
    let mut any = false;
    for r in &t.rows {
        match super::csv::number(&r[i].text) {
            Ok(Some(_)) => any = true,
            Ok(None) => {}
            Err(()) => return false,
        }
    }
    any
}

/// Sorts categories (and every series with them) by the first series; missing values last.
fn sort(how: Sort, cats: &mut Vec<String>, series: &mut [Series]) {
    if how == Sort::None || series.is_empty() {
        return;
    }
    let key = series[0].values.clone();
    let mut order: Vec<usize> = (0..cats.len()).collect();
    order.sort_by(|a, b| match (key[*a], key[*b]) {
        (Some(x), Some(y)) => {
            let o = x.total_cmp(&y);
            if how == Sort::Desc { o.reverse() } else { o }
        }
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    *cats = order.iter().map(|i| cats[*i].clone()).collect();
    for s in series {
        s.values = order.iter().map(|i| s.values[*i]).collect();
    }
}

fn no_column(o: &Origin, key: &str, name: &str, names: &[&str], at: (usize, usize)) -> Diag {
    let list = names.iter().map(|n| format!("「{n}」")).collect::<String>();
    let mut d = Diag::error(crate::t!(
        "`{key}` の列「{name}」が CSV にありません（見出し：{list}）",
        "`{key}`: the CSV has no column \"{name}\" (its header row has {list})"
    ))
    .at(o.file, at.0, at.1);
    if let Some(best) = crate::tomldiag::suggest(name, names) {
        d = d.help(crate::t!(
            "「{best}」のことですか？",
            "did you mean \"{best}\"?"
        ));
    }
    d
}

fn not_a_number(t: &Table, c: &Cell) -> Diag {
    let text = &c.text;
    Diag::error(crate::t!(
        "「{text}」は数値ではありません",
        "\"{text}\" is not a number"
    ))
    .at(&t.file, c.at.line, c.at.col)
    .help(crate::t!(
        "数字だけを書いてください（1,234・１２３・12.5% も可）。単位は `unit` に、値がないときは空欄に",
        "write the number only (1,234, 12.5% also work); put the unit in `unit`, and leave the cell empty for a missing value"
    ))
}

fn negative(t: &Table, c: &Cell, kind: Kind) -> Diag {
    let text = &c.text;
    let d = Diag::error(crate::t!(
        "「{text}」：この種類のグラフには負の値を描けません",
        "\"{text}\": this chart type cannot draw negative values"
    ))
    .at(&t.file, c.at.line, c.at.col);
    if kind == Kind::Stacked {
        d.help(crate::t!(
            "帯グラフ（stacked）は各項目を 100% として割合を描きます。負の値は割合になりません",
            "a stacked chart shows each category's parts as shares of 100 %; a negative part has no share"
        ))
    } else {
        d.help(crate::t!(
            "増減を描くときは `type = \"line\"` を使ってください",
            "for changes up and down use `type = \"line\"`"
        ))
    }
}
