//! `report.toml` for an imported document: title, authors and dates from the document's
//! properties, funders from the credit sentence in the text (the inverse of the sentence
//! kanko prints, `manuscript::wareki::credit_ja`), placeholders for what is not there.

use std::sync::LazyLock;

use regex::Regex;

use super::xml::El;

/// A value the editor must fill in: `kanko check` fails while one is left (see
/// `manuscript::placeholder`).
pub fn placeholder(what_ja: &str) -> String {
    format!("（{what_ja}を記入）")
}

#[derive(Debug, Clone, PartialEq)]
pub struct Funder {
    pub name: String,
    pub program: String,
    pub budget: Option<String>,
    pub fiscal_year: i32,
}

/// Document properties (`docProps/core.xml`, `docProps/app.xml`).
#[derive(Debug, Default)]
pub struct Props {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub description: Option<String>,
    /// ISO date of the last save (else creation).
    pub date: Option<String>,
    pub company: Option<String>,
}

/// Account names Word fills in by itself; not authors anyone would print.
const GENERIC_AUTHORS: &[&str] = &[
    "user",
    "ユーザー",
    "windows ユーザー",
    "windows user",
    "microsoft office user",
    "microsoft office ユーザー",
    "admin",
    "administrator",
    "owner",
    "author",
    "un-named",
    "python-docx",
];

impl Props {
    pub fn read(core: Option<&El>, app: Option<&El>) -> Props {
        let mut p = Props::default();
        let text = |x: Option<&El>, name: &str| {
            x.and_then(|x| x.child(name))
                .map(|e| e.text().trim().to_string())
                .filter(|s| !s.is_empty())
        };
        p.title = text(core, "title");
        p.description = text(core, "description");
        p.company = text(app, "Company");
        p.authors = text(core, "creator")
            .map(|c| {
                c.split([';', '；', ',', '、'])
                    .map(|a| a.trim().to_string())
                    .filter(|a| {
                        !a.is_empty() && !GENERIC_AUTHORS.contains(&a.to_lowercase().as_str())
                    })
                    .collect()
            })
            .unwrap_or_default();
        p.date = text(core, "modified")
            .or_else(|| text(core, "created"))
            .and_then(|d| iso_date(&d));
        p
    }
}

fn iso_date(s: &str) -> Option<String> {
    let d = s.get(..10)?;
    let ok = d.bytes().enumerate().all(|(i, c)| {
        if i == 4 || i == 7 {
            c == b'-'
        } else {
            c.is_ascii_digit()
        }
    });
    let year: i32 = d.get(..4).filter(|_| ok)?.parse().ok()?;
    (1989..=2100).contains(&year).then(|| d.to_string())
}

static SENTENCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:この|本)(?:事業|報告書|調査|取組み?|取り組み)は、?((?:「[^「」]+」(?:、|及び|および|と)?)+)の一環として[^。]*。$")
        .expect("credit regex")
});
static QUOTED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"「([^「」]+)」").expect("quoted regex"));
static PART: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(?:(令和|平成)(元|[0-9０-９]{1,2})|([0-9０-９]{4}))年度\s*(?:[（(]([^）)]+)[）)])?\s*(.+)$")
        .expect("part regex")
});
static NAME_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(.+?(?:機構|財団|基金|協議会|協会|共同募金会|省|庁|都|道|府|県|市|区|町|村))(.+)$",
    )
    .expect("name regex")
});

/// The funders a credit sentence names, when `text` is one (この事業は「…」の一環として実施しました。).
pub fn parse_credit(text: &str) -> Option<Vec<Funder>> {
    let text = text.trim();
    let quoted = SENTENCE.captures(text)?.get(1)?.as_str();
    let funders: Option<Vec<Funder>> = QUOTED
        .captures_iter(quoted)
        .map(|c| parse_part(c.get(1)?.as_str()))
        .collect();
    funders.filter(|f| !f.is_empty())
}

fn parse_part(s: &str) -> Option<Funder> {
    let c = PART.captures(s.trim())?;
    let fiscal_year = match (c.get(1), c.get(2), c.get(3)) {
        (Some(era), Some(n), _) => {
            let n = if n.as_str() == "元" {
                1
            } else {
                number(n.as_str())?
            };
            n + if era.as_str() == "令和" { 2018 } else { 1988 }
        }
        (_, _, Some(y)) => number(y.as_str())?,
        _ => return None,
    };
    let budget = c.get(4).map(|b| b.as_str().trim().to_string());
    let rest = c.get(5)?.as_str().trim();
    let (name, program) = match rest.rfind([' ', '\u{3000}']) {
        Some(i) => {
            let space = rest[i..].chars().next().map_or(1, char::len_utf8);
            (
                rest[..i].trim().to_string(),
                rest[i + space..].trim().to_string(),
            )
        }
        None => match NAME_END.captures(rest) {
            Some(m) => (m[1].to_string(), m[2].to_string()),
            None => (rest.to_string(), placeholder("助成事業名")),
        },
    };
    Some(Funder {
        name,
        program,
        budget,
        fiscal_year,
    })
}

fn number(s: &str) -> Option<i32> {
    let ascii: String = s
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
            c => c,
        })
        .collect();
    ascii.parse().ok()
}

/// What goes into report.toml.
#[derive(Debug, Default)]
pub struct ReportToml {
    pub title: Option<String>,
    pub subtitle: Option<String>,
    pub publisher: Option<String>,
    pub published: Option<String>,
    pub fiscal_year: Option<i32>,
    pub english: bool,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub vertical: bool,
    pub funders: Vec<Funder>,
}

impl ReportToml {
    /// The file, and the keys given placeholder values.
    pub fn render(&self) -> (String, Vec<&'static str>) {
        let mut placeholders = Vec::new();
        let q = |s: &str| toml::Value::String(s.to_string()).to_string();
        let mut out = String::from(
            "# kanko import で作成しました。「（…を記入）」は仮の値です：書き換えてください（kanko check はそれまで失敗します）。\n",
        );
        let mut req = |key: &'static str, value: Option<String>, what: &str, out: &mut String| {
            let v = match value {
                Some(v) => v,
                None => {
                    placeholders.push(key);
                    q(&placeholder(what))
                }
            };
            out.push_str(&format!("{key} = {v}\n"));
        };
        req("title", self.title.as_deref().map(q), "表題", &mut out);
        if let Some(s) = &self.subtitle {
            out.push_str(&format!("subtitle = {}\n", q(s)));
        }
        req("project", None, "事業名", &mut out);
        req(
            "fiscal_year",
            self.fiscal_year.map(|y| y.to_string()),
            "年度",
            &mut out,
        );
        req(
            "publisher",
            self.publisher.as_deref().map(q),
            "発行者",
            &mut out,
        );
        req("published", self.published.clone(), "発行日", &mut out);
        if self.english {
            out.push_str("language = \"en\"\n");
        }
        if let Some(d) = &self.description {
            out.push_str(&format!("description = {}\n", q(d)));
        }
        if !self.authors.is_empty() {
            let list: Vec<String> = self.authors.iter().map(|a| q(a)).collect();
            out.push_str(&format!("authors = [{}]\n", list.join(", ")));
        }
        if self.vertical {
            out.push_str("writing_mode = \"vertical\"\n");
        }
        let funders = if self.funders.is_empty() {
            placeholders.push("funders");
            vec![Funder {
                name: placeholder("助成元"),
                program: placeholder("助成事業名"),
                budget: None,
                fiscal_year: self.fiscal_year.unwrap_or(0),
            }]
        } else {
            self.funders.clone()
        };
        for f in &funders {
            out.push_str(&format!(
                "\n[[funders]]\nname = {}\nprogram = {}\n",
                q(&f.name),
                q(&f.program)
            ));
            if let Some(b) = &f.budget {
                out.push_str(&format!("budget = {}\n", q(b)));
            }
            if self.fiscal_year.is_some_and(|y| y != f.fiscal_year) && f.fiscal_year != 0 {
                out.push_str(&format!("fiscal_year = {}\n", f.fiscal_year));
            }
        }
        (out, placeholders)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manuscript::wareki::{CreditPart, credit_ja};

    fn round_trip(parts: &[CreditPart]) -> Vec<Funder> {
        parse_credit(&credit_ja(parts)).unwrap_or_else(|| panic!("{}", credit_ja(parts)))
    }

    #[test]
    fn the_sentence_kanko_prints_parses_back_to_its_funders() {
        let a = CreditPart {
            fiscal_year: 2023,
            budget: Some("補正予算"),
            name: "独立行政法人福祉医療機構",
            program: "社会福祉振興助成事業",
            credit: None,
        };
        let b = CreditPart {
            fiscal_year: 2019,
            budget: None,
            name: "公益財団法人 みらい財団",
            program: "地域助成",
            credit: None,
        };
        let c = CreditPart {
            fiscal_year: 2018,
            budget: None,
            name: "C基金",
            program: "Z助成",
            credit: None,
        };
        for parts in [vec![a.clone()], vec![a.clone(), b.clone()], vec![a, b, c]] {
            let got = round_trip(&parts);
            assert_eq!(got.len(), parts.len());
            for (g, p) in got.iter().zip(&parts) {
                assert_eq!(g.fiscal_year, p.fiscal_year);
                assert_eq!(g.budget.as_deref(), p.budget);
                assert_eq!(g.name, p.name);
                assert_eq!(g.program, p.program);
            }
        }
    }

    #[test]
    fn the_issue_example_and_what_is_not_a_credit() {
        let f = parse_credit("この事業は「令和5年度（補正予算）独立行政法人福祉医療機構 社会福祉振興助成事業」の一環として実施しました。").unwrap();
        assert_eq!(f[0].fiscal_year, 2023);
        assert_eq!(f[0].budget.as_deref(), Some("補正予算"));
        let g = parse_credit("本事業は「令和元年度独立行政法人福祉医療機構社会福祉振興助成事業」の一環として実施しました。").unwrap();
        assert_eq!(
            (g[0].fiscal_year, g[0].name.as_str(), g[0].program.as_str()),
            (2019, "独立行政法人福祉医療機構", "社会福祉振興助成事業")
        );
        assert!(parse_credit("この事業は地域の皆さんと実施しました。").is_none());
        assert!(
            parse_credit("前置き。この事業は「令和5年度A機構 X事業」の一環として実施しました。")
                .is_none()
        );
    }

    #[test]
    fn placeholders_are_listed_and_toml_is_valid() {
        let r = ReportToml {
            title: Some("報告書 \"引用\"".into()),
            ..ReportToml::default()
        };
        let (text, ph) = r.render();
        assert!(ph.contains(&"publisher") && ph.contains(&"published") && ph.contains(&"funders"));
        let v: toml::Table = text.parse().unwrap();
        assert_eq!(v["publisher"].as_str(), Some("（発行者を記入）"));
        assert_eq!(v["title"].as_str(), Some("報告書 \"引用\""));
    }
}
