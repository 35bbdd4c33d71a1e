//! The prose rules: brackets, half-width kana, full-width letters and digits, and です・ます
//! mixed with だ・である.

use std::collections::BTreeMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use super::findings::{Findings, msg};
use super::scan::{Category, Class, Scan};

const PAIRS: &[(char, char)] = &[('「', '」'), ('『', '』'), ('（', '）')];

/// `1）` `ア）` `イ）` at the start of a line or item: an enumerator, not a bracket.
fn is_enumerator(before: &[(usize, char)]) -> bool {
    let chars: Vec<char> = before
        .iter()
        .map(|c| c.1)
        .filter(|c| !c.is_whitespace())
        .collect();
    (1..=3).contains(&chars.len())
        && chars.iter().all(|c| {
            c.is_ascii_alphanumeric()
                || ('０'..='９').contains(c)
                || ('Ａ'..='Ｚ').contains(c)
                || ('ａ'..='ｚ').contains(c)
                || ('①'..='⑳').contains(c)
                || "一二三四五六七八九十アイウエオカキクケコイロハニホヘト".contains(*c)
        })
}

pub fn brackets(cx: &mut Findings, file: &Path, scan: &Scan) {
    for u in scan.units() {
        let mut stack: Vec<(char, usize)> = Vec::new();
        let mut unmatched: Vec<(char, usize)> = Vec::new();
        // where the current line starts within the unit (for enumerators)
        let mut line_start = 0usize;
        let mut last_line = 0usize;
        for (k, &(off, c)) in u.chars.iter().enumerate() {
            let line = scan.line_of(off);
            if line != last_line {
                last_line = line;
                line_start = k;
            }
            if PAIRS.iter().any(|p| p.0 == c) {
                stack.push((c, off));
            } else if let Some(open) = PAIRS.iter().find(|p| p.1 == c).map(|p| p.0) {
                if let Some(pos) = stack.iter().rposition(|s| s.0 == open) {
                    // openers left above the match are unclosed
                    unmatched.extend(stack.drain(pos..).skip(1));
                    stack.truncate(pos);
                } else if !(c == '）' && is_enumerator(&u.chars[line_start..k])) {
                    unmatched.push((c, off));
                }
            }
        }
        unmatched.extend(stack);
        unmatched.sort_by_key(|u| u.1);
        for (c, off) in unmatched {
            let (open, close) = PAIRS
                .iter()
                .find(|p| p.0 == c || p.1 == c)
                .copied()
                .unwrap_or((c, c));
            let text = if c == open {
                msg(
                    format!("開き括弧 {open} に対応する閉じ括弧 {close} が同じ段落にありません"),
                    format!("{open} is not closed by {close} within the paragraph"),
                )
            } else {
                msg(
                    format!("閉じ括弧 {close} に対応する開き括弧 {open} が同じ段落にありません"),
                    format!("{close} has no matching {open} within the paragraph"),
                )
            };
            cx.at(file, scan, off, "brackets", text);
        }
    }
}

/// Runs of prose characters for which `pred` holds: (start offset, text).
fn runs(scan: &Scan, pred: impl Fn(char) -> bool) -> Vec<(usize, String)> {
    let mut out: Vec<(usize, String)> = Vec::new();
    let mut end = usize::MAX;
    for (i, c) in scan.chars_of(&[Class::Prose]) {
        if !pred(c) {
            continue;
        }
        match out.last_mut() {
            Some((_, s)) if i == end => s.push(c),
            _ => out.push((i, c.to_string())),
        }
        end = i + c.len_utf8();
    }
    out
}

pub fn halfwidth_kana(cx: &mut Findings, file: &Path, scan: &Scan) {
    for (off, run) in runs(scan, |c| ('\u{FF61}'..='\u{FF9F}').contains(&c)) {
        let full: String = run.nfkc().collect();
        let text = msg(
            format!("半角カタカナ「{run}」は全角で「{full}」と書いてください"),
            format!("half-width katakana 「{run}」: write it full-width, 「{full}」"),
        );
        cx.at(file, scan, off, "halfwidth-kana", text);
    }
}

fn is_fullwidth_alnum(c: char) -> bool {
    ('０'..='９').contains(&c) || ('Ａ'..='Ｚ').contains(&c) || ('ａ'..='ｚ').contains(&c)
}

pub fn fullwidth_alnum(cx: &mut Findings, file: &Path, scan: &Scan) {
    for (off, run) in runs(scan, is_fullwidth_alnum) {
        let half: String = run.nfkc().collect();
        let text = msg(
            format!(
                "全角英数字「{run}」：この報告書は半角英数字も使っています。「{half}」にそろえてください"
            ),
            format!(
                "full-width 「{run}」 in a report that also uses half-width letters and digits: write {half}"
            ),
        );
        cx.at(file, scan, off, "fullwidth-alnum", text);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Polite,
    Plain,
}

const POLITE_ENDINGS: &[&str] = &[
    "ませんでした",
    "ございます",
    "でしょう",
    "ましょう",
    "ください",
    "でした",
    "ました",
    "ません",
    "ですか",
    "ますか",
    "ですね",
    "ますね",
    "ですよ",
    "ますよ",
    "です",
    "ます",
];

const PLAIN_ENDINGS: &[&str] = &[
    "ではなかった",
    "ではない",
    "であった",
    "であろう",
    "である",
    "だった",
    "だろう",
    "のだ",
    "だ",
];

/// Words that end in だ without being the copula.
const NOT_COPULA: &[&str] = &["まだ", "ただ", "いまだ", "未だ", "只"];

/// The style of a sentence from its ending, and the ending's length in characters.
fn sentence_style(s: &[char]) -> Option<(Style, usize)> {
    let text: String = s.iter().collect();
    for e in POLITE_ENDINGS {
        if text.ends_with(e) {
            return Some((Style::Polite, e.chars().count()));
        }
    }
    for e in PLAIN_ENDINGS {
        if text.ends_with(e) {
            if *e == "だ" && NOT_COPULA.iter().any(|w| text.ends_with(w)) {
                return None;
            }
            return Some((Style::Plain, e.chars().count()));
        }
    }
    None
}

pub fn mixed_style(cx: &mut Findings, file: &Path, scan: &Scan) {
    // (style, offset of the ending) per group
    let mut groups: BTreeMap<u8, Vec<(Style, usize)>> = BTreeMap::new();
    for u in scan.units() {
        let group = match u.category {
            Category::Body => 0,
            Category::List => 1,
            _ => continue,
        };
        // the sentence so far: characters outside quotations and parentheses
        let mut sentence: Vec<(usize, char)> = Vec::new();
        let mut depth = 0usize;
        let mut finish = |sentence: &mut Vec<(usize, char)>| {
            while sentence
                .last()
                .is_some_and(|(_, c)| c.is_whitespace() || "*_~」』）)".contains(*c))
            {
                sentence.pop();
            }
            let chars: Vec<char> = sentence.iter().map(|c| c.1).collect();
            if let Some((style, n)) = sentence_style(&chars) {
                let off = sentence[sentence.len() - n].0;
                groups.entry(group).or_default().push((style, off));
            }
            sentence.clear();
        };
        for &(off, c) in &u.chars {
            match c {
                '「' | '『' | '（' | '(' => depth += 1,
                '」' | '』' | '）' | ')' => depth = depth.saturating_sub(1),
                '。' | '！' | '？' | '!' | '?' if depth == 0 => finish(&mut sentence),
                _ if depth == 0 => sentence.push((off, c)),
                _ => {}
            }
        }
        finish(&mut sentence);
    }
    for (_, found) in groups {
        let polite = found.iter().filter(|f| f.0 == Style::Polite).count();
        let plain = found.len() - polite;
        if polite == 0 || plain == 0 {
            continue;
        }
        let first = found.iter().min_by_key(|f| f.1).map(|f| f.0);
        let main = if polite > plain || (polite == plain && first == Some(Style::Polite)) {
            Style::Polite
        } else {
            Style::Plain
        };
        for (style, off) in found.iter().filter(|f| f.0 != main) {
            let end = scan.src[*off..]
                .chars()
                .take_while(|c| !"。！？!?\n」』）)*_".contains(*c))
                .collect::<String>();
            let text = match style {
                Style::Plain => msg(
                    format!(
                        "です・ます調の章に、だ・である調の文末「{end}」が混ざっています（です・ます {polite} 文、だ・である {plain} 文）"
                    ),
                    format!(
                        "plain style (だ・である) ending 「{end}」 in a chapter written in polite style (です・ます): {polite} polite, {plain} plain sentences"
                    ),
                ),
                Style::Polite => msg(
                    format!(
                        "だ・である調の章に、です・ます調の文末「{end}」が混ざっています（だ・である {plain} 文、です・ます {polite} 文）"
                    ),
                    format!(
                        "polite style (です・ます) ending 「{end}」 in a chapter written in plain style (だ・である): {plain} plain, {polite} polite sentences"
                    ),
                ),
            };
            cx.at(file, scan, *off, "mixed-style", text);
        }
    }
}
