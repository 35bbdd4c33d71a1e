//! How chart numbers are written: `1,234人`, `71.2%`, 「n=312」, "no data". One place, so the
//! PDF, the SVG, the table and the alt text always say the same thing.

/// `1234` → `1,234`; `12.5` → `12.5`; at most two decimals, trailing zeros dropped.
pub fn number(v: f64) -> String {
    fixed(v, decimals(v))
}

/// How many decimals (0–2) `v` needs.
pub fn decimals(v: f64) -> usize {
    (0..2)
        .find(|d| {
            let m = 10f64.powi(*d as i32);
            ((v * m).round() - v * m).abs() < 1e-6
        })
        .unwrap_or(2)
}

/// The number with exactly `d` decimals (so a column reads `27.0`, `21.4`), grouped by 3.
pub fn fixed(v: f64, d: usize) -> String {
    let neg = v < 0.0;
    let fixed = format!("{:.*}", d.min(2), v.abs());
    let (int, frac) = fixed.split_once('.').unwrap_or((&fixed, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if neg && (int != "0" || !frac.is_empty()) {
        "−"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

/// `71.2%` (one decimal).
pub fn percent(p: f64) -> String {
    format!("{:.1}%", p)
}

/// The value with its unit (and `d` decimals): `222人`, `45%`, `12 people`.
pub fn with_unit(v: f64, d: usize, unit: &str) -> String {
    let n = fixed(v, d);
    if unit.starts_with(|c: char| c.is_ascii_alphabetic()) {
        format!("{n} {unit}")
    } else {
        format!("{n}{unit}")
    }
}

pub fn missing(japanese: bool) -> &'static str {
    if japanese {
        "データなし"
    } else {
        "no data"
    }
}

/// The label at a bar or point: `222人（71.2%）`, or "no data".
pub fn value_label(
    v: Option<f64>,
    d: usize,
    unit: &str,
    total: Option<f64>,
    japanese: bool,
) -> String {
    let Some(v) = v else {
        return missing(japanese).to_string();
    };
    let base = with_unit(v, d, unit);
    match total {
        Some(t) if t > 0.0 && unit != "%" => {
            let p = percent(v / t * 100.0);
            if japanese {
                format!("{base}（{p}）")
            } else {
                format!("{base} ({p})")
            }
        }
        _ => base,
    }
}

/// A table cell: the value with its unit, or a dash for a missing value.
pub fn number_or_missing(v: Option<f64>, d: usize, unit: &str) -> String {
    v.map_or("—".into(), |v| with_unit(v, d, unit))
}

/// The title with `n=312` folded into a closing parenthesis, or appended in one.
pub fn with_n(title: &str, total: f64, japanese: bool) -> String {
    let n = format!("n={}", number(total));
    if japanese {
        match title.strip_suffix('）') {
            Some(rest) => format!("{rest}、{n}）"),
            None if title.is_empty() => n,
            None => format!("{title}（{n}）"),
        }
    } else {
        match title.strip_suffix(')') {
            Some(rest) => format!("{rest}, {n})"),
            None if title.is_empty() => n,
            None => format!("{title} ({n})"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_and_trimmed() {
        assert_eq!(number(1234.0), "1,234");
        assert_eq!(number(1234567.5), "1,234,567.5");
        assert_eq!(number(12.25), "12.25");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-3.0), "−3");
        assert_eq!(number(999.0), "999");
        assert_eq!(fixed(27.0, 1), "27.0");
        assert_eq!(decimals(21.4), 1);
    }

    #[test]
    fn labels_carry_unit_and_share() {
        assert_eq!(
            value_label(Some(222.0), 0, "人", Some(312.0), true),
            "222人（71.2%）"
        );
        assert_eq!(value_label(Some(45.0), 0, "%", Some(312.0), true), "45%");
        assert_eq!(
            value_label(Some(12.0), 0, "people", None, false),
            "12 people"
        );
        assert_eq!(value_label(None, 0, "人", None, true), "データなし");
    }

    #[test]
    fn n_goes_inside_the_closing_parenthesis() {
        assert_eq!(
            with_n("よかったこと（複数回答）", 312.0, true),
            "よかったこと（複数回答、n=312）"
        );
        assert_eq!(with_n("利用頻度", 312.0, true), "利用頻度（n=312）");
        assert_eq!(with_n("Outcomes", 24.0, false), "Outcomes (n=24)");
    }
}
