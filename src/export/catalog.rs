//! The catalog: `dist/index.html` listing every report, each report's own page, `catalog.json`,
//! an Atom feed, an OPDS 1.2 acquisition feed and (with a base URL) a sitemap.
//!
//! HTML comes from maud templates, which escape every interpolated string; the feeds are
//! written with quick-xml's writer. All links are relative.

use std::cmp::Reverse;
use std::io::Cursor;
use std::path::Path;

use maud::{DOCTYPE, Markup, PreEscaped, html};
use quick_xml::Writer as XmlWriter;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::diag::Diag;
use crate::manuscript::Report;
use crate::output;
use crate::pipeline::{Ctx, Outcome, Status, previous_entry};
use crate::typeset::Typeset;

pub const ASSETS: &[(&str, &str)] = &[
    ("catalog.css", include_str!("web/catalog.css")),
    ("catalog.js", include_str!("web/catalog.js")),
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FileRef {
    pub name: String,
    pub size: u64,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Files {
    pub pdf: Option<FileRef>,
    pub epub: Option<FileRef>,
    pub reader: Option<String>,
    pub cover: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct FunderEntry {
    pub name: String,
    pub program: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TocEntry {
    pub title: String,
    pub page: usize,
    pub level: u8,
}

/// One report as the catalog, the feeds and catalog.json describe it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Entry {
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub project: String,
    pub fiscal_year: i32,
    pub fiscal_year_label: String,
    pub fiscal_year_western: String,
    pub publisher: String,
    pub published: String,
    pub published_label: String,
    pub language: String,
    pub description: Option<String>,
    pub authors: Vec<String>,
    pub funders: Vec<FunderEntry>,
    pub credit: String,
    pub license: Option<String>,
    pub isbn: Option<String>,
    pub identifier: String,
    pub pages: usize,
    pub pdf_ua: bool,
    pub files: Files,
    pub toc: Vec<TocEntry>,
}

pub fn entry(r: &Report, t: &Typeset) -> Entry {
    let m = &r.meta;
    let toc = super::reader::outline(r, t)
        .into_iter()
        .filter_map(|v| {
            Some(TocEntry {
                title: v.get("title")?.as_str()?.to_string(),
                page: v.get("page")?.as_u64()? as usize,
                level: v.get("level")?.as_u64()? as u8,
            })
        })
        .collect();
    Entry {
        slug: r.slug.clone(),
        title: m.title.clone(),
        subtitle: m.subtitle.clone(),
        project: m.project.clone(),
        fiscal_year: m.fiscal_year,
        fiscal_year_label: m.labels.year.clone(),
        fiscal_year_western: m.labels.year_western.clone(),
        publisher: m.publisher.clone(),
        published: m.published.iso(),
        published_label: m.labels.published.clone(),
        language: m.language.clone(),
        description: m.description.clone(),
        authors: m.authors.clone(),
        funders: m
            .funders
            .iter()
            .map(|f| FunderEntry {
                name: f.name.clone(),
                program: f.program.clone(),
            })
            .collect(),
        credit: m.labels.credit.clone(),
        license: m.license.clone(),
        isbn: m.isbn.clone(),
        identifier: super::epub::identifier(r),
        pages: t.doc.pages().len(),
        pdf_ua: false,
        files: Files::default(),
        toc,
    }
}

/// UI words of the catalog in the site's language.
struct Words {
    ja: bool,
}

impl Words {
    fn w(&self, ja: &'static str, en: &'static str) -> &'static str {
        if self.ja { ja } else { en }
    }
}

pub fn human_size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!("{:.1} MB", bytes as f64 / 1_000_000.0)
    } else {
        format!("{} KB", bytes.div_ceil(1000).max(1))
    }
}

fn year_text(e: &Entry) -> String {
    if e.language.starts_with("ja") || e.fiscal_year_label.contains('年') {
        format!("{}（{}）", e.fiscal_year_label, e.fiscal_year_western)
    } else {
        format!("{} ({})", e.fiscal_year_label, e.fiscal_year_western)
    }
}

/// schema.org `Report` for JSON-LD; `prefix` leads from the page to the report folder.
fn json_ld(e: &Entry, prefix: &str, base: Option<&str>) -> serde_json::Value {
    let abs = |rel: String| match base {
        Some(b) => format!("{}/{rel}", b.trim_end_matches('/')),
        None => format!("{prefix}{rel}"),
    };
    let mut encodings = Vec::new();
    if let Some(p) = &e.files.pdf {
        encodings.push(json!({"@type": "MediaObject", "encodingFormat": "application/pdf", "contentUrl": abs(format!("{}/{}", e.slug, p.name)), "contentSize": p.size.to_string()}));
    }
    if let Some(p) = &e.files.epub {
        encodings.push(json!({"@type": "MediaObject", "encodingFormat": "application/epub+zip", "contentUrl": abs(format!("{}/{}", e.slug, p.name)), "contentSize": p.size.to_string()}));
    }
    let funders: Vec<serde_json::Value> = e
        .funders
        .iter()
        .map(|f| json!({"@type": "Organization", "name": f.name}))
        .collect();
    let grants: Vec<serde_json::Value> = e
        .funders
        .iter()
        .map(|f| json!({"@type": "MonetaryGrant", "name": f.program, "funder": {"@type": "Organization", "name": f.name}}))
        .collect();
    let authors: Vec<serde_json::Value> = e
        .authors
        .iter()
        .map(|a| json!({"@type": "Person", "name": a}))
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "Report",
        "name": e.title,
        "alternativeHeadline": e.subtitle,
        "description": e.description,
        "datePublished": e.published,
        "inLanguage": e.language,
        "publisher": {"@type": "Organization", "name": e.publisher},
        "author": if authors.is_empty() { json!({"@type": "Organization", "name": e.publisher}) } else { json!(authors) },
        "isAccessibleForFree": true,
        "funder": funders,
        "funding": grants,
        "creditText": e.credit,
        "numberOfPages": e.pages,
        "identifier": e.identifier,
        "isbn": e.isbn,
        "license": e.license,
        "encoding": encodings,
        "image": e.files.cover.as_ref().map(|c| abs(format!("{}/{c}", e.slug))),
    })
}

fn drop_nulls(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(o) => {
            o.retain(|_, x| !x.is_null());
            o.values_mut().for_each(drop_nulls);
        }
        serde_json::Value::Array(a) => a.iter_mut().for_each(drop_nulls),
        _ => {}
    }
}

fn ld_script(v: &serde_json::Value) -> Markup {
    let mut v = v.clone();
    drop_nulls(&mut v);
    let v = &v;
    // `<` is escaped so no string can close the script element.
    let text = serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    html! { script type="application/ld+json" { (PreEscaped(text)) } }
}

/// `base` leads from the page to the report's folder: `<slug>/` on the index, `` on its own page.
fn download_links(e: &Entry, base: &str, words: &Words) -> Markup {
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
fn title_html(e: &Entry) -> Markup {
    if e.language.starts_with("ja") {
        PreEscaped(super::xhtml::esc_phrases(&e.title))
    } else {
        html! { (e.title) }
    }
}

fn meta_list(e: &Entry, words: &Words) -> Markup {
    html! {
        dl.meta {
            dt { (words.w("事業名", "Project")) } dd { (e.project) }
            dt { (words.w("発行", "Publisher")) } dd { (e.publisher) }
            dt { (words.w("発行日", "Published")) } dd { time datetime=(e.published) { (e.published_label) } }
            dt { (words.w("ページ数", "Pages")) } dd { (e.pages) (words.w("ページ", " pages")) }
        }
    }
}

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

fn index_page(ctx: &Ctx, entries: &[Entry]) -> String {
    let lang = ctx.site.language.clone().unwrap_or_else(|| "ja".into());
    let words = Words {
        ja: lang.starts_with("ja"),
    };
    let title = ctx.site.title.clone().unwrap_or_else(|| {
        words
            .w("刊行物・報告書", "Publications and reports")
            .to_string()
    });
    let mut years: Vec<(i32, String)> = entries
        .iter()
        .map(|e| (e.fiscal_year, year_text(e)))
        .collect();
    years.sort_by_key(|(y, _)| Reverse(*y));
    years.dedup_by_key(|(y, _)| *y);
    let mut funders: Vec<String> = entries
        .iter()
        .flat_map(|e| e.funders.iter().map(|f| f.name.clone()))
        .collect();
    funders.sort();
    funders.dedup();
    let mut projects: Vec<String> = entries.iter().map(|e| e.project.clone()).collect();
    projects.sort();
    projects.dedup();
    let graph: Vec<serde_json::Value> = entries
        .iter()
        .map(|e| json_ld(e, "", ctx.base_url.as_deref()))
        .collect();
    let ld = json!({"@context": "https://schema.org", "@type": "ItemList", "name": title, "itemListElement": graph.iter().enumerate().map(|(i, g)| json!({"@type": "ListItem", "position": i + 1, "item": g})).collect::<Vec<_>>()});
    let count = if words.ja {
        format!("{}件の報告書", entries.len())
    } else {
        format!("{} reports", entries.len())
    };
    let page = html! {
        (DOCTYPE)
        html lang=(lang) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                link rel="icon" href="data:,";
                title { (title) @if let Some(o) = &ctx.site.organization { " — " (o) } }
                meta name="description" content=(site_description(ctx, entries, &words));
                // The filters work with the script only: shown from the first paint when it runs (no layout shift).
                script { (PreEscaped("document.documentElement.classList.add('js')")) }
                link rel="stylesheet" href="catalog.css";
                link rel="alternate" type="application/atom+xml" href="feed.xml" title=(title);
                link rel="alternate" type="application/atom+xml;profile=opds-catalog;kind=acquisition" href="opds.xml";
                @if let Some(b) = &ctx.base_url {
                    meta property="og:type" content="website";
                    meta property="og:title" content=(title);
                    meta property="og:url" content={ (b.trim_end_matches('/')) "/index.html" };
                    @if let Some(e) = entries.first() { @if let Some(c) = &e.files.cover {
                        meta property="og:image" content={ (b.trim_end_matches('/')) "/" (e.slug) "/" (c) };
                    } }
                }
                (ld_script(&ld))
            }
            body {
                a.skip href="#reports" { (words.w("一覧へ移動", "Skip to the list")) }
                header.site-header {
                    @if let Some(o) = &ctx.site.organization { p.org { (o) } }
                    h1 { (title) }
                    @if let Some(d) = &ctx.site.description { p.lead { (d) } }
                }
                main {
                    form.filters #filters role="search" aria-label=(words.w("絞り込み", "Filter")) hidden {
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
                    p #count aria-live="polite" data-template=(words.w("{n}件の報告書", "{n} reports")) { (count) }
                    ol.reports #reports {
                        @for e in entries { (report_card(e, &words, &lang)) }
                    }
                    p #empty hidden { (words.w("条件に合う報告書はありません。", "No reports match.")) }
                }
                footer.site-footer {
                    p { a href="feed.xml" { (words.w("更新情報（Atom）", "Atom feed")) } " · " a href="opds.xml" { "OPDS" } " · " a href="catalog.json" { "catalog.json" } }
                    p.made { (words.w("kanko で作成", "Made with kanko")) }
                }
                script src="catalog.js" {}
            }
        }
    };
    page.into_string()
}

/// The index's `<meta name="description">`: the site's own, or what the list holds.
fn site_description(ctx: &Ctx, entries: &[Entry], words: &Words) -> String {
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

fn report_page(ctx: &Ctx, e: &Entry) -> String {
    let words = Words {
        ja: e.language.starts_with("ja"),
    };
    let ld = json_ld(e, "../", ctx.base_url.as_deref());
    let abs_reader = ctx
        .base_url
        .as_ref()
        .map(|b| format!("{}/{}/reader/index.html", b.trim_end_matches('/'), e.slug));
    let embed = |src: &str| {
        format!(
            "<iframe src=\"{src}\" title=\"{}\" width=\"100%\" height=\"640\" style=\"border:0\" allowfullscreen loading=\"lazy\"></iframe>",
            e.title
                .replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('<', "&lt;")
        )
    };
    let page = html! {
        (DOCTYPE)
        html lang=(e.language) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                link rel="icon" href="data:,";
                title { (e.title) " — " (e.fiscal_year_label) }
                @if let Some(d) = &e.description { meta name="description" content=(d); }
                link rel="stylesheet" href="../catalog.css";
                @if let Some(b) = &ctx.base_url {
                    meta property="og:type" content="book";
                    meta property="og:title" content=(e.title);
                    meta property="og:url" content={ (b.trim_end_matches('/')) "/" (e.slug) "/index.html" };
                    @if let Some(d) = &e.description { meta property="og:description" content=(d); }
                    @if let Some(c) = &e.files.cover { meta property="og:image" content={ (b.trim_end_matches('/')) "/" (e.slug) "/" (c) }; }
                }
                (ld_script(&ld))
            }
            body.report-page {
                header.site-header.small {
                    p { a href="../index.html" { (words.w("← 刊行物一覧", "← All reports")) } }
                }
                main {
                    article.report-detail aria-labelledby="title" {
                        div.cover {
                            @if let Some(c) = &e.files.cover {
                                @if let Some(r) = &e.files.reader {
                                    a href=(r) { img src=(c) alt={ (e.title) (words.w("（表紙）", " (cover)")) } width="238" height="337"; }
                                } @else {
                                    img src=(c) alt={ (e.title) (words.w("（表紙）", " (cover)")) } width="238" height="337";
                                }
                            }
                        }
                        div.body {
                            p.year { (year_text(e)) }
                            h1 #title { (title_html(e)) }
                            @if let Some(s) = &e.subtitle { p.subtitle { (s) } }
                            @if let Some(d) = &e.description { p.desc { (d) } }
                            (meta_list(e, &words))
                            @if !e.authors.is_empty() {
                                p.authors { (words.w("編集・執筆：", "Authors: ")) (e.authors.join(words.w("、", ", "))) }
                            }
                            p.credit { (e.credit) }
                            p.actions { (download_links(e, "", &words)) }
                        }
                    }
                    @if !e.toc.is_empty() {
                        section.toc aria-labelledby="toc-h" {
                            h2 #toc-h { (words.w("目次", "Contents")) }
                            ol {
                                @for t in &e.toc {
                                    li class={ "lv" (t.level) } {
                                        @if e.files.reader.is_some() {
                                            a href={ "reader/index.html#p=" (t.page) } { span.t { (t.title) } span.p { (t.page) } }
                                        } @else {
                                            span.t { (t.title) } span.p { (t.page) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                    @if e.files.reader.is_some() {
                        section.embed aria-labelledby="embed-h" {
                            h2 #embed-h { (words.w("ウェブサイトに埋め込む", "Embed on your website")) }
                            p { (words.w("次のコードを貴団体のウェブページに貼り付けると、この報告書のリーダーを表示できます。", "Paste this code into a page of your website to show this report's reader.")) }
                            label for="embed-code" { (words.w("埋め込みコード", "Embed code")) }
                            textarea #embed-code readonly rows="3" data-embed-src="reader/index.html" data-embed-title=(e.title) {
                                (embed(abs_reader.as_deref().unwrap_or("reader/index.html")))
                            }
                            button.btn type="button" #embed-copy hidden { (words.w("コードをコピー", "Copy code")) }
                            p #embed-status role="status" {}
                        }
                    }
                }
                footer.site-footer { p.made { (words.w("kanko で作成", "Made with kanko")) } }
                script src="../catalog.js" {}
            }
        }
    };
    page.into_string()
}

pub fn write_report_page(ctx: &Ctx, r: &Report, e: &Entry, stage: &Path) -> Result<(), Diag> {
    let _ = r;
    output::put(stage, "index.html", report_page(ctx, e).as_bytes())
        .map_err(|err| super::io_err(stage, err))
}

/// Newest first: fiscal year, then publication date, then slug for a stable order.
pub fn sort_entries(entries: &mut [Entry]) {
    entries.sort_by(|a, b| {
        b.fiscal_year
            .cmp(&a.fiscal_year)
            .then(b.published.cmp(&a.published))
            .then(a.slug.cmp(&b.slug))
    });
}

/// Writes the site-wide files from every report that is built, unchanged, or failed this
/// time but has output from before.
pub fn write_site(ctx: &Ctx, outcomes: &[Outcome]) -> Result<(), Diag> {
    let out = &ctx.args.out;
    let mut entries: Vec<Entry> = outcomes
        .iter()
        .filter_map(|o| match &o.status {
            Status::Built(e) | Status::Cached(e) => Some(e.clone()),
            Status::Failed => previous_entry(out, &o.slug),
        })
        .collect();
    sort_entries(&mut entries);
    let write = |name: &str, bytes: &[u8]| {
        output::write_atomic(&out.join(name), bytes).map_err(|e| super::io_err(&out.join(name), e))
    };
    for (name, text) in ASSETS {
        write(name, text.as_bytes())?;
    }
    write("catalog.json", catalog_json(ctx, &entries).as_bytes())?;
    write("feed.xml", &atom(ctx, &entries, false))?;
    write("opds.xml", &atom(ctx, &entries, true))?;
    match &ctx.base_url {
        Some(b) => write("sitemap.xml", &sitemap(b, &entries))?,
        None => {
            let _ = std::fs::remove_file(out.join("sitemap.xml"));
        }
    }
    write("index.html", index_page(ctx, &entries).as_bytes())
}

fn catalog_json(ctx: &Ctx, entries: &[Entry]) -> String {
    let v = json!({
        "version": 1,
        "generator": format!("kanko {}", env!("CARGO_PKG_VERSION")),
        "title": ctx.site.title,
        "organization": ctx.site.organization,
        "language": ctx.site.language.clone().unwrap_or_else(|| "ja".into()),
        "reports": entries,
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

fn site_id(ctx: &Ctx) -> String {
    match &ctx.base_url {
        Some(b) => format!("{}/", b.trim_end_matches('/')),
        None => {
            let name = format!(
                "kanko-site:{}:{}",
                ctx.site.organization.as_deref().unwrap_or(""),
                ctx.site.title.as_deref().unwrap_or("")
            );
            format!(
                "urn:uuid:{}",
                uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
            )
        }
    }
}

type Xml = XmlWriter<Cursor<Vec<u8>>>;

fn text_el(w: &mut Xml, name: &str, attrs: &[(&str, &str)], text: &str) {
    let mut start = BytesStart::new(name);
    for (k, v) in attrs {
        start.push_attribute((*k, *v));
    }
    let _ = w.write_event(Event::Start(start));
    let _ = w.write_event(Event::Text(BytesText::new(text)));
    let _ = w.write_event(Event::End(BytesEnd::new(name)));
}

fn empty_el(w: &mut Xml, name: &str, attrs: &[(&str, &str)]) {
    let mut start = BytesStart::new(name);
    for (k, v) in attrs {
        start.push_attribute((*k, *v));
    }
    let _ = w.write_event(Event::Empty(start));
}

/// Atom feed (RFC 4287); with `opds`, an OPDS 1.2 acquisition feed with acquisition links.
fn atom(ctx: &Ctx, entries: &[Entry], opds: bool) -> Vec<u8> {
    let mut w = XmlWriter::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let mut feed = BytesStart::new("feed");
    feed.push_attribute(("xmlns", "http://www.w3.org/2005/Atom"));
    if opds {
        feed.push_attribute(("xmlns:dc", "http://purl.org/dc/terms/"));
        feed.push_attribute(("xmlns:opds", "http://opds-spec.org/2010/catalog"));
    }
    let lang = ctx.site.language.clone().unwrap_or_else(|| "ja".into());
    feed.push_attribute(("xml:lang", lang.as_str()));
    let _ = w.write_event(Event::Start(feed));
    let ja = lang.starts_with("ja");
    let title = ctx.site.title.clone().unwrap_or_else(|| {
        (if ja {
            "刊行物・報告書"
        } else {
            "Publications and reports"
        })
        .to_string()
    });
    let suffix = if opds { "opds" } else { "feed" };
    text_el(&mut w, "id", &[], &format!("{}#{suffix}", site_id(ctx)));
    text_el(&mut w, "title", &[], &title);
    let updated = entries
        .iter()
        .map(|e| e.published.clone())
        .max()
        .unwrap_or_else(|| "2000-01-01".into());
    text_el(&mut w, "updated", &[], &format!("{updated}T00:00:00Z"));
    let author = ctx
        .site
        .organization
        .clone()
        .or_else(|| entries.first().map(|e| e.publisher.clone()))
        .unwrap_or_else(|| "kanko".into());
    let _ = w.write_event(Event::Start(BytesStart::new("author")));
    text_el(&mut w, "name", &[], &author);
    let _ = w.write_event(Event::End(BytesEnd::new("author")));
    if opds {
        let kind = "application/atom+xml;profile=opds-catalog;kind=acquisition";
        empty_el(
            &mut w,
            "link",
            &[("rel", "self"), ("href", "opds.xml"), ("type", kind)],
        );
        empty_el(
            &mut w,
            "link",
            &[("rel", "start"), ("href", "opds.xml"), ("type", kind)],
        );
    } else {
        empty_el(
            &mut w,
            "link",
            &[
                ("rel", "self"),
                ("href", "feed.xml"),
                ("type", "application/atom+xml"),
            ],
        );
        empty_el(
            &mut w,
            "link",
            &[
                ("rel", "alternate"),
                ("href", "index.html"),
                ("type", "text/html"),
            ],
        );
    }
    for e in entries {
        feed_entry(&mut w, e, opds);
    }
    let _ = w.write_event(Event::End(BytesEnd::new("feed")));
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

fn feed_entry(w: &mut Xml, e: &Entry, opds: bool) {
    let _ = w.write_event(Event::Start(BytesStart::new("entry")));
    text_el(w, "id", &[], &e.identifier);
    let title = match &e.subtitle {
        Some(s) => format!("{} — {s}", e.title),
        None => e.title.clone(),
    };
    text_el(w, "title", &[], &title);
    text_el(w, "updated", &[], &format!("{}T00:00:00Z", e.published));
    text_el(w, "published", &[], &format!("{}T00:00:00Z", e.published));
    let _ = w.write_event(Event::Start(BytesStart::new("author")));
    text_el(w, "name", &[], e.authors.first().unwrap_or(&e.publisher));
    let _ = w.write_event(Event::End(BytesEnd::new("author")));
    let summary = format!(
        "{} {} {}",
        year_text(e),
        e.description.as_deref().unwrap_or(&e.project),
        e.credit
    );
    text_el(w, "summary", &[], &summary);
    if opds {
        text_el(w, "dc:language", &[], &e.language);
        text_el(w, "dc:publisher", &[], &e.publisher);
        text_el(w, "dc:issued", &[], &e.published);
    }
    let page = format!("{}/index.html", e.slug);
    empty_el(
        w,
        "link",
        &[("rel", "alternate"), ("href", &page), ("type", "text/html")],
    );
    let acq = if opds {
        "http://opds-spec.org/acquisition/open-access"
    } else {
        "enclosure"
    };
    let files = [
        (&e.files.epub, "application/epub+zip"),
        (&e.files.pdf, "application/pdf"),
    ];
    for (file, mime) in files {
        if let Some(p) = file {
            let href = format!("{}/{}", e.slug, p.name);
            let len = p.size.to_string();
            let attrs = [
                ("rel", acq),
                ("href", href.as_str()),
                ("type", mime),
                ("length", len.as_str()),
            ];
            empty_el(w, "link", &attrs);
        }
    }
    if let (true, Some(c)) = (opds, &e.files.cover) {
        let href = format!("{}/{c}", e.slug);
        for rel in [
            "http://opds-spec.org/image",
            "http://opds-spec.org/image/thumbnail",
        ] {
            empty_el(
                w,
                "link",
                &[
                    ("rel", rel),
                    ("href", href.as_str()),
                    ("type", "image/webp"),
                ],
            );
        }
    }
    let _ = w.write_event(Event::End(BytesEnd::new("entry")));
}

fn sitemap(base: &str, entries: &[Entry]) -> Vec<u8> {
    let base = base.trim_end_matches('/');
    let mut w = XmlWriter::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let mut set = BytesStart::new("urlset");
    set.push_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"));
    let _ = w.write_event(Event::Start(set));
    let newest = entries.iter().map(|e| e.published.clone()).max();
    let mut url = |loc: String, lastmod: Option<&str>| {
        let _ = w.write_event(Event::Start(BytesStart::new("url")));
        text_el(&mut w, "loc", &[], &loc);
        if let Some(l) = lastmod {
            text_el(&mut w, "lastmod", &[], l);
        }
        let _ = w.write_event(Event::End(BytesEnd::new("url")));
    };
    url(format!("{base}/index.html"), newest.as_deref());
    for e in entries {
        url(format!("{base}/{}/index.html", e.slug), Some(&e.published));
        if let Some(r) = &e.files.reader {
            url(format!("{base}/{}/{r}", e.slug), Some(&e.published));
        }
    }
    let _ = w.write_event(Event::End(BytesEnd::new("urlset")));
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}
