//! `dist/latest.html` and `dist/latest-fragment.html`: the newest reports (`[site] latest`,
//! default 5) for the organisation's home page, which does not run kanko.
//!
//! `latest.html` is a small page for an `<iframe>`: its style inline, no script, links that open
//! in the embedding page's window (`target="_top"`). The fragment is the same list for a CMS's
//! HTML block, its style scoped under `.kanko-latest` and, with a base URL, absolute links.
//! Everything comes from the entries (the data of `catalog.json`), escaped by maud.

use maud::{DOCTYPE, Markup, PreEscaped, html};

use super::parts::{Words, title_html};
use crate::manuscript::identity::Identity;
use crate::manuscript::site::hex;
use crate::outputs::site::entry::{Entry, SiteInfo, human_size, year_text};

const SANS: &str = "\"Hiragino Sans\",\"Hiragino Kaku Gothic ProN\",\"BIZ UDPGothic\",\"Noto Sans JP\",\"Noto Sans CJK JP\",\"Yu Gothic\",YuGothic,Meiryo,system-ui,-apple-system,\"Segoe UI\",sans-serif";

/// The list's style, every rule under `scope` (`` for the page, `.kanko-latest ` for the fragment).
fn css(id: &Identity, scope: &str) -> String {
    let (a, ink, soft) = id.accent.map_or(
        (
            "#125a78".to_string(),
            "#0c4159".to_string(),
            "#e3eff4".to_string(),
        ),
        |(a, i, s)| (hex(a), hex(i), hex(s)),
    );
    let root = if scope.is_empty() {
        format!(
            "*,*::before,*::after{{box-sizing:border-box}}html{{-webkit-text-size-adjust:100%;text-size-adjust:100%;color-scheme:light}}body{{margin:0;background:#fff;color:#1d2125;font-family:{SANS};line-height:1.6;overflow-wrap:anywhere}}main{{display:block;padding:12px}}"
        )
    } else {
        format!(
            ".kanko-latest,.kanko-latest *{{box-sizing:border-box}}.kanko-latest{{color:#1d2125;font-family:{SANS};line-height:1.6;overflow-wrap:anywhere;margin:1em 0}}"
        )
    };
    let s = scope;
    format!(
        "{root}\
{s}.lt-h{{margin:0 0 .6rem;font-size:1.15rem;line-height:1.4;letter-spacing:.04em}}\
{s}.lt-h::before{{content:\"\";display:block;width:2rem;height:4px;margin-bottom:.4rem;border-radius:2px;background:{a}}}\
{s}.lt-list{{list-style:none;margin:0;padding:0;display:grid;gap:12px;grid-template-columns:repeat(auto-fill,minmax(min(100%,17rem),1fr))}}\
{s}.lt-item{{display:grid;grid-template-columns:64px minmax(0,1fr);gap:12px;align-items:start;margin:0;padding:10px;border:1px solid #dcd9d1;border-radius:8px;background:#fff}}\
{s}.lt-item img{{display:block;width:64px;height:auto;aspect-ratio:238/337;object-fit:cover;border:1px solid #dcd9d1;border-radius:2px;background:#ecebe6}}\
{s}.lt-year{{display:inline-block;margin:0;padding:0 .5rem;border-radius:6px;background:{soft};color:{ink};font-size:.75rem;font-weight:700;line-height:1.7}}\
{s}.lt-title{{margin:.25rem 0 0;font-size:1rem;line-height:1.45;word-break:keep-all;overflow-wrap:anywhere}}\
{s}.lt-title a{{color:#1d2125;text-decoration:none}}{s}.lt-title a:hover{{text-decoration:underline;color:{ink}}}\
{s}.lt-links{{display:flex;flex-wrap:wrap;gap:6px;margin:.5rem 0 0;padding:0}}\
{s}.lt-links a{{display:inline-flex;align-items:center;min-height:36px;padding:.2rem .8rem;border:1px solid {a};border-radius:6px;color:{ink};font-size:.875rem;font-weight:700;text-decoration:none;white-space:nowrap}}\
{s}.lt-links a.lt-read{{background:{a};color:#fff}}\
{s}.lt-links a:hover{{text-decoration:underline}}\
{s}.lt-all{{margin:.75rem 0 0;font-size:.9rem}}{s}.lt-all a{{display:inline-block;padding:.4rem 0;color:{a};font-weight:700}}\
{s}a:focus-visible{{outline:3px solid #c2410c;outline-offset:2px}}"
    )
}

/// The list; `base` leads to `dist/` (`` or the base URL with `/`), `target` is `_top` in the iframe.
fn title_link(e: &Entry, base: &str, target: Option<&str>) -> Markup {
    html! { a href={ (base) (e.slug) "/index.html" } target=[target] { (title_html(e)) } }
}

fn list(ctx: &SiteInfo, entries: &[Entry], base: &str, target: Option<&str>, h: &str) -> Markup {
    let page = target.is_some();
    let lang = ctx.site.language.clone().unwrap_or_else(|| "ja".into());
    let words = Words {
        ja: lang.starts_with("ja"),
    };
    let id = Identity::of(&ctx.site);
    let shown = &entries[..entries.len().min(id.latest)];
    html! {
        // The page's own heading is its h1; in a CMS page the block sits under the page's h1.
        @if page { h1.lt-h #(h) { (words.w("最新の報告書", "Latest reports")) } }
        @else { h2.lt-h #(h) { (words.w("最新の報告書", "Latest reports")) } }
        ol.lt-list {
            @for e in shown {
                li.lt-item lang=[(e.language != lang).then_some(e.language.as_str())] {
                    @if let Some(c) = &e.files.cover {
                        img src={ (base) (e.slug) "/" (c) } alt="" width="238" height="337";
                    } @else { span {} }
                    div {
                        p.lt-year { (year_text(e)) }
                        @if page { h2.lt-title { (title_link(e, base, target)) } }
                        @else { h3.lt-title { (title_link(e, base, target)) } }
                        p.lt-links {
                            @if let Some(r) = &e.files.reader {
                                a.lt-read href={ (base) (e.slug) "/" (r) } target=[target] { (words.w("読む", "Read")) }
                            }
                            @if let Some(p) = &e.files.pdf {
                                a href={ (base) (e.slug) "/" (p.name) } target=[target] {
                                    "PDF" (words.w("（", " (")) (human_size(p.size)) (words.w("）", ")"))
                                }
                            }
                        }
                    }
                }
            }
        }
        p.lt-all { a href={ (base) "index.html" } target=[target] {
            (words.w("すべての報告書", "All reports")) (words.w("（", " (")) (entries.len())
            (words.w("件）", ")"))
        } }
    }
}

fn page(ctx: &SiteInfo, entries: &[Entry]) -> String {
    let lang = ctx.site.language.clone().unwrap_or_else(|| "ja".into());
    let words = Words {
        ja: lang.starts_with("ja"),
    };
    let id = Identity::of(&ctx.site);
    let head = words.w("最新の報告書", "Latest reports");
    let title = match &id.name {
        Some(n) => format!("{head} — {n}"),
        None => head.to_string(),
    };
    let desc = match &id.name {
        Some(n) if words.ja => format!(
            "{n}が発行した最新の報告書{}件",
            entries.len().min(id.latest)
        ),
        Some(n) => format!("The latest reports published by {n}"),
        None => title.clone(),
    };
    html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                link rel="icon" href="data:,";
                title { (title) }
                meta name="description" content=(desc);
                (super::brand::canonical(ctx.base_url.as_deref(), "latest.html"))
                style { (PreEscaped(css(&id, ""))) }
            }
            body {
                main aria-labelledby="lt-h" {
                    (list(ctx, entries, "", Some("_top"), "lt-h"))
                }
            }
        }
    }
    .into_string()
}

fn fragment(ctx: &SiteInfo, entries: &[Entry]) -> String {
    let id = Identity::of(&ctx.site);
    let lang = ctx.site.language.clone().unwrap_or_else(|| "ja".into());
    let base = ctx
        .base_url
        .as_ref()
        .map_or(String::new(), |b| format!("{}/", b.trim_end_matches('/')));
    let note = if ctx.base_url.is_some() {
        "kanko: latest reports. Paste into an HTML block of your site."
    } else {
        "kanko: latest reports. Links are relative to the catalog folder: set base_url in kanko.toml for absolute links."
    };
    let body = html! {
        (PreEscaped(format!("<!-- {note} -->\n")))
        section.kanko-latest lang=(lang) aria-labelledby="kanko-latest-h" {
            style { (PreEscaped(css(&id, ".kanko-latest "))) }
            (list(ctx, entries, &base, None, "kanko-latest-h"))
        }
    };
    format!("{}\n", body.into_string())
}

/// `latest.html` and `latest-fragment.html`.
pub(super) fn files(ctx: &SiteInfo, entries: &[Entry]) -> [(&'static str, String); 2] {
    [
        ("latest.html", page(ctx, entries)),
        ("latest-fragment.html", fragment(ctx, entries)),
    ]
}
