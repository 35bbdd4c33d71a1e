//! Escaping text for the Markdown the importer writes: what CommonMark would read as syntax.

/// Backslash-escapes what Markdown would read as markup; at a line start also what would
/// begin a block (`#`, `-`, `+`, `=`, `1.`).
pub fn escape(t: &str, line_start: bool) -> String {
    let mut out = String::with_capacity(t.len() + 8);
    let mut chars = t.chars().peekable();
    if line_start {
        if let Some(&c) = chars.peek()
            && matches!(c, '#' | '-' | '+' | '=' | ':')
        {
            out.push('\\');
        }
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() && matches!(t[digits.len()..].chars().next(), Some('.' | ')')) {
            out.push_str(&digits);
            out.push('\\');
            for _ in 0..digits.len() {
                chars.next();
            }
        }
    }
    for c in chars {
        if is_special(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

pub fn is_special(c: char) -> bool {
    matches!(
        c,
        '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '&' | '~' | '|'
    )
}
