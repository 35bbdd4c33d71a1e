//! Adds a `/BleedBox` to every page of a PDF that Typst wrote with a `/TrimBox`.
//!
//! typst-pdf 0.15 writes the TrimBox for a page with `bleed` but has no BleedBox option.
//! The PDF comes from our own pinned writer (pdf-writer: a classic cross-reference table, page
//! dictionaries as plain objects), so this is a small careful edit rather than a PDF library:
//! objects are copied in file order, page dictionaries get the key in front of `/TrimBox`, and
//! the cross-reference table is written anew with the shifted offsets. Deterministic.

/// `bleed` in points, added on every side of each page's TrimBox.
pub fn add_bleed_box(pdf: &[u8], bleed: f64) -> Result<Vec<u8>, String> {
    let xref_at = startxref(pdf).ok_or("no startxref")?;
    let table = XrefTable::parse(pdf, xref_at)?;
    let mut objects: Vec<(usize, usize)> = table
        .entries
        .iter()
        .enumerate()
        .filter_map(|(id, e)| e.in_use.then_some((e.offset, id)))
        .collect();
    objects.sort_unstable();
    let first = objects.first().map_or(xref_at, |(o, _)| *o);
    let mut out = Vec::with_capacity(pdf.len() + 64 * objects.len());
    out.extend_from_slice(&pdf[..first]);
    let mut new_offsets = vec![0usize; table.entries.len()];
    let mut pages = 0;
    for (k, (offset, id)) in objects.iter().enumerate() {
        let end = objects.get(k + 1).map_or(xref_at, |(o, _)| *o);
        let obj = pdf.get(*offset..end).ok_or("object offset out of range")?;
        new_offsets[*id] = out.len();
        match with_bleed_box(obj, bleed) {
            Some(changed) => {
                out.extend_from_slice(&changed);
                pages += 1;
            }
            None => out.extend_from_slice(obj),
        }
    }
    if pages == 0 {
        return Err("no page has a TrimBox".into());
    }
    let new_xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n", table.entries.len()).as_bytes());
    for (id, e) in table.entries.iter().enumerate() {
        let line = if e.in_use {
            format!("{:010} {:05} n\r\n", new_offsets[id], e.gen_)
        } else {
            format!("{:010} {:05} f\r\n", e.offset, e.gen_)
        };
        out.extend_from_slice(line.as_bytes());
    }
    let trailer_end = rfind(pdf, b"startxref").ok_or("no startxref")?;
    let trailer = pdf.get(table.end..trailer_end).ok_or("no trailer")?;
    out.extend_from_slice(trailer);
    out.extend_from_slice(format!("startxref\n{new_xref}\n%%EOF").as_bytes());
    Ok(out)
}

struct Entry {
    offset: usize,
    gen_: u32,
    in_use: bool,
}

struct XrefTable {
    entries: Vec<Entry>,
    /// Where the table ends (the trailer starts).
    end: usize,
}

impl XrefTable {
    /// A single subsection `xref\n0 N\n` followed by N 20-byte entries.
    fn parse(pdf: &[u8], at: usize) -> Result<Self, String> {
        let rest = pdf.get(at..).ok_or("startxref out of range")?;
        let rest = rest
            .strip_prefix(b"xref")
            .ok_or("not a cross-reference table")?;
        let (first, rest) = number(rest).ok_or("bad xref subsection")?;
        let (count, _) = number(rest).ok_or("bad xref subsection")?;
        if first != 0 {
            return Err("xref table does not start at object 0".into());
        }
        // The entries start after the subsection line.
        let line_end = pdf[at..]
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .nth(1)
            .map(|(i, _)| at + i + 1)
            .ok_or("bad xref table")?;
        let mut entries = Vec::with_capacity(count);
        for i in 0..count {
            let e = pdf
                .get(line_end + 20 * i..line_end + 20 * i + 20)
                .ok_or("xref table cut short")?;
            let text = std::str::from_utf8(&e[..18]).map_err(|_| "bad xref entry")?;
            let mut parts = text.split(' ');
            let offset = parts.next().and_then(|s| s.parse().ok());
            let gen_ = parts.next().and_then(|s| s.parse().ok());
            let kind = parts.next();
            match (offset, gen_, kind) {
                (Some(offset), Some(gen_), Some(k)) if k == "n" || k == "f" => {
                    entries.push(Entry {
                        offset,
                        gen_,
                        in_use: k == "n",
                    })
                }
                _ => return Err(format!("bad xref entry {i}")),
            }
        }
        Ok(XrefTable {
            entries,
            end: line_end + 20 * count,
        })
    }
}

fn number(s: &[u8]) -> Option<(usize, &[u8])> {
    let start = s.iter().position(|b| !b.is_ascii_whitespace())?;
    let s = &s[start..];
    let len = s
        .iter()
        .position(|b| !b.is_ascii_digit())
        .unwrap_or(s.len());
    let n = std::str::from_utf8(&s[..len]).ok()?.parse().ok()?;
    Some((n, &s[len..]))
}

fn startxref(pdf: &[u8]) -> Option<usize> {
    let at = rfind(pdf, b"startxref")?;
    number(&pdf[at + b"startxref".len()..]).map(|(n, _)| n)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The object with `/BleedBox [..]` in front of its `/TrimBox`, if it is a page dictionary
/// (not a stream, no strings, `/Type /Page`) with a TrimBox and no BleedBox yet.
fn with_bleed_box(obj: &[u8], bleed: f64) -> Option<Vec<u8>> {
    if find(obj, b"stream").is_some() || obj.contains(&b'(') || find(obj, b"/BleedBox").is_some() {
        return None;
    }
    let is_page = [&b"/Type /Page"[..], b"/Type/Page"].iter().any(|pat| {
        find(obj, pat).is_some_and(|i| {
            obj.get(i + pat.len())
                .is_none_or(|b| !b.is_ascii_alphanumeric())
        })
    });
    if !is_page {
        return None;
    }
    let at = find(obj, b"/TrimBox")?;
    let open = at + find(&obj[at..], b"[")?;
    let close = open + find(&obj[open..], b"]")?;
    let nums: Vec<f64> = std::str::from_utf8(&obj[open + 1..close])
        .ok()?
        .split_ascii_whitespace()
        .map(str::parse)
        .collect::<Result<_, _>>()
        .ok()?;
    let [x0, y0, x1, y1] = nums[..] else {
        return None;
    };
    let (l, r) = (x0.min(x1) - bleed, x0.max(x1) + bleed);
    let (b, t) = (y0.min(y1) - bleed, y0.max(y1) + bleed);
    let key = format!("/BleedBox [{} {} {} {}]", num(l), num(b), num(r), num(t));
    let mut out = Vec::with_capacity(obj.len() + key.len() + 1);
    out.extend_from_slice(&obj[..at]);
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(&obj[at..]);
    Some(out)
}

/// A PDF number with at most 3 decimals and no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.3}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A two-object PDF laid out as pdf-writer writes it.
    fn tiny(trim: bool) -> Vec<u8> {
        let trim = if trim { "/TrimBox [10 10 90 190]" } else { "" };
        let mut pdf = b"%PDF-1.7\n%\x80\x80\n".to_vec();
        let o1 = pdf.len();
        pdf.extend_from_slice(b"1 0 obj\n<</Type /Pages/Kids [2 0 R]/Count 1>>\nendobj\n");
        let o2 = pdf.len();
        pdf.extend_from_slice(
            format!("2 0 obj\n<</Type /Page/Parent 1 0 R/MediaBox [0 0 100 200]{trim}>>\nendobj\n")
                .as_bytes(),
        );
        let xref = pdf.len();
        pdf.extend_from_slice(
            format!(
                "xref\n0 3\n0000000000 65535 f\r\n{o1:010} 00000 n\r\n{o2:010} 00000 n\r\ntrailer\n<</Size 3/Root 1 0 R>>\nstartxref\n{xref}\n%%EOF"
            )
            .as_bytes(),
        );
        pdf
    }

    #[test]
    fn a_page_gets_a_bleed_box_and_the_offsets_stay_right() {
        let out = add_bleed_box(&tiny(true), 3.0).unwrap();
        let text = String::from_utf8_lossy(&out);
        assert!(
            text.contains("/BleedBox [7 7 93 193]/TrimBox [10 10 90 190]"),
            "{text}"
        );
        assert!(!text[..text.find("2 0 obj").unwrap()].contains("BleedBox"));
        let xref = startxref(&out).unwrap();
        let table = XrefTable::parse(&out, xref).unwrap();
        for (id, e) in table.entries.iter().enumerate().skip(1) {
            assert!(
                out[e.offset..].starts_with(format!("{id} 0 obj").as_bytes()),
                "object {id} not at its offset"
            );
        }
        assert!(text.ends_with("%%EOF"));
        assert!(text.contains("trailer\n<</Size 3/Root 1 0 R>>\nstartxref\n"));
    }

    #[test]
    fn a_pdf_without_trim_boxes_is_refused_and_junk_does_not_panic() {
        assert!(add_bleed_box(&tiny(false), 3.0).is_err());
        for junk in [
            &b""[..],
            b"startxref\n99999\n%%EOF",
            b"xref\n0 9\nstartxref\n0",
        ] {
            assert!(add_bleed_box(junk, 3.0).is_err());
        }
    }
}
