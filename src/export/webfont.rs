//! Web fonts for the text mode's 書体 setting: a shipped BIZ UD font cut down to the characters
//! one report uses, so that 「UD ゴシック」 and 「明朝」 look the same on every device, offline,
//! without shipping megabytes.
//!
//! `subsetter` (already used by Typst for the PDF) keeps the outlines, metrics and names of the
//! glyphs asked for, but writes no `cmap` or `OS/2` table, which PDF does not need and browsers do.
//! This module adds both — a `cmap` (formats 4 and 12) for the kept characters and the original
//! `OS/2` — and writes the font file again. There is no `GSUB`, so no vertical punctuation forms:
//! the text mode uses these fonts for horizontal text only.

use std::collections::BTreeSet;

/// The font cut down to `chars` (plus ASCII), or `None` when the font cannot be read.
pub fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = ttf(font)?;
    let mut want: BTreeSet<char> = chars.clone();
    want.extend((0x20u8..0x7f).map(char::from));
    let mut remapper = subsetter::GlyphRemapper::new();
    let mut map: Vec<(u32, u16)> = Vec::new();
    for c in want {
        if let Some(g) = face.glyph_index(c) {
            remapper.remap(g);
            map.push((c as u32, g));
        }
    }
    let cut = subsetter::subset(font, 0, &remapper).ok()?;
    let map: Vec<(u32, u16)> = map
        .into_iter()
        .filter_map(|(c, g)| remapper.get(g).map(|n| (c, n)))
        .collect();
    let mut tables = read_tables(&cut)?;
    let original = read_tables(font)?;
    tables.retain(|(t, _)| t != b"cmap" && t != b"OS/2");
    tables.push((*b"cmap", cmap(&map)));
    if let Some((_, os2)) = original.iter().find(|(t, _)| t == b"OS/2") {
        tables.push((*b"OS/2", os2.clone()));
    }
    Some(write_sfnt(tables))
}

/// Just enough of the font to find glyphs: the `cmap` lookup of the original.
struct Face<'a> {
    cmap: &'a [u8],
    sub: usize,
    format: u16,
}

fn ttf(font: &[u8]) -> Option<Face<'_>> {
    let tables = directory(font)?;
    let (off, len) = tables
        .iter()
        .find(|(t, ..)| t == b"cmap")
        .map(|(_, o, l)| (*o, *l))?;
    let cmap = font.get(off..off + len)?;
    let n = be16(cmap, 2)? as usize;
    let mut best: Option<(usize, u16)> = None;
    for i in 0..n {
        let rec = 4 + i * 8;
        let (pid, eid) = (be16(cmap, rec)?, be16(cmap, rec + 2)?);
        let at = be32(cmap, rec + 4)? as usize;
        let format = be16(cmap, at)?;
        let good = matches!(
            (pid, eid, format),
            (3, 10, 12) | (0, 4, 12) | (3, 1, 4) | (0, 3, 4)
        );
        if good && best.is_none_or(|(_, f)| f == 4 && format == 12) {
            best = Some((at, format));
        }
    }
    let (sub, format) = best?;
    Some(Face { cmap, sub, format })
}

impl Face<'_> {
    fn glyph_index(&self, c: char) -> Option<u16> {
        let c = c as u32;
        let t = self.cmap;
        let s = self.sub;
        let g = if self.format == 12 {
            let groups = be32(t, s + 12)? as usize;
            let (mut lo, mut hi) = (0usize, groups);
            let mut found = None;
            while lo < hi {
                let mid = (lo + hi) / 2;
                let at = s + 16 + mid * 12;
                let (start, end) = (be32(t, at)?, be32(t, at + 4)?);
                if c < start {
                    hi = mid;
                } else if c > end {
                    lo = mid + 1;
                } else {
                    found = Some(be32(t, at + 8)? + (c - start));
                    break;
                }
            }
            found? as u16
        } else {
            if c > 0xFFFF {
                return None;
            }
            let seg2 = be16(t, s + 6)? as usize;
            let ends = s + 14;
            let starts = ends + seg2 + 2;
            let deltas = starts + seg2;
            let ranges = deltas + seg2;
            let mut g = None;
            for i in (0..seg2).step_by(2) {
                if c as u16 > be16(t, ends + i)? {
                    continue;
                }
                let start = be16(t, starts + i)?;
                if (c as u16) < start {
                    break;
                }
                let delta = be16(t, deltas + i)?;
                let ro = be16(t, ranges + i)? as usize;
                g = Some(if ro == 0 {
                    (c as u16).wrapping_add(delta)
                } else {
                    let at = ranges + i + ro + 2 * (c as usize - start as usize);
                    let raw = be16(t, at)?;
                    if raw == 0 { 0 } else { raw.wrapping_add(delta) }
                });
                break;
            }
            g?
        };
        (g != 0).then_some(g)
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Table tag, offset and length of an sfnt (TrueType) file.
fn directory(font: &[u8]) -> Option<Vec<([u8; 4], usize, usize)>> {
    let n = be16(font, 4)? as usize;
    (0..n)
        .map(|i| {
            let rec = 12 + i * 16;
            let tag: [u8; 4] = font.get(rec..rec + 4)?.try_into().ok()?;
            Some((
                tag,
                be32(font, rec + 8)? as usize,
                be32(font, rec + 12)? as usize,
            ))
        })
        .collect()
}

fn read_tables(font: &[u8]) -> Option<Vec<([u8; 4], Vec<u8>)>> {
    directory(font)?
        .into_iter()
        .map(|(t, o, l)| Some((t, font.get(o..o + l)?.to_vec())))
        .collect()
}

/// Runs of consecutive characters mapped to consecutive glyphs: (first char, last char, first glyph).
fn runs(map: &[(u32, u16)]) -> Vec<(u32, u32, u16)> {
    let mut out: Vec<(u32, u32, u16)> = Vec::new();
    for &(c, g) in map {
        match out.last_mut() {
            Some((start, end, g0))
                if c == *end + 1 && u32::from(g) == u32::from(*g0) + (c - *start) =>
            {
                *end = c
            }
            _ => out.push((c, c, g)),
        }
    }
    out
}

/// A `cmap` with a format 4 subtable (BMP, platform 3/1) and a format 12 one (3/10).
fn cmap(map: &[(u32, u16)]) -> Vec<u8> {
    let all = runs(map);
    let mut f12 = Vec::new();
    f12.extend(12u16.to_be_bytes());
    f12.extend(0u16.to_be_bytes());
    f12.extend(((16 + 12 * all.len()) as u32).to_be_bytes());
    f12.extend(0u32.to_be_bytes());
    f12.extend((all.len() as u32).to_be_bytes());
    for (s, e, g) in &all {
        f12.extend(s.to_be_bytes());
        f12.extend(e.to_be_bytes());
        f12.extend(u32::from(*g).to_be_bytes());
    }
    let mut segs: Vec<(u16, u16, u16)> = all
        .iter()
        .filter(|(_, e, _)| *e <= 0xFFFE)
        .map(|(s, e, g)| (*s as u16, *e as u16, g.wrapping_sub(*s as u16)))
        .collect();
    segs.push((0xFFFF, 0xFFFF, 1));
    let n = segs.len() as u16;
    let mut f4 = Vec::new();
    let pow = if n == 0 {
        1
    } else {
        1u16 << (15 - n.leading_zeros())
    };
    f4.extend(4u16.to_be_bytes());
    f4.extend(((16 + 8 * segs.len()) as u16).to_be_bytes());
    f4.extend(0u16.to_be_bytes());
    f4.extend((2 * n).to_be_bytes());
    f4.extend((2 * pow).to_be_bytes());
    f4.extend((pow.trailing_zeros() as u16).to_be_bytes());
    f4.extend((2 * n - 2 * pow).to_be_bytes());
    segs.iter().for_each(|s| f4.extend(s.1.to_be_bytes()));
    f4.extend(0u16.to_be_bytes());
    segs.iter().for_each(|s| f4.extend(s.0.to_be_bytes()));
    segs.iter().for_each(|s| f4.extend(s.2.to_be_bytes()));
    segs.iter().for_each(|_| f4.extend(0u16.to_be_bytes()));
    let with_f4 = 16 + 8 * segs.len() <= 0xFFFF;
    let mut out = Vec::new();
    out.extend(0u16.to_be_bytes());
    out.extend((if with_f4 { 2u16 } else { 1 }).to_be_bytes());
    let header = 4 + 8 * if with_f4 { 2 } else { 1 };
    if with_f4 {
        out.extend(3u16.to_be_bytes());
        out.extend(1u16.to_be_bytes());
        out.extend((header as u32).to_be_bytes());
    }
    out.extend(3u16.to_be_bytes());
    out.extend(10u16.to_be_bytes());
    out.extend(((header + if with_f4 { f4.len() } else { 0 }) as u32).to_be_bytes());
    if with_f4 {
        out.extend(&f4);
    }
    out.extend(&f12);
    out
}

fn checksum(b: &[u8]) -> u32 {
    b.chunks(4).fold(0u32, |sum, c| {
        let mut w = [0u8; 4];
        w[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(w))
    })
}

/// An sfnt file from its tables (sorted by tag, 4-byte aligned, with checksums).
fn write_sfnt(mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    tables.sort_by(|a, b| a.0.cmp(&b.0));
    let n = tables.len() as u16;
    let pow = 1u16 << (15 - n.max(1).leading_zeros());
    let mut out = Vec::new();
    out.extend(0x0001_0000u32.to_be_bytes());
    out.extend(n.to_be_bytes());
    out.extend((16 * pow).to_be_bytes());
    out.extend((pow.trailing_zeros() as u16).to_be_bytes());
    out.extend((16 * n - 16 * pow).to_be_bytes());
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &mut tables {
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
        }
        out.extend(*tag);
        out.extend(checksum(data).to_be_bytes());
        out.extend((offset as u32).to_be_bytes());
        out.extend((data.len() as u32).to_be_bytes());
        if tag == b"head" {
            head_at = Some(offset);
        }
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gothic() -> &'static [u8] {
        crate::typeset::fonts::FONT_FILES
            .iter()
            .find(|(n, _)| n.contains("BIZUDPGothic-Regular"))
            .map(|(_, d)| *d)
            .expect("shipped font")
    }

    #[test]
    fn the_subset_maps_the_asked_characters_and_is_small() {
        let chars: BTreeSet<char> = "子どもの居場所、令和6年度。𠮷".chars().collect();
        let cut = subset(gothic(), &chars).expect("subset");
        assert!(cut.len() < 60_000, "{} bytes", cut.len());
        let face = ttf(&cut).expect("the subset has a cmap");
        for c in "子どもの居場所、令和6年度。A~".chars() {
            assert!(face.glyph_index(c).is_some(), "{c} is mapped");
        }
        // Not in the font at all, and not asked for: not mapped.
        assert_eq!(face.glyph_index('𠮷'), None);
        assert_eq!(face.glyph_index('鬱'), None);
        // Tables a browser needs are there; the checksum adjustment makes the file sum to the magic.
        let tags: Vec<[u8; 4]> = directory(&cut).unwrap().into_iter().map(|t| t.0).collect();
        for t in [
            b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"OS/2",
            b"post",
        ] {
            assert!(tags.contains(t), "{} missing", String::from_utf8_lossy(t));
        }
        assert_eq!(checksum(&cut), 0xB1B0_AFBA);
    }

    #[test]
    fn same_characters_same_bytes() {
        let chars: BTreeSet<char> = "再現性".chars().collect();
        assert_eq!(subset(gothic(), &chars), subset(gothic(), &chars));
    }
}
