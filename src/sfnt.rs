//! The font container for the web fonts kanko writes (the reader's page fonts and the text
//! mode's UD fonts): reading a font's tables, turning a `subsetter` cut into a face a browser
//! accepts, and wrapping it as WOFF / WOFF2.
//!
//! `subsetter` (Typst's own, already used for the PDF) keeps the outlines, metrics and names of
//! the glyphs asked for but writes no `cmap` or `OS/2` table, which a PDF does not need and
//! browsers do. [`cut`] adds both and drops what a screen font does not use:
//! - TrueType hinting (`fpgm`, `prep`, `cvt `, `gasp`, `hdmx`, `LTSH`, `VDMX` and each glyph's
//!   instructions): Chromium, Firefox and Safari draw web fonts unhinted on phones, tablets and
//!   Macs, and typst-render, the reference the reader is compared with, never hints. On the
//!   sample corpus hinting was 36 % of the page fonts' bytes.
//! - `name` records other than copyright, family, style, full name, PostScript name and licence
//!   URL (the OFL's notice stays with the font), and `DSIG` (a cut font's signature is void).

use write_fonts::types::GlyphId;

pub type Table = ([u8; 4], Vec<u8>);
/// A table's tag and bytes, borrowed from the font file.
pub type Borrowed<'a> = ([u8; 4], &'a [u8]);

fn be16(d: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(d.get(at..at + 2)?.try_into().ok()?))
}

fn be32(d: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(d.get(at..at + 4)?.try_into().ok()?))
}

/// The sfnt version and the tables (borrowed) of the font at `index` of a file (a collection's
/// member or a plain font).
pub fn tables(data: &[u8], index: u32) -> Result<(u32, Vec<Borrowed<'_>>), String> {
    let short = || "font data cut short".to_string();
    let at = if data.starts_with(b"ttcf") {
        be32(data, 12 + 4 * index as usize).ok_or_else(short)? as usize
    } else {
        0
    };
    let flavor = be32(data, at).ok_or_else(short)?;
    let n = be16(data, at + 4).ok_or_else(short)?;
    let mut out = Vec::with_capacity(usize::from(n));
    for i in 0..usize::from(n) {
        let rec = at + 12 + 16 * i;
        let tag: [u8; 4] = data
            .get(rec..rec + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(short)?;
        let off = be32(data, rec + 8).ok_or_else(short)? as usize;
        let len = be32(data, rec + 12).ok_or_else(short)? as usize;
        let body = data.get(off..off + len).ok_or("table out of range")?;
        out.push((tag, body));
    }
    Ok((flavor, out))
}

/// One table of a font, borrowed.
pub fn table<'a>(data: &'a [u8], index: u32, tag: &[u8; 4]) -> Option<&'a [u8]> {
    tables(data, index)
        .ok()?
        .1
        .into_iter()
        .find(|(t, _)| t == tag)
        .map(|(_, b)| b)
}

/// A face a browser draws: the font at `index` of `original` cut with `subsetter` to `glyphs`
/// (character → glyph id in the original), with a `cmap` for those characters, the original
/// `OS/2`, and no hinting.
pub fn cut(original: &[u8], index: u32, glyphs: &[(char, u16)]) -> Result<Vec<u8>, String> {
    let mut remap = subsetter::GlyphRemapper::new();
    for (_, g) in glyphs {
        remap.remap(*g);
    }
    let sub = subsetter::subset(original, index, &remap).map_err(|e| format!("subsetting: {e}"))?;
    let map = glyphs
        .iter()
        .map(|(c, g)| {
            let new = remap.get(*g).ok_or("glyph lost in subsetting")?;
            Ok((*c, GlyphId::new(u32::from(new))))
        })
        .collect::<Result<Vec<_>, String>>()?;
    let cmap = write_fonts::tables::cmap::Cmap::from_mappings(map).map_err(|e| e.to_string())?;
    let cmap = write_fonts::dump_table(&cmap).map_err(|e| e.to_string())?;
    let os2 = table(original, index, b"OS/2").ok_or("the font has no OS/2 table")?;
    let (flavor, cut_tables) = tables(&sub, 0)?;
    let mut out: Vec<Table> = cut_tables
        .into_iter()
        .filter(|(t, _)| t != b"cmap" && t != b"OS/2")
        .map(|(t, b)| (t, b.to_vec()))
        .collect();
    out.push((*b"cmap", cmap));
    out.push((*b"OS/2", os2.to_vec()));
    for_screens(&mut out);
    Ok(write(flavor, out))
}

/// Tables only hinting uses.
const HINTING: [&[u8; 4]; 7] = [
    b"fpgm", b"prep", b"cvt ", b"gasp", b"hdmx", b"LTSH", b"VDMX",
];

/// Drops hinting, the signature and the optional name records (see the module notes). A `glyf`
/// table it cannot read is kept as it is, hinting and all: a bigger font, never a broken one.
fn for_screens(tables: &mut Vec<Table>) {
    let get = |t: &Vec<Table>, tag: &[u8; 4]| t.iter().position(|(x, _)| x == tag);
    if let (Some(gi), Some(li), Some(hi)) = (
        get(tables, b"glyf"),
        get(tables, b"loca"),
        get(tables, b"head"),
    ) {
        let long = be16(&tables[hi].1, 50) == Some(1);
        if let Some((glyf, loca)) = unhinted_glyf(&tables[gi].1, &tables[li].1, long) {
            tables[gi].1 = glyf;
            tables[li].1 = loca;
            if let Some(mi) = get(tables, b"maxp") {
                // maxSizeOfInstructions: none are left.
                if let Some(b) = tables[mi].1.get_mut(26..28) {
                    b.fill(0);
                }
            }
        }
        tables.retain(|(t, _)| !HINTING.contains(&t));
    }
    tables.retain(|(t, _)| t != b"DSIG");
    if let Some(ni) = get(tables, b"name")
        && let Some(name) = short_name(&tables[ni].1)
    {
        tables[ni].1 = name;
    }
}

/// `glyf` and `loca` with every glyph's instructions removed, `loca` in the same format.
fn unhinted_glyf(glyf: &[u8], loca: &[u8], long: bool) -> Option<(Vec<u8>, Vec<u8>)> {
    let offsets: Vec<usize> = if long {
        loca.chunks_exact(4)
            .map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize)
            .collect()
    } else {
        loca.chunks_exact(2)
            .map(|c| usize::from(u16::from_be_bytes([c[0], c[1]])) * 2)
            .collect()
    };
    let mut out = Vec::with_capacity(glyf.len());
    let mut new_loca = Vec::with_capacity(loca.len());
    let push_offset = |at: usize, loca: &mut Vec<u8>| -> Option<()> {
        if long {
            loca.extend_from_slice(&u32::try_from(at).ok()?.to_be_bytes());
        } else {
            loca.extend_from_slice(&u16::try_from(at / 2).ok()?.to_be_bytes());
        }
        Some(())
    };
    for w in offsets.windows(2) {
        push_offset(out.len(), &mut new_loca)?;
        let (a, b) = (w[0], w[1]);
        if b > a {
            let g = glyf.get(a..b)?;
            strip_glyph(g, &mut out)?;
            // Short offsets count 2-byte words; keep every glyph 2-byte aligned either way.
            if out.len() % 2 == 1 {
                out.push(0);
            }
        }
    }
    push_offset(out.len(), &mut new_loca)?;
    Some((out, new_loca))
}

/// Appends glyph `g` without its instructions.
fn strip_glyph(g: &[u8], out: &mut Vec<u8>) -> Option<()> {
    let contours = be16(g, 0)? as i16;
    if contours >= 0 {
        let at = 10 + 2 * contours as usize;
        let len = usize::from(be16(g, at)?);
        let rest = g.get(at + 2 + len..)?;
        out.extend_from_slice(g.get(..at)?);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(rest);
        return Some(());
    }
    // A composite: components up to the last one; its trailing instructions are dropped and the
    // WE_HAVE_INSTRUCTIONS flag cleared.
    const WORDS: u16 = 0x0001;
    const SCALE: u16 = 0x0008;
    const MORE: u16 = 0x0020;
    const XY_SCALE: u16 = 0x0040;
    const TWO_BY_TWO: u16 = 0x0080;
    const INSTRUCTIONS: u16 = 0x0100;
    let start = out.len();
    out.extend_from_slice(g.get(..10)?);
    let mut at = 10;
    loop {
        let flags = be16(g, at)?;
        let len = 4
            + if flags & WORDS != 0 { 4 } else { 2 }
            + if flags & TWO_BY_TWO != 0 {
                8
            } else if flags & XY_SCALE != 0 {
                4
            } else if flags & SCALE != 0 {
                2
            } else {
                0
            };
        let comp = g.get(at..at + len)?;
        out.extend_from_slice(&(flags & !INSTRUCTIONS).to_be_bytes());
        out.extend_from_slice(&comp[2..]);
        at += len;
        if flags & MORE == 0 {
            break;
        }
        if out.len() - start > g.len() {
            return None;
        }
    }
    Some(())
}

/// Name ids kept: copyright, family, subfamily, full name, PostScript name, licence URL.
const NAMES: [u16; 6] = [0, 1, 2, 4, 6, 14];

/// The `name` table with only the Windows-platform records of [`NAMES`]; `None` (keep it as it
/// is) when it has none of them or cannot be read.
fn short_name(name: &[u8]) -> Option<Vec<u8>> {
    let count = usize::from(be16(name, 2)?);
    let strings = usize::from(be16(name, 4)?);
    let mut kept: Vec<([u16; 4], &[u8])> = Vec::new();
    for k in 0..count {
        let r = 6 + 12 * k;
        let rec = [
            be16(name, r)?,
            be16(name, r + 2)?,
            be16(name, r + 4)?,
            be16(name, r + 6)?,
        ];
        let (len, off) = (
            usize::from(be16(name, r + 8)?),
            usize::from(be16(name, r + 10)?),
        );
        if rec[0] == 3 && NAMES.contains(&rec[3]) {
            kept.push((rec, name.get(strings + off..strings + off + len)?));
        }
    }
    if !kept.iter().any(|(r, _)| r[3] == 1) {
        return None;
    }
    kept.sort_by_key(|(r, _)| *r);
    let mut out = Vec::new();
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(kept.len() as u16).to_be_bytes());
    out.extend_from_slice(&((6 + 12 * kept.len()) as u16).to_be_bytes());
    let mut pool: Vec<u8> = Vec::new();
    for (rec, s) in &kept {
        rec.iter()
            .for_each(|v| out.extend_from_slice(&v.to_be_bytes()));
        out.extend_from_slice(&(s.len() as u16).to_be_bytes());
        out.extend_from_slice(&u16::try_from(pool.len()).ok()?.to_be_bytes());
        pool.extend_from_slice(s);
    }
    out.extend_from_slice(&pool);
    Some(out)
}

pub fn checksum(d: &[u8]) -> u32 {
    d.chunks(4).fold(0u32, |sum, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(b))
    })
}

/// An OpenType file from its tables: sorted directory, 4-byte padding, checksums.
pub fn write(flavor: u32, mut tables: Vec<Table>) -> Vec<u8> {
    tables.sort_by_key(|t| t.0);
    let n = tables.len() as u16;
    let sel = 15 - n.max(1).leading_zeros() as u16;
    let range = (1u16 << sel) * 16;
    let mut out = Vec::new();
    out.extend_from_slice(&flavor.to_be_bytes());
    for v in [n, range, sel, n * 16 - range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, data) in &mut tables {
        if tag == b"head" && data.len() >= 12 {
            data[8..12].fill(0);
            head_at = Some(offset + 8);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(data).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        offset += data.len().div_ceil(4) * 4;
    }
    for (_, data) in &tables {
        out.extend_from_slice(data);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    if let Some(at) = head_at {
        let adj = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at..at + 4].copy_from_slice(&adj.to_be_bytes());
    }
    out
}

/// WOFF2 (ttf2woff2: glyf/loca transform and Brotli, single-threaded so the bytes are the same
/// on every run); WOFF 1.0 when the font cannot be transformed. Browsers: Safari 12+, Chrome 36+.
/// Used for the text mode's UD fonts (TrueType outlines: 57 % of the cut TTF at quality 5; quality
/// 9 saves 1 % more for twice the time). The page fonts stay WOFF 1.0: for their CFF outlines
/// WOFF2 saved 15 %, at the cost of a Brotli pass over every face and a slower decode per page group.
pub fn woff2(sfnt: &[u8]) -> Result<Vec<u8>, String> {
    match ttf2woff2::encode(sfnt, ttf2woff2::BrotliQuality::from(5)) {
        Ok(w) => Ok(w),
        Err(_) => woff(sfnt),
    }
}

/// WOFF 1.0 wrapper: each table zlib-compressed when that is smaller.
pub fn woff(sfnt: &[u8]) -> Result<Vec<u8>, String> {
    use std::io::Write;
    let (flavor, raw) = tables(sfnt, 0)?;
    let mut packed = Vec::new();
    for (tag, orig) in raw {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(orig).map_err(|e| e.to_string())?;
        let comp = z.finish().map_err(|e| e.to_string())?;
        let sum = checksum(orig);
        let len = orig.len() as u32;
        let data = if comp.len() < orig.len() {
            comp
        } else {
            orig.to_vec()
        };
        packed.push((u32::from_be_bytes(tag), sum, len, data));
    }
    let n = packed.len();
    let mut offset = 44 + 20 * n;
    let mut dir = Vec::new();
    let mut body = Vec::new();
    for (tag, sum, orig_len, data) in &packed {
        dir.extend_from_slice(&tag.to_be_bytes());
        dir.extend_from_slice(&(offset as u32).to_be_bytes());
        dir.extend_from_slice(&(data.len() as u32).to_be_bytes());
        dir.extend_from_slice(&orig_len.to_be_bytes());
        dir.extend_from_slice(&sum.to_be_bytes());
        body.extend_from_slice(data);
        offset += data.len();
        while body.len() % 4 != 0 {
            body.push(0);
            offset += 1;
        }
    }
    let total = 44 + dir.len() + body.len();
    let mut out = Vec::with_capacity(total);
    out.extend_from_slice(b"wOFF");
    out.extend_from_slice(&flavor.to_be_bytes());
    out.extend_from_slice(&(total as u32).to_be_bytes());
    out.extend_from_slice(&(n as u16).to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&(sfnt.len() as u32).to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes()); // major version of the font data
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&[0; 20]); // no metadata, no private block
    out.extend_from_slice(&dir);
    out.extend_from_slice(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shipped(name: &str) -> &'static [u8] {
        crate::typeset::fonts::FONT_FILES
            .iter()
            .find(|(n, _)| n.contains(name))
            .map(|(_, d)| *d)
            .expect("shipped font")
    }

    #[test]
    fn a_web_face_has_no_hinting_and_draws_the_same_outlines() {
        let font = shipped("BIZUDPGothic-Regular");
        let orig = ttf_parser::Face::parse(font, 0).unwrap();
        let text = "報告書の作成。令和6年度 ABC ÅÉ";
        let gids: Vec<(char, u16)> = text
            .chars()
            .filter_map(|c| Some((c, orig.glyph_index(c)?.0)))
            .collect();
        let mut remap = subsetter::GlyphRemapper::new();
        for (_, g) in &gids {
            remap.remap(*g);
        }
        let plain = subsetter::subset(font, 0, &remap).unwrap();
        assert!(table(&plain, 0, b"fpgm").is_some(), "a plain cut is hinted");
        let face = cut(font, 0, &gids).unwrap();
        for t in HINTING {
            assert!(
                table(&face, 0, t).is_none(),
                "{}",
                String::from_utf8_lossy(t)
            );
        }
        assert!(table(&face, 0, b"DSIG").is_none());
        assert_eq!(checksum(&face), 0xB1B0_AFBA);
        let web = ttf_parser::Face::parse(&face, 0).expect("parses");
        // No glyph keeps instructions: every simple glyph's instruction length is 0.
        let glyf = table(&face, 0, b"glyf").unwrap();
        let loca = table(&face, 0, b"loca").unwrap();
        let long = be16(table(&face, 0, b"head").unwrap(), 50) == Some(1);
        let offs: Vec<usize> = if long {
            loca.chunks_exact(4)
                .map(|c| u32::from_be_bytes(c.try_into().unwrap()) as usize)
                .collect()
        } else {
            loca.chunks_exact(2)
                .map(|c| 2 * usize::from(u16::from_be_bytes([c[0], c[1]])))
                .collect()
        };
        for w in offs.windows(2).filter(|w| w[1] > w[0]) {
            let nc = be16(glyf, w[0]).unwrap() as i16;
            if nc >= 0 {
                assert_eq!(be16(glyf, w[0] + 10 + 2 * nc as usize), Some(0));
            }
        }
        for (c, g) in &gids {
            let new = web.glyph_index(*c).unwrap_or_else(|| panic!("{c} mapped"));
            assert_eq!(
                web.glyph_bounding_box(new),
                orig.glyph_bounding_box(ttf_parser::GlyphId(*g)),
                "outline of {c}"
            );
            assert_eq!(
                web.glyph_hor_advance(new),
                orig.glyph_hor_advance(ttf_parser::GlyphId(*g))
            );
        }
        // The name keeps family, copyright and licence URL, and nothing else.
        let names: Vec<u16> = web.names().into_iter().map(|n| n.name_id).collect();
        for id in [0, 1, 2, 14] {
            assert!(names.contains(&id), "name id {id}");
        }
        assert!(names.iter().all(|id| NAMES.contains(id)), "{names:?}");
        let hinted = write(
            0x0001_0000,
            tables(&plain, 0)
                .unwrap()
                .1
                .into_iter()
                .map(|(t, b)| (t, b.to_vec()))
                .collect(),
        );
        assert!(
            face.len() * 10 < hinted.len() * 8,
            "unhinted {} vs hinted {}",
            face.len(),
            hinted.len()
        );
    }

    #[test]
    fn a_composite_glyph_loses_its_instructions_and_keeps_its_components() {
        // Two components (word args, then a scale), the last with instructions.
        let mut g = vec![0xFF, 0xFF, 0, 0, 0, 0, 0, 10, 0, 10];
        g.extend_from_slice(&(0x0001u16 | 0x0020 | 0x0100).to_be_bytes());
        g.extend_from_slice(&[0, 3, 0, 1, 0, 2]);
        g.extend_from_slice(&(0x0008u16 | 0x0100).to_be_bytes());
        g.extend_from_slice(&[0, 4, 5, 6, 0x40, 0]);
        g.extend_from_slice(&[0, 3, 0xB0, 0xB1, 0xB2]);
        let mut out = Vec::new();
        strip_glyph(&g, &mut out).unwrap();
        assert_eq!(out.len(), g.len() - 5);
        assert_eq!(&out[10..12], &(0x0001u16 | 0x0020).to_be_bytes());
        assert_eq!(&out[18..20], &0x0008u16.to_be_bytes());
        assert_eq!(&out[12..18], &g[12..18]);
        // Cut short: refused, not read past the end.
        assert!(strip_glyph(&g[..15], &mut Vec::new()).is_none());
    }
}
