//! Runs of text with emphasis → Markdown whose parse is those runs.
//!
//! Word splits text into runs wherever anything changes (a spell-check mark, a revision), so one
//! italic phrase is often three italic runs, or an italic run with a bold-italic run inside.
//! Writing each run as its own `*…*` gives `*a* ***b****.*`, which CommonMark reads with stray
//! asterisks. Here the runs of one stretch of text are written as one properly nested set of
//! delimiters (`*a **b**.*`), white space is kept outside the delimiters, and every candidate is
//! parsed back with comrak (the options kanko's manuscript reader uses): when CommonMark's
//! flanking rules would not open or close a delimiter where it stands (`word*"quote"*`), the
//! punctuation at the edges of that emphasis is left outside it; when even that does not read
//! back, the text is written plain. Text is never lost or added: at worst its emphasis is.

use super::escape::escape;
use super::model::Fmt;

/// The flags in nesting order when they open together (outermost first).
const FLAGS: [(Flag, &str); 3] = [
    (Flag::Strike, "~~"),
    (Flag::Bold, "**"),
    (Flag::Italic, "*"),
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Flag {
    Strike,
    Bold,
    Italic,
}

fn has(f: Fmt, flag: Flag) -> bool {
    match flag {
        Flag::Strike => f.strike,
        Flag::Bold => f.bold,
        Flag::Italic => f.italic,
    }
}

fn set(f: &mut Fmt, flag: Flag, on: bool) {
    match flag {
        Flag::Strike => f.strike = on,
        Flag::Bold => f.bold = on,
        Flag::Italic => f.italic = on,
    }
}

/// Writes consecutive runs. `line_start`: the text begins a line (block markers are escaped);
/// `prev` / `next`: the characters written just before and after (None: a line's edge), which
/// decide whether a delimiter at the edge can open or close.
pub fn runs(
    runs: &[(&str, Fmt)],
    line_start: bool,
    prev: Option<char>,
    next: Option<char>,
) -> String {
    let mut chars: Vec<(char, Fmt)> = runs
        .iter()
        .flat_map(|(t, f)| t.chars().map(move |c| (c, *f)))
        .collect();
    if line_start {
        let lead = chars.iter().take_while(|(c, _)| *c == ' ').count();
        chars.drain(..lead);
    }
    let text: String = chars.iter().map(|(c, _)| c).collect();
    if chars
        .iter()
        .all(|(c, f)| c.is_whitespace() || *f == Fmt::default())
    {
        return escape(&text, line_start);
    }
    for shrink in [false, true] {
        let eff = effective(&chars, shrink);
        let md = render(&eff, line_start);
        if reads_back(&md, &eff, prev, next) {
            return md;
        }
    }
    escape(&text, line_start)
}

/// Per character, the emphasis it is written with: white space takes a flag only between two
/// characters that have it (so delimiters never touch white space); with `shrink`, punctuation
/// at the edges of each emphasis is left outside it.
fn effective(chars: &[(char, Fmt)], shrink: bool) -> Vec<(char, Fmt)> {
    let mut out: Vec<(char, Fmt)> = chars.to_vec();
    for (flag, _) in FLAGS {
        let on: Vec<bool> = chars
            .iter()
            .map(|(c, f)| !c.is_whitespace() && has(*f, flag))
            .collect();
        let mut on = on;
        if shrink {
            let mut i = 0;
            while i < on.len() {
                if !on[i] {
                    i += 1;
                    continue;
                }
                // One span: non-white characters with the flag, white space between them.
                let start = i;
                let mut end = i;
                let mut j = i;
                while j < on.len() && (on[j] || chars[j].0.is_whitespace()) {
                    if on[j] {
                        end = j;
                    }
                    j += 1;
                }
                let mut a = start;
                while a <= end && (is_punct(chars[a].0) || chars[a].0.is_whitespace()) {
                    on[a] = false;
                    a += 1;
                }
                let mut b = end;
                while b > a && (is_punct(chars[b].0) || chars[b].0.is_whitespace()) {
                    on[b] = false;
                    b -= 1;
                }
                i = end + 1;
            }
        }
        for k in 0..chars.len() {
            let v = if chars[k].0.is_whitespace() {
                let before = chars[..k].iter().rposition(|(c, _)| !c.is_whitespace());
                let after = chars[k + 1..]
                    .iter()
                    .position(|(c, _)| !c.is_whitespace())
                    .map(|p| p + k + 1);
                matches!((before, after), (Some(x), Some(y)) if on[x] && on[y])
            } else {
                on[k]
            };
            set(&mut out[k].1, flag, v);
        }
    }
    out
}

fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation()
        || (!c.is_alphanumeric() && !c.is_whitespace() && !c.is_control() && !is_cjk_letter(c))
}

fn is_cjk_letter(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{ff66}'..='\u{ff9f}')
}

/// Nested delimiters for per-character emphasis: a flag that ends closes what was opened
/// inside it and reopens those that go on; flags opening together open the longest first.
fn render(eff: &[(char, Fmt)], line_start: bool) -> String {
    let mut out = String::new();
    // Open flags, and whether each was opened with the other delimiter character.
    let mut stack: Vec<(Flag, bool)> = Vec::new();
    let mut deferred: Vec<Flag> = Vec::new();
    let alt = |f: Flag| match f {
        Flag::Strike => "~",
        Flag::Bold => "__",
        Flag::Italic => "_",
    };
    let mut seg = String::new();
    let mut first_seg = true;
    let delim = |f: Flag| FLAGS.iter().find(|(g, _)| *g == f).map_or("", |(_, d)| d);
    let flush = |out: &mut String, seg: &mut String, first: &mut bool| {
        if !seg.is_empty() {
            out.push_str(&escape(seg, line_start && *first && out.is_empty()));
            seg.clear();
        }
        *first = false;
    };
    for (i, (c, f)) in eff.iter().enumerate() {
        let close_at = stack.iter().position(|(g, _)| !has(*f, *g));
        let opens: Vec<Flag> = {
            let mut o: Vec<(usize, Flag)> = FLAGS
                .iter()
                .map(|(g, _)| *g)
                .filter(|g| {
                    has(*f, *g)
                        && !stack.iter().any(|(h, _)| h == g)
                        && !deferred.contains(g)
                        && !c.is_whitespace()
                })
                .map(|g| {
                    let len = eff[i..].iter().take_while(|(_, h)| has(*h, g)).count();
                    (len, g)
                })
                .collect();
            o.sort_by_key(|x| std::cmp::Reverse(x.0));
            o.into_iter().map(|(_, g)| g).collect()
        };
        if close_at.is_some() || !opens.is_empty() {
            flush(&mut out, &mut seg, &mut first_seg);
        }
        if let Some(k) = close_at {
            for (g, d) in stack[k..].iter().rev() {
                out.push_str(if *d { alt(*g) } else { delim(*g) });
            }
            let reopen: Vec<Flag> = stack[k..]
                .iter()
                .map(|(g, _)| *g)
                .filter(|g| has(*f, *g))
                .collect();
            stack.truncate(k);
            // Reopened right after a closing run, the same character would join that run
            // (`***` + `*` = `****`): white space there goes plain, and before a letter the
            // other delimiter character (`_`, `__`, `~`) is used.
            if c.is_whitespace() {
                deferred = reopen;
            } else {
                for g in reopen {
                    out.push_str(alt(g));
                    stack.push((g, true));
                }
            }
        }
        if !c.is_whitespace() && !deferred.is_empty() {
            flush(&mut out, &mut seg, &mut first_seg);
            for g in std::mem::take(&mut deferred) {
                if has(*f, g) && !stack.iter().any(|(h, _)| *h == g) {
                    out.push_str(delim(g));
                    stack.push((g, false));
                }
            }
        }
        for g in opens {
            if stack.iter().any(|(h, _)| *h == g) {
                continue;
            }
            out.push_str(delim(g));
            stack.push((g, false));
        }
        seg.push(*c);
    }
    flush(&mut out, &mut seg, &mut first_seg);
    for (g, d) in stack.iter().rev() {
        out.push_str(if *d { alt(*g) } else { delim(*g) });
    }
    out
}

/// Whether `md`, between `prev` and `next`, parses to exactly the characters and emphasis of
/// `eff` (white space compared loosely: the reader collapses it).
fn reads_back(md: &str, eff: &[(char, Fmt)], prev: Option<char>, next: Option<char>) -> bool {
    let stand_in = |c: Option<char>| match c {
        None => None,
        Some(c) if c.is_whitespace() => None,
        Some(c) if c.is_ascii_punctuation() => Some('.'),
        Some(c) => Some(c),
    };
    let (p, n) = (stand_in(prev), stand_in(next));
    let src = format!(
        "{}{md}{}",
        p.map(String::from).unwrap_or_default(),
        n.map(String::from).unwrap_or_default()
    );
    let mut got = parsed(&src);
    if p.is_some() {
        if got.first().map(|(c, _)| *c) != p {
            return false;
        }
        got.remove(0);
    }
    if n.is_some() {
        if got.last().map(|(c, _)| *c) != n {
            return false;
        }
        got.pop();
    }
    squeeze(&got) == squeeze(eff)
}

/// Characters with their emphasis, white space collapsed to one plain space, ends trimmed.
pub fn squeeze(chars: &[(char, Fmt)]) -> Vec<(char, Fmt)> {
    let mut out: Vec<(char, Fmt)> = Vec::new();
    for (c, f) in chars {
        if c.is_whitespace() {
            if out.last().is_some_and(|(l, _)| *l != ' ') {
                out.push((' ', Fmt::default()));
            }
        } else {
            out.push((*c, *f));
        }
    }
    while out.last().is_some_and(|(c, _)| *c == ' ') {
        out.pop();
    }
    out
}

/// comrak's reading of one line of inline Markdown, as characters with their emphasis.
fn parsed(src: &str) -> Vec<(char, Fmt)> {
    use comrak::nodes::{AstNode, NodeValue};
    fn walk<'a>(n: &'a AstNode<'a>, f: Fmt, out: &mut Vec<(char, Fmt)>) {
        let mut f = f;
        match &n.data.borrow().value {
            NodeValue::Text(t) => {
                out.extend(t.chars().map(|c| (c, f)));
                return;
            }
            NodeValue::Code(c) => {
                out.extend(c.literal.chars().map(|c| (c, f)));
                return;
            }
            NodeValue::HtmlInline(h) => {
                out.extend(h.chars().map(|c| (c, f)));
                return;
            }
            NodeValue::SoftBreak | NodeValue::LineBreak => {
                out.push((' ', f));
                return;
            }
            NodeValue::Emph => f.italic = true,
            NodeValue::Strong => f.bold = true,
            NodeValue::Strikethrough => f.strike = true,
            _ => {}
        }
        for c in n.children() {
            walk(c, f, out);
        }
    }
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, src, &crate::manuscript::markdown::options());
    let mut out = Vec::new();
    walk(root, Fmt::default(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const I: Fmt = Fmt {
        bold: false,
        italic: true,
        strike: false,
    };
    const B: Fmt = Fmt {
        bold: true,
        italic: false,
        strike: false,
    };
    const BI: Fmt = Fmt {
        bold: true,
        italic: true,
        strike: false,
    };
    const P: Fmt = Fmt {
        bold: false,
        italic: false,
        strike: false,
    };

    #[test]
    fn runs_of_one_emphasis_nest_instead_of_printing_asterisks() {
        let r = [("This is all in an ", I), ("italic style", BI), (".", I)];
        assert_eq!(
            runs(&r, true, None, None),
            "*This is all in an **italic style**.*"
        );
        assert_eq!(
            runs(
                &[("ab", I), ("cd", I), (" ", I), ("ef", I)],
                true,
                None,
                None
            ),
            "*abcd ef*"
        );
        assert_eq!(runs(&[("重要 ", B)], false, Some('は'), None), "**重要** ");
    }

    #[test]
    fn delimiters_that_could_not_close_are_moved_or_dropped() {
        // `word*"quote"*word` would print its asterisks: the quotes go outside.
        let r = [("say", P), ("\"this\"", I), ("now", P)];
        assert_eq!(runs(&r, true, None, None), "say\"*this*\"now");
        // Japanese brackets are fine with comrak's CJK-friendly emphasis.
        let r = [("これは", P), ("「重要」", B), ("です", P)];
        assert_eq!(runs(&r, true, None, None), "これは**「重要」**です");
        // An ideographic space inside the bold stays outside the delimiters.
        let r = [("これは", P), ("　重要", B), ("です", P)];
        assert_eq!(runs(&r, true, None, None), "これは　**重要**です");
        // Emphasis on punctuation alone that cannot be written is dropped, the text kept.
        let r = [("a", P), ("\"", B), ("b", P)];
        assert_eq!(runs(&r, true, None, None), "a\"b");
    }
}
