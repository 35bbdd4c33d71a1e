//! The organisation (`[site]` in kanko.toml) in the reader: its colour as a line along the top
//! bar, and in the contents panel (the reader's menu) its name and logo as a link home with its
//! footer links; plus the canonical links of the reader and text mode. Every text is escaped.
//! Without `[site]` (and without a base URL) nothing is added: the pages are as before.

use crate::manuscript::identity::Identity;
use crate::manuscript::site::hex;
use crate::outputs::site::entry::SiteInfo;
use crate::outputs::xhtml::esc::esc;

fn canonical(ctx: &SiteInfo, rel: &str) -> String {
    ctx.base_url.as_ref().map_or(String::new(), |b| {
        format!(
            "<link rel=\"canonical\" href=\"{}/{}\">",
            esc(b.trim_end_matches('/')),
            esc(rel)
        )
    })
}

/// What goes into the reader's `<head>` after reader.css.
pub fn head(ctx: &SiteInfo, slug: &str) -> String {
    let id = Identity::of(&ctx.site);
    let mut out = canonical(ctx, &format!("{slug}/reader/index.html"));
    if ctx.site.site.is_some()
        && let Some((a, _, _)) = id.accent
    {
        out.push_str(&format!("<style>:root{{--org:{}}}</style>", hex(a)));
    }
    out
}

/// text.html's canonical link.
pub fn text_head(ctx: &SiteInfo, slug: &str) -> String {
    canonical(ctx, &format!("{slug}/reader/text.html"))
}

/// The organisation's block at the foot of the contents panel (nothing without `[site]`).
pub fn menu(ctx: &SiteInfo, ja: bool) -> String {
    if ctx.site.site.is_none() {
        return String::new();
    }
    let id = Identity::of(&ctx.site);
    let mut org = String::new();
    if let Some((file, w, h)) = &id.logo {
        let alt = if id.name.as_deref() == Some(id.logo_alt.as_str()) {
            ""
        } else {
            id.logo_alt.as_str()
        };
        org.push_str(&format!(
            "<img src=\"../../{}\" alt=\"{}\" width=\"{w}\" height=\"{h}\">",
            esc(file),
            esc(alt)
        ));
    }
    if let Some(n) = &id.name {
        org.push_str(&format!("<span>{}</span>", esc(n)));
    }
    let mut out = String::from("<div class=\"kr-org\">");
    if !org.is_empty() {
        match &id.home {
            Some(h) => out.push_str(&format!(
                "<a class=\"kr-org-home\" href=\"{}\">{org}</a>",
                esc(h)
            )),
            None => out.push_str(&format!("<p class=\"kr-org-home\">{org}</p>")),
        }
    }
    if !id.links.is_empty() {
        let label = if ja {
            "団体のページ"
        } else {
            "The organisation's pages"
        };
        out.push_str(&format!("<ul aria-label=\"{label}\">"));
        for (t, u) in &id.links {
            out.push_str(&format!("<li><a href=\"{}\">{}</a></li>", esc(u), esc(t)));
        }
        out.push_str("</ul>");
    }
    out.push_str("</div>");
    out
}
