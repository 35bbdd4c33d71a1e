//! Alt text written from the data, in the report's language: what kind of chart, its title and
//! n, every value (or the largest and smallest few when there are many), and what stands out.

use super::format::{missing, with_n};
use super::model::{Chart, Kind};

/// Up to this many categories, every value is read out.
const READ_ALL: usize = 12;
/// Otherwise this many from each end.
const ENDS: usize = 3;

pub fn write(c: &Chart) -> String {
    let ja = c.japanese;
    let kind = match (c.kind, ja) {
        (Kind::Bar, true) => "横棒グラフ",
        (Kind::Column, true) => "縦棒グラフ",
        (Kind::Stacked, true) => "帯グラフ（100%積み上げ横棒）",
        (Kind::Line, true) => "折れ線グラフ",
        (Kind::Bar, false) => "Bar chart",
        (Kind::Column, false) => "Column chart",
        (Kind::Stacked, false) => "100% stacked bar chart",
        (Kind::Line, false) => "Line chart",
    };
    let title = c.title.clone().unwrap_or_default();
    let title = match c.total {
        Some(t) => with_n(&title, t, ja),
        None => title,
    };
    let mut out = if title.is_empty() {
        format!("{kind}{}", if ja { "。" } else { ". " })
    } else if ja {
        format!("{kind}：{title}。")
    } else {
        format!("{kind}: {title}. ")
    };
    if c.series.len() > 1 && ja {
        let names: Vec<String> = c.series.iter().map(|s| format!("「{}」", s.name)).collect();
        out.push_str(&format!("系列は{}。", names.join("")));
    } else if c.series.len() > 1 {
        let names: Vec<&str> = c.series.iter().map(|s| s.name.as_str()).collect();
        out.push_str(&format!("Series: {}. ", names.join(", ")));
    }
    match c.kind {
        Kind::Stacked => stacked(c, &mut out),
        _ if c.series.len() == 1 => single(c, &mut out),
        _ => multi(c, &mut out),
    }
    out.trim_end().to_string()
}

fn sentence_end(ja: bool) -> &'static str {
    if ja { "。" } else { ". " }
}

fn list_sep(ja: bool) -> &'static str {
    if ja { "、" } else { ", " }
}

fn quote(s: &str, ja: bool) -> String {
    if ja {
        format!("「{s}」")
    } else {
        format!("“{s}”")
    }
}

/// Indices of the categories to read out: all, or the largest and smallest few.
fn picked(values: &[Option<f64>]) -> (Vec<usize>, bool) {
    let n = values.len();
    if n <= READ_ALL {
        return ((0..n).collect(), false);
    }
    let mut order: Vec<usize> = (0..n).filter(|i| values[*i].is_some()).collect();
    order.sort_by(|a, b| {
        values[*b]
            .unwrap_or(0.0)
            .total_cmp(&values[*a].unwrap_or(0.0))
    });
    let mut pick: Vec<usize> = order.iter().take(ENDS).copied().collect();
    for i in order.iter().rev().take(ENDS).rev() {
        if !pick.contains(i) {
            pick.push(*i);
        }
    }
    (pick, true)
}

fn single(c: &Chart, out: &mut String) {
    let ja = c.japanese;
    let s = &c.series[0];
    let (pick, partial) = picked(&s.values);
    let item = |i: usize| format!("{} {}", c.categories[i], c.value_label(s.values[i]));
    if partial {
        let n = c.categories.len();
        let top: Vec<String> = pick.iter().take(ENDS).map(|i| item(*i)).collect();
        let bottom: Vec<String> = pick.iter().skip(ENDS).map(|i| item(*i)).collect();
        if ja {
            out.push_str(&format!(
                "{n}項目のうち、多い順に{}。少ないのは{}。",
                top.join("、"),
                bottom.join("、")
            ));
        } else {
            out.push_str(&format!(
                "Of {n} categories, the largest are {}; the smallest are {}. ",
                top.join(", "),
                bottom.join(", ")
            ));
        }
    } else {
        let items: Vec<String> = pick.iter().map(|i| item(*i)).collect();
        out.push_str(&items.join(list_sep(ja)));
        out.push_str(sentence_end(ja));
    }
    extremes(c, &s.values, out);
    missing_note(c, &s.values, out);
}

/// 「最も多いのは…、最も少ないのは…」
fn extremes(c: &Chart, values: &[Option<f64>], out: &mut String) {
    let ja = c.japanese;
    let known: Vec<(usize, f64)> = values
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    if known.len() < 2 {
        return;
    }
    let hi = known
        .iter()
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|x| x.0)
        .unwrap_or(0);
    let lo = known
        .iter()
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|x| x.0)
        .unwrap_or(0);
    if values[hi] == values[lo] {
        out.push_str(if ja {
            "どの項目も同じ値です。"
        } else {
            "All values are equal. "
        });
        return;
    }
    let (h, l) = (&c.categories[hi], &c.categories[lo]);
    let lv = c.value_label(values[lo]);
    if c.kind == Kind::Line {
        let (first, last) = (known[0], known[known.len() - 1]);
        let (fc, lc) = (&c.categories[first.0], &c.categories[last.0]);
        let (fv, lv2) = (c.value_label(Some(first.1)), c.value_label(Some(last.1)));
        let hv = c.value_label(values[hi]);
        if ja {
            out.push_str(&format!(
                "{fc}の{fv}から{lc}の{lv2}へ。最も高いのは{h}の{hv}、最も低いのは{l}の{lv}。"
            ));
        } else {
            out.push_str(&format!(
                "From {fv} in {fc} to {lv2} in {lc}; highest in {h} ({hv}), lowest in {l} ({lv}). "
            ));
        }
        return;
    }
    if ja {
        out.push_str(&format!(
            "最も多いのは{}、最も少ないのは{}{lv}。",
            quote(h, ja),
            quote(l, ja)
        ));
    } else {
        out.push_str(&format!(
            "The largest is {}; the smallest is {} with {lv}. ",
            quote(h, ja),
            quote(l, ja)
        ));
    }
}

fn missing_note(c: &Chart, values: &[Option<f64>], out: &mut String) {
    let ja = c.japanese;
    let gaps: Vec<String> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_none())
        .map(|(i, _)| quote(&c.categories[i], ja))
        .collect();
    if gaps.is_empty() {
        return;
    }
    if ja {
        out.push_str(&format!("{}は{}。", gaps.join(""), missing(ja)));
    } else {
        out.push_str(&format!("No data for {}. ", gaps.join(", ")));
    }
}

/// Several series (grouped columns, lines): one sentence per series.
fn multi(c: &Chart, out: &mut String) {
    let ja = c.japanese;
    for s in &c.series {
        let (pick, _) = picked(&s.values);
        let items: Vec<String> = pick
            .iter()
            .map(|i| format!("{} {}", c.categories[*i], c.value_label(s.values[*i])))
            .collect();
        if ja {
            out.push_str(&format!("{}：{}。", quote(&s.name, ja), items.join("、")));
        } else {
            out.push_str(&format!("{}: {}. ", s.name, items.join(", ")));
        }
        if c.kind == Kind::Line {
            let mut one = String::new();
            extremes(c, &s.values, &mut one);
            out.push_str(&one);
        }
        missing_note(c, &s.values, out);
    }
}

/// Stacked: each category's shares, then which category has the largest share of the first part.
fn stacked(c: &Chart, out: &mut String) {
    let ja = c.japanese;
    let n = c.categories.len();
    let cats: Vec<usize> = if n <= READ_ALL {
        (0..n).collect()
    } else {
        (0..ENDS).chain(n - ENDS..n).collect()
    };
    for i in cats {
        let shares = c.shares(i);
        let parts: Vec<String> = c
            .series
            .iter()
            .zip(&shares)
            .map(|(s, p)| match p {
                Some(p) => format!("{} {}", s.name, super::format::percent(*p)),
                None => format!("{} {}", s.name, missing(ja)),
            })
            .collect();
        if ja {
            out.push_str(&format!(
                "{}：{}。",
                quote(&c.categories[i], ja),
                parts.join("、")
            ));
        } else {
            out.push_str(&format!("{}: {}. ", c.categories[i], parts.join(", ")));
        }
    }
    let first: Vec<Option<f64>> = (0..n).map(|i| c.shares(i)[0]).collect();
    let best = first
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .max_by(|a, b| a.1.total_cmp(&b.1));
    if let (Some((i, p)), true) = (best, n > 1) {
        let name = quote(&c.series[0].name, ja);
        let cat = quote(&c.categories[i], ja);
        let p = super::format::percent(p);
        if ja {
            out.push_str(&format!("{name}の割合が最も高いのは{cat}（{p}）。"));
        } else {
            out.push_str(&format!("The share of {name} is highest for {cat} ({p}). "));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::model::Series;
    use super::*;

    fn chart(kind: Kind, cats: &[&str], series: &[(&str, &[Option<f64>])]) -> Chart {
        Chart {
            kind,
            title: Some("居場所に来てよかったこと（複数回答）".into()),
            label: "項目".into(),
            categories: cats.iter().map(|s| s.to_string()).collect(),
            series: series
                .iter()
                .map(|(n, v)| Series {
                    name: n.to_string(),
                    values: v.to_vec(),
                })
                .collect(),
            unit: "人".into(),
            total: Some(312.0),
            note: None,
            table: false,
            japanese: true,
            alt: String::new(),
        }
    }

    #[test]
    fn a_bar_chart_is_read_out_like_the_issue_says() {
        let c = chart(
            Kind::Bar,
            &["友だちに会える", "ごはん", "特にない"],
            &[("人数", &[Some(222.0), Some(150.0), Some(9.0)])],
        );
        assert_eq!(
            write(&c),
            "横棒グラフ：居場所に来てよかったこと（複数回答、n=312）。友だちに会える 222人（71.2%）、ごはん 150人（48.1%）、特にない 9人（2.9%）。最も多いのは「友だちに会える」、最も少ないのは「特にない」9人（2.9%）。"
        );
    }

    #[test]
    fn a_missing_value_is_said() {
        let c = chart(
            Kind::Column,
            &["A", "B", "C"],
            &[("人数", &[Some(3.0), None, Some(1.0)])],
        );
        let a = write(&c);
        assert!(a.contains("B データなし"), "{a}");
        assert!(a.contains("「B」はデータなし。"), "{a}");
    }

    #[test]
    fn many_categories_give_the_ends_only() {
        let cats: Vec<String> = (1..=20).map(|i| format!("項目{i}")).collect();
        let refs: Vec<&str> = cats.iter().map(String::as_str).collect();
        let vals: Vec<Option<f64>> = (1..=20).map(|i| Some(i as f64)).collect();
        let a = write(&chart(Kind::Bar, &refs, &[("人数", &vals)]));
        assert!(a.contains("20項目のうち、多い順に項目20 20人"), "{a}");
        assert!(!a.contains("項目10 "), "{a}");
    }
}
