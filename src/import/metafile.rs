//! Windows metafiles (EMF, WMF) → SVG at import. Word keeps charts and diagrams pasted from
//! Excel or PowerPoint as EMF; kanko shows PNG, JPEG and SVG.
//!
//! The drawing is done by the pure-Rust `emf-core` crate (MS-EMF, with `wmf-core` for WMF). It
//! does not draw every record, so before trusting its SVG the records of the file are listed
//! here and compared with what its SVG player draws (read from its source, version 0.1.1):
//! a picture that uses records it leaves out is kept as SVG but reported as approximated, with
//! the records named, and the original file stays in `images/` beside it. EMF+ (what Office
//! writes since 2007): in an "EMF+ Dual" file the same picture is also written as plain EMF
//! records, which are drawn; in an "EMF+ only" file the crate draws only embedded bitmaps, so
//! any other EMF+ drawing makes the picture approximated. No pure-Rust crate rasterises EMF
//! more faithfully than this SVG, so there is no better raster to fall back to.

use std::collections::BTreeMap;

/// An SVG made from a metafile, and what of the metafile it does not draw.
pub struct Converted {
    pub svg: Vec<u8>,
    /// Records (or kinds of records) present in the file that the SVG leaves out, with counts.
    pub missing: Vec<(String, usize)>,
}

/// EMF records the SVG player of emf-core 0.1.1 logs as "not implemented" and that change
/// what is drawn (palette, colour-space and escape records draw nothing and are left out).
const EMF_NOT_DRAWN: &[(u32, &str)] = &[
    (8, "POLYPOLYGON"),
    (15, "SETPIXELV"),
    (41, "ANGLEARC"),
    (44, "ROUNDRECT"),
    (45, "ARC"),
    (46, "CHORD"),
    (47, "PIE"),
    (53, "EXTFLOODFILL"),
    (55, "ARCTO"),
    (56, "POLYDRAW"),
    (66, "WIDENPATH"),
    (71, "FILLRGN"),
    (72, "FRAMERGN"),
    (73, "INVERTRGN"),
    (74, "PAINTRGN"),
    (77, "STRETCHBLT"),
    (78, "MASKBLT"),
    (79, "PLGBLT"),
    (80, "SETDIBITSTODEVICE"),
    (83, "EXTTEXTOUTA"),
    (92, "POLYDRAW16"),
    (96, "POLYTEXTOUTA"),
    (97, "POLYTEXTOUTW"),
    (102, "GLSRECORD"),
    (103, "GLSBOUNDEDRECORD"),
    (108, "SMALLTEXTOUT"),
    (116, "TRANSPARENTBLT"),
    (118, "GRADIENTFILL"),
];

/// Clipping records it does not apply: what lies outside the clip is drawn too.
const EMF_CLIP: &[u32] = &[26, 29, 30, 67, 75];

const EMR_HEADER: u32 = 1;
const EMR_EOF: u32 = 14;
const EMR_COMMENT: u32 = 70;
const EMR_BITBLT: u32 = 76;
const EMF_PLUS: u32 = 0x2B46_4D45;

/// The kind of picture by its first bytes.
pub fn is_emf(b: &[u8]) -> bool {
    b.get(0..4) == Some(&EMR_HEADER.to_le_bytes()) && b.get(40..44) == Some(b" EMF")
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// What of an EMF the SVG player leaves out.
fn emf_missing(b: &[u8]) -> Vec<(String, usize)> {
    let mut missing: BTreeMap<String, usize> = BTreeMap::new();
    let mut plus_only = false;
    let mut plus_drawing = 0;
    let mut at = 0;
    while let (Some(kind), Some(size)) = (u32_at(b, at), u32_at(b, at + 4)) {
        let size = size as usize;
        if size < 8 || at + size > b.len() {
            *missing.entry("damaged records".into()).or_default() += 1;
            break;
        }
        if let Some((_, name)) = EMF_NOT_DRAWN.iter().find(|(k, _)| *k == kind) {
            *missing.entry(format!("EMR_{name}")).or_default() += 1;
        } else if kind == EMR_BITBLT
            && !matches!(
                u32_at(b, at + 40),
                Some(0x0000_0042 | 0x00FF_0062 | 0x00F0_0021)
            )
        {
            // Only BLACKNESS, WHITENESS and PATCOPY are drawn, never a bitmap.
            *missing.entry("EMR_BITBLT (bitmap)".into()).or_default() += 1;
        } else if EMF_CLIP.contains(&kind) {
            *missing.entry("clipping".into()).or_default() += 1;
        } else if kind == EMR_COMMENT && u32_at(b, at + 12) == Some(EMF_PLUS) {
            // EMF+ records inside the comment: type u16, flags u16, size u32, data size u32.
            let end = at + size;
            let mut p = at + 16;
            while let (Some(t), Some(flags), Some(s)) =
                (u16_at(b, p), u16_at(b, p + 2), u32_at(b, p + 4))
            {
                let s = s as usize;
                if s < 12 || p + s > end {
                    break;
                }
                match t {
                    0x4001 => plus_only = flags & 1 == 0,
                    0x4009..=0x4019 | 0x401B | 0x401C | 0x4036 | 0x4037 => plus_drawing += 1,
                    _ => {}
                }
                p += s;
            }
        }
        if kind == EMR_EOF {
            break;
        }
        at += size;
    }
    if plus_only && plus_drawing > 0 {
        missing.insert("EMF+ drawing (EMF+ only file)".into(), plus_drawing);
    }
    missing.into_iter().collect()
}

/// Converts an EMF or WMF picture. Err: it could not be drawn at all (the reason).
pub fn to_svg(b: &[u8]) -> Result<Converted, String> {
    let missing = if is_emf(b) {
        emf_missing(b)
    } else {
        Vec::new()
    };
    let svg = emf_core::converter::convert_to_svg(b).map_err(|e| e.to_string())?;
    let tree = resvg::usvg::Tree::from_data(&svg, &resvg::usvg::Options::default())
        .map_err(|e| format!("the SVG made from it does not read back ({e})"))?;
    if !tree.root().has_children() {
        return Err("nothing in it could be drawn".into());
    }
    Ok(Converted { svg, missing })
}

#[cfg(test)]
pub mod tests {
    use super::*;

    fn rec(kind: u32, body: &[u8]) -> Vec<u8> {
        let mut r = kind.to_le_bytes().to_vec();
        r.extend(((body.len() + 8) as u32).to_le_bytes());
        r.extend(body);
        r
    }

    fn rectl(l: i32, t: i32, r: i32, b: i32) -> Vec<u8> {
        [l, t, r, b].iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    /// A 100×60 EMF: a red brush, a rectangle, and `extra` records.
    pub fn emf(extra: &[Vec<u8>]) -> Vec<u8> {
        let mut records = Vec::new();
        // CREATEBRUSHINDIRECT: handle 1, solid, red (COLORREF 0x000000FF), no hatch.
        let mut brush = 1u32.to_le_bytes().to_vec();
        brush.extend(0u32.to_le_bytes());
        brush.extend(0x0000_00FFu32.to_le_bytes());
        brush.extend(0u32.to_le_bytes());
        records.push(rec(39, &brush));
        records.push(rec(37, &1u32.to_le_bytes()));
        records.push(rec(43, &rectl(10, 10, 90, 50)));
        records.extend(extra.iter().cloned());
        let mut eof = 0u32.to_le_bytes().to_vec();
        eof.extend(16u32.to_le_bytes());
        eof.extend(20u32.to_le_bytes());
        records.push(rec(14, &eof));
        let body_len: usize = records.iter().map(Vec::len).sum();
        let mut h = Vec::new();
        h.extend(rectl(0, 0, 99, 59)); // bounds (device units)
        h.extend(rectl(0, 0, 2646, 1588)); // frame (0.01 mm)
        h.extend(b" EMF");
        h.extend(0x0001_0000u32.to_le_bytes());
        h.extend(((88 + body_len) as u32).to_le_bytes());
        h.extend(((records.len() + 1) as u32).to_le_bytes());
        h.extend(2u16.to_le_bytes());
        h.extend(0u16.to_le_bytes());
        h.extend(0u32.to_le_bytes()); // no description
        h.extend(0u32.to_le_bytes());
        h.extend(0u32.to_le_bytes()); // no palette
        h.extend([1920i32, 1080].iter().flat_map(|v| v.to_le_bytes()));
        h.extend([508i32, 286].iter().flat_map(|v| v.to_le_bytes()));
        let mut out = rec(1, &h);
        for r in records {
            out.extend(r);
        }
        out
    }

    pub fn roundrect() -> Vec<u8> {
        let mut b = rectl(20, 20, 80, 40);
        b.extend([5i32, 5].iter().flat_map(|v| v.to_le_bytes()));
        rec(44, &b)
    }

    #[test]
    fn a_plain_emf_becomes_an_svg_with_its_rectangle_and_nothing_missing() {
        let c = to_svg(&emf(&[])).unwrap_or_else(|e| panic!("{e}"));
        let svg = String::from_utf8_lossy(&c.svg);
        assert!(svg.contains("<svg"), "{svg}");
        assert!(c.missing.is_empty(), "{:?}", c.missing);
        let tree = resvg::usvg::Tree::from_data(&c.svg, &Default::default()).unwrap();
        assert!(tree.root().has_children());
    }

    #[test]
    fn records_the_converter_does_not_draw_are_named() {
        let c = to_svg(&emf(&[roundrect(), rec(30, &rectl(0, 0, 50, 50))]))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            c.missing,
            vec![
                ("EMR_ROUNDRECT".to_string(), 1),
                ("clipping".to_string(), 1)
            ]
        );
    }

    #[test]
    fn emf_plus_only_drawing_is_named_and_dual_is_trusted() {
        let plus = |dual: bool| {
            // EMR_COMMENT: data size, "EMF+", then EMF+ Header and one FillRects record.
            let mut h = 0x4001u16.to_le_bytes().to_vec();
            h.extend(u16::from(dual).to_le_bytes());
            h.extend(28u32.to_le_bytes());
            h.extend(16u32.to_le_bytes());
            h.extend([0u8; 16]);
            let mut f = 0x400Au16.to_le_bytes().to_vec();
            f.extend(0u16.to_le_bytes());
            f.extend(12u32.to_le_bytes());
            f.extend(0u32.to_le_bytes());
            let mut body = ((4 + h.len() + f.len()) as u32).to_le_bytes().to_vec();
            body.extend(EMF_PLUS.to_le_bytes());
            body.extend(h);
            body.extend(f);
            rec(70, &body)
        };
        assert_eq!(
            emf_missing(&emf(&[plus(false)])),
            vec![("EMF+ drawing (EMF+ only file)".to_string(), 1)]
        );
        assert!(emf_missing(&emf(&[plus(true)])).is_empty());
    }

    #[test]
    fn what_is_not_a_metafile_is_an_error_not_a_panic() {
        assert!(to_svg(b"").is_err());
        assert!(to_svg(b"\x01\x00\x00\x00garbage").is_err());
        let mut cut = emf(&[]);
        cut.truncate(100);
        let _ = to_svg(&cut);
    }
}
