//! Web fonts for the reader's vector pages: each font Typst used, cut down to the glyphs the
//! pages draw, with a character map from Private Use Area code points to those glyphs, so the
//! browser draws exactly Typst's glyphs (no reshaping, no fallback font).
//!
//! Glyphs are split by page group: a glyph goes into the face of the first group of pages that
//! draws it, so opening the report loads only the glyphs of its first page, and no glyph is
//! stored twice.

use std::collections::HashMap;

use typst::text::Font;
use write_fonts::types::GlyphId;

/// First code point of the Basic Multilingual Plane's Private Use Area.
const PUA: u32 = 0xE000;
/// Glyphs per face that fit in that area (U+E000..U+F8FF).
const PUA_LEN: usize = 6399;
/// Plane 15 (Supplementary Private Use Area-A), for a face with more glyphs than the BMP area.
const PUA_15: u32 = 0xF0000;

/// One web font face: the glyphs of one font first drawn in one page group.
#[derive(Debug, Clone)]
pub struct Face {
    pub font: usize,
    pub group: usize,
    /// Glyph ids in the original font with their code points (unique within the font, so all
    /// faces of a font can stand in one CSS font-family list).
    pub glyphs: Vec<(u16, char)>,
}

impl Face {
    /// CSS font family name of the face.
    pub fn family(&self) -> String {
        format!("k{}_{}", self.font, self.group)
    }
}

/// Which code point draws each glyph of each font, and which face holds it.
#[derive(Debug, Default)]
pub struct Plan {
    pub fonts: Vec<Font>,
    pub faces: Vec<Face>,
    font_index: HashMap<Font, usize>,
    /// (font, glyph) → (face, code point)
    codes: HashMap<(usize, u16), (usize, char)>,
    /// Page group of each page (0-based page index).
    pub page_group: Vec<usize>,
}

/// Page group of the 0-based page `i`: page 1 alone, page 2, pages 3–4, 5–8, then every 8 pages.
pub fn group_of(i: usize) -> usize {
    match i {
        0 => 0,
        1 => 1,
        2..=3 => 2,
        4..=7 => 3,
        _ => 4 + (i - 8) / 8,
    }
}

fn code_point(k: usize, big: bool) -> char {
    let base = if big { PUA_15 } else { PUA };
    char::from_u32(base + k as u32).unwrap_or('\u{E000}')
}

impl Plan {
    /// Assigns every used glyph to a face, from the glyphs each page draws (in page order).
    pub fn new(uses: &[Vec<(Font, u16)>]) -> Plan {
        let mut plan = Plan::default();
        let mut face_of: HashMap<(usize, usize), usize> = HashMap::new();
        let mut order: Vec<Vec<(u16, usize)>> = Vec::new();
        let mut seen: HashMap<(usize, u16), ()> = HashMap::new();
        for (i, page) in uses.iter().enumerate() {
            let group = group_of(i);
            plan.page_group.push(group);
            for (font, gid) in page {
                let fi = match plan.font_index.get(font) {
                    Some(&fi) => fi,
                    None => {
                        plan.fonts.push(font.clone());
                        plan.font_index.insert(font.clone(), plan.fonts.len() - 1);
                        order.push(Vec::new());
                        plan.fonts.len() - 1
                    }
                };
                if seen.insert((fi, *gid), ()).is_some() {
                    continue;
                }
                let face = *face_of.entry((fi, group)).or_insert_with(|| {
                    plan.faces.push(Face {
                        font: fi,
                        group,
                        glyphs: Vec::new(),
                    });
                    plan.faces.len() - 1
                });
                order[fi].push((*gid, face));
            }
        }
        for glyphs in &order {
            let big = glyphs.len() > PUA_LEN;
            for (k, (gid, face)) in glyphs.iter().enumerate() {
                let ch = code_point(k + 1, big);
                let f = &mut plan.faces[*face];
                f.glyphs.push((*gid, ch));
                plan.codes.insert((f.font, *gid), (*face, ch));
            }
        }
        plan
    }

    /// Font index, face and code point of a glyph; `None` for a glyph no page declared.
    pub fn code(&self, font: &Font, gid: u16) -> Option<(usize, usize, char)> {
        let fi = *self.font_index.get(font)?;
        self.codes.get(&(fi, gid)).map(|&(face, ch)| (fi, face, ch))
    }

    /// Page groups whose fonts a page needs.
    pub fn groups_of(&self, uses: &[(Font, u16)]) -> Vec<usize> {
        let mut g: Vec<usize> = uses
            .iter()
            .filter_map(|(f, gid)| self.code(f, *gid))
            .map(|(_, face, _)| self.faces[face].group)
            .collect();
        g.sort_unstable();
        g.dedup();
        g
    }
}

/// The face as an OpenType font a browser accepts (TrueType or CFF outlines as in the
/// original), with a PUA character map and the OS/2 table browsers require.
pub fn build_face(font: &Font, face: &Face) -> Result<Vec<u8>, String> {
    let mut remap = subsetter::GlyphRemapper::new();
    for (g, _) in &face.glyphs {
        remap.remap(*g);
    }
    let sub = subsetter::subset(font.data(), font.index(), &remap)
        .map_err(|e| format!("subsetting {}: {e}", font.info().family))?;
    let mut map = Vec::with_capacity(face.glyphs.len());
    for (g, ch) in &face.glyphs {
        let new = remap.get(*g).ok_or("glyph lost in subsetting")?;
        map.push((*ch, GlyphId::new(u32::from(new))));
    }
    let cmap = write_fonts::tables::cmap::Cmap::from_mappings(map).map_err(|e| e.to_string())?;
    let cmap = write_fonts::dump_table(&cmap).map_err(|e| e.to_string())?;
    let (flavor, mut tables) = read_tables(&sub, 0)?;
    let (_, orig) = read_tables(font.data(), font.index())?;
    let os2 = orig
        .into_iter()
        .find(|(t, _)| t == b"OS/2")
        .ok_or_else(|| format!("{} has no OS/2 table", font.info().family))?;
    tables.retain(|(t, _)| t != b"cmap" && t != b"OS/2");
    tables.push((*b"cmap", cmap));
    tables.push((os2.0, os2.1));
    Ok(write_sfnt(flavor, tables))
}

type Table = ([u8; 4], Vec<u8>);

fn be32(d: &[u8], at: usize) -> Result<u32, String> {
    d.get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| "font data cut short".to_string())
}

/// The sfnt version and tables of the font at `index` (a collection's member or a plain font).
fn read_tables(data: &[u8], index: u32) -> Result<(u32, Vec<Table>), String> {
    let mut at = 0usize;
    if data.starts_with(b"ttcf") {
        at = be32(data, 12 + 4 * index as usize)? as usize;
    }
    let flavor = be32(data, at)?;
    let n = data
        .get(at + 4..at + 6)
        .map(|b| u16::from_be_bytes([b[0], b[1]]))
        .ok_or("font data cut short")?;
    let mut out = Vec::new();
    for i in 0..usize::from(n) {
        let rec = at + 12 + 16 * i;
        let tag: [u8; 4] = data
            .get(rec..rec + 4)
            .and_then(|b| b.try_into().ok())
            .ok_or("font data cut short")?;
        let off = be32(data, rec + 8)? as usize;
        let len = be32(data, rec + 12)? as usize;
        let body = data.get(off..off + len).ok_or("table out of range")?;
        out.push((tag, body.to_vec()));
    }
    Ok((flavor, out))
}

fn checksum(d: &[u8]) -> u32 {
    d.chunks(4).fold(0u32, |sum, c| {
        let mut b = [0u8; 4];
        b[..c.len()].copy_from_slice(c);
        sum.wrapping_add(u32::from_be_bytes(b))
    })
}

/// An OpenType file from its tables: sorted directory, 4-byte padding, checksums.
fn write_sfnt(flavor: u32, mut tables: Vec<Table>) -> Vec<u8> {
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
    let (flavor, raw) = read_tables(sfnt, 0)?;
    let mut tables = Vec::new();
    for (tag, orig) in raw {
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
        z.write_all(&orig).map_err(|e| e.to_string())?;
        let comp = z.finish().map_err(|e| e.to_string())?;
        let sum = checksum(&orig);
        let len = orig.len() as u32;
        let data = if comp.len() < orig.len() { comp } else { orig };
        tables.push((u32::from_be_bytes(tag), sum, len, data));
    }
    let n = tables.len();
    let mut out = Vec::new();
    let mut offset = 44 + 20 * n;
    let mut dir = Vec::new();
    let mut body = Vec::new();
    for (tag, sum, orig_len, data) in &tables {
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
    use typst::foundations::Bytes;

    fn gothic() -> Font {
        let fonts = crate::typeset::fonts::Fonts::load();
        fonts
            .fonts
            .into_iter()
            .find(|f| f.info().family == "BIZ UDPGothic")
            .expect("BIZ UDPGothic is shipped")
    }

    fn ttf(f: &Font) -> ttf_parser::Face<'_> {
        ttf_parser::Face::parse(f.data(), f.index()).expect("parses")
    }

    fn gid(f: &Font, c: char) -> u16 {
        ttf(f).glyph_index(c).expect("glyph for char").0
    }

    /// Every glyph asked for is in the face, reached by its PUA code, with the original outline.
    fn assert_face_draws(font: &Font, face: &Face, sfnt: &[u8]) {
        let sub = Font::new(Bytes::new(sfnt.to_vec()), 0).expect("the face parses as a font");
        for (g, code) in &face.glyphs {
            let code = *code;
            let new = ttf(&sub).glyph_index(code).unwrap_or_else(|| {
                panic!("glyph {g} missing from the subset (U+{:X})", code as u32)
            });
            let want = ttf(font).glyph_bounding_box(ttf_parser::GlyphId(*g));
            let got = ttf(&sub).glyph_bounding_box(new);
            assert_eq!(got, want, "outline of glyph {g}");
            assert_eq!(
                ttf(&sub).glyph_hor_advance(new),
                ttf(font).glyph_hor_advance(ttf_parser::GlyphId(*g)),
                "advance of glyph {g}"
            );
        }
        for tag in [
            b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"OS/2", b"post",
        ] {
            let t = ttf_parser::Tag::from_bytes(tag);
            assert!(
                ttf(&sub).raw_face().table(t).is_some(),
                "table {} browsers require",
                String::from_utf8_lossy(tag)
            );
        }
    }

    #[test]
    fn a_face_has_every_glyph_asked_for_at_its_pua_code() {
        let f = gothic();
        let mut glyphs: Vec<u16> = "報告書の作成。令和6年度 ABC"
            .chars()
            .map(|c| gid(&f, c))
            .collect();
        glyphs.sort_unstable();
        glyphs.dedup();
        let face = Face {
            font: 0,
            group: 0,
            glyphs: glyphs
                .iter()
                .enumerate()
                .map(|(k, g)| (*g, code_point(k + 1, false)))
                .collect(),
        };
        let sfnt = build_face(&f, &face).expect("face builds");
        assert_face_draws(&f, &face, &sfnt);
        assert!(
            sfnt.len() < 40_000,
            "a 17-glyph face is small: {} bytes",
            sfnt.len()
        );
        let w = woff(&sfnt).expect("woff");
        assert_eq!(&w[0..4], b"wOFF");
        assert!(w.len() < sfnt.len());
        let w2 = woff2(&sfnt).expect("woff2");
        assert_eq!(&w2[0..4], b"wOF2", "the face is WOFF2");
        assert!(w2.len() < w.len(), "WOFF2 {} < WOFF {}", w2.len(), w.len());
        assert_eq!(woff2(&sfnt).unwrap(), w2, "the same bytes every time");
    }

    #[test]
    fn a_missing_glyph_is_detected() {
        let f = gothic();
        let face = Face {
            font: 0,
            group: 0,
            glyphs: vec![(gid(&f, '報'), code_point(1, false))],
        };
        let sfnt = build_face(&f, &face).expect("face builds");
        let sub = Font::new(Bytes::new(sfnt), 0).expect("parses");
        assert!(ttf(&sub).glyph_index(code_point(2, false)).is_none());
    }

    #[test]
    fn a_face_past_the_bmp_private_area_uses_plane_15() {
        let f = gothic();
        let n = ttf(&f).number_of_glyphs();
        let glyphs: Vec<(u16, char)> = (1..n)
            .filter(|g| g % 2 == 1)
            .take(PUA_LEN + 10)
            .enumerate()
            .map(|(k, g)| (g, code_point(k + 1, true)))
            .collect();
        assert!(glyphs.len() > PUA_LEN);
        let face = Face {
            font: 0,
            group: 0,
            glyphs,
        };
        let sfnt = build_face(&f, &face).expect("face builds");
        assert_face_draws(&f, &face, &sfnt);
    }

    #[test]
    fn each_glyph_goes_to_the_first_group_that_draws_it_and_only_there() {
        let f = gothic();
        let g = |c| (f.clone(), gid(&f, c));
        let pages = vec![
            vec![g('表'), g('紙')],
            vec![g('表'), g('本')],
            vec![g('文')],
            vec![g('本'), g('紙')],
            vec![],
            vec![],
            vec![],
            vec![],
            vec![g('末'), g('表')],
        ];
        let plan = Plan::new(&pages);
        assert_eq!(plan.fonts.len(), 1);
        let group_of_char = |c| plan.faces[plan.code(&f, gid(&f, c)).unwrap().1].group;
        assert_eq!(group_of_char('表'), 0);
        assert_eq!(group_of_char('本'), 1);
        assert_eq!(group_of_char('文'), 2);
        assert_eq!(group_of_char('末'), 4);
        let total: usize = plan.faces.iter().map(|f| f.glyphs.len()).sum();
        assert_eq!(total, 5, "no glyph stored twice");
        assert_eq!(plan.groups_of(&pages[3]), vec![0, 1]);
        assert_eq!(plan.groups_of(&pages[8]), vec![0, 4]);
        assert_eq!(plan.page_group, vec![0, 1, 2, 2, 3, 3, 3, 3, 4]);
        let mut codes: Vec<char> = plan
            .faces
            .iter()
            .flat_map(|f| f.glyphs.iter().map(|g| g.1))
            .collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(
            codes.len(),
            5,
            "code points unique within the font across its faces"
        );
    }
}
