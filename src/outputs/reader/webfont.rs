//! Web fonts for the text mode's 書体 setting: a shipped BIZ UD font cut down to the characters
//! one report uses, so that 「UD ゴシック」 and 「明朝」 look the same on every device, offline,
//! without shipping megabytes. The cut goes through [`crate::sfnt::cut`] like the page fonts
//! (a `cmap` for the kept characters, the original `OS/2`, no hinting). There is no `GSUB`, so no
//! vertical punctuation forms: the text mode uses these fonts for horizontal text only.

use std::collections::BTreeSet;

/// The font cut down to `chars` (plus ASCII), or `None` when the font cannot be read.
pub fn subset(font: &[u8], chars: &BTreeSet<char>) -> Option<Vec<u8>> {
    let face = ttf_parser::Face::parse(font, 0).ok()?;
    let mut want: BTreeSet<char> = chars.clone();
    want.extend((0x20u8..0x7f).map(char::from));
    let glyphs: Vec<(char, u16)> = want
        .into_iter()
        .filter_map(|c| Some((c, face.glyph_index(c)?.0)))
        .collect();
    crate::sfnt::cut(font, 0, &glyphs).ok()
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
        let face = ttf_parser::Face::parse(&cut, 0).expect("the subset parses");
        for c in "子どもの居場所、令和6年度。A~".chars() {
            assert!(face.glyph_index(c).is_some(), "{c} is mapped");
        }
        // Not in the font at all, and not asked for: not mapped.
        assert_eq!(face.glyph_index('𠮷'), None);
        assert_eq!(face.glyph_index('鬱'), None);
        // Tables a browser needs are there; the checksum adjustment makes the file sum to the magic.
        let (_, tables) = crate::sfnt::tables(&cut, 0).unwrap();
        let tags: Vec<[u8; 4]> = tables.into_iter().map(|t| t.0).collect();
        for t in [
            b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp", b"name", b"OS/2",
            b"post",
        ] {
            assert!(tags.contains(t), "{} missing", String::from_utf8_lossy(t));
        }
        assert_eq!(crate::sfnt::checksum(&cut), 0xB1B0_AFBA);
    }

    #[test]
    fn same_characters_same_bytes() {
        let chars: BTreeSet<char> = "再現性".chars().collect();
        assert_eq!(subset(gothic(), &chars), subset(gothic(), &chars));
    }
}
