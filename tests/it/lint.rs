//! `kanko check`'s house-style lint, through the real binary: every rule has a report that
//! trips it and one that does not; `--format json` parses; exit status; `--fix`; `[lint]`.

use std::process::Command;

use serde_json::Value;

use crate::util::{BIN, Work, png};

/// (rule, a chapter that trips it, a chapter that does not). Images: `images/small.png`
/// (400×300) and `images/big.png` (1600×1000) exist in every report.
const CASES: &[(&str, &str, &str)] = &[
    (
        "heading-skip",
        "# 一\n\n本文です。\n\n### 三\n\n本文です。\n",
        "# 一\n\n## 二\n\n### 三\n\n本文です。\n",
    ),
    (
        "image-alt",
        "# 図\n\n![](images/big.png)\n",
        "# 図\n\n![参加者数の推移](images/big.png)\n",
    ),
    (
        "image-resolution",
        "# 図\n\n![小さな図](images/small.png)\n",
        "# 図\n\n![大きな図](images/big.png)\n\n文中のアイコン ![印](images/small.png) は対象外です。\n",
    ),
    (
        "missing-glyph",
        "# 字\n\nここに\u{10FFFD}があります。\n",
        "# 字\n\n漢字、かな、カナ、ABC、①、「」があります。\n",
    ),
    (
        "brackets",
        "# 括弧\n\n彼は「こんにちは、と言いました。\n",
        "# 括弧\n\n彼は「こんにちは、\nまた明日」と言いました（二日目）。\n\n1）調査の目的\n",
    ),
    (
        "halfwidth-kana",
        "# 仮名\n\nｶﾀｶﾅで書きました。\n",
        "# 仮名\n\nカタカナで書きました。`ｶﾅ` はコードです。\n",
    ),
    (
        "fullwidth-alnum",
        "# 数\n\n２０２４年と2025年に行いました。\n",
        "# 数\n\n2024年と2025年に行いました。\n",
    ),
    (
        "mixed-style",
        "# 文体\n\n調査を行いました。回答は100件でした。結果は次のとおりです。\n\n課題は多い。これは重要である。\n",
        "# 文体\n\n調査を行いました。「大事なのは人だ。」と話す人もいました。\n\n> 居場所は必要である。\n",
    ),
    (
        "empty-link",
        "# リンク\n\n詳しくは[](https://example.jp)をご覧ください。\n",
        "# リンク\n\n詳しくは[ウェブサイト](https://example.jp)をご覧ください。\n",
    ),
    (
        "footnote-duplicate",
        "# 注\n\n本文です[^a]。\n\n[^a]: 一つ目。\n[^a]: 二つ目。\n",
        "# 注\n\n本文です[^a][^b]。\n\n[^a]: 一つ目。\n[^b]: 二つ目。\n",
    ),
    (
        "footnote-unused",
        "# 注\n\n本文です[^a]。\n\n[^a]: 使われる注。\n[^b]: 使われない注。\n",
        "# 注\n\n本文です[^a]。\n\n[^a]: 使われる注。\n",
    ),
    (
        "term",
        "# 語\n\n子供の居場所です。\n",
        "# 語\n\n子どもの居場所です。障害者総合支援法に基づきます。`子供` はコードです。\n",
    ),
];

fn add_images(w: &Work, slug: &str) {
    w.write(&format!("{slug}/images/small.png"), png(400, 300));
    w.write(&format!("{slug}/images/big.png"), png(1600, 1000));
}

fn json(w: &Work) -> (i32, Vec<Value>) {
    let run = w.kanko(&["check", "--reports", "reports", "--format", "json"]);
    let v: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("--format json does not parse ({e}):\n{}", run.stdout));
    let items = v.as_array().expect("a JSON array").clone();
    (run.code, items)
}

fn findings_in<'a>(items: &'a [Value], slug: &str) -> Vec<&'a Value> {
    items
        .iter()
        .filter(|i| i["rule"] != "manuscript")
        .filter(|i| {
            i["file"]
                .as_str()
                .is_some_and(|f| f.contains(&format!("{slug}/")))
        })
        .collect()
}

#[test]
fn every_rule_trips_on_one_report_and_not_on_another() {
    let w = Work::new();
    for (rule, bad, good) in CASES {
        let trip = format!("trip-{rule}");
        let pass = format!("pass-{rule}");
        w.report(&trip, &[("01.md", bad)]);
        w.report(&pass, &[("01.md", good)]);
        add_images(&w, &trip);
        add_images(&w, &pass);
    }
    let (_, items) = json(&w);
    for (rule, _, _) in CASES {
        let trip = findings_in(&items, &format!("trip-{rule}"));
        assert!(
            trip.iter().any(|f| f["rule"] == *rule),
            "{rule} did not fire on its report: {trip:#?}"
        );
        let pass = findings_in(&items, &format!("pass-{rule}"));
        assert!(
            !pass.iter().any(|f| f["rule"] == *rule),
            "{rule} fired on the report that should pass: {pass:#?}"
        );
        // every finding has a real place in a chapter file
        for f in trip {
            assert!(f["file"].as_str().unwrap().ends_with("01.md"), "{f}");
            assert!(f["line"].as_u64().unwrap() >= 1, "{f}");
            assert!(f["col"].as_u64().unwrap() >= 1, "{f}");
            assert!(
                f["severity"] == "error" || f["severity"] == "warning",
                "{f}"
            );
            assert!(!f["message"].as_str().unwrap().is_empty());
        }
    }
}

#[test]
fn json_and_text_name_file_line_col_and_rule() {
    let w = Work::new();
    w.report(
        "r",
        &[("01.md", "# 一\n\n本文です。\n\n### 三\n\n子供です。\n")],
    );
    let (code, items) = json(&w);
    // A skipped level is renumbered in the tree (issue 16): a warning, not a failure.
    assert_eq!(code, 0);
    let skip = items
        .iter()
        .find(|i| i["rule"] == "heading-skip")
        .expect("heading-skip in JSON");
    assert_eq!(skip["line"], 5);
    assert_eq!(skip["col"], 1);
    assert_eq!(skip["severity"], "warning");
    assert!(skip["file"].as_str().unwrap().ends_with("r/01.md"));
    let term = items.iter().find(|i| i["rule"] == "term").expect("term");
    assert_eq!(
        (term["line"].as_u64(), term["col"].as_u64()),
        (Some(7), Some(1))
    );

    let run = w.kanko(&["check", "--reports", "reports"]);
    assert!(
        run.stdout.contains("reports/r/01.md:5:1  heading-skip  "),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("reports/r/01.md:7:1  term  "),
        "{}",
        run.stdout
    );
}

#[test]
fn exit_1_on_an_error_rule_and_0_on_warnings_only() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n子供の「居場所。\n")]);
    let run = w.kanko(&["check", "--reports", "reports"]);
    run.ok();
    assert!(run.stdout.contains("term"), "{}", run.stdout);
    assert!(run.stdout.contains("brackets"), "{}", run.stdout);

    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\nここに\u{10FFFD}があります。\n")]);
    w.kanko(&["check", "--reports", "reports"]).fails();

    // An image without alt text is decorative (issue 16): check warns and passes.
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n![](images/a.png)\n")]);
    w.write("r/images/a.png", png(1600, 1000));
    let run = w.kanko(&["check", "--reports", "reports"]);
    run.ok();
    assert!(run.stdout.contains("image-alt"), "{}", run.stdout);
}

#[test]
fn rules_can_change_severity_or_be_switched_off() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 一\n\n### 三\n\n「開いたまま。\n")]);
    w.write(
        "kanko.toml",
        "[lint]\nrules = { heading-skip = \"error\", brackets = \"off\" }\n",
    );
    let (code, items) = json(&w);
    assert_eq!(code, 1, "{items:#?}");
    let skip = items.iter().find(|i| i["rule"] == "heading-skip").unwrap();
    assert_eq!(skip["severity"], "error");
    assert!(!items.iter().any(|i| i["rule"] == "brackets"));
}

#[test]
fn fix_applies_the_dictionary_and_keeps_a_backup() {
    let w = Work::new();
    let md = "# 題\n\n子供の居場所と父兄の会。\n\n```\n子供\n```\n";
    w.report("r", &[("01.md", md)]);
    w.kanko(&["check", "--reports", "reports", "--fix"]).ok();
    let file = w.reports().join("r/01.md");
    let now = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        now,
        "# 題\n\n子どもの居場所と保護者の会。\n\n```\n子供\n```\n"
    );
    let bak = std::fs::read_to_string(w.reports().join("r/01.md.bak")).unwrap();
    assert_eq!(bak, md);
    // without --fix nothing is written
    w.write("r/01.md", md);
    w.kanko(&["check", "--reports", "reports"]).ok();
    assert_eq!(std::fs::read_to_string(&file).unwrap(), md);
    // a second --fix keeps the first backup
    w.kanko(&["check", "--reports", "reports", "--fix"]).ok();
    assert_eq!(
        std::fs::read_to_string(w.reports().join("r/01.md.bak")).unwrap(),
        md
    );
    assert!(w.reports().join("r/01.md.bak.1").exists());
}

#[test]
fn preset_false_silences_the_preset_but_not_own_terms() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n子供とボランティアさん。\n")]);
    let (_, items) = json(&w);
    assert!(items.iter().any(|i| i["rule"] == "term"));
    w.write(
        "kanko.toml",
        "[lint]\npreset = false\n\n[[lint.terms]]\nwrong = \"ボランティアさん\"\nright = \"ボランティアの方\"\n",
    );
    let (code, items) = json(&w);
    assert_eq!(code, 0);
    let terms: Vec<_> = items.iter().filter(|i| i["rule"] == "term").collect();
    assert_eq!(terms.len(), 1, "{terms:#?}");
    assert!(
        terms[0]["message"]
            .as_str()
            .unwrap()
            .contains("ボランティアの方")
    );
}

#[test]
fn bad_lint_config_names_kanko_toml() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    w.write(
        "kanko.toml",
        "[lint]\nrules = { heading-skp = \"error\" }\n",
    );
    w.kanko(&["check", "--reports", "reports"])
        .fails()
        .says("kanko.toml")
        .says("heading-skip");
    w.write(
        "kanko.toml",
        "[lint]\n[[lint.terms]]\nwrong = \"子(供\"\nright = \"子ども\"\n",
    );
    w.kanko(&["check", "--reports", "reports"])
        .fails()
        .says("子(供");
    w.write("kanko.toml", "[lint]\nrules = { term = \"loud\" }\n");
    w.kanko(&["check", "--reports", "reports"])
        .fails()
        .says("loud");
}

#[test]
fn messages_are_japanese_in_a_japanese_locale() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n子供の居場所です。\n")]);
    let out = Command::new(BIN)
        .current_dir(w.dir.path())
        .args(["check", "--reports", "reports"])
        .env("LANG", "ja_JP.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("「子供」→「子ども」"), "{stdout}");
}

#[test]
fn the_sample_reports_have_no_lint_errors() {
    let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("reports");
    let out = Command::new(BIN)
        .args(["check", "--format", "json", "--reports"])
        .arg(&samples)
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let errors: Vec<_> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["rule"] != "manuscript" && i["severity"] == "error")
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(out.status.code(), Some(0));
}
