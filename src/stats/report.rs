//! The counts of a period as a summary (the JSON), and that summary as the terminal table,
//! CSV, and a Markdown chapter with a kanko chart block.

use serde::Serialize;

use super::count::{self, Counter};
use super::period::Period;
use super::site::{Kind, Site};

#[derive(Debug, Serialize, Default, Clone, Copy, PartialEq, Eq)]
pub struct Numbers {
    /// Visits that downloaded the PDF (200 or 206; many byte ranges are one download).
    pub pdf: u64,
    pub epub: u64,
    /// The print shop's PDF (`<slug>-print.pdf`).
    pub print_pdf: u64,
    /// Visits that opened the page-flip reader.
    pub reader: u64,
    /// Reader visits that fetched the page group holding the middle page, or the last page.
    pub reader_middle: u64,
    pub reader_end: u64,
    pub text_mode: u64,
    /// Read-aloud started in the page view (its data file; in text mode nothing is fetched).
    pub read_aloud: u64,
    /// The report's page in the catalog (`<slug>/`).
    pub report_page: u64,
}

impl Numbers {
    fn add(&mut self, o: &Numbers) {
        self.pdf += o.pdf;
        self.epub += o.epub;
        self.print_pdf += o.print_pdf;
        self.reader += o.reader;
        self.reader_middle += o.reader_middle;
        self.reader_end += o.reader_end;
        self.text_mode += o.text_mode;
        self.read_aloud += o.read_aloud;
        self.report_page += o.report_page;
    }

    fn from_cells(c: &Counter, month: i32, report: usize) -> Numbers {
        let get = |it: u32| c.cells.get(&(month, it)).copied().unwrap_or(0);
        let k = |kind: Kind| get(count::item(report, kind));
        let r = report as u32 * 16;
        Numbers {
            pdf: k(Kind::Pdf),
            epub: k(Kind::Epub),
            print_pdf: k(Kind::Print),
            reader: k(Kind::Reader),
            reader_middle: get(r + count::MIDDLE),
            reader_end: get(r + count::END),
            text_mode: k(Kind::Text),
            read_aloud: k(Kind::Speech),
            report_page: k(Kind::Page),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct PeriodOut {
    pub from: String,
    pub to: String,
    pub fiscal_year: Option<i32>,
    pub label: String,
    /// No period was asked for: the fiscal year of the logs' last line.
    pub by_default: bool,
}

#[derive(Debug, Serialize)]
pub struct LogsOut {
    pub files: usize,
    pub lines: u64,
    pub malformed: u64,
    pub other_site: u64,
    pub outside_period: u64,
    pub first: Option<String>,
    pub last: Option<String>,
}

#[derive(Debug, Serialize, Default)]
pub struct LeftOut {
    /// Crawler visits: by user agent plus by robots.txt.
    pub visits: u64,
    pub by_user_agent: u64,
    pub by_robots_txt: u64,
    /// Their requests of this site.
    pub requests: u64,
}

#[derive(Debug, Serialize, Default)]
pub struct CatalogOut {
    pub visits: u64,
    /// Visits that used the full-text search (its index files are fetched on the first query).
    pub searches: u64,
}

#[derive(Debug, Serialize)]
pub struct MonthNumbers {
    pub month: String,
    #[serde(flatten)]
    pub n: Numbers,
}

#[derive(Debug, Serialize)]
pub struct ReportOut {
    pub slug: String,
    pub title: String,
    #[serde(flatten)]
    pub n: Numbers,
    pub months: Vec<MonthNumbers>,
}

#[derive(Debug, Serialize)]
pub struct MonthOut {
    pub month: String,
    #[serde(flatten)]
    pub n: Numbers,
    pub catalog_visits: u64,
    pub searches: u64,
    pub left_out_visits: u64,
}

#[derive(Debug, Serialize)]
pub struct Summary {
    pub period: PeriodOut,
    pub logs: LogsOut,
    pub left_out: LeftOut,
    pub catalog: CatalogOut,
    pub totals: Numbers,
    pub reports: Vec<ReportOut>,
    pub months: Vec<MonthOut>,
    /// Fiscal years the logs cover (for the note when none was asked for).
    #[serde(skip)]
    pub fiscal_years: Vec<i32>,
}

/// `20240401` → `2024-04-01`.
pub fn iso(d: i32) -> String {
    format!("{:04}-{:02}-{:02}", d / 10000, (d / 100) % 100, d % 100)
}

fn month_iso(m: i32) -> String {
    format!("{:04}-{:02}", m / 12, m % 12 + 1)
}

pub fn period_label(p: &Period, ja: bool) -> String {
    match (p.fiscal_year, ja) {
        (Some(fy), true) => format!(
            "{}（{fy}年4月〜{}年3月）",
            crate::manuscript::wareki::fiscal_year(fy),
            fy + 1
        ),
        (Some(fy), false) => format!("FY{fy} (April {fy} – March {})", fy + 1),
        (None, true) => format!("{}〜{}", iso(p.from.max(10101)), iso(p.to)),
        (None, false) => format!("{} – {}", iso(p.from.max(10101)), iso(p.to)),
    }
}

pub fn summarize(site: &Site, c: &Counter, p: &Period, files: usize, by_default: bool) -> Summary {
    let l = &c.lines;
    // An open-ended --from/--to: the months the logs cover.
    let (from, to) = (
        p.from.max(l.first.unwrap_or(p.from)),
        p.to.min(l.last.unwrap_or(p.to)),
    );
    let span = Period {
        from: if p.fiscal_year.is_some() {
            p.from
        } else {
            from
        },
        to: if p.fiscal_year.is_some() {
            p.to
        } else {
            to.max(from)
        },
        fiscal_year: p.fiscal_year,
    };
    let months: Vec<i32> = span.months().collect();
    let in_period = |m: &i32| months.contains(m);
    let get = |m: i32, it: u32| c.cells.get(&(m, it)).copied().unwrap_or(0);
    let mut totals = Numbers::default();
    let reports: Vec<ReportOut> = site
        .reports
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let ms: Vec<MonthNumbers> = months
                .iter()
                .map(|&m| MonthNumbers {
                    month: month_iso(m),
                    n: Numbers::from_cells(c, m, i),
                })
                .collect();
            let mut n = Numbers::default();
            ms.iter().for_each(|m| n.add(&m.n));
            totals.add(&n);
            ReportOut {
                slug: r.slug.clone(),
                title: r.title.clone(),
                n,
                months: ms,
            }
        })
        .collect();
    let month_rows: Vec<MonthOut> = months
        .iter()
        .enumerate()
        .map(|(k, &m)| {
            let mut n = Numbers::default();
            reports.iter().for_each(|r| n.add(&r.months[k].n));
            MonthOut {
                month: month_iso(m),
                n,
                catalog_visits: get(m, count::CATALOG),
                searches: get(m, count::SEARCH),
                left_out_visits: get(m, count::LEFT_AGENT) + get(m, count::LEFT_ROBOTS),
            }
        })
        .collect();
    let sum = |it: u32| {
        c.cells
            .iter()
            .filter(|((m, i), _)| *i == it && in_period(m))
            .map(|(_, n)| n)
            .sum::<u64>()
    };
    let (agent, robots) = (sum(count::LEFT_AGENT), sum(count::LEFT_ROBOTS));
    let fiscal_years = match (l.first, l.last) {
        (Some(a), Some(b)) => {
            (super::period::fiscal_year_of(a)..=super::period::fiscal_year_of(b)).collect()
        }
        _ => Vec::new(),
    };
    Summary {
        period: PeriodOut {
            from: iso(span.from),
            to: iso(span.to),
            fiscal_year: p.fiscal_year,
            label: period_label(&span, crate::i18n::japanese()),
            by_default,
        },
        logs: LogsOut {
            files,
            lines: l.lines,
            malformed: l.malformed,
            other_site: l.other_site,
            outside_period: l.outside_period,
            first: l.first.map(iso),
            last: l.last.map(iso),
        },
        left_out: LeftOut {
            visits: agent + robots,
            by_user_agent: agent,
            by_robots_txt: robots,
            requests: sum(count::LEFT_REQUESTS),
        },
        catalog: CatalogOut {
            visits: sum(count::CATALOG),
            searches: sum(count::SEARCH),
        },
        totals,
        reports,
        months: month_rows,
        fiscal_years,
    }
}

// ------------------------------------------------------------------ terminal table

/// Columns a string takes in a terminal (East Asian wide characters take two).
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || u >= 0x20000
            {
                2
            } else {
                1
            }
        })
        .sum()
}

/// Cut to `w` columns (with … when cut).
fn fit(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if width(&out) + width(&c.to_string()) + 1 > w {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

fn left(s: &str, w: usize) -> String {
    let s = fit(s, w);
    let pad = w.saturating_sub(width(&s));
    format!("{s}{}", " ".repeat(pad))
}

fn right(s: &str, w: usize) -> String {
    let pad = w.saturating_sub(width(s));
    format!("{}{s}", " ".repeat(pad))
}

/// `1234567` → `1,234,567`.
fn grouped(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn share(part: u64, of: u64) -> String {
    match (part * 100 + of / 2).checked_div(of) {
        Some(p) => format!("{} ({p}%)", grouped(part)),
        None => grouped(part),
    }
}

struct Col {
    head: &'static str,
    get: fn(&Numbers) -> String,
}

fn columns(ja: bool, print: bool) -> Vec<Col> {
    let t = |a: &'static str, b: &'static str| if ja { a } else { b };
    let mut cols = vec![
        Col {
            head: "PDF",
            get: |n| grouped(n.pdf),
        },
        Col {
            head: "EPUB",
            get: |n| grouped(n.epub),
        },
    ];
    if print {
        cols.push(Col {
            head: t("印刷用PDF", "Print PDF"),
            get: |n| grouped(n.print_pdf),
        });
    }
    cols.extend([
        Col {
            head: t("リーダー", "Reader"),
            get: |n| grouped(n.reader),
        },
        Col {
            head: t("中ほどまで", "To middle"),
            get: |n| share(n.reader_middle, n.reader),
        },
        Col {
            head: t("最後まで", "To end"),
            get: |n| share(n.reader_end, n.reader),
        },
        Col {
            head: t("テキスト", "Text"),
            get: |n| grouped(n.text_mode),
        },
        Col {
            head: t("読み上げ", "Aloud"),
            get: |n| grouped(n.read_aloud),
        },
        Col {
            head: t("紹介ページ", "Page"),
            get: |n| grouped(n.report_page),
        },
    ]);
    cols
}

fn grid(first: &str, rows: &[(String, Vec<String>)], heads: &[&str], first_w: usize) -> String {
    let widths: Vec<usize> = heads
        .iter()
        .enumerate()
        .map(|(k, h)| {
            rows.iter()
                .map(|r| width(&r.1[k]))
                .chain([width(h)])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let fw = rows
        .iter()
        .map(|r| width(&r.0))
        .chain([width(first)])
        .max()
        .unwrap_or(0)
        .min(first_w);
    let mut out = left(first, fw);
    for (h, w) in heads.iter().zip(&widths) {
        out.push_str("  ");
        out.push_str(&right(h, *w));
    }
    out.push('\n');
    out.push_str(&"─".repeat(fw + widths.iter().map(|w| w + 2).sum::<usize>()));
    out.push('\n');
    for (name, cells) in rows {
        out.push_str(&left(name, fw));
        for (c, w) in cells.iter().zip(&widths) {
            out.push_str("  ");
            out.push_str(&right(c, *w));
        }
        out.push('\n');
    }
    out
}

pub fn table(s: &Summary, ja: bool) -> String {
    let t = |a: &'static str, b: &'static str| if ja { a } else { b };
    let print = s.totals.print_pdf > 0;
    let cols = columns(ja, print);
    let heads: Vec<&str> = cols.iter().map(|c| c.head).collect();
    let mut out = String::new();
    out.push_str(&format!(
        "{}  {}\n",
        t("利用状況", "Use of the reports"),
        s.period.label
    ));
    if s.period.by_default && s.fiscal_years.len() > 1 {
        let years: Vec<String> = s.fiscal_years.iter().map(|y| y.to_string()).collect();
        out.push_str(&if ja {
            format!(
                "（ログの最後の年度です。ほかの年度は --fiscal-year で: {}）\n",
                years.join(", ")
            )
        } else {
            format!(
                "(the logs' last fiscal year; others with --fiscal-year: {})\n",
                years.join(", ")
            )
        });
    }
    out.push('\n');
    let mut rows: Vec<(String, Vec<String>)> = s
        .reports
        .iter()
        .map(|r| {
            (
                r.title.clone(),
                cols.iter().map(|c| (c.get)(&r.n)).collect(),
            )
        })
        .collect();
    rows.push((
        t("合計", "Total").into(),
        cols.iter().map(|c| (c.get)(&s.totals)).collect(),
    ));
    out.push_str(&grid(t("報告書", "Report"), &rows, &heads, 30));
    out.push('\n');
    let mut mheads: Vec<&str> = vec!["PDF", "EPUB"];
    if print {
        mheads.push(t("印刷用PDF", "Print PDF"));
    }
    mheads.extend([
        t("リーダー", "Reader"),
        t("テキスト", "Text"),
        t("読み上げ", "Aloud"),
        t("紹介ページ", "Page"),
        t("カタログ", "Catalog"),
        t("検索", "Search"),
        t("除外", "Left out"),
    ]);
    let mrows: Vec<(String, Vec<String>)> = s
        .months
        .iter()
        .map(|m| {
            let (y, mo) = m.month.split_once('-').unwrap_or(("", ""));
            let mo: u32 = mo.parse().unwrap_or(0);
            let label = if ja {
                format!("{y}年{mo}月")
            } else {
                format!("{y}-{mo:02}")
            };
            let mut cells = vec![grouped(m.n.pdf), grouped(m.n.epub)];
            if print {
                cells.push(grouped(m.n.print_pdf));
            }
            cells.extend([
                grouped(m.n.reader),
                grouped(m.n.text_mode),
                grouped(m.n.read_aloud),
                grouped(m.n.report_page),
                grouped(m.catalog_visits),
                grouped(m.searches),
                grouped(m.left_out_visits),
            ]);
            (label, cells)
        })
        .collect();
    out.push_str(&grid(t("月", "Month"), &mrows, &mheads, 12));
    out.push('\n');
    let (c, l, g) = (&s.catalog, &s.left_out, &s.logs);
    if ja {
        out.push_str(&format!(
            "カタログの訪問 {}、全文検索を使った訪問 {}。\nクローラなどの訪問 {} 件を除きました（ユーザーエージェントで {}、robots.txt の取得で {}。リクエスト {}）。\nログ {} ファイル {} 行（この公開フォルダ以外 {}、期間外 {}、形式不正 {}）。\n",
            grouped(c.visits), grouped(c.searches), grouped(l.visits), grouped(l.by_user_agent),
            grouped(l.by_robots_txt), grouped(l.requests), g.files, grouped(g.lines),
            grouped(g.other_site), grouped(g.outside_period), grouped(g.malformed)
        ));
        out.push_str("数え方: 同じ端末（アドレス＋ユーザーエージェント）の30分以内の一続きを1訪問とし、1訪問の同じ操作は1回と数えます。アドレスは集計中のメモリでだけ使い、どこにも書き出しません。\n");
    } else {
        out.push_str(&format!(
            "Catalog visits {}, visits that used the full-text search {}.\nLeft out {} crawler visits ({} by user agent, {} for fetching robots.txt; {} requests).\nLogs: {} files, {} lines ({} not of this site, {} outside the period, {} malformed).\n",
            grouped(c.visits), grouped(c.searches), grouped(l.visits), grouped(l.by_user_agent),
            grouped(l.by_robots_txt), grouped(l.requests), g.files, grouped(g.lines),
            grouped(g.other_site), grouped(g.outside_period), grouped(g.malformed)
        ));
        out.push_str("Counting: one visit = one device (address + user agent) until 30 minutes of silence; the same thing done twice in a visit counts once. Addresses are used in memory only while counting and never written.\n");
    }
    out
}

// ------------------------------------------------------------------ CSV

pub fn csv(s: &Summary) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "month",
        "slug",
        "title",
        "pdf",
        "epub",
        "print_pdf",
        "reader",
        "reader_middle",
        "reader_end",
        "text_mode",
        "read_aloud",
        "report_page",
        "catalog_visits",
        "searches",
        "left_out_visits",
    ]);
    let nums = |n: &Numbers| {
        [
            n.pdf,
            n.epub,
            n.print_pdf,
            n.reader,
            n.reader_middle,
            n.reader_end,
            n.text_mode,
            n.read_aloud,
            n.report_page,
        ]
        .map(|v| v.to_string())
    };
    let total = crate::i18n::tr("（合計）", "(all reports)");
    for (k, m) in s.months.iter().enumerate() {
        for r in &s.reports {
            let mut rec = vec![m.month.clone(), r.slug.clone(), r.title.clone()];
            rec.extend(nums(&r.months[k].n));
            rec.extend([String::new(), String::new(), String::new()]);
            let _ = w.write_record(&rec);
        }
        let mut rec = vec![m.month.clone(), String::new(), total.to_string()];
        rec.extend(nums(&m.n));
        rec.extend([m.catalog_visits, m.searches, m.left_out_visits].map(|v| v.to_string()));
        let _ = w.write_record(&rec);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

// ------------------------------------------------------------------ chapter

/// Text for a Markdown table cell or paragraph: every ASCII punctuation character that
/// Markdown (or kanko's ruby `{…|…}`) could read as syntax is backslash-escaped.
fn md(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        if c == '\n' || c == '\r' {
            out.push(' ');
        } else {
            out.push(c);
        }
    }
    out
}

/// A TOML basic string.
fn toml_str(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into())
}

pub fn chapter(s: &Summary, ja: bool) -> String {
    let fy = s.period.fiscal_year;
    let label = match fy {
        Some(y) if ja => crate::manuscript::wareki::fiscal_year(y),
        Some(y) => format!("FY{y}"),
        None => s.period.label.clone(),
    };
    let span = if ja {
        let day = |d: &str| {
            let p: Vec<u32> = d.split('-').filter_map(|x| x.parse().ok()).collect();
            match p.as_slice() {
                [y, m, d] => format!("{y}年{m}月{d}日"),
                _ => d.to_string(),
            }
        };
        format!("{}〜{}", day(&s.period.from), day(&s.period.to))
    } else {
        format!("{} to {}", s.period.from, s.period.to)
    };
    let t = &s.totals;
    let mut out = String::new();
    if ja {
        out.push_str(&format!("# 報告書の利用状況（{label}）\n\n"));
        out.push_str(&format!(
            "{label}（{span}）にウェブサイトで公開した報告書が、どれだけダウンロードされ、読まれたかを、ウェブサーバーのアクセスログから数えました。閲覧した人を追跡する仕組み（解析用のタグやクッキー）は使っていません。\n\n"
        ));
        out.push_str(&format!(
            "- ダウンロード：PDF {} 回、EPUB {} 回{}\n- ウェブのリーダーで開いた回数：{} 回（中ほどまで読まれたもの {} 回、最後まで {} 回）\n- テキスト表示 {} 回、読み上げ {} 回\n- 報告書一覧（カタログ）の訪問 {} 回、全文検索の利用 {} 回\n\n",
            grouped(t.pdf), grouped(t.epub),
            if t.print_pdf > 0 { format!("、印刷用 PDF {} 回", grouped(t.print_pdf)) } else { String::new() },
            grouped(t.reader), grouped(t.reader_middle), grouped(t.reader_end),
            grouped(t.text_mode), grouped(t.read_aloud), grouped(s.catalog.visits), grouped(s.catalog.searches)
        ));
    } else {
        out.push_str(&format!("# Use of our reports ({label})\n\n"));
        out.push_str(&format!(
            "How often the reports we publish on our website were downloaded and read from {span}, counted from the web server's access logs. No tracking (no analytics tag, no cookie) was used.\n\n"
        ));
        out.push_str(&format!(
            "- Downloads: PDF {}, EPUB {}{}\n- Opened in the web reader: {} (read to the middle {}, to the end {})\n- Text mode {}, read aloud {}\n- Catalog visits {}, full-text searches {}\n\n",
            grouped(t.pdf), grouped(t.epub),
            if t.print_pdf > 0 { format!(", print PDF {}", grouped(t.print_pdf)) } else { String::new() },
            grouped(t.reader), grouped(t.reader_middle), grouped(t.reader_end),
            grouped(t.text_mode), grouped(t.read_aloud), grouped(s.catalog.visits), grouped(s.catalog.searches)
        ));
    }
    // The chart: downloads and reader openings per month.
    let (title, month_h, reader_h, unit, note) = if ja {
        (
            format!("月別のダウンロード数とリーダーで開いた回数（{label}）"),
            "月",
            "リーダー",
            "回",
            format!(
                "出典：ウェブサーバーのアクセスログ（kanko stats で集計）。クローラなどの訪問 {} 件を除く",
                grouped(s.left_out.visits)
            ),
        )
    } else {
        (
            format!("Downloads and reader openings per month ({label})"),
            "Month",
            "Reader",
            "",
            format!(
                "Source: the web server's access logs (counted by kanko stats), without {} crawler visits",
                grouped(s.left_out.visits)
            ),
        )
    };
    out.push_str("```chart\ntype = \"column\"\n");
    out.push_str(&format!("title = {}\n", toml_str(&title)));
    out.push_str(&format!("label = {}\n", toml_str(month_h)));
    if !unit.is_empty() {
        out.push_str(&format!("unit = {}\n", toml_str(unit)));
    }
    out.push_str(&format!("note = {}\n", toml_str(&note)));
    out.push_str("csv = \"\"\"\n");
    out.push_str(&format!("{month_h},PDF,EPUB,{reader_h}\n"));
    for m in &s.months {
        let (y, mo) = m.month.split_once('-').unwrap_or(("", ""));
        let mo: u32 = mo.parse().unwrap_or(0);
        let label = if ja {
            if fy.is_some() {
                format!("{mo}月")
            } else {
                format!("{y}年{mo}月")
            }
        } else {
            format!("{y}-{mo:02}")
        };
        out.push_str(&format!(
            "{label},{},{},{}\n",
            m.n.pdf, m.n.epub, m.n.reader
        ));
    }
    out.push_str("\"\"\"\n```\n\n");
    // The table: one row per report.
    let heads: &[&str] = if ja {
        &[
            "報告書",
            "PDF",
            "EPUB",
            "リーダー",
            "最後まで",
            "テキスト表示",
            "読み上げ",
        ]
    } else {
        &[
            "Report",
            "PDF",
            "EPUB",
            "Reader",
            "To the end",
            "Text mode",
            "Read aloud",
        ]
    };
    if ja {
        out.push_str(&format!("**表　報告書ごとの利用（{label}）**\n\n"));
    } else {
        out.push_str(&format!("**Table: use of each report ({label})**\n\n"));
    }
    out.push_str(&format!("| {} |\n", heads.join(" | ")));
    out.push_str("|:--|--:|--:|--:|--:|--:|--:|\n");
    let row = |name: &str, n: &Numbers| {
        format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            name,
            grouped(n.pdf),
            grouped(n.epub),
            grouped(n.reader),
            grouped(n.reader_end),
            grouped(n.text_mode),
            grouped(n.read_aloud)
        )
    };
    for r in &s.reports {
        out.push_str(&row(&md(&r.title), &r.n));
    }
    out.push_str(&row(if ja { "**合計**" } else { "**Total**" }, t));
    out.push('\n');
    if ja {
        out.push_str("数え方：同じ端末（IP アドレスとブラウザの種類）からの、30分以上あかない一続きのアクセスを1回の訪問とし、1回の訪問で同じファイルを何度取得しても1回と数えました。PDF をブラウザで開いたときの分割取得も1回です。検索エンジンのクローラなどは除いています。「最後まで」は、リーダーで最後のページを含む部分まで読み込まれた訪問の数です。IP アドレスは集計のあいだだけ使い、記録していません。\n");
    } else {
        out.push_str("How we counted: one visit is a run of requests from one device (IP address and browser) with no pause over 30 minutes; a file fetched several times in one visit (a PDF opened in the browser comes in many parts) counts once. Search-engine crawlers and the like are left out. \"To the end\" counts reader visits that loaded the part holding the last page. IP addresses were used only while counting and were not recorded.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_and_numbers() {
        assert_eq!(width("報告書abc"), 9);
        assert_eq!(fit("あいうえおかきくけこ", 7), "あいう…");
        assert_eq!(grouped(1234567), "1,234,567");
        assert_eq!(grouped(12), "12");
        assert_eq!(share(1, 3), "1 (33%)");
        assert_eq!(share(0, 0), "0");
    }

    #[test]
    fn markdown_and_toml_text_is_inert() {
        assert_eq!(
            md("a|b*c_<x>{漢字|かんじ}"),
            r"a\|b\*c\_\<x\>\{漢字\|かんじ\}"
        );
        assert_eq!(md("1\n2"), "1 2");
        assert_eq!(toml_str("a\"b\\c\n"), r#""a\"b\\c\n""#);
    }
}
