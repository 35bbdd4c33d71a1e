//! 和暦: Japanese era names for fiscal years and dates, and the funder credit sentence.
//!
//! Fiscal years (年度) run April–March and are named after the era of the year they start in,
//! by the government's convention: FY2019 is 令和元年度 although April 2019 was still 平成.

use chrono_lite::Date;

/// A calendar date without time (what `published` holds).
pub mod chrono_lite {
    #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
    pub struct Date {
        pub year: i32,
        pub month: u32,
        pub day: u32,
    }

    impl Date {
        pub fn iso(&self) -> String {
            format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }

        pub fn is_valid(&self) -> bool {
            let days = match self.month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if is_leap(self.year) => 29,
                2 => 28,
                _ => return false,
            };
            self.day >= 1 && self.day <= days
        }
    }

    fn is_leap(y: i32) -> bool {
        (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
    }
}

/// Era start dates, newest first: (name, first day).
const ERAS: [(&str, Date); 3] = [
    (
        "令和",
        Date {
            year: 2019,
            month: 5,
            day: 1,
        },
    ),
    (
        "平成",
        Date {
            year: 1989,
            month: 1,
            day: 8,
        },
    ),
    (
        "昭和",
        Date {
            year: 1926,
            month: 12,
            day: 25,
        },
    ),
];

fn era_year(n: i32) -> String {
    if n == 1 {
        "元".to_string()
    } else {
        n.to_string()
    }
}

/// `2021` → `令和3年度`; `2019` → `令和元年度`; `1989` → `平成元年度`.
pub fn fiscal_year(fy: i32) -> String {
    let (era, start) = if fy >= 2019 {
        ("令和", 2019)
    } else if fy >= 1989 {
        ("平成", 1989)
    } else {
        ("昭和", 1926)
    };
    format!("{era}{}年度", era_year(fy - start + 1))
}

/// `2025-03-28` → `令和7年3月28日`; `2019-04-30` → `平成31年4月30日`.
pub fn date(d: Date) -> String {
    let (era, start) = ERAS
        .iter()
        .find(|(_, s)| d >= *s)
        .map(|(e, s)| (*e, s.year))
        .unwrap_or(("", 0));
    if era.is_empty() {
        return format!("{}年{}月{}日", d.year, d.month, d.day);
    }
    format!(
        "{era}{}年{}月{}日",
        era_year(d.year - start + 1),
        d.month,
        d.day
    )
}

/// `2024` → `2024年度`.
pub fn fiscal_year_western(fy: i32) -> String {
    format!("{fy}年度")
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// English date: `28 March 2025`.
pub fn date_en(d: Date) -> String {
    let month = MONTHS
        .get(d.month.saturating_sub(1) as usize)
        .copied()
        .unwrap_or("");
    format!("{} {month} {}", d.day, d.year)
}

/// English fiscal year span: `April 2024 – March 2025`.
pub fn fiscal_year_span_en(fy: i32) -> String {
    format!("April {fy} – March {}", fy + 1)
}

/// One funder as the credit sentence names it.
#[derive(Debug, Clone, PartialEq)]
pub struct CreditPart<'a> {
    pub fiscal_year: i32,
    pub budget: Option<&'a str>,
    pub name: &'a str,
    pub program: &'a str,
    /// A full sentence that replaces the generated text for this funder.
    pub credit: Option<&'a str>,
}

/// この事業は「令和3年度（補正予算）独立行政法人福祉医療機構 社会福祉振興助成事業」の一環として実施しました。
/// Two or more funders become one sentence: 「A」及び「B」, three or more 「A」、「B」及び「C」.
pub fn credit_ja(parts: &[CreditPart]) -> String {
    let named = |p: &CreditPart| {
        let budget = p.budget.map(|b| format!("（{b}）")).unwrap_or_default();
        format!(
            "「{}{budget}{} {}」",
            fiscal_year(p.fiscal_year),
            p.name,
            p.program
        )
    };
    credit(
        parts,
        named,
        ("、", "及び"),
        |all| format!("この事業は{all}の一環として実施しました。"),
        "",
    )
}

/// English credit: "This project was carried out as part of the FY2021 (supplementary budget) …".
pub fn credit_en(parts: &[CreditPart]) -> String {
    let named = |p: &CreditPart| {
        let budget = p.budget.map(|b| format!(" ({b})")).unwrap_or_default();
        format!(
            "the FY{}{budget} {} of {}",
            p.fiscal_year, p.program, p.name
        )
    };
    credit(
        parts,
        named,
        (", ", " and "),
        |all| format!("This project was carried out as part of {all}."),
        " ",
    )
}

/// One generated sentence naming every funder without its own `credit`, then the funders'
/// own sentences, in order.
fn credit(
    parts: &[CreditPart],
    named: impl Fn(&CreditPart) -> String,
    (comma, and): (&str, &str),
    sentence: impl Fn(String) -> String,
    gap: &str,
) -> String {
    let generated: Vec<String> = parts
        .iter()
        .filter(|p| p.credit.is_none())
        .map(named)
        .collect();
    let mut sentences = Vec::new();
    if let [init @ .., last] = generated.as_slice() {
        let all = if init.is_empty() {
            last.clone()
        } else {
            format!("{}{and}{last}", init.join(comma))
        };
        sentences.push(sentence(all));
    }
    sentences.extend(parts.iter().filter_map(|p| p.credit.map(str::to_string)));
    sentences.join(gap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(year: i32, month: u32, day: u32) -> Date {
        Date { year, month, day }
    }

    #[test]
    fn fiscal_years_at_era_boundaries() {
        assert_eq!(fiscal_year(2019), "令和元年度");
        assert_eq!(fiscal_year(2020), "令和2年度");
        assert_eq!(fiscal_year(2024), "令和6年度");
        assert_eq!(fiscal_year(2018), "平成30年度");
        assert_eq!(fiscal_year(1989), "平成元年度");
        assert_eq!(fiscal_year(1990), "平成2年度");
        assert_eq!(fiscal_year(2100), "令和82年度");
    }

    #[test]
    fn every_fiscal_year_in_range_is_named_consistently() {
        for fy in 1989..=2100 {
            let label = fiscal_year(fy);
            let (era, n) = if fy >= 2019 {
                ("令和", fy - 2018)
            } else {
                ("平成", fy - 1988)
            };
            let num = if n == 1 {
                "元".to_string()
            } else {
                n.to_string()
            };
            assert_eq!(label, format!("{era}{num}年度"), "fiscal year {fy}");
        }
    }

    #[test]
    fn dates_switch_era_on_the_first_day() {
        assert_eq!(date(d(2019, 4, 30)), "平成31年4月30日");
        assert_eq!(date(d(2019, 5, 1)), "令和元年5月1日");
        assert_eq!(date(d(2025, 3, 28)), "令和7年3月28日");
        assert_eq!(date(d(1989, 1, 7)), "昭和64年1月7日");
        assert_eq!(date(d(1989, 1, 8)), "平成元年1月8日");
        assert_eq!(date(d(2020, 1, 1)), "令和2年1月1日");
    }

    #[test]
    fn every_day_from_1989_to_2100_has_an_era_year_that_counts_up() {
        let mut day = d(1989, 1, 8);
        let mut last: Option<(String, String)> = None;
        while day.year <= 2100 {
            let s = date(day);
            let era = s.chars().take(2).collect::<String>();
            let year = s[era.len()..].split('年').next().unwrap().to_string();
            if let Some((le, ly)) = &last
                && *le == era
                && *ly != year
            {
                let prev: i32 = if ly == "元" { 1 } else { ly.parse().unwrap() };
                assert_eq!(year, (prev + 1).to_string(), "{s}");
            }
            assert!(s.ends_with(&format!("{}月{}日", day.month, day.day)));
            last = Some((era, year));
            day = next_day(day);
        }
    }

    fn next_day(mut x: Date) -> Date {
        x.day += 1;
        if !x.is_valid() {
            x.day = 1;
            x.month += 1;
            if x.month > 12 {
                x.month = 1;
                x.year += 1;
            }
        }
        x
    }

    fn part<'a>(name: &'a str, program: &'a str, budget: Option<&'a str>) -> CreditPart<'a> {
        CreditPart {
            fiscal_year: 2021,
            budget,
            name,
            program,
            credit: None,
        }
    }

    #[test]
    fn credit_reads_like_the_real_ones() {
        let p = part(
            "独立行政法人福祉医療機構",
            "社会福祉振興助成事業",
            Some("補正予算"),
        );
        assert_eq!(
            credit_ja(&[p]),
            "この事業は「令和3年度（補正予算）独立行政法人福祉医療機構 社会福祉振興助成事業」の一環として実施しました。"
        );
    }

    #[test]
    fn two_and_three_funders_make_one_sentence() {
        let a = part("A機構", "X事業", None);
        let b = part("B財団", "Y助成", None);
        let c = part("C基金", "Z助成", None);
        assert_eq!(
            credit_ja(&[a.clone(), b.clone()]),
            "この事業は「令和3年度A機構 X事業」及び「令和3年度B財団 Y助成」の一環として実施しました。"
        );
        let three = credit_ja(&[a, b, c]);
        assert!(three.contains(
            "「令和3年度A機構 X事業」、「令和3年度B財団 Y助成」及び「令和3年度C基金 Z助成」"
        ));
        assert_eq!(three.matches('。').count(), 1);
    }

    #[test]
    fn explicit_credit_replaces_the_generated_text() {
        let mut a = part("A機構", "X事業", None);
        a.credit = Some("本事業はA機構の助成を受けました。");
        assert_eq!(credit_ja(&[a.clone()]), "本事業はA機構の助成を受けました。");
        let b = part("B財団", "Y助成", None);
        let both = credit_ja(&[a, b]);
        assert!(both.starts_with("この事業は「令和3年度B財団 Y助成」の一環"));
        assert!(both.ends_with("本事業はA機構の助成を受けました。"));
    }

    #[test]
    fn english_credit_and_dates() {
        let p = part(
            "Welfare and Medical Service Agency",
            "Social Welfare Promotion Grant",
            None,
        );
        assert_eq!(
            credit_en(&[p]),
            "This project was carried out as part of the FY2021 Social Welfare Promotion Grant of Welfare and Medical Service Agency."
        );
        assert_eq!(date_en(d(2025, 3, 28)), "28 March 2025");
        assert_eq!(fiscal_year_span_en(2024), "April 2024 – March 2025");
    }
}
