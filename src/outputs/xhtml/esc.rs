//! The one escaping module of the web outputs (EPUB, reader, catalog): every piece of manuscript
//! text that goes into XHTML, HTML or SVG passes through `esc`, so raw HTML typed by an editor is
//! shown as text and never becomes markup.

/// Escapes text for element content and attribute values (`&`, `<`, `>`, `"`, `'`).
pub fn esc(s: &str) -> String {
    let cleaned: String = s.chars().filter(|c| !is_xml_forbidden(*c)).collect();
    quick_xml::escape::escape(cleaned.as_str()).into_owned()
}

/// Escaped text with `<wbr/>` between its phrases (文節), for Japanese titles and headings:
/// with `word-break: keep-all` (or `auto-phrase`) in the stylesheet, the browser breaks only
/// there. The same segmentation as the PDF's.
pub fn esc_phrases(s: &str) -> String {
    crate::phrase::phrases(s)
        .into_iter()
        .map(esc)
        .collect::<Vec<_>>()
        .join("<wbr/>")
}

fn is_xml_forbidden(c: char) -> bool {
    matches!(c as u32, 0x0..=0x8 | 0xB | 0xC | 0xE..=0x1F | 0xFFFE | 0xFFFF)
}

/// A relative file path as a URL path (spaces and non-ASCII percent-encoded).
pub fn url_path(rel: &str) -> String {
    let mut out = String::new();
    for b in rel.bytes() {
        if b.is_ascii_alphanumeric() || b"-_./~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod prop_tests {
    use proptest::prelude::*;

    use super::esc;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, failure_persistence: None, ..ProptestConfig::default() })]

        /// Whatever an editor types, the escaped form contains no markup and reads back as the
        /// same text (less the control characters XML cannot hold).
        #[test]
        fn escaped_text_has_no_markup_and_round_trips(s in "\\PC*|[<>&\"' a-zあ-ん\\u{0}-\\u{1f}]*") {
            let e = esc(&s);
            prop_assert!(!e.contains('<') && !e.contains('>') && !e.contains('"') && !e.contains('\''));
            let back = quick_xml::escape::unescape(&e).unwrap();
            let want: String = s.chars().filter(|c| !super::is_xml_forbidden(*c)).collect();
            prop_assert_eq!(back.as_ref(), want.as_str());
        }
    }
}
