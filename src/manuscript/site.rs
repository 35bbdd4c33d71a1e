//! `[site]` in `kanko.toml`: the organisation's identity on the catalog, the report pages, the
//! reader and `latest.html` — its home page, logo, accent colour, a default cover colour and a
//! few footer links. Every field is data: URLs are checked, colours are checked for WCAG AA
//! contrast against the text that sits on them, and the logo is checked like any image (an SVG
//! logo is rewritten by usvg, so nothing but drawing reaches a browser).

use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::diag::{Diag, line_col};

/// `[site]`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteTable {
    /// The organisation's home page (absolute http(s) URL or a path on the same host).
    pub home: Option<Spanned<String>>,
    /// A logo file (SVG, PNG or JPEG) beside `kanko.toml`.
    pub logo: Option<Spanned<String>>,
    /// The logo's alternative text where it stands for the organisation (default: `organization`).
    pub logo_alt: Option<String>,
    /// Links and buttons of the catalog and the reader's controls; white text sits on it.
    pub accent: Option<Spanned<String>>,
    /// Cover colour of every report that does not set `[cover] color` itself.
    pub cover_color: Option<Spanned<String>>,
    /// How many reports `latest.html` shows (default 5).
    pub latest: Option<Spanned<i64>>,
    #[serde(default)]
    pub links: Vec<SiteLink>,
}

/// `[[site.links]]`: a footer link.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteLink {
    pub title: String,
    pub url: Spanned<String>,
}

/// Keys of `[site]` and `[[site.links]]`, for "did you mean" help.
pub const KEYS: &[&str] = &[
    "home",
    "logo",
    "logo_alt",
    "accent",
    "cover_color",
    "latest",
    "links",
    "title",
    "url",
];

/// The checked logo, ready to be written beside the catalog.
#[derive(Debug, Clone, Default)]
pub struct Logo {
    /// `site-logo.svg`, `site-logo.png` or `site-logo.jpg`.
    pub file: String,
    pub bytes: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Largest `latest`.
pub const MAX_LATEST: i64 = 24;
/// Longest side of a raster logo as written (a header shows it at most ~64 px high).
const LOGO_MAX: u32 = 480;
/// WCAG 2.x AA for normal text.
pub const AA: f64 = 4.5;
/// The catalog's page background (catalog.css `--bg`), the lightest ground links sit on besides white.
const CATALOG_BG: [u8; 3] = [0xf6, 0xf5, 0xf1];
/// The PDF's dark ink on light covers (layouts/style.typ `ink`).
const COVER_INK: [u8; 3] = [0x1e, 0x1e, 0x1e];

pub fn at(src: &str, shown: &Path, span: std::ops::Range<usize>, msg: String) -> Diag {
    let (line, col) = line_col(src, span.start);
    Diag::error(msg).at(shown, line, col)
}

/// Checks `[site]` (the logo file is read by `logo`).
pub fn check(t: &SiteTable, src: &str, shown: &Path) -> Result<(), Diag> {
    if let Some(h) = &t.home {
        check_url(h, "[site] home", src, shown)?;
    }
    for l in &t.links {
        check_url(&l.url, "[[site.links]] url", src, shown)?;
        if l.title.trim().is_empty() {
            return Err(at(
                src,
                shown,
                l.url.span(),
                crate::t!(
                    "`[[site.links]]` の `title` が空です",
                    "`[[site.links]]` has an empty `title`"
                ),
            ));
        }
    }
    if let Some(n) = &t.latest
        && !(1..=MAX_LATEST).contains(n.get_ref())
    {
        let v = n.get_ref();
        return Err(at(
            src,
            shown,
            n.span(),
            crate::t!(
                "`[site] latest` は 1 から {MAX_LATEST} までの整数です（{v} ではなく）",
                "`[site] latest` must be from 1 to {MAX_LATEST}, not {v}"
            ),
        ));
    }
    if let Some(a) = &t.accent {
        let c = colour(a, "[site] accent", src, shown)?;
        let white = contrast(c, [255, 255, 255]);
        let bg = contrast(c, CATALOG_BG);
        let worst = white.min(bg);
        if worst < AA {
            let v = a.get_ref();
            return Err(at(
                src,
                shown,
                a.span(),
                crate::t!(
                    "`[site] accent` の色 {v} はコントラストが足りません：白い文字とは {white:.2}:1、一覧の背景の上の文字としては {bg:.2}:1 です（WCAG AA は 4.5:1 以上）",
                    "`[site] accent` colour {v} has too little contrast: {white:.2}:1 with white text on it and {bg:.2}:1 as text on the catalog's background (WCAG AA needs 4.5:1)"
                ),
            )
            .help(crate::t!(
                "もっと濃い色を選んでください（例：\"#1f6f5c\"）",
                "choose a darker colour (e.g. \"#1f6f5c\")"
            )));
        }
    }
    if let Some(cc) = &t.cover_color {
        let c = colour(cc, "[site] cover_color", src, shown)?;
        let fg = cover_text(c);
        let r = contrast(c, fg);
        if r < AA {
            let v = cc.get_ref();
            let which = if fg == COVER_INK {
                crate::i18n::tr("濃い文字", "dark text")
            } else {
                crate::i18n::tr("白い文字", "white text")
            };
            return Err(at(
                src,
                shown,
                cc.span(),
                crate::t!(
                    "`[site] cover_color` の色 {v} は表紙の{which}とのコントラストが {r:.2}:1 です（WCAG AA は 4.5:1 以上）",
                    "`[site] cover_color` colour {v} gives {r:.2}:1 with the cover's {which} (WCAG AA needs 4.5:1)"
                ),
            )
            .help(crate::t!(
                "もっと濃い色か、もっと明るい色を選んでください",
                "choose a darker or a lighter colour"
            )));
        }
    }
    Ok(())
}

/// The logo a shard build wrote beside its reports (`kanko merge` has no kanko.toml folder).
pub fn built_logo(dir: &Path) -> Option<Logo> {
    for file in ["site-logo.svg", "site-logo.png", "site-logo.jpg"] {
        let Ok(bytes) = std::fs::read(dir.join(file)) else {
            continue;
        };
        let (width, height) = if file.ends_with(".svg") {
            let t = resvg::usvg::Tree::from_data(&bytes, &resvg::usvg::Options::default()).ok()?;
            (
                t.size().width().round() as u32,
                t.size().height().round() as u32,
            )
        } else {
            image::ImageReader::new(std::io::Cursor::new(&bytes))
                .with_guessed_format()
                .ok()?
                .into_dimensions()
                .ok()?
        };
        return Some(Logo {
            file: file.into(),
            bytes,
            width,
            height,
        });
    }
    None
}

fn check_url(u: &Spanned<String>, key: &str, src: &str, shown: &Path) -> Result<(), Diag> {
    let v = u.get_ref().trim();
    let lower = v.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
    // A scheme-less path (`/contact/`, `../`) is fine; any other scheme (javascript:, data:) is not.
    let has_scheme = lower
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && !s.contains('/') && !s.contains('?'));
    let bad = v.is_empty()
        || (has_scheme && !scheme_ok && !lower.starts_with("mailto:"))
        || v.chars().any(|c| c.is_control() || c == ' ' || c == '"');
    if bad {
        return Err(at(
            src,
            shown,
            u.span(),
            crate::t!(
                "`{key}` は https:// で始まる URL かサイト内のパスです（`{v}` ではなく）",
                "`{key}` must be an https:// URL or a path on the site, not `{v}`"
            ),
        ));
    }
    Ok(())
}

fn colour(v: &Spanned<String>, key: &str, src: &str, shown: &Path) -> Result<[u8; 3], Diag> {
    parse_hex(v.get_ref()).ok_or_else(|| {
        let s = v.get_ref();
        at(
            src,
            shown,
            v.span(),
            crate::t!(
                "`{key}` は \"#1f6f5c\" のような色です（`{s}` ではなく）",
                "`{key}` must be a colour like \"#1f6f5c\", not `{s}`"
            ),
        )
    })
}

/// `#rgb` or `#rrggbb`.
pub fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let h = s.strip_prefix('#')?;
    if !h.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let v = |i: usize, n: usize| u8::from_str_radix(&h[i..i + n], 16).ok();
    match h.len() {
        3 => Some([v(0, 1)? * 17, v(1, 1)? * 17, v(2, 1)? * 17]),
        6 => Some([v(0, 2)?, v(2, 2)?, v(4, 2)?]),
        _ => None,
    }
}

pub fn hex(c: [u8; 3]) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// WCAG relative luminance.
pub fn luminance(c: [u8; 3]) -> f64 {
    let ch = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])
}

/// WCAG contrast ratio (1 to 21).
pub fn contrast(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The text colour the PDF's cover puts on `c` (layouts/style.typ `on-color`: its approximate
/// luminance of the sRGB components, above 0.55 dark ink, else white).
fn cover_text(c: [u8; 3]) -> [u8; 3] {
    let f = |v: u8| f64::from(v) / 255.0;
    let approx = 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    if approx > 0.55 {
        COVER_INK
    } else {
        [255, 255, 255]
    }
}

/// `a` mixed with `b`, `t` of the way to `b`.
pub fn mix(a: [u8; 3], b: [u8; 3], t: f64) -> [u8; 3] {
    let m = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    [m(a[0], b[0]), m(a[1], b[1]), m(a[2], b[2])]
}

/// The catalog's three accent variables from the checked accent: itself, a darker one for hover
/// and for text on the soft tint, and the soft tint (the 年度 label's ground).
pub fn accent_palette(accent: [u8; 3]) -> ([u8; 3], [u8; 3], [u8; 3]) {
    let soft = mix(accent, [255, 255, 255], 0.88);
    let mut ink = mix(accent, [0, 0, 0], 0.25);
    let mut t = 0.25;
    while contrast(ink, soft) < AA && t < 0.9 {
        t += 0.1;
        ink = mix(accent, [0, 0, 0], t);
    }
    (accent, ink, soft)
}

/// Reads and checks the logo like any image; an SVG is parsed and written again by usvg (no
/// script, no event attributes, no external references survive), a raster is scaled down.
pub fn load_logo(rel: &str, dir: &Path) -> Result<Logo, String> {
    let (rel, full) = super::assets::resolve(rel, dir)?;
    let bytes = super::assets::read(&rel, &full)?;
    let asset = super::assets::load(&rel, bytes)?;
    if asset.svg {
        let tree = resvg::usvg::Tree::from_data(&asset.print, &resvg::usvg::Options::default())
            .map_err(|e| format!("SVG `{rel}`: {e}"))?;
        let size = tree.size();
        let svg = tree.to_string(&resvg::usvg::WriteOptions::default());
        return Ok(Logo {
            file: "site-logo.svg".into(),
            bytes: svg.into_bytes(),
            width: size.width().round().max(1.0) as u32,
            height: size.height().round().max(1.0) as u32,
        });
    }
    let jpeg = asset.format == image::ImageFormat::Jpeg;
    let (mut w, mut h) = (asset.width, asset.height);
    let mut bytes = asset.screen;
    if w.max(h) > LOGO_MAX {
        let img = image::load_from_memory(&bytes).map_err(|e| format!("`{rel}`: {e}"))?;
        let small = img.resize(LOGO_MAX, LOGO_MAX, image::imageops::FilterType::CatmullRom);
        (w, h) = (small.width(), small.height());
        let mut out = std::io::Cursor::new(Vec::new());
        let res = if jpeg {
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 88)
                .encode_image(&small.to_rgb8())
        } else {
            small.write_to(&mut out, image::ImageFormat::Png)
        };
        res.map_err(|e| format!("`{rel}`: {e}"))?;
        bytes = out.into_inner();
    }
    Ok(Logo {
        file: if jpeg {
            "site-logo.jpg"
        } else {
            "site-logo.png"
        }
        .into(),
        bytes,
        width: w,
        height: h,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_matches_wcag_reference_values() {
        assert!((contrast([0, 0, 0], [255, 255, 255]) - 21.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let r = contrast(parse_hex("#767676").unwrap(), [255, 255, 255]);
        assert!((r - 4.54).abs() < 0.01, "{r}");
        assert_eq!(parse_hex("#fff"), Some([255, 255, 255]));
        assert_eq!(parse_hex("1f6f5c"), None);
        assert_eq!(parse_hex("#12345g"), None);
    }

    #[test]
    fn the_palette_keeps_aa_on_its_tint() {
        for a in ["#1f6f5c", "#125a78", "#6b2c91", "#a1260d", "#000000"] {
            let (acc, ink, soft) = accent_palette(parse_hex(a).unwrap());
            assert!(contrast(ink, soft) >= AA, "{a}: {}", hex(ink));
            assert!(contrast(acc, soft) > 3.0, "{a}");
        }
    }

    #[test]
    fn bad_urls_and_colours_are_refused_with_their_place() {
        let dir = tempfile::tempdir().unwrap();
        let shown = Path::new("kanko.toml");
        let toml_path = dir.path().join("kanko.toml");
        let parse = |s: &str| -> Result<Option<Logo>, Diag> {
            let site = super::super::meta::parse_site(s, shown)?;
            super::super::identity::logo(&site, s, &toml_path)
        };
        let e = parse("[site]\nhome = \"javascript:alert(1)\"\n").unwrap_err();
        assert_eq!((e.line, e.col), (2, 8), "{e}");
        let e = parse("[site]\naccent = \"#88c0a8\"\n").unwrap_err();
        assert!(
            e.message.contains("[site] accent") && e.message.contains(":1"),
            "{e}"
        );
        assert!(parse("[site]\naccent = \"#1f6f5c\"\nhome = \"/\"\n").is_ok());
        let e = parse("[site]\ncover_color = \"#777777\"\n").unwrap_err();
        assert!(e.message.contains("cover_color"), "{e}");
        assert!(parse("[site]\ncover_color = \"#1f3a5f\"\n").is_ok());
        let e = parse("[site]\nlogo = \"none.svg\"\n").unwrap_err();
        assert!(e.message.contains("none.svg"), "{e}");
    }

    #[test]
    fn an_svg_logo_loses_its_script() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("logo.svg"),
            r##"<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" onload="alert(1)"><script>alert(2)</script><rect width="120" height="40" fill="#1f6f5c" onclick="alert(3)"/><a href="javascript:alert(4)"><circle cx="20" cy="20" r="10" fill="#fff"/></a></svg>"##,
        )
        .unwrap();
        let l = load_logo("logo.svg", dir.path()).unwrap();
        let s = String::from_utf8(l.bytes).unwrap();
        assert!(!s.contains("alert") && !s.contains("script"), "{s}");
        assert!(s.contains("<path") || s.contains("<rect"), "{s}");
        assert_eq!((l.width, l.height), (120, 40));
    }
}
