//! The organisation on the catalog's pages (`[site]` in kanko.toml): its name and logo as a link
//! home in the header, its colours, its footer links, canonical links and the JSON-LD publisher.
//! Without `[site]` the pages are as before: the name as plain text where it was shown.

use maud::{Markup, PreEscaped, html};
use serde_json::json;

use super::parts::Words;
use crate::manuscript::identity::Identity;

/// The `<style>` with the organisation's accent (nothing without `[site] accent`).
pub(crate) fn style(id: &Identity) -> Markup {
    let css = id.css_vars();
    html! { @if !css.is_empty() { style { (PreEscaped(css)) } } }
}

/// `<link rel="canonical">` for `rel` under the base URL.
pub(crate) fn canonical(base: Option<&str>, rel: &str) -> Markup {
    html! {
        @if let Some(b) = base {
            link rel="canonical" href={ (b.trim_end_matches('/')) "/" (rel) };
        }
    }
}

/// The logo's `alt`: empty beside the organisation's name (it would be read twice), else its text.
fn logo_alt(id: &Identity) -> &str {
    if id.name.as_deref() == Some(id.logo_alt.as_str()) {
        ""
    } else {
        &id.logo_alt
    }
}

/// The organisation in a page's header; `prefix` leads from the page to `dist/`.
pub(crate) fn org(id: &Identity, prefix: &str) -> Markup {
    let inner = html! {
        @if let Some((file, w, h)) = &id.logo {
            img.logo src={ (prefix) (file) } alt=(logo_alt(id)) width=(w) height=(h);
        }
        @if let Some(n) = &id.name { span { (n) } }
    };
    html! {
        @if id.home.is_some() || id.logo.is_some() {
            p.org.brand {
                @if let Some(h) = &id.home { a href=(h) { (inner) } } @else { span { (inner) } }
            }
        } @else if let Some(n) = &id.name {
            p.org { (n) }
        }
    }
}

/// The footer's links to the organisation's home and its other pages (nothing without them).
pub(crate) fn links(id: &Identity, words: &Words) -> Markup {
    html! {
        @if id.home.is_some() || !id.links.is_empty() {
            nav.site-links aria-label=(words.w("団体のページ", "The organisation's pages")) {
                ul {
                    @if let Some(h) = &id.home {
                        li { a href=(h) { (id.name.as_deref().unwrap_or(words.w("ホーム", "Home"))) } }
                    }
                    @for (t, u) in &id.links { li { a href=(u) { (t) } } }
                }
            }
        }
    }
}

/// schema.org `Organization` of the site (name, home, logo), when kanko.toml names one.
pub(crate) fn publisher(
    id: &Identity,
    base: Option<&str>,
    prefix: &str,
) -> Option<serde_json::Value> {
    let name = id.name.as_ref()?;
    let logo = id.logo.as_ref().map(|(f, w, h)| {
        let url = match base {
            Some(b) => format!("{}/{f}", b.trim_end_matches('/')),
            None => format!("{prefix}{f}"),
        };
        json!({"@type": "ImageObject", "url": url, "width": w, "height": h})
    });
    Some(json!({"@type": "Organization", "name": name, "url": id.home, "logo": logo}))
}
