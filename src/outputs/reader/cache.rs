//! A page as the reader needs it apart from its drawing (thumbnail, text lines, glyphs used),
//! and `kanko serve`'s cache of those by the page's frame.

use crate::typeset::frames::{Line, text_lines};

use super::pagedata;

/// Thumbnails: 0.25 px/pt (A4 149 px wide, shown 90 CSS px wide), JPEG quality 60.
const THUMB_SCALE: f32 = 0.25;

/// What a page gives the reader apart from its drawing: thumbnail, text lines, glyphs used.
pub struct Rendered {
    pub thumb: image::RgbImage,
    pub lines: Vec<Line>,
    pub uses: Vec<(typst::text::Font, u16)>,
}

/// Per-page results by the hash of their frame, for `kanko serve`: after an edit only the
/// pages whose content changed get a new thumbnail.
pub type PageCache = std::sync::Mutex<std::collections::HashMap<u128, std::sync::Arc<Rendered>>>;

fn render_page(p: &typst_layout::Page) -> Rendered {
    Rendered {
        thumb: crate::outputs::images::thumbnail(p, THUMB_SCALE),
        lines: text_lines(&p.frame),
        uses: pagedata::glyph_uses(&p.frame),
    }
}

pub fn render_cached(
    p: &typst_layout::Page,
    cache: Option<&PageCache>,
) -> std::sync::Arc<Rendered> {
    let Some(cache) = cache else {
        return std::sync::Arc::new(render_page(p));
    };
    let key = typst::utils::hash128(&p.frame);
    if let Some(hit) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return hit;
    }
    let fresh = std::sync::Arc::new(render_page(p));
    if let Ok(mut c) = cache.lock() {
        c.insert(key, fresh.clone());
    }
    fresh
}
