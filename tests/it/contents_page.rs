//! The contents page as text: what a reader copies or a search engine extracts from it.

use crate::util::{Work, pdftotext};

/// Typst's own outline entry puts U+2060 WORD JOINER before each page number; it must not
/// reach the text layer, and the number must still share its line with the leader and title.
#[test]
fn the_contents_page_has_no_word_joiner_and_each_number_stays_on_its_title_line() {
    let w = Work::new();
    let long = "地域の居場所づくりに関わる住民・学校・行政・社会福祉協議会の連携体制と今後三年間の課題についての詳しい検討";
    w.report(
        "toc",
        &[
            (
                "01.md",
                "# はじめに\n\n本文です。\n\n## 調査の目的\n\n本文。\n",
            ),
            (
                "02.md",
                &format!("# {long}\n\n本文です。\n\n## 結果\n\n本文。\n"),
            ),
            ("03.md", "# おわりに\n\n本文です。\n"),
        ],
    );
    w.build().ok();
    let pdf = w.pdf("toc");
    let all = pdftotext(&pdf, None);
    assert!(!all.contains('\u{2060}'), "a WORD JOINER in the PDF's text");
    let contents = (1..=4)
        .map(|p| pdftotext(&pdf, Some(p)))
        .find(|t| t.contains("目次"))
        .expect("a contents page");
    let lines: Vec<&str> = contents
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let ends_with_number = |l: &str| l.chars().last().is_some_and(|c| c.is_ascii_digit());
    for title in ["はじめに", "調査の目的", "結果", "おわりに"] {
        let line = lines
            .iter()
            .find(|l| l.starts_with(title))
            .unwrap_or_else(|| panic!("no line for {title}: {lines:#?}"));
        assert!(
            ends_with_number(line),
            "{title}'s number is not on its line: {line:?}"
        );
    }
    // The long title wraps: its number goes with the leader to the last line, never alone.
    let tail = &long[long.len() - "詳しい検討".len()..];
    let last = lines
        .iter()
        .find(|l| l.contains(tail))
        .unwrap_or_else(|| panic!("no line ends the long title: {lines:#?}"));
    assert!(
        ends_with_number(last),
        "the long title's last line has no number: {last:?}"
    );
    for l in &lines {
        assert!(
            !l.chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c == ' '),
            "a page number alone on its line: {l:?} in {lines:#?}"
        );
    }
}
