//! Each rule: a manuscript that trips it and one that does not; the `[lint]` table;
//! `--fix` with backups.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::*;
use crate::diag::{Diag, Severity};
use crate::lint::config::{RULES, config_from_toml};

fn fonts() -> &'static Fonts {
    static F: OnceLock<Fonts> = OnceLock::new();
    F.get_or_init(Fonts::load)
}

const TOML: &str = "title = \"t\"\nproject = \"p\"\nfiscal_year = 2024\npublisher = \"NPO\"\npublished = 2025-03-28\n\n[[funders]]\nname = \"独立行政法人福祉医療機構\"\nprogram = \"社会福祉振興助成事業\"\n";

struct Fixture {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

fn report(chapters: &[(&str, &str)], images: &[(&str, u32, u32)]) -> (Fixture, Report) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r");
    std::fs::create_dir_all(path.join("images")).unwrap();
    std::fs::write(path.join("report.toml"), TOML).unwrap();
    for (name, md) in chapters {
        std::fs::write(path.join(name), md).unwrap();
    }
    for (name, w, h) in images {
        let img = image::RgbImage::from_fn(*w, *h, |x, y| image::Rgb([x as u8, y as u8, 90]));
        img.save(path.join(name)).unwrap();
    }
    let loaded = crate::manuscript::load(&path);
    let r = loaded
        .report
        .unwrap_or_else(|| panic!("report loads: {:?}", loaded.diags));
    (Fixture { _dir: dir, path }, r)
}

fn run(md: &str) -> Vec<Finding> {
    let (_f, r) = report(&[("01.md", md)], &[]);
    lint(&r, &Config::default(), fonts())
}

fn rules_of(f: &[Finding]) -> Vec<&str> {
    f.iter().map(|f| f.rule.as_str()).collect()
}

#[track_caller]
fn trips(md: &str, rule: &str) -> Vec<Finding> {
    let f = run(md);
    let hits: Vec<Finding> = f.iter().filter(|x| x.rule == rule).cloned().collect();
    assert!(!hits.is_empty(), "{rule} did not fire on {md:?}: {f:#?}");
    hits
}

#[track_caller]
fn clean(md: &str, rule: &str) {
    let f = run(md);
    assert!(
        !f.iter().any(|x| x.rule == rule),
        "{rule} fired on {md:?}: {f:#?}"
    );
}

#[test]
fn heading_skip() {
    let h = trips(
        "# 一\n\n本文です。\n\n### 三\n\n本文です。\n",
        "heading-skip",
    );
    assert_eq!((h[0].line, h[0].col), (5, 1));
    assert_eq!(h[0].severity, Severity::Warning);
    clean("# 一\n\n## 二\n\n### 三\n\n# 一\n\n## 二\n", "heading-skip");
}

#[test]
fn image_alt() {
    let (_f, r) = report(
        &[(
            "01.md",
            "# 図\n\n説明です。\n\n![](images/a.png)\n\n文中の ![ ](images/a.png) も。\n",
        )],
        &[("images/a.png", 2000, 1000)],
    );
    let f = lint(&r, &Config::default(), fonts());
    let hits: Vec<_> = f.iter().filter(|x| x.rule == "image-alt").collect();
    assert_eq!(hits.len(), 2, "{f:#?}");
    assert_eq!((hits[0].line, hits[0].col), (5, 1));
    assert_eq!((hits[1].line, hits[1].col), (7, 5));
    let (_f, r) = report(
        &[(
            "01.md",
            "# 図\n\n![参加者数](images/a.png)\n\n`![](code)` はコードです。\n",
        )],
        &[("images/a.png", 2000, 1000)],
    );
    let f = lint(&r, &Config::default(), fonts());
    assert!(!rules_of(&f).contains(&"image-alt"), "{f:#?}");
}

#[test]
fn image_resolution() {
    let md = "# 図\n\n![小さい図](images/small.png)\n\n![大きい図](images/big.png)\n\n文中の ![アイコン](images/small.png) は対象外。\n";
    let (_f, r) = report(
        &[("01.md", md)],
        &[
            ("images/small.png", 400, 300),
            ("images/big.png", 1600, 1000),
        ],
    );
    let f = lint(&r, &Config::default(), fonts());
    let hits: Vec<_> = f.iter().filter(|x| x.rule == "image-resolution").collect();
    assert_eq!(hits.len(), 1, "{f:#?}");
    assert_eq!(hits[0].line, 3);
    assert!(hits[0].message.contains("images/small.png"));
    // 0.8 × 162 mm ≈ 130 mm; 150 dpi needs ~765 px
    let mm = printed_width_mm(0.8, 1000, 500);
    assert!((mm - 129.6).abs() < 0.1, "{mm}");
    // a tall image is capped by height, so it prints narrower
    assert!(printed_width_mm(0.8, 500, 2000) < 40.0);
}

#[test]
fn missing_glyph() {
    // U+10FFFD is a private-use character no font has.
    let h = trips(
        "# 字\n\nここに\u{10FFFD}があります。\u{10FFFD}\n",
        "missing-glyph",
    );
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].line, h[0].col), (3, 4));
    assert!(h[0].message.contains("U+10FFFD"));
    clean(
        "# 字\n\n漢字、かな、カナ、ABC、①、—、「」。\n",
        "missing-glyph",
    );
}

#[test]
fn brackets() {
    let h = trips(
        "# 括弧\n\n彼は「こんにちは、と言った。\n\n次は（注）です。\n",
        "brackets",
    );
    assert_eq!(h.len(), 1);
    assert_eq!((h[0].line, h[0].col), (3, 3));
    let h = trips("# 括弧\n\n閉じ過ぎ』です。\n", "brackets");
    assert_eq!((h[0].line, h[0].col), (3, 5));
    // across a soft line break inside one paragraph is fine; enumerators are fine
    clean(
        "# 括弧\n\n彼は「こんにちは、\nまた明日」と言った。『本（上）』。\n\n1）調査の目的\n\n- ア）項目\n\n`「` はコード。\n",
        "brackets",
    );
}

#[test]
fn brackets_do_not_cross_list_items() {
    let h = trips("# 括弧\n\n- 「一つ目\n- 二つ目」\n", "brackets");
    assert_eq!(h.len(), 2, "{h:#?}");
}

#[test]
fn halfwidth_kana() {
    let h = trips("# 仮名\n\nｶﾀｶﾅとカタカナ。\n", "halfwidth-kana");
    assert_eq!((h[0].line, h[0].col), (3, 1));
    assert!(h[0].message.contains("カタカナ"));
    clean("# 仮名\n\nカタカナ。`ｶﾅ`\n", "halfwidth-kana");
}

#[test]
fn fullwidth_alnum() {
    let h = trips("# 数\n\n２０２４年と2025年。ＡＢＣ。\n", "fullwidth-alnum");
    assert_eq!(h.len(), 2);
    assert_eq!((h[0].line, h[0].col), (3, 1));
    assert!(h[0].message.contains("2024"));
    // only full-width: consistent, nothing to say
    clean("# 数\n\n２０２４年とＡＢＣ。\n", "fullwidth-alnum");
    clean("# 数\n\n2024年とABC。\n", "fullwidth-alnum");
}

#[test]
fn mixed_style() {
    let md = "# 文体\n\n調査を行いました。回答は100件でした。結果は次のとおりです。\n\n課題は多い。これは重要である。\n";
    let h = trips(md, "mixed-style");
    assert_eq!(h.len(), 1, "{h:#?}");
    assert_eq!((h[0].line, h[0].col), (5, 12));
    assert!(h[0].message.contains("である"));
    // quotations, tables and code do not count
    clean(
        "# 文体\n\n調査を行いました。「大事なのは人だ。」と話す人もいました。\n\n> 居場所は必要である。\n\n| 項目 | 説明 |\n|---|---|\n| a | 必要である。 |\n\n```\nこれはコードだ。\n```\n",
        "mixed-style",
    );
    clean(
        "# 文体\n\n課題は多い。これは重要である。それが結論だ。\n",
        "mixed-style",
    );
}

#[test]
fn empty_link() {
    let h = trips(
        "# リンク\n\n詳しくは[](https://example.jp)を。\n",
        "empty-link",
    );
    assert_eq!((h[0].line, h[0].col), (3, 5));
    clean(
        "# リンク\n\n詳しくは[こちら](https://example.jp)を。- [ ] 項目\n",
        "empty-link",
    );
}

#[test]
fn footnotes() {
    let md = "# 注\n\n本文[^a]。\n\n[^a]: 一つ目。\n[^a]: 二つ目。\n[^b]: 使われない。\n";
    let f = run(md);
    let dup: Vec<_> = f
        .iter()
        .filter(|x| x.rule == "footnote-duplicate")
        .collect();
    let unused: Vec<_> = f.iter().filter(|x| x.rule == "footnote-unused").collect();
    assert_eq!(dup.len(), 1, "{f:#?}");
    assert_eq!((dup[0].line, dup[0].col), (6, 1));
    assert_eq!(unused.len(), 1, "{f:#?}");
    assert_eq!(unused[0].line, 7);
    let ok = "# 注\n\n本文[^a]と[^b]。\n\n[^a]: 一つ目。\n[^b]: 二つ目。\n\n```\n[^c]: コードの中\n```\n";
    clean(ok, "footnote-duplicate");
    clean(ok, "footnote-unused");
}

#[test]
fn term_preset() {
    let h = trips("# 語\n\n子供と老人ホームの老人。\n", "term");
    assert_eq!(h.len(), 2, "{h:#?}");
    assert_eq!((h[0].line, h[0].col), (3, 1));
    assert!(h[0].message.contains("子ども"));
    assert_eq!((h[1].line, h[1].col), (3, 10));
    // exceptions, code, link targets
    clean(
        "# 語\n\n障害者総合支援法と老人福祉法。`子供` [子ども](https://example.jp/kodomo/子供)\n\n```\n子供\n```\n",
        "term",
    );
    let h = trips("# 語\n\n障害者の就労と障害者総合支援法。\n", "term");
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].col, 1);
}

#[test]
fn clean_manuscript_has_no_findings() {
    let md = "# はじめに\n\n本報告書は、地域の子どもの居場所について調査した結果をまとめたものです。調査は2024年に行いました[^1]。\n\n## 調査の方法\n\n「居場所」の定義は次のとおりです。\n\n- 子どもが安心して過ごせる場所です。\n- 詳しくは[ウェブサイト](https://example.jp)をご覧ください。\n\n[^1]: 2024年4月から2025年3月まで。\n";
    let f = run(md);
    assert!(f.is_empty(), "{f:#?}");
}

// --- configuration ---------------------------------------------------------------------

fn cfg(src: &str) -> Result<Config, Diag> {
    let t: toml::Table = src.parse().unwrap();
    let lint = t.get("lint").and_then(|v| v.as_table()).cloned();
    config_from_toml(lint.as_ref(), Path::new("kanko.toml"))
}

#[test]
fn config_defaults_and_levels() {
    let c = cfg("").unwrap();
    assert_eq!(c.rules.len(), RULES.len());
    assert!(c.terms.iter().any(|t| t.wrong == "子供"));
    let c = cfg("[lint]\npreset = false\nrules = { heading-skip = \"warning\", term = \"off\" }\n")
        .unwrap();
    assert!(c.terms.is_empty());
    assert!(!c.rules.iter().any(|(id, _)| id == "term"));
    assert!(
        c.rules
            .iter()
            .any(|(id, l)| id == "heading-skip" && *l == Severity::Warning)
    );
}

#[test]
fn config_errors() {
    let e = cfg("[lint]\nrules = { heading-skp = \"error\" }\n").unwrap_err();
    assert!(e.message.contains("heading-skp"), "{e}");
    assert!(e.message.contains("did you mean `heading-skip`"), "{e}");
    assert_eq!(e.file.as_deref(), Some(Path::new("kanko.toml")));
    let e = cfg("[lint]\nrules = { brackets = \"fatal\" }\n").unwrap_err();
    assert!(e.message.contains("not a severity"), "{e}");
    let e = cfg("[lint]\n[[lint.terms]]\nwrong = \"子(供\"\nright = \"x\"\n").unwrap_err();
    assert!(e.message.contains("子(供"), "{e}");
    let e = cfg("[lint]\n[[lint.terms]]\nwrong = \"a\"\n").unwrap_err();
    assert!(e.message.contains("`right` is missing"), "{e}");
    let e = cfg("[lint]\npresets = true\n").unwrap_err();
    assert!(e.message.contains("did you mean `preset`"), "{e}");
    let e =
        cfg("[lint]\n[[lint.terms]]\nwrong = \"a\"\nright = \"b\"\nallow = \"c\"\n").unwrap_err();
    assert!(e.message.contains("allow"), "{e}");
}

#[test]
fn user_terms_and_override() {
    let c = cfg("[lint]\n[[lint.terms]]\nwrong = \"(ボランティア)さん\"\nright = \"$1の方\"\nmessage = \"敬称\"\n\n[[lint.terms]]\nwrong = \"老人\"\nright = \"老人\"\n").unwrap();
    let (_f, r) = report(&[("01.md", "# 語\n\nボランティアさんと老人。\n")], &[]);
    let f = lint(&r, &c, fonts());
    let terms: Vec<_> = f.iter().filter(|x| x.rule == "term").collect();
    assert_eq!(terms.len(), 1, "{f:#?}");
    assert!(terms[0].message.contains("ボランティアの方"));
}

#[test]
fn severity_and_off_are_applied() {
    let c = cfg("[lint]\nrules = { heading-skip = \"warning\", brackets = \"off\" }\n").unwrap();
    let (_f, r) = report(&[("01.md", "# 一\n\n### 三\n\n「開いたまま。\n")], &[]);
    let f = lint(&r, &c, fonts());
    assert_eq!(rules_of(&f), ["heading-skip"]);
    assert_eq!(f[0].severity, Severity::Warning);
}

// --- fix -------------------------------------------------------------------------------

#[test]
fn fix_replaces_outside_code_and_keeps_backups() {
    let md = "# 語\r\n\r\n子供と父兄。`子供`\r\n\r\n```\r\n子供\r\n```\r\n\r\n報告させていただきます。障害者総合支援法。\r\n";
    let (f, r) = report(&[("01.md", md)], &[]);
    let file = f.path.join("01.md");
    let c = Config::default();
    let changed = fix(&r, &c).unwrap();
    assert_eq!(changed, vec![(file.clone(), 2)]);
    let now = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        now,
        "# 語\r\n\r\n子どもと保護者。`子供`\r\n\r\n```\r\n子供\r\n```\r\n\r\n報告させていただきます。障害者総合支援法。\r\n"
    );
    assert_eq!(
        std::fs::read_to_string(file.with_extension("md.bak")).unwrap(),
        md
    );
    // nothing left to fix: no new backup
    assert!(fix(&r, &c).unwrap().is_empty());
    // a second fix keeps the first backup and writes .bak.1
    std::fs::write(&file, "# 語\n\n片親。\n").unwrap();
    let changed = fix(&r, &c).unwrap();
    assert_eq!(changed.len(), 1);
    assert_eq!(
        std::fs::read_to_string(file.with_extension("md.bak")).unwrap(),
        md
    );
    assert_eq!(
        std::fs::read_to_string(file.with_extension("md.bak.1")).unwrap(),
        "# 語\n\n片親。\n"
    );
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "# 語\n\nひとり親。\n"
    );
}

#[test]
fn fix_does_nothing_when_terms_are_off() {
    let (f, r) = report(&[("01.md", "# 語\n\n子供。\n")], &[]);
    let c = cfg("[lint]\nrules = { term = \"off\" }\n").unwrap();
    assert!(fix(&r, &c).unwrap().is_empty());
    assert!(!f.path.join("01.md.bak").exists());
}

#[test]
fn preset_is_valid_and_small() {
    let p = super::super::terms::preset();
    assert!((5..=30).contains(&p.len()));
    assert!(p.iter().all(|t| !t.right.is_empty()));
}
