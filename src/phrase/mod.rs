//! Japanese phrase (文節) boundaries for titles and headings, so that 「調査報告書」 is never
//! broken as 「調査報」/「告書」.
//!
//! BudouX's algorithm (Google, Apache-2.0) with its Japanese model `ja.json`, vendored
//! unchanged from the BudouX repository (model of 2026-08; licence in `LICENSE` beside it).
//! The `budoux` crate (0.1.1) carries the 2022 model in an older feature format, so the
//! dozen lines of the current parser are written here instead. The same boundaries feed the
//! PDF (unbreakable phrase boxes) and HTML (`<wbr>`), so every format breaks alike.

use std::collections::HashMap;
use std::sync::LazyLock;

type Weights = HashMap<String, i32>;

struct Model {
    groups: HashMap<String, Weights>,
    /// The sum of all weights: BudouX starts every score at minus half of it.
    total: i64,
}

/// Parsed once per process: constant data, like the layouts compiled into the binary.
static MODEL: LazyLock<Model> = LazyLock::new(|| {
    let groups: HashMap<String, Weights> =
        serde_json::from_str(include_str!("ja.json")).unwrap_or_default();
    let total: i64 = groups
        .values()
        .flat_map(|g| g.values())
        .map(|&v| i64::from(v))
        .sum();
    Model { groups, total }
});

impl Model {
    fn score(&self, group: &str, chars: &[char], from: usize, to: usize) -> i64 {
        let Some(g) = self.groups.get(group) else {
            return 0;
        };
        let key: String = chars[from..to].iter().collect();
        g.get(&key).map_or(0, |&v| i64::from(v))
    }

    /// Whether a phrase boundary lies before `chars[i]` (BudouX's features: unigrams, bigrams
    /// and trigrams around the gap).
    fn boundary(&self, c: &[char], i: usize) -> bool {
        let n = c.len();
        let mut s = 0;
        if i > 2 {
            s += self.score("UW1", c, i - 3, i - 2) + self.score("TW1", c, i - 3, i);
        }
        if i > 1 {
            s += self.score("UW2", c, i - 2, i - 1)
                + self.score("BW1", c, i - 2, i)
                + self.score("TW2", c, i - 2, i + 1);
        }
        s += self.score("UW3", c, i - 1, i)
            + self.score("UW4", c, i, i + 1)
            + self.score("BW2", c, i - 1, i + 1);
        if i + 1 < n {
            s += self.score("UW5", c, i + 1, i + 2)
                + self.score("BW3", c, i, i + 2)
                + self.score("TW3", c, i - 1, i + 2);
        }
        if i + 2 < n {
            s += self.score("UW6", c, i + 2, i + 3) + self.score("TW4", c, i, i + 3);
        }
        // score = s − total/2, compared in whole numbers
        2 * s > self.total
    }
}

/// `text` cut at its phrase boundaries; the pieces joined give `text` back.
pub fn phrases(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let only: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    let mut out = Vec::new();
    let mut start = 0;
    for i in 1..only.len() {
        if MODEL.boundary(&only, i) {
            out.push(&text[start..chars[i].0]);
            start = chars[i].0;
        }
    }
    if !text.is_empty() {
        out.push(&text[start..]);
    }
    out
}

/// The longest phrase kept unbreakable (in characters): a longer run (a long katakana word, a
/// URL) may still break inside rather than overflow a narrow column.
pub const MAX_UNBROKEN: usize = 14;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budoux_reference_sentence() {
        // BudouX's own test of its default Japanese parser.
        let got = phrases(
            "Google の使命は、世界中の情報を整理し、世界中の人がアクセスできて使えるようにすることです。",
        );
        assert_eq!(
            got,
            [
                "Google の",
                "使命は、",
                "世界中の",
                "情報を",
                "整理し、",
                "世界中の",
                "人が",
                "アクセスできて",
                "使えるように",
                "する",
                "ことです。"
            ]
        );
    }

    #[test]
    fn a_report_title_breaks_between_phrases_only() {
        let got = phrases("地域の居場所づくりに関する調査報告書");
        assert_eq!(got.concat(), "地域の居場所づくりに関する調査報告書");
        assert!(got.contains(&"調査報告書"), "{got:?}");
        assert!(
            got.iter()
                .all(|p| !p.ends_with("報") && !p.starts_with("告")),
            "{got:?}"
        );
    }

    #[test]
    fn empty_and_single() {
        assert!(phrases("").is_empty());
        assert_eq!(phrases("章"), ["章"]);
    }
}
