//! Characters the shipped fonts lack (simplified Chinese in a name or a quotation): they stay in
//! the PDF's text even with no font for them, and a font added in `kanko.toml` (`[[fonts]]`)
//! draws them in the PDF, the EPUB and the reader. The font used here is a cut of Noto Sans CJK
//! SC (SIL OFL 1.1, tests/data/fonts/) with about fifty simplified characters.

use std::io::Read;
use std::path::Path;

use base64::Engine;

use crate::util::{Work, pdftotext, tool, unzip_text, zip_names};

const CHAPTER: &str = "# はじめに\n\n中国から来た友人は「读页时」と書いた。\n";
const FONT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/fonts/NotoSansSC-Subset.otf"
);

fn with_font(w: &Work, toml: &str) {
    std::fs::create_dir_all(w.dir.path().join("fonts")).unwrap();
    std::fs::copy(FONT, w.dir.path().join("fonts/NotoSansSC-Subset.otf")).unwrap();
    std::fs::write(w.dir.path().join("kanko.toml"), toml).unwrap();
}

const GOOD: &str =
    "[[fonts]]\nfile = \"fonts/NotoSansSC-Subset.otf\"\nlicense = \"SIL Open Font License 1.1\"\n";

#[test]
fn characters_no_font_has_stay_in_the_pdf_text_and_the_warning_says_how_to_add_a_font() {
    let w = Work::new();
    w.report("zh", &[("01.md", CHAPTER)]);
    let run = w.build();
    run.ok()
        .says("no shipped font has these characters")
        .says("[[fonts]]")
        .says("kanko.toml");
    let text = pdftotext(&w.pdf("zh"), None);
    assert!(
        text.contains("「读页时」と書いた"),
        "the characters are gone from the PDF's text: {text}"
    );
    // They are drawn as boxes (a real glyph), not as nothing.
    assert!(tool("pdffonts", &[w.pdf("zh").to_str().unwrap()]).contains("KankoMissingGlyph"));
}

#[test]
fn a_font_added_in_kanko_toml_draws_them_in_the_pdf() {
    let w = Work::new();
    w.report("zh", &[("01.md", CHAPTER)]);
    with_font(&w, GOOD);
    let run = w.build();
    run.ok();
    assert!(!run.stderr.contains("no shipped font"), "{}", run.stderr);
    // Every character has a real glyph now, so the PDF keeps its PDF/A-2 and PDF/UA-1 claims.
    assert!(!run.stderr.contains("does not claim"), "{}", run.stderr);
    let pdf = w.pdf("zh");
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    assert!(fonts.contains("NotoSansCJKsc"), "{fonts}");
    assert!(!fonts.contains("KankoMissingGlyph"), "{fonts}");
    assert!(pdftotext(&pdf, None).contains("「读页时」と書いた"));
    // Only a fallback: the Japanese text keeps the shipped fonts.
    assert!(fonts.contains("BIZUDPMincho"), "{fonts}");
}

/// The EPUB carries the added font, cut to the characters it draws, first in its font lists.
#[test]
fn a_font_added_in_kanko_toml_goes_into_the_epub() {
    let w = Work::new();
    w.report("zh", &[("01.md", CHAPTER)]);
    with_font(&w, GOOD);
    w.build().ok();
    let epub = w.epub("zh");
    let names = zip_names(&epub);
    let font = names
        .iter()
        .find(|n| n.starts_with("OEBPS/fonts/added-1."))
        .unwrap_or_else(|| panic!("no added font in the EPUB: {names:?}"));
    let opf = unzip_text(&epub, "OEBPS/content.opf");
    let href = font.trim_start_matches("OEBPS/");
    assert!(
        opf.contains(&format!("href=\"{href}\" media-type=\"font/otf\"")),
        "{opf}"
    );
    let css = unzip_text(&epub, "OEBPS/style.css");
    assert!(
        css.contains(&format!(
            "@font-face {{ font-family: \"kanko-added-1\"; src: url(\"{href}\"); }}"
        )),
        "{css}"
    );
    assert!(
        css.contains("body { font-family: \"kanko-added-1\", serif; }"),
        "{css}"
    );
    let bytes = unzip_bytes(&epub, font);
    let face = ttf_parser::Face::parse(&bytes, 0).expect("the EPUB's font parses");
    for c in "读页时".chars() {
        assert!(
            face.glyph_index(c).is_some(),
            "{c} missing from the EPUB's font"
        );
    }
    // Cut to what it draws: not the font's other simplified characters, no Japanese kana.
    assert!(face.glyph_index('书').is_none());
    assert!(face.glyph_index('は').is_none());
    assert!(bytes.len() < 8_000, "{} bytes", bytes.len());
}

/// The reader's page fonts are cut from the glyphs the PDF drew (mapped from Private Use code
/// points): one of them is the added font's, with its three glyphs.
#[test]
fn a_font_added_in_kanko_toml_draws_them_in_the_reader() {
    let w = Work::new();
    w.report("zh", &[("01.md", CHAPTER)]);
    with_font(&w, GOOD);
    w.build().ok();
    let dir = w.dist().join("zh/reader/fonts");
    let mut found = false;
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "js") {
            continue;
        }
        let js = std::fs::read_to_string(&p).unwrap();
        for b64 in js.split('"').filter(|s| s.starts_with("d09GR")) {
            let woff = base64::engine::general_purpose::STANDARD
                .decode(b64)
                .unwrap();
            let sfnt = unwoff(&woff);
            let face = ttf_parser::Face::parse(&sfnt, 0).expect("page font parses");
            // The family name, in the name table as UTF-16 (Windows) or as bytes (Mac).
            let name = "Noto Sans CJK SC";
            let utf16: Vec<u8> = name.encode_utf16().flat_map(u16::to_be_bytes).collect();
            let has = |needle: &[u8]| sfnt.windows(needle.len()).any(|w| w == needle);
            if has(&utf16) || has(name.as_bytes()) {
                // .notdef and 读 页 时
                assert_eq!(face.number_of_glyphs(), 4, "{}", p.display());
                found = true;
            }
        }
    }
    assert!(found, "no page font of the reader is the added font");
    let text: String = std::fs::read_dir(w.dist().join("zh/reader/text"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(text.contains("读页时"), "the reader's text layer");
}

#[test]
fn a_bad_fonts_entry_names_kanko_toml_line_and_column() {
    let w = Work::new();
    w.report("zh", &[("01.md", CHAPTER)]);
    with_font(
        &w,
        "title = \"サイト\"\n\n[[fonts]]\nfile = \"fonts/nothing.otf\"\nlicense = \"SIL OFL 1.1\"\n",
    );
    w.build()
        .fails()
        .says("kanko.toml:4:")
        .says("fonts/nothing.otf");
    with_font(
        &w,
        "[[fonts]]\nfile = \"fonts/NotoSansSC-Subset.otf\"\nlicense = \"  \"\n",
    );
    w.build().fails().says("kanko.toml:3:").says("license");
    with_font(&w, "[[fonts]]\nfile = \"fonts/NotoSansSC-Subset.otf\"\n");
    w.build().fails().says("kanko.toml").says("license");
    std::fs::write(w.dir.path().join("fonts/fake.ttf"), "not a font").unwrap();
    with_font(
        &w,
        "[[fonts]]\nfile = \"fonts/fake.ttf\"\nlicense = \"OFL\"\n",
    );
    w.build().fails().says("kanko.toml:2:").says("fake.ttf");
    // `kanko check` reads the same entry.
    w.kanko(&["check", "--reports", "reports"])
        .fails()
        .says("fake.ttf");
}

fn unzip_bytes(zip: &Path, name: &str) -> Vec<u8> {
    let mut a = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut e = a.by_name(name).unwrap();
    let mut v = Vec::new();
    e.read_to_end(&mut v).unwrap();
    v
}

/// WOFF 1.0 back to the font file (tables inflated, same order).
fn unwoff(w: &[u8]) -> Vec<u8> {
    let be32 = |at: usize| u32::from_be_bytes(w[at..at + 4].try_into().unwrap()) as usize;
    let be16 = |at: usize| u16::from_be_bytes(w[at..at + 2].try_into().unwrap()) as usize;
    assert_eq!(&w[..4], b"wOFF");
    let n = be16(12);
    let mut tables = Vec::new();
    for i in 0..n {
        let at = 44 + 20 * i;
        let (off, comp, orig) = (be32(at + 4), be32(at + 8), be32(at + 12));
        let raw = &w[off..off + comp];
        let data = if comp < orig {
            let mut v = Vec::new();
            flate2::read::ZlibDecoder::new(raw)
                .read_to_end(&mut v)
                .unwrap();
            v
        } else {
            raw.to_vec()
        };
        tables.push((w[at..at + 4].to_vec(), data));
    }
    let mut out = Vec::new();
    out.extend_from_slice(&w[4..8]);
    out.extend_from_slice(&(n as u16).to_be_bytes());
    out.extend_from_slice(&[0; 6]);
    let mut off = 12 + 16 * n;
    for (tag, d) in &tables {
        out.extend_from_slice(tag);
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(off as u32).to_be_bytes());
        out.extend_from_slice(&(d.len() as u32).to_be_bytes());
        off += d.len().div_ceil(4) * 4;
    }
    for (_, d) in &tables {
        out.extend_from_slice(d);
        out.resize(out.len().div_ceil(4) * 4, 0);
    }
    out
}
