//! Ruby (furigana) in text: `{漢字|かんじ}` and per-character `{漢字|かん|じ}`.

use crate::doc::Inline;

/// Splits text into plain text and ruby. Anything that is not well-formed ruby stays text.
pub fn split_ruby(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after
            .find('}')
            .and_then(|close| parse_ruby(&after[..close]).map(|r| (close, r)))
        {
            Some((close, rubies)) => {
                plain.push_str(&rest[..open]);
                if !plain.is_empty() {
                    out.push(Inline::text(std::mem::take(&mut plain)));
                }
                out.extend(rubies);
                rest = &after[close + 1..];
            }
            None => {
                plain.push_str(&rest[..open + 1]);
                rest = after;
            }
        }
    }
    plain.push_str(rest);
    if !plain.is_empty() {
        out.push(Inline::text(plain));
    }
    out
}

fn parse_ruby(inner: &str) -> Option<Vec<Inline>> {
    if inner.contains('{') {
        return None;
    }
    let mut parts = inner.split('|');
    let base = parts.next()?;
    let readings: Vec<&str> = parts.collect();
    let ok = |s: &str| !s.trim().is_empty() && !s.contains('\n');
    if !ok(base) || readings.is_empty() || !readings.iter().all(|r| ok(r)) {
        return None;
    }
    let chars: Vec<char> = base.chars().collect();
    if readings.len() > 1 && readings.len() == chars.len() {
        return Some(
            chars
                .iter()
                .zip(&readings)
                .map(|(c, r)| Inline::Ruby {
                    base: c.to_string(),
                    rt: r.to_string(),
                })
                .collect(),
        );
    }
    Some(vec![Inline::Ruby {
        base: base.to_string(),
        rt: readings.concat(),
    }])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ruby(b: &str, r: &str) -> Inline {
        Inline::Ruby {
            base: b.into(),
            rt: r.into(),
        }
    }

    #[test]
    fn group_and_per_character_ruby() {
        assert_eq!(
            split_ruby("この{居場所|いばしょ}は"),
            vec![
                Inline::text("この"),
                ruby("居場所", "いばしょ"),
                Inline::text("は")
            ]
        );
        assert_eq!(
            split_ruby("{漢字|かん|じ}"),
            vec![ruby("漢", "かん"), ruby("字", "じ")]
        );
    }

    #[test]
    fn malformed_ruby_stays_text() {
        for s in [
            "{}", "{|}", "{a|}", "{|b}", "{no bar}", "a { b", "}{", "{a\n|b}",
        ] {
            assert_eq!(split_ruby(s), vec![Inline::text(s)], "{s}");
        }
        assert_eq!(
            split_ruby("{{x|y}"),
            vec![Inline::text("{"), ruby("x", "y")]
        );
    }

    #[test]
    fn mismatched_readings_join_as_group_ruby() {
        assert_eq!(split_ruby("{漢字|か|ん|じ}"), vec![ruby("漢字", "かんじ")]);
    }
}
