//! Reading a chart's CSV: UTF-8 (with or without BOM) or Excel's Shift_JIS (with a warning),
//! a header row, every cell with the line and column where the editor typed it.

use std::path::{Path, PathBuf};

use super::model::{Origin, Resolved};
use super::spec::{Loc, Source, Spec};
use crate::diag::Diag;

/// The cells of a CSV, header first, each with its position in the file messages name.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file messages name: the CSV file, or the chapter for inline data.
    pub file: PathBuf,
    pub head: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub text: String,
    pub at: Loc,
}

/// Reads the spec's data; errors go to `out.diags`, the file's bytes to `out.input`.
pub fn load(spec: &Spec, o: &Origin, out: &mut Resolved) -> Option<Table> {
    match &spec.source {
        Source::Inline {
            text,
            first,
            indent,
        } => parse(text, o.file, *first, *indent, &mut out.diags),
        Source::File { path, at } => {
            let (rel, full) = match (o.resolve)(path, o.dir) {
                Ok(x) => x,
                Err(e) => {
                    let msg = e.replace("画像", "データ").replace("image", "data file");
                    out.diags.push(Diag::error(msg).at(o.file, at.line, at.col));
                    return None;
                }
            };
            let bytes = match std::fs::read(&full) {
                Ok(b) => b,
                Err(e) => {
                    out.diags
                        .push(Diag::error(format!("{path}: {e}")).at(o.file, at.line, at.col));
                    return None;
                }
            };
            let text = decode(&bytes, &full, &mut out.diags);
            out.input = Some((rel, bytes));
            parse(&text?, &full, Loc { line: 1, col: 1 }, 0, &mut out.diags)
        }
    }
}

/// UTF-8 (BOM dropped) or, failing that, Shift_JIS (CP932) with a warning naming the file.
fn decode(bytes: &[u8], shown: &Path, diags: &mut Vec<Diag>) -> Option<String> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(s) = std::str::from_utf8(body) {
        return Some(s.to_string());
    }
    let (text, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(body);
    if had_errors {
        diags.push(
            Diag::error(crate::t!(
                "CSV ファイルの文字コードが UTF-8 でも Shift_JIS でもありません",
                "the CSV file is neither UTF-8 nor Shift_JIS"
            ))
            .in_file(shown)
            .help(crate::t!(
                "Excel の「名前を付けて保存」で「CSV UTF-8（コンマ区切り）」を選んでください",
                "in Excel, use Save As → \"CSV UTF-8 (Comma delimited)\""
            )),
        );
        return None;
    }
    diags.push(
        Diag::warning(crate::t!(
            "CSV ファイルを Shift_JIS として読みました",
            "read the CSV file as Shift_JIS"
        ))
        .in_file(shown)
        .help(crate::t!(
            "Excel の「CSV UTF-8（コンマ区切り）」で保存すると、この警告は出ません",
            "save it from Excel as \"CSV UTF-8 (Comma delimited)\" to silence this warning"
        )),
    );
    Some(text.into_owned())
}

// Long: one pass over the CSV's lines and fields that keeps the line and column of every cell
// for the messages.
/// Parses CSV text. `first` is where its first line starts; later lines start at column
/// `indent + 1` (inline data inside an indented block).
pub fn parse(
    text: &str,
    shown: &Path,
    first: Loc,
    indent: usize,
    diags: &mut Vec<Diag>,
) -> Option<Table> {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<&str> = text.split('\n').collect();
    let mut rdr = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let place = |line: usize, col: usize| {
        if line <= 1 {
            Loc {
                line: first.line,
                col: first.col + col - 1,
            }
        } else {
            Loc {
                line: first.line + line - 1,
                col: indent + col,
            }
        }
    };
    let mut records: Vec<Vec<Cell>> = Vec::new();
    for rec in rdr.records() {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                let at = place(line, 1);
                diags.push(Diag::error(format!("CSV: {e}")).at(shown, at.line, at.col));
                return None;
            }
        };
        let line = rec.position().map_or(1, |p| p.line() as usize);
        let src_line = lines.get(line - 1).copied().unwrap_or("");
        let cols = field_columns(src_line);
        let cells: Vec<Cell> = rec
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let col = cols.get(i).copied().unwrap_or(1);
                Cell {
                    text: t.trim().to_string(),
                    at: place(line, col),
                }
            })
            .collect();
        // A row of only commas (Excel leaves them after the data) is no row.
        if cells.iter().all(|c| c.text.is_empty()) {
            continue;
        }
        records.push(cells);
    }
    let mut it = records.into_iter();
    let Some(head) = it.next() else {
        diags.push(
            Diag::error(crate::t!("CSV が空です", "the CSV is empty"))
                .at(shown, first.line, first.col)
                .help(crate::t!(
                    "1行目に見出し（例：項目,人数）、2行目から値を書いてください",
                    "write a header row (e.g. item,count) and then one row per category"
                )),
        );
        return None;
    };
    let rows: Vec<Vec<Cell>> = it.collect();
    if rows.is_empty() {
        diags.push(
            Diag::error(crate::t!(
                "CSV に見出しの行しかありません",
                "the CSV has a header row but no data rows"
            ))
            .at(shown, head[0].at.line, head[0].at.col),
        );
        return None;
    }
    for r in &rows {
        if r.len() != head.len() {
            let (n, h) = (r.len(), head.len());
            let at = r.get(h).or(r.last()).map_or(first, |c| c.at);
            diags.push(
                Diag::error(crate::t!(
                    "この行は {n} 列ありますが、見出しの行は {h} 列です",
                    "this row has {n} fields but the header row has {h}"
                ))
                .at(shown, at.line, at.col),
            );
            return None;
        }
    }
    Some(Table {
        file: shown.to_path_buf(),
        head,
        rows,
    })
}

/// The 1-based character column where each field of a CSV line starts (quotes respected).
fn field_columns(line: &str) -> Vec<usize> {
    let mut cols = vec![1];
    let mut quoted = false;
    for (i, c) in line.chars().enumerate() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cols.push(i + 2),
            _ => {}
        }
    }
    cols
}

/// A number as editors type it: `1,234`, `１２３`, `12.5%`, `12.5％`, `-3`, `△3`.
/// `Ok(None)` for an empty cell (a missing value); `Err(())` for anything else.
pub fn number(cell: &str) -> Result<Option<(f64, bool)>, ()> {
    let mut s = String::new();
    for c in cell.trim().chars() {
        let c = match c {
            '０'..='９' => char::from_u32(c as u32 - 0xFF10 + '0' as u32).unwrap_or(c),
            '．' => '.',
            '％' => '%',
            '−' | '－' | '▲' | '△' => '-',
            '＋' => '+',
            ',' | '，' | ' ' | '\u{3000}' | '_' => continue,
            c => c,
        };
        s.push(c);
    }
    if s.is_empty() {
        return Ok(None);
    }
    let (s, pct) = match s.strip_suffix('%') {
        Some(rest) => (rest.to_string(), true),
        None => (s, false),
    };
    let ok = !s.is_empty()
        && s.trim_start_matches(['-', '+'])
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.')
        && s.chars().filter(|c| *c == '.').count() <= 1
        && s.chars().any(|c| c.is_ascii_digit());
    if !ok {
        return Err(());
    }
    let v: f64 = s.parse().map_err(|_| ())?;
    if v.is_finite() && v.abs() < 1e15 {
        Ok(Some((v, pct)))
    } else {
        Err(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_editors_type_them() {
        assert_eq!(number("1,234"), Ok(Some((1234.0, false))));
        assert_eq!(number("１２３"), Ok(Some((123.0, false))));
        assert_eq!(number("12.5%"), Ok(Some((12.5, true))));
        assert_eq!(number("１２．５％"), Ok(Some((12.5, true))));
        assert_eq!(number(" "), Ok(None));
        assert_eq!(number("△3"), Ok(Some((-3.0, false))));
        assert_eq!(number("約30"), Err(()));
        assert_eq!(number("1.2.3"), Err(()));
        assert_eq!(number("%"), Err(()));
        assert_eq!(number("-"), Err(()));
        assert_eq!(number("1e400"), Err(()));
    }

    #[test]
    fn cells_know_their_line_and_column() {
        let mut d = Vec::new();
        let t = parse(
            "項目,人数\n友だち,\"1,234\"\n先生,5\n",
            Path::new("x.csv"),
            Loc { line: 1, col: 1 },
            0,
            &mut d,
        )
        .unwrap();
        assert_eq!(t.rows[0][1].text, "1,234");
        assert_eq!(t.rows[0][1].at, Loc { line: 2, col: 5 });
        assert_eq!(t.rows[1][1].at, Loc { line: 3, col: 4 });
    }

    #[test]
    fn ragged_rows_are_named_at_their_line() {
        let mut d = Vec::new();
        let t = parse(
            "a,b\nx,1\ny,2,3\n",
            Path::new("x.csv"),
            Loc { line: 1, col: 1 },
            0,
            &mut d,
        );
        assert!(t.is_none());
        assert_eq!((d[0].line, d[0].col), (3, 5));
    }
}
