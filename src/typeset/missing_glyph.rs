//! The font of last resort: one box glyph for every character no other font has.
//!
//! Without it Typst draws such a character with a font's `.notdef` glyph, and the PDF then has
//! neither a box nor the character: `.notdef` gets no Unicode mapping, so copy, search and screen
//! readers lose 读, 页, 时 … (issue 31). This font maps every character to a real box glyph, so
//! the PDF keeps each character in its text layer (krilla writes the first one into `ToUnicode`
//! and the others, sharing the glyph, as `/ActualText`), and the page shows a box where the
//! character is missing, as the warning says.
//!
//! It is made here (a few hundred bytes, kanko's own outline, no licence to carry) and put in the
//! font book with a coverage of exactly the characters no other font covers, so Typst's fallback
//! can never prefer it to a real glyph.

use typst::foundations::Bytes;
use typst::text::{Font, FontInfo};

use crate::sfnt;

pub const FAMILY: &str = "Kanko Missing Glyph";

/// The font, and the book entry that claims only the characters `others` lack.
pub fn font(others: &[Font]) -> Option<(Font, FontInfo)> {
    let ranges = uncovered(others);
    let font = Font::new(Bytes::new(file(&ranges)), 0)?;
    // The coverage Typst reads from the cmap is exactly `ranges`: only the family is renamed.
    let mut info = font.info().clone();
    info.family = FAMILY.to_string();
    Some((font, info))
}

/// Characters that never need a glyph: controls, spaces, surrogates, default ignorables
/// (joiners, variation selectors, tags), private use and noncharacters stay out.
fn needs_no_box(c: u32) -> bool {
    c < 0x21
        || (0x7F..=0xA0).contains(&c)
        || matches!(
            c,
            0xAD | 0x34F | 0x61C | 0x115F | 0x1160 | 0x3164 | 0xFFA0 | 0x2028 | 0x2029
        )
        || (0x180B..=0x180F).contains(&c)
        || (0x2000..=0x200F).contains(&c)
        || (0x202A..=0x202F).contains(&c)
        || (0x205F..=0x206F).contains(&c)
        || c == 0x3000
        || (0xD800..=0xDFFF).contains(&c)
        || (0xE000..=0xF8FF).contains(&c)
        || (0xFDD0..=0xFDEF).contains(&c)
        || (0xFE00..=0xFE0F).contains(&c)
        || c == 0xFEFF
        || (0xFFF0..=0xFFF8).contains(&c)
        || (c & 0xFFFE) == 0xFFFE
        || (0x1BCA0..=0x1BCA3).contains(&c)
        || (0x1D173..=0x1D17A).contains(&c)
}

/// The ranges of characters no font in `others` covers (and that need a glyph), sorted.
fn uncovered(others: &[Font]) -> Vec<(u32, u32)> {
    // Planes 0 to 3 hold every character Unicode assigns outside tags (plane 14, ignorable)
    // and private use (15, 16); stopping there keeps the font's coverage, built on every run,
    // at a quarter of the code space.
    const END: usize = 0x40000;
    let mut have = vec![false; END];
    for f in others {
        for c in f.info().coverage.iter() {
            if let Some(h) = have.get_mut(c as usize) {
                *h = true;
            }
        }
    }
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (c, &h) in have.iter().enumerate() {
        let c = c as u32;
        if h || needs_no_box(c) {
            continue;
        }
        match out.last_mut() {
            Some((_, end)) if *end + 1 == c => *end = c,
            _ => out.push((c, c)),
        }
    }
    out
}

fn be16(v: &mut Vec<u8>, x: u16) {
    v.extend_from_slice(&x.to_be_bytes());
}
fn bei16(v: &mut Vec<u8>, x: i16) {
    v.extend_from_slice(&x.to_be_bytes());
}
fn be32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_be_bytes());
}

/// A TrueType font with two glyphs (`.notdef`, empty, and the box) and a format 13 `cmap`
/// (many characters to one glyph) mapping `ranges` to the box.
fn file(ranges: &[(u32, u32)]) -> Vec<u8> {
    const UPM: u16 = 1000;
    // The box: an outline 60 units wide, from the descender to near the cap height.
    let (x0, y0, x1, y1, w) = (100i16, -80i16, 900i16, 760i16, 60i16);
    let mut head = Vec::new();
    be32(&mut head, 0x0001_0000);
    be32(&mut head, 0x0001_0000);
    be32(&mut head, 0); // checkSumAdjustment, set by sfnt::write
    be32(&mut head, 0x5F0F_3CF5);
    be16(&mut head, 0x000B);
    be16(&mut head, UPM);
    head.extend_from_slice(&[0; 16]); // created, modified: fixed, for reproducible files
    for v in [x0, y0, x1, y1] {
        bei16(&mut head, v);
    }
    for v in [0u16, 8, 2, 0, 0] {
        be16(&mut head, v); // macStyle, lowestRecPPEM, fontDirectionHint, short loca, glyf format
    }

    let mut hhea = Vec::new();
    be32(&mut hhea, 0x0001_0000);
    for v in [880i16, -120, 0] {
        bei16(&mut hhea, v);
    }
    be16(&mut hhea, UPM);
    for v in [0i16, 100, x1, 1, 0, 0, 0, 0, 0, 0, 0] {
        bei16(&mut hhea, v);
    }
    be16(&mut hhea, 2);

    let mut maxp = Vec::new();
    be32(&mut maxp, 0x0001_0000);
    for v in [2u16, 8, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0] {
        be16(&mut maxp, v);
    }

    let mut os2 = Vec::new();
    be16(&mut os2, 4);
    bei16(&mut os2, UPM as i16);
    for v in [400u16, 5, 0] {
        be16(&mut os2, v); // weight, width, fsType 0: installable embedding
    }
    for v in [650i16, 600, 0, 75, 650, 600, 0, 350, 50, 250] {
        bei16(&mut os2, v); // sub- and superscript, strikeout
    }
    bei16(&mut os2, 0); // sFamilyClass
    os2.extend_from_slice(&[0; 10]); // panose
    os2.extend_from_slice(&[0; 16]); // ulUnicodeRange
    os2.extend_from_slice(b"KNKO");
    be16(&mut os2, 0x0040); // fsSelection: REGULAR
    be16(&mut os2, 0x21);
    be16(&mut os2, 0xFFFF);
    for v in [880i16, -120, 0] {
        bei16(&mut os2, v);
    }
    be16(&mut os2, 880);
    be16(&mut os2, 120);
    be32(&mut os2, 0);
    be32(&mut os2, 0);
    for v in [500i16, 700] {
        bei16(&mut os2, v);
    }
    for v in [0u16, 0x20, 0] {
        be16(&mut os2, v);
    }

    let mut hmtx = Vec::new();
    for (adv, lsb) in [(UPM, 0i16), (UPM, x0)] {
        be16(&mut hmtx, adv);
        bei16(&mut hmtx, lsb);
    }

    // The box: an outer contour clockwise, an inner one counter-clockwise (the hole).
    let points = [
        (x0, y0),
        (x0, y1),
        (x1, y1),
        (x1, y0),
        (x0 + w, y0 + w),
        (x1 - w, y0 + w),
        (x1 - w, y1 - w),
        (x0 + w, y1 - w),
    ];
    let mut glyf = Vec::new();
    bei16(&mut glyf, 2);
    for v in [x0, y0, x1, y1] {
        bei16(&mut glyf, v);
    }
    be16(&mut glyf, 3);
    be16(&mut glyf, 7);
    be16(&mut glyf, 0); // no instructions
    glyf.extend_from_slice(&[0x01; 8]); // on-curve, 16-bit deltas
    let mut prev = (0i16, 0i16);
    let mut ys = Vec::new();
    for &(x, y) in &points {
        bei16(&mut glyf, x - prev.0);
        bei16(&mut ys, y - prev.1);
        prev = (x, y);
    }
    glyf.extend_from_slice(&ys);
    let mut loca = Vec::new();
    for v in [0u16, 0, (glyf.len() / 2) as u16] {
        be16(&mut loca, v);
    }

    let mut cmap = Vec::new();
    be16(&mut cmap, 0);
    be16(&mut cmap, 1);
    be16(&mut cmap, 3);
    be16(&mut cmap, 10);
    be32(&mut cmap, 12);
    be16(&mut cmap, 13);
    be16(&mut cmap, 0);
    be32(&mut cmap, 16 + 12 * ranges.len() as u32);
    be32(&mut cmap, 0);
    be32(&mut cmap, ranges.len() as u32);
    for &(a, b) in ranges {
        be32(&mut cmap, a);
        be32(&mut cmap, b);
        be32(&mut cmap, 1);
    }

    let strings = [
        (
            0u16,
            "Made by kanko for characters no font has; free to use, change and share.",
        ),
        (1, FAMILY),
        (2, "Regular"),
        (3, "kanko: Kanko Missing Glyph"),
        (4, FAMILY),
        (5, "Version 1.000"),
        (6, "KankoMissingGlyph"),
    ];
    let mut name = Vec::new();
    let mut pool = Vec::new();
    be16(&mut name, 0);
    be16(&mut name, strings.len() as u16);
    be16(&mut name, 6 + 12 * strings.len() as u16);
    for (id, s) in strings {
        let utf16: Vec<u8> = s.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for v in [3u16, 1, 0x409, id, utf16.len() as u16, pool.len() as u16] {
            be16(&mut name, v);
        }
        pool.extend_from_slice(&utf16);
    }
    name.extend_from_slice(&pool);

    let mut post = Vec::new();
    be32(&mut post, 0x0003_0000);
    be32(&mut post, 0);
    bei16(&mut post, -100);
    bei16(&mut post, 50);
    post.extend_from_slice(&[0; 20]);

    sfnt::write(
        0x0001_0000,
        vec![
            (*b"OS/2", os2),
            (*b"cmap", cmap),
            (*b"glyf", glyf),
            (*b"head", head),
            (*b"hhea", hhea),
            (*b"hmtx", hmtx),
            (*b"loca", loca),
            (*b"maxp", maxp),
            (*b"name", name),
            (*b"post", post),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_box_covers_exactly_what_the_shipped_fonts_lack() {
        let fonts = crate::typeset::fonts::Fonts::load();
        let shipped: Vec<Font> = fonts
            .fonts
            .iter()
            .filter(|f| f.info().family != FAMILY)
            .cloned()
            .collect();
        let (font, info) = font(&shipped).expect("the font parses");
        for c in ['读', '页', '时', 'ཀ'] {
            assert!(info.coverage.contains(c as u32), "{c}");
            let face = ttf_parser::Face::parse(font.data(), 0).unwrap();
            assert_eq!(
                face.glyph_index(c).map(|g| g.0),
                Some(1),
                "{c} maps to the box"
            );
        }
        for c in [
            'あ', '居', 'A', '𠮷', ' ', '\u{200D}', '\u{FE0F}', '\u{3000}',
        ] {
            assert!(!info.coverage.contains(c as u32), "{c} is not the box's");
        }
        assert_eq!(info.family, FAMILY);
        // Same fonts, same bytes (the PDF embeds it).
        assert_eq!(
            font.data().as_slice(),
            super::font(&shipped).unwrap().0.data().as_slice()
        );
    }
}
