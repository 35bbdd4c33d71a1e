//! `dist/index.html`: every report as a card, with filters.

use std::cmp::Reverse;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use serde_json::json;

use super::brand;
use super::ld::{json_ld, ld_script};
use super::parts::{Words, download_links, meta_list, title_html};
use crate::manuscript::identity::Identity;
use crate::outputs::site::entry::{Entry, SiteInfo, year_text};
use crate::outputs::site::search::index::SearchInfo;

fn report_card(e: &Entry, words: &Words, site_lang: &str) -> Markup {
    let funders: Vec<&str> = e.funders.iter().map(|f| f.name.as_str()).collect();
    let search = format!(
        "{} {} {} {} {}",
        e.title,
        e.subtitle.as_deref().unwrap_or(""),
        e.description.as_deref().unwrap_or(""),
        e.project,
        e.publisher
    );
    let head_id = format!("r-{}", e.slug);
    html! {
        li.report lang=[(e.language != site_lang).then_some(e.language.as_str())] data-year=(e.fiscal_year) data-funders=(funders.join("\n")) data-project=(e.project) data-search=(search) {
            article aria-labelledby=(head_id) {
                a.cover href={ (e.slug) "/index.html" } tabindex="-1" aria-hidden="true" {
                    @if let Some(c) = &e.files.cover {
                        img src={ (e.slug) "/" (c) } alt="" width="238" height="337" loading="lazy";
                    }
                }
                div.body {
                    p.year { (year_text(e)) }
                    h2 id=(head_id) { a href={ (e.slug) "/index.html" } { (title_html(e)) } }
                    @if let Some(s) = &e.subtitle { p.subtitle { (s) } }
                    @if let Some(d) = &e.description { p.desc { (d) } }
                    (meta_list(e, words))
                    p.credit { (e.credit) }
                    p.actions { (download_links(e, &format!("{}/", e.slug), words)) }
                }
            }
        }
    }
}

fn options(values: Vec<(String, String)>, all: &str) -> Markup {
    html! {
        option value="" { (all) }
        @for (v, label) in values { option value=(v) { (label) } }
    }
}

/// Page `n` of `pages` of a catalog too long for one page; `shown` is the slice on it.
pub(super) struct Pager<'a> {
    pub n: usize,
    pub pages: usize,
    pub shown: &'a [Entry],
    /// Position of `shown[0]` in the whole list.
    pub offset: usize,
    /// Reports per page: also how many filter results catalog.js shows at a time.
    pub per_page: usize,
}

/// `index.html`, `index-2.html`, …: flat names keep every relative link valid.
pub(super) fn page_file(n: usize) -> String {
    if n <= 1 {
        "index.html".into()
    } else {
        format!("index-{n}.html")
    }
}

fn pager_nav(p: &Pager, words: &Words) -> Markup {
    // First, last, and two either side of the current page.
    let mut show: Vec<usize> = vec![1, p.pages];
    show.extend(p.n.saturating_sub(2).max(1)..=(p.n + 2).min(p.pages));
    show.sort_unstable();
    show.dedup();
    html! {
        nav.pager aria-label=(words.w("ページ送り", "Pages")) {
            @if p.n > 1 { a.btn rel="prev" href=(page_file(p.n - 1)) { (words.w("← 新しい報告書", "← Newer")) } }
            ol {
                @for (i, k) in show.iter().enumerate() {
                    @if i > 0 && show[i - 1] + 1 != *k { li.gap aria-hidden="true" { "…" } }
                    li {
                        @if *k == p.n { a href=(page_file(*k)) aria-current="page" { (k) } }
                        @else { a href=(page_file(*k)) { (k) } }
                    }
                }
            }
            @if p.n < p.pages { a.btn rel="next" href=(page_file(p.n + 1)) { (words.w("古い報告書 →", "Older →")) } }
        }
    }
}

pub(super) fn index_page(
    ctx: &SiteInfo,
    entries: &[Entry],
    pager: Option<&Pager>,
    search: Option<SearchInfo>,
) -> String {
    let all = entries;
    let entries = pager.map_or(all, |p| p.shown);
    let lang = ctx.site.language.clone().unwrap_or_else(|| "ja".into());
    let words = Words {
        ja: lang.starts_with("ja"),
    };
    let title = ctx.site.title.clone().unwrap_or_else(|| {
        words
            .w("刊行物・報告書", "Publications and reports")
            .to_string()
    });
    let mut years: Vec<(i32, String)> = all.iter().map(|e| (e.fiscal_year, year_text(e))).collect();
    years.sort_by_key(|(y, _)| Reverse(*y));
    years.dedup_by_key(|(y, _)| *y);
    let mut funders: Vec<String> = all
        .iter()
        .flat_map(|e| e.funders.iter().map(|f| f.name.clone()))
        .collect();
    funders.sort();
    funders.dedup();
    let mut projects: Vec<String> = all.iter().map(|e| e.project.clone()).collect();
    projects.sort();
    projects.dedup();
    let graph: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| json_ld(e, "", ctx.base_url.as_deref()))
        .collect();
    let id = Identity::of(&ctx.site);
    let mut ld = json!({"@context": "https://schema.org", "@type": "ItemList", "name": title, "itemListElement": graph.iter().enumerate().map(|(i, g)| json!({"@type": "ListItem", "position": i + 1, "item": g})).collect::<Vec<_>>()});
    if ctx.site.site.is_some()
        && let Some(p) = brand::publisher(&id, ctx.base_url.as_deref(), "")
    {
        ld["publisher"] = p;
    }
    let count = match (pager, words.ja) {
        (None, true) => format!("{}件の報告書", all.len()),
        (None, false) => format!("{} reports", all.len()),
        (Some(p), true) => format!(
            "{}件の報告書（新しい順に {}〜{} 件目）",
            all.len(),
            p.offset + 1,
            p.offset + p.shown.len()
        ),
        (Some(p), false) => format!(
            "{} reports (newest first: {}–{})",
            all.len(),
            p.offset + 1,
            p.offset + p.shown.len()
        ),
    };
    let own = page_file(pager.map_or(1, |p| p.n));
    let page = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                link rel="icon" href="data:,";
                title { (title) @if let Some(o) = &ctx.site.organization { " — " (o) } }
                meta name="description" content=(site_description(ctx, all, &words));
                // The filters work with the script only: shown from the first paint when it runs (no layout shift).
                script { (PreEscaped("document.documentElement.classList.add('js')")) }
                link rel="stylesheet" href="catalog.css";
                (brand::style(&id))
                (brand::canonical(ctx.base_url.as_deref(), &own))
                link rel="alternate" type="application/atom+xml" href="feed.xml" title=(title);
                link rel="alternate" type="application/atom+xml;profile=opds-catalog;kind=acquisition" href="opds.xml";
                @if let Some(b) = &ctx.base_url {
                    meta property="og:type" content="website";
                    meta property="og:title" content=(title);
                    meta property="og:url" content={ (b.trim_end_matches('/')) "/" (own) };
                    @if let Some(n) = &id.name { meta property="og:site_name" content=(n); }
                    @if let Some(e) = entries.first() { @if let Some(c) = &e.files.cover {
                        meta property="og:image" content={ (b.trim_end_matches('/')) "/" (e.slug) "/" (c) };
                    } }
                }
                @if let Some(p) = pager {
                    @if p.n > 1 { link rel="prev" href=(page_file(p.n - 1)); }
                    @if p.n < p.pages { link rel="next" href=(page_file(p.n + 1)); }
                }
                (ld_script(&ld))
            }
            body {
                a.skip href="#reports" { (words.w("一覧へ移動", "Skip to the list")) }
                header.site-header {
                    (brand::org(&id, ""))
                    h1 { (title) }
                    @if let Some(d) = &ctx.site.description { p.lead { (d) } }
                }
                main {
                    @if let Some(s) = search { (search_form(&s, &words)) }
                    // On a paged index the filters search every report: catalog.js loads their data on first use.
                    form.filters #filters role="search" aria-label=(words.w("絞り込み", "Filter")) hidden
                        data-src=[pager.map(|_| super::data::FILES)] data-chunk=[pager.map(|p| p.per_page)] {
                        // Phones: the filters fold behind this button (catalog.css), which counts the active ones.
                        button.btn.f-toggle #f-toggle type="button" aria-expanded="false" aria-controls="f-body"
                            data-label=(words.w("絞り込み", "Filters")) data-active=(words.w("絞り込み（{n}件）", "Filters ({n})")) {
                            (words.w("絞り込み", "Filters"))
                        }
                        div.f-body #f-body {
                        div.field { label for="f-year" { (words.w("年度", "Fiscal year")) }
                            select #f-year { (options(years.iter().map(|(y, l)| (y.to_string(), l.clone())).collect(), words.w("すべての年度", "All years"))) } }
                        div.field { label for="f-funder" { (words.w("助成元", "Funder")) }
                            select #f-funder { (options(funders.iter().map(|f| (f.clone(), f.clone())).collect(), words.w("すべての助成元", "All funders"))) } }
                        div.field { label for="f-project" { (words.w("事業", "Project")) }
                            select #f-project { (options(projects.iter().map(|p| (p.clone(), p.clone())).collect(), words.w("すべての事業", "All projects"))) } }
                        div.field.grow { label for="f-q" { (words.w("キーワード", "Keyword")) }
                            input #f-q type="search" placeholder=(words.w("表題・説明から検索", "Search titles and descriptions")); }
                        button.btn.reset.idle type="button" { (words.w("条件をクリア", "Clear filters")) }
                        }
                    }
                    p #count aria-live="polite" data-template=(words.w("{n}件の報告書", "{n} reports")) { (count) }
                    ol.reports #reports {
                        @for e in entries { (report_card(e, &words, &lang)) }
                    }
                    p #empty hidden { (words.w("条件に合う報告書はありません。", "No reports match.")) }
                    @if let Some(p) = pager { (pager_nav(p, &words)) }
                }
                footer.site-footer {
                    (brand::links(&id, &words))
                    p { a href="feed.xml" { (words.w("更新情報（Atom）", "Atom feed")) } " · " a href="opds.xml" { "OPDS" } " · " a href="catalog.json" { "catalog.json" } }
                    p.made { (words.w("kanko で作成", "Made with kanko")) }
                }
                script src="catalog.js" {}
                @if search.is_some() { script src="search.js" {} }
            }
        }
    };
    page.into_string()
}

/// The full-text search box: hidden until search.js shows it (no script, no box).
fn search_form(s: &SearchInfo, words: &Words) -> Markup {
    html! {
        div.search #search hidden data-shards=(s.shards) data-chunk=(s.chunk) {
            form #s-form role="search" aria-labelledby="s-label" {
                label #s-label for="s-q" { (words.w("すべての報告書の本文から探す", "Search the full text of every report")) }
                div.s-row {
                    input #s-q type="search" name="q" autocomplete="off" enterkeyhint="search"
                        placeholder=(words.w("例：空き店舗　居場所", "e.g. volunteer training"));
                    button.btn.primary type="submit" { (words.w("検索", "Search")) }
                }
                p.s-hint { (words.w("語をスペースで区切ると、すべてを含むページを探します。ふりがなでも探せます。", "Separate words with spaces to find pages that contain all of them.")) }
            }
            div #s-status role="status" {}
            div #s-results {}
        }
    }
}

/// The index's `<meta name="description">`: the site's own, or what the list holds.
fn site_description(ctx: &SiteInfo, entries: &[Entry], words: &Words) -> String {
    if let Some(d) = &ctx.site.description {
        return d.clone();
    }
    let titles: Vec<&str> = entries.iter().take(3).map(|e| e.title.as_str()).collect();
    let org = ctx.site.organization.as_deref().unwrap_or("");
    if words.ja {
        format!(
            "{org}の刊行物{}件（{}など）。PDF・EPUB・ページめくりリーダーで読めます。",
            entries.len(),
            titles.join("、")
        )
    } else {
        format!(
            "{} reports{}: {}. Read them as PDF, EPUB or in the page-flip reader.",
            entries.len(),
            if org.is_empty() {
                String::new()
            } else {
                format!(" by {org}")
            },
            titles.join("; ")
        )
    }
}
