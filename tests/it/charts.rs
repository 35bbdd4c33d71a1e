//! Charts from the survey's own numbers (issue 14): a `chart` block and a CSV become a vector
//! chart with written alt text in the PDF, inline SVG and a data table in the EPUB and text
//! mode; every bad input is a message at file:line:col, and the other reports are still built.

use std::process::Command;
use std::sync::OnceLock;

use crate::fixtures::*;
use crate::util::*;

const YOKATTA: &str = "項目,人数\r\nみんなでごはんを食べられる,223\r\n友だちができた・会える,183\r\n大人に話を聞いてもらえる,140\r\n特にない,14\r\n";

/// One chart of each type; the bar chart reads a CSV file saved by Excel (BOM, CRLF).
fn chapter() -> String {
    "# 調査の結果\n\n\
     ```chart\ntype = \"bar\"\ntitle = \"居場所に来てよかったこと（複数回答）\"\ndata = \"data/yokatta.csv\"\n\
     unit = \"人\"\ntotal = 312\nsort = \"desc\"\nnote = \"出典：2023年度 子ども票\"\ntable = true\n```\n\n\
     ```chart\ntype = \"column\"\ntitle = \"1回あたりの平均参加者数\"\nunit = \"人\"\ncsv = \"\"\"\n\
     四半期,子ども,保護者\n4〜6月,21.5,6.2\n7〜9月,27.1,\n10〜12月,\"1,234\",６.８\n\"\"\"\n```\n\n\
     ```chart\ntype = \"stacked\"\ntitle = \"話せる大人がいるか（学年別）\"\ncsv = \"\"\"\n\
     学年,いる,ときどき,いない\n小学生,40%,35%,25%\n中学生,52％,30％,18％\n\"\"\"\n```\n\n\
     ```chart\ntype = \"line\"\ntitle = \"登録ボランティア数の推移\"\nunit = \"人\"\ncsv = \"\"\"\n\
     年度,登録者数\n2019年度,38\n2020年度,22\n2021年度,57\n\"\"\"\n```\n"
        .to_string()
}

fn charts() -> &'static Built {
    static B: OnceLock<Built> = OnceLock::new();
    B.get_or_init(|| {
        let work = Work::new();
        work.report("charts", &[("01.md", &chapter())]);
        let mut csv = b"\xEF\xBB\xBF".to_vec();
        csv.extend_from_slice(YOKATTA.as_bytes());
        work.write("charts/data/yokatta.csv", csv);
        let run = work.build();
        Built { work, run }
    })
}

#[test]
fn every_chart_type_builds_without_a_warning() {
    let b = charts();
    b.run.ok();
    assert!(b.run.stderr.contains(" 0 warnings"), "{}", b.run.stderr);
}

#[test]
fn the_pdf_prints_the_labels_and_values_as_text() {
    let b = charts();
    b.run.ok();
    let text = squash(&pdftotext(&b.work.pdf("charts"), None));
    for s in [
        "みんなでごはんを食べられる",
        "223人（71.5%）",
        "14人（4.5%）",
        "図1居場所に来てよかったこと（複数回答、n=312）",
        "出典：2023年度子ども票",
        "1,234.0人",
        "6.8人",
        "データなし",
        "10〜12月",
        "40.0%",
        "中学生",
        "52.0%",
        "57人",
        "2020年度",
        "図4登録ボランティア数の推移",
    ] {
        assert!(text.contains(s), "{s:?} not in the PDF text:\n{text}");
    }
    // The data table under the first chart (`table = true`): header and the share column.
    assert!(text.contains("項目人数割合"), "{text}");
}

#[test]
fn no_chart_is_a_raster_image() {
    let b = charts();
    b.run.ok();
    let list = tool(
        "pdfimages",
        &["-list", b.work.pdf("charts").to_str().unwrap()],
    );
    let rows: Vec<&str> = list
        .lines()
        .filter(|l| l.trim_start().starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    assert!(rows.is_empty(), "raster images in the PDF:\n{list}");
}

/// The `/Alt` strings of the PDF's structure tree, as qpdf decodes them.
fn alt_texts(pdf: &std::path::Path) -> Vec<String> {
    let out = Command::new("qpdf")
        .arg("--json")
        .arg(pdf)
        .output()
        .expect("qpdf installed");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("qpdf JSON");
    let mut alts = Vec::new();
    fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
        match v {
            serde_json::Value::Object(m) => {
                let figure = m.get("/S").and_then(|s| s.as_str()) == Some("/Figure");
                if let (true, Some(a)) = (figure, m.get("/Alt").and_then(|a| a.as_str())) {
                    out.push(a.trim_start_matches("u:").to_string());
                }
                m.values().for_each(|x| walk(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    walk(&json, &mut alts);
    alts
}

#[test]
fn the_pdf_claims_pdf_ua_1_and_each_chart_is_a_figure_with_the_written_alt_text() {
    let b = charts();
    b.run.ok();
    let pdf = b.work.pdf("charts");
    let raw = std::fs::read(&pdf).unwrap();
    assert!(String::from_utf8_lossy(&raw).contains("pdfuaid:part"));
    let alts = alt_texts(&pdf);
    assert_eq!(alts.len(), 4, "{alts:#?}");
    assert!(
        alts[0].starts_with("横棒グラフ：居場所に来てよかったこと（複数回答、n=312）。みんなでごはんを食べられる 223人（71.5%）、"),
        "{}",
        alts[0]
    );
    assert!(
        alts[0].contains(
            "最も多いのは「みんなでごはんを食べられる」、最も少ないのは「特にない」14人（4.5%）。"
        ),
        "{}",
        alts[0]
    );
    assert!(alts[1].starts_with("縦棒グラフ："), "{}", alts[1]);
    assert!(
        alts[1].contains("7〜9月 データなし"),
        "a missing value is said: {}",
        alts[1]
    );
    assert!(alts[2].contains("「中学生」：いる 52.0%"), "{}", alts[2]);
    assert!(
        alts[3].contains("2019年度の38人から2021年度の57人へ"),
        "{}",
        alts[3]
    );
}

#[test]
fn the_epub_has_each_chart_as_inline_svg_with_alt_text_and_a_data_table() {
    let b = charts();
    b.run.ok();
    let epub = b.work.epub("charts");
    let x = all_xhtml(&epub);
    assert_eq!(x.matches("<figure class=\"chart\">").count(), 4);
    assert_eq!(x.matches("<svg ").count(), 4);
    assert!(x.contains(
        "role=\"img\" aria-label=\"横棒グラフ：居場所に来てよかったこと（複数回答、n=312）。"
    ));
    assert!(x.contains("<title>横棒グラフ：居場所に来てよかったこと"));
    assert!(x.contains("<figcaption><span class=\"fig-label\">図1</span>　居場所に来てよかったこと（複数回答、n=312）</figcaption>"));
    assert!(
        x.contains("<caption>図1のデータ：居場所に来てよかったこと（複数回答、n=312）</caption>")
    );
    assert!(x.contains("<th scope=\"col\">人数</th>"));
    assert!(x.contains("<th scope=\"row\">みんなでごはんを食べられる</th><td class=\"al-r\">223人</td><td class=\"al-r\">71.5%</td>"));
    assert!(
        opf(&epub).contains("properties=\"svg\""),
        "the chapter with inline SVG must declare it in the manifest"
    );
}

#[test]
fn the_text_mode_shows_the_chart_and_a_collapsible_table() {
    let b = charts();
    b.run.ok();
    let html = std::fs::read_to_string(b.work.dist().join("charts/reader/text.html")).unwrap();
    assert_eq!(html.matches("<details class=\"chart-data\">").count(), 4);
    assert!(html.contains("<summary>図2のデータ（表）</summary>"));
    assert!(html.contains("role=\"img\" aria-label=\"縦棒グラフ："));
}

#[test]
fn an_excel_shift_jis_csv_is_read_with_a_warning_naming_the_file() {
    let w = Work::new();
    let md = "# 結果\n\n```chart\ntitle = \"利用頻度\"\ndata = \"data/hindo.csv\"\n```\n";
    w.report("sjis", &[("01.md", md)]);
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode("頻度,人数\r\n週1回,96\r\n月1回,49\r\n");
    w.write("sjis/data/hindo.csv", bytes);
    let r = w.build();
    r.ok().says("reports/sjis/data/hindo.csv").says("Shift_JIS");
    let text = squash(&pdftotext(&w.pdf("sjis"), None));
    assert!(text.contains("週1回") && text.contains("96"), "{text}");
}

#[test]
fn an_english_report_gets_english_alt_text() {
    let w = Work::new();
    w.write("en/report.toml", report_toml("Outcomes", "en"));
    let md = "# Results\n\n```chart\ntype = \"column\"\ntitle = \"Mentees who agreed\"\nunit = \"%\"\ncsv = \"\"\"\nStatement,Share\nI feel heard,88\nI know where to ask,71\n\"\"\"\n```\n";
    w.write("en/01.md", md);
    w.build().ok();
    let alts = alt_texts(&w.pdf("en"));
    assert_eq!(
        alts,
        vec!["Column chart: Mentees who agreed. I feel heard 88%, I know where to ask 71%. The largest is “I feel heard”; the smallest is “I know where to ask” with 71%.".to_string()]
    );
    let x = all_xhtml(&w.epub("en"));
    assert!(x.contains("<caption>Data for Figure 1: Mentees who agreed</caption>"));
}

// ------------------------------------------------------------------------- bad input

/// A workspace with `good` and a report `bad` whose chapter holds `block` (a chart block
/// starting on line 3) and the given extra files.
fn bad(block: &str, files: &[(&str, &[u8])]) -> (Work, Run) {
    let w = work_with_good();
    w.write("bad/report.toml", report_toml("bad", "ja"));
    w.write("bad/01.md", format!("# 本文\n\n```chart\n{block}```\n"));
    for (name, bytes) in files {
        w.write(&format!("bad/{name}"), bytes);
    }
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    (w, r)
}

const CSV: &[u8] = "項目,人数\nA,3\nB,5\n".as_bytes();

#[test]
fn a_missing_csv_file_is_named_at_the_data_line() {
    let (_, r) = bad("title = \"t\"\ndata = \"data/nai.csv\"\n", &[]);
    r.says("reports/bad/01.md:5:8").says("data/nai.csv");
}

#[test]
fn a_csv_path_that_leaves_the_report_folder_is_refused() {
    let (_, r) = bad("title = \"t\"\ndata = \"../good/x.csv\"\n", &[]);
    r.says("reports/bad/01.md:5:8")
        .says("leaves the report folder");
}

#[test]
fn an_unknown_key_is_named_with_the_chapter_line_and_a_did_you_mean() {
    let (_, r) = bad(
        "title = \"t\"\nvalue = [\"人数\"]\ndata = \"d.csv\"\n",
        &[("d.csv", CSV)],
    );
    r.says("reports/bad/01.md:5:1")
        .says("unknown key `value`")
        .says("did you mean `values`?");
}

#[test]
fn a_key_written_twice_is_named_at_both_chapter_lines() {
    let (_, r) = bad(
        "title = \"t\"\ndata = \"d.csv\"\ntitle = \"u\"\n",
        &[("d.csv", CSV)],
    );
    r.says("reports/bad/01.md:6:1")
        .says("key `title` is defined twice")
        .says("first defined at reports/bad/01.md:4:1");
    assert!(!r.stderr.contains("unknown key"), "{}", r.stderr);
}

#[test]
fn an_unknown_chart_type_is_named_with_a_did_you_mean() {
    let (_, r) = bad("type = \"colum\"\ndata = \"d.csv\"\n", &[("d.csv", CSV)]);
    r.says("reports/bad/01.md:4:8")
        .says("unknown chart type `colum`")
        .says("did you mean `column`?");
}

#[test]
fn a_label_or_values_column_that_does_not_exist_is_named() {
    let (_, r) = bad("label = \"項木\"\ndata = \"d.csv\"\n", &[("d.csv", CSV)]);
    r.says("reports/bad/01.md:4:9")
        .says("no column \"項木\"")
        .says("did you mean \"項目\"?");
    let (_, r) = bad(
        "values = [\"回答数\"]\ndata = \"d.csv\"\n",
        &[("d.csv", CSV)],
    );
    r.says("reports/bad/01.md:4:10")
        .says("no column \"回答数\"");
}

#[test]
fn a_value_that_is_not_a_number_is_named_at_its_csv_line_and_column() {
    let csv = "項目,人数\nA,3\nB,約30\n".as_bytes();
    let (_, r) = bad("values = [\"人数\"]\ndata = \"d.csv\"\n", &[("d.csv", csv)]);
    r.says("reports/bad/d.csv:3:3")
        .says("\"約30\" is not a number");
    // Inline data: the chapter's line and column.
    let (_, r) = bad(
        "csv = \"\"\"\n項目,人数\nA,3\nB,約30\n\"\"\"\nvalues = [\"人数\"]\n",
        &[],
    );
    r.says("reports/bad/01.md:7:3")
        .says("\"約30\" is not a number");
}

#[test]
fn a_ragged_row_is_named_at_its_csv_line() {
    let csv = "項目,人数\nA,3\nB,5,7\n".as_bytes();
    let (_, r) = bad("data = \"d.csv\"\n", &[("d.csv", csv)]);
    r.says("reports/bad/d.csv:3:5")
        .says("3 fields but the header row has 2");
}

#[test]
fn an_empty_csv_is_an_error() {
    let (_, r) = bad("data = \"d.csv\"\n", &[("d.csv", b"")]);
    r.says("reports/bad/d.csv:1:1").says("the CSV is empty");
    let (_, r) = bad("data = \"d.csv\"\n", &[("d.csv", "項目,人数\n".as_bytes())]);
    r.says("reports/bad/d.csv:1:1").says("no data rows");
}

#[test]
fn negative_values_in_a_stacked_chart_are_named() {
    let csv = "学年,いる,いない\n小学生,40,60\n中学生,-5,105\n".as_bytes();
    let (_, r) = bad("type = \"stacked\"\ndata = \"d.csv\"\n", &[("d.csv", csv)]);
    r.says("reports/bad/d.csv:3:5")
        .says("cannot draw negative values");
}

#[test]
fn a_bar_chart_with_more_than_40_categories_builds_with_a_warning() {
    let w = Work::new();
    let mut csv = String::from("市区町村,件数\n");
    for i in 1..=45 {
        csv.push_str(&format!("地区{i},{i}\n"));
    }
    w.report(
        "many",
        &[(
            "01.md",
            "# 結果\n\n```chart\ntitle = \"地区別の件数\"\ndata = \"d.csv\"\n```\n",
        )],
    );
    w.write("many/d.csv", csv);
    let r = w.build();
    r.ok().says("reports/many/01.md:3:1").says("45 categories");
    let text = squash(&pdftotext(&w.pdf("many"), None));
    assert!(text.contains("地区45") && text.contains("地区1"), "{text}");
}

#[test]
fn kanko_check_reports_a_bad_chart_without_building() {
    let w = work_with_good();
    w.write("bad/report.toml", report_toml("bad", "ja"));
    w.write(
        "bad/01.md",
        "# 本文\n\n```chart\ntype = \"pie\"\ncsv = \"\"\"\n項目,人数\nA,3\n\"\"\"\n```\n",
    );
    let r = w.kanko(&["check", "--reports", "reports"]);
    r.fails()
        .says("reports/bad/01.md:4:8")
        .says("unknown chart type `pie`");
    assert!(!w.dist().exists(), "check wrote dist/");
}
