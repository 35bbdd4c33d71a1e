//! The one normalisation of search text, mirrored exactly by `web/search.js` at query time:
//! NFKC (folds full and half width), lower case, katakana → hiragana, and only letters and
//! digits kept (spaces, line breaks and punctuation are ignored).

use unicode_normalization::UnicodeNormalization;

/// Folds one character after NFKC and lower-casing; `None` drops it.
fn fold(c: char) -> Option<char> {
    if !c.is_alphanumeric() {
        return None;
    }
    let u = c as u32;
    let folded = match u {
        0x30A1..=0x30F6 | 0x30FD..=0x30FE => char::from_u32(u - 0x60).unwrap_or(c),
        _ => c,
    };
    Some(folded)
}

/// The normalised characters of `s`.
pub fn normalize(s: &str) -> Vec<char> {
    let nfkc: String = s.nfkc().collect();
    nfkc.to_lowercase().chars().filter_map(fold).collect()
}

/// Index terms of normalised text: every character and every pair of neighbours.
pub fn terms(chars: &[char], out: &mut std::collections::BTreeSet<String>) {
    for c in chars {
        out.insert(c.to_string());
    }
    for w in chars.windows(2) {
        out.insert(w.iter().collect());
    }
}

/// FNV-1a over the term's code points: which index shard holds it (same in search.js).
pub fn shard_of(term: &str, shards: u32) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for c in term.chars() {
        h ^= c as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> String {
        normalize(s).into_iter().collect()
    }

    #[test]
    fn width_kana_space_and_case_fold_to_one_form() {
        assert_eq!(n("イバショ"), "いばしょ");
        assert_eq!(n("ｲﾊﾞｼｮ"), "いばしょ");
        assert_eq!(n("ＡＢＣ　ｄｅｆ"), "abcdef");
        assert_eq!(n("居場\n所、です。"), "居場所です");
        assert_eq!(n("Climate-\nChange"), "climatechange");
        assert_eq!(n("２０２３年"), "2023年");
    }

    #[test]
    fn terms_are_unigrams_and_bigrams() {
        let mut t = std::collections::BTreeSet::new();
        terms(&normalize("居場所"), &mut t);
        let want: std::collections::BTreeSet<String> = ["居", "場", "所", "居場", "場所"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(t, want);
    }

    #[test]
    fn shard_hash_is_fnv1a_over_code_points() {
        // FNV-1a 32 of U+0061 ("a") is 0xe40c292c.
        let fnv_a: u32 = 0xe40c_292c;
        assert_eq!(shard_of("a", u32::MAX), fnv_a % u32::MAX);
        assert_eq!(shard_of("a", 7), fnv_a % 7);
        assert!(shard_of("居場", 16) < 16);
    }
}
