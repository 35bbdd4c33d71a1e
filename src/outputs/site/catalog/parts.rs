//! Pieces the catalog's index pages and report pages share: their UI words, download buttons,
//! titles and the facts list.

use maud::{Markup, PreEscaped, html};

use super::super::entry::{Entry, human_size};

/// UI words of the catalog in the site's language.
pub struct Words {
    pub ja: bool,
}

impl Words {
    pub fn w(&self, ja: &'static str, en: &'static str) -> &'static str {
        if self.ja { ja } else { en }
    }
}

/// `base` leads from the page to the report's folder: `<slug>/` on the index, `` on its own page.
pub fn download_links(e: &Entry, base: &str, words: &Words) -> Markup {
    html! {
        @if let Some(r) = &e.files.reader {
            a.btn.primary href={ (base) (r) } { (words.w("読む", "Read")) }
        }
        @if let Some(p) = &e.files.pdf {
            a.btn href={ (base) (p.name) } download {
                "PDF" (words.w("（", " (")) (human_size(p.size)) (words.w("）", ")"))
            }
        }
        @if let Some(p) = &e.files.epub {
            a.btn href={ (base) (p.name) } download {
                "EPUB" (words.w("（", " (")) (human_size(p.size)) (words.w("）", ")"))
            }
        }
    }
}

/// A report's title; Japanese titles with `<wbr>` between phrases (文節).
pub fn title_html(e: &Entry) -> Markup {
    if e.language.starts_with("ja") {
        PreEscaped(crate::outputs::xhtml::esc::esc_phrases(&e.title))
    } else {
        html! { (e.title) }
    }
}

pub fn meta_list(e: &Entry, words: &Words) -> Markup {
    html! {
        dl.meta {
            dt { (words.w("事業名", "Project")) } dd { (e.project) }
            dt { (words.w("発行", "Publisher")) } dd { (e.publisher) }
            dt { (words.w("発行日", "Published")) } dd { time datetime=(e.published) { (e.published_label) } }
            dt { (words.w("ページ数", "Pages")) } dd { (e.pages) (words.w("ページ", " pages")) }
        }
    }
}
