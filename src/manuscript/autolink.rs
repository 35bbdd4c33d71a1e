//! Where a bare URL ends in Japanese text.
//!
//! GFM's autolink takes everything up to the next space, but Japanese is written without
//! spaces: 「詳しくはhttp://www.example.jp/）をご覧ください。」 would link
//! `http://www.example.jp/）をご覧ください。`. A URL here ends where URL characters end: at
//! full-width punctuation and brackets, and at any character outside ASCII, except in the
//! host, where an internationalised domain name (`https://例え.jp/`) is kept.

/// The length in bytes of the URL at the start of `text` (an autolink's text, such as
/// `http://…`, `www.…` or an e-mail address), trailing punctuation excluded.
pub fn url_len(text: &str) -> usize {
    let host_start = text.find("://").map_or(0, |i| i + 3);
    let host_end = text[host_start..]
        .find(['/', '?', '#'])
        .map_or(text.len(), |i| host_start + i);
    let mut end = text.len();
    for (i, c) in text.char_indices() {
        let in_host = i >= host_start && i < host_end;
        if ends_url(c) || (!c.is_ascii() && !(in_host && idn_char_here(text, i, host_end))) {
            end = i;
            break;
        }
    }
    trim_trailing(&text[..end])
}

/// Characters that never belong to a URL as Japanese writers use them: spaces, full-width
/// punctuation and brackets, and ASCII characters outside RFC 3986's set.
fn ends_url(c: char) -> bool {
    if c.is_ascii() {
        return !(c.is_ascii_alphanumeric() || "-._~:/?#[]@!$&'()*+,;=%".contains(c));
    }
    c.is_whitespace()
        || matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FF65}' | '\u{FFE0}'..='\u{FFEF}')
        || matches!(c, '\u{2010}'..='\u{205E}')
}

/// A non-ASCII letter in the host is an IDN label only when a dot follows it inside the host
/// (`例え.jp`); `example.jpを参照` ends at `を`.
fn idn_char_here(text: &str, i: usize, host_end: usize) -> bool {
    text[i..host_end].contains('.')
}

/// GFM's rule for the end of an autolink: trailing `?!.,:*_~'"` are not part of it, nor is a
/// `)` without its `(`.
fn trim_trailing(url: &str) -> usize {
    let mut s = url;
    loop {
        let Some(last) = s.chars().last() else {
            return 0;
        };
        let unbalanced_paren = last == ')' && s.matches('(').count() < s.matches(')').count();
        if "?!.,:*_~'\"".contains(last) || unbalanced_paren {
            s = &s[..s.len() - 1];
        } else {
            return s.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(text: &str) -> &str {
        &text[..url_len(text)]
    }

    #[test]
    fn japanese_text_after_a_url_is_not_part_of_it() {
        assert_eq!(
            url("http://www.example.jp/）をご覧ください。"),
            "http://www.example.jp/"
        );
        assert_eq!(
            url("http://www.example.jp/を参照"),
            "http://www.example.jp/"
        );
        assert_eq!(
            url("https://example.jp/a/b.html。"),
            "https://example.jp/a/b.html"
        );
        assert_eq!(url("https://example.jp、または"), "https://example.jp");
        assert_eq!(url("https://example.jpを参照"), "https://example.jp");
        assert_eq!(
            url("https://example.jp/path」と"),
            "https://example.jp/path"
        );
        assert_eq!(url("www.example.jp/x。"), "www.example.jp/x");
        assert_eq!(
            url("https://example.jp/?q=1&r=2"),
            "https://example.jp/?q=1&r=2"
        );
    }

    #[test]
    fn an_internationalised_host_is_kept() {
        assert_eq!(url("https://例え.jp/パス"), "https://例え.jp/");
        assert_eq!(url("https://日本語.jp）です"), "https://日本語.jp");
    }

    #[test]
    fn trailing_punctuation_follows_gfm() {
        assert_eq!(url("https://example.jp/a."), "https://example.jp/a");
        assert_eq!(url("https://example.jp/a_(b)"), "https://example.jp/a_(b)");
        assert_eq!(url("https://example.jp/a)"), "https://example.jp/a");
        assert_eq!(url("https://example.jp/a.を"), "https://example.jp/a");
    }
}
