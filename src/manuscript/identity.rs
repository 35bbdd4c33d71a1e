//! The organisation as its pages show it (`[site]` of kanko.toml, read and checked in `site.rs`):
//! the logo read for the build, the site's cover colour given to each report, and `Identity`,
//! what the catalog and reader draw.

use std::path::Path;

use super::Report;
use super::meta::Site;
use super::site::{Logo, MAX_LATEST, accent_palette, at, hex, load_logo, parse_hex};
use crate::diag::Diag;

/// Reads and checks `[site] logo`, relative to the folder of `kanko.toml` (`path`, whose text is `src`).
pub fn logo(site: &Site, src: &str, path: &Path) -> Result<Option<Logo>, Diag> {
    let Some(l) = site.site.as_ref().and_then(|t| t.logo.as_ref()) else {
        return Ok(None);
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    load_logo(l.get_ref(), dir)
        .map(Some)
        .map_err(|e| at(src, path, l.span(), format!("`[site] logo`: {e}")))
}

/// A report without its own `[cover] color` gets `[site] cover_color`.
pub fn apply_cover(site: &Site, r: &mut Report) {
    if let Some(c) = site.site.as_ref().and_then(|t| t.cover_color.as_ref())
        && r.meta.cover_color_default
    {
        r.meta.cover_color = c.get_ref().clone();
    }
}

/// What the web pages need of `[site]`, with the defaults filled in.
#[derive(Debug, Clone, Default)]
pub struct Identity {
    pub name: Option<String>,
    pub home: Option<String>,
    /// Logo file name in `dist/`, its size and alt text.
    pub logo: Option<(String, u32, u32)>,
    pub logo_alt: String,
    /// `--accent`, `--accent-ink`, `--accent-soft`.
    pub accent: Option<([u8; 3], [u8; 3], [u8; 3])>,
    pub links: Vec<(String, String)>,
    pub latest: usize,
}

impl Identity {
    pub fn of(site: &Site) -> Identity {
        let t = site.site.clone().unwrap_or_default();
        Identity {
            name: site.organization.clone().filter(|s| !s.trim().is_empty()),
            home: t.home.map(|h| h.into_inner().trim().to_string()),
            logo: site
                .logo
                .as_ref()
                .map(|l| (l.file.clone(), l.width, l.height)),
            // A logo with no name beside it is the link's only text: never empty.
            logo_alt: t
                .logo_alt
                .or_else(|| site.organization.clone())
                .unwrap_or_else(|| {
                    let ja = site.language.as_deref().is_none_or(|l| l.starts_with("ja"));
                    if ja { "ホーム" } else { "Home" }.to_string()
                }),
            accent: t
                .accent
                .and_then(|a| parse_hex(a.get_ref()))
                .map(accent_palette),
            links: t
                .links
                .into_iter()
                .map(|l| (l.title, l.url.into_inner().trim().to_string()))
                .collect(),
            latest: t
                .latest
                .map_or(5, |n| n.into_inner().clamp(1, MAX_LATEST) as usize),
        }
    }

    /// `:root { --accent: …; … }` for a page's `<style>`, or nothing without `[site] accent`.
    pub fn css_vars(&self) -> String {
        match self.accent {
            None => String::new(),
            Some((a, ink, soft)) => format!(
                ":root{{--accent:{};--accent-ink:{};--accent-soft:{}}}",
                hex(a),
                hex(ink),
                hex(soft)
            ),
        }
    }
}
