//! Web fonts for the reader's vector pages: each font Typst used, cut down to the glyphs the
//! pages draw, with a character map from Private Use Area code points to those glyphs, so the
//! browser draws exactly Typst's glyphs (no reshaping, no fallback font).
//!
//! Glyphs are split by page group: a glyph goes into the face of the first group of pages that
//! draws it, so opening the report loads only the glyphs of its first page, and no glyph is
//! stored twice.

use std::collections::HashMap;

use typst::text::Font;

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
/// original), with a PUA character map (see [`crate::sfnt::cut`]).
pub fn build_face(font: &Font, face: &Face) -> Result<Vec<u8>, String> {
    let glyphs: Vec<(char, u16)> = face.glyphs.iter().map(|(g, ch)| (*ch, *g)).collect();
    crate::sfnt::cut(font.data(), font.index(), &glyphs)
        .map_err(|e| format!("{}: {e}", font.info().family))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sfnt::{woff, woff2};
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
