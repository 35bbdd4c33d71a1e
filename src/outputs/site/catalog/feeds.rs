//! `catalog.json`, the Atom feed (RFC 4287) and the OPDS 1.2 acquisition feed.

use std::io::Cursor;

use quick_xml::Writer as XmlWriter;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::json;

use crate::outputs::site::entry::{Entry, SiteInfo, year_text};

pub(super) fn catalog_json(
    ctx: &SiteInfo,
    entries: &[Entry],
    page: Option<(Page, usize)>,
) -> String {
    let mut v = json!({
        "version": 1,
        "generator": format!("kanko {}", env!("CARGO_PKG_VERSION")),
        "title": ctx.site.title,
        "organization": ctx.site.organization,
        "language": ctx.site.language.clone().unwrap_or_else(|| "ja".into()),
        "reports": entries,
    });
    // A long catalog is split: each file names the whole count and its neighbours.
    if let (Some((p, total)), Some(o)) = (page, v.as_object_mut()) {
        o.insert("total".into(), json!(total));
        o.insert("page".into(), json!(p.n));
        o.insert("pages".into(), json!(p.pages));
        o.insert("first".into(), json!(paged_name("catalog", "json", 1)));
        o.insert("last".into(), json!(paged_name("catalog", "json", p.pages)));
        if p.n > 1 {
            o.insert("prev".into(), json!(paged_name("catalog", "json", p.n - 1)));
        }
        if p.n < p.pages {
            o.insert("next".into(), json!(paged_name("catalog", "json", p.n + 1)));
        }
    }
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}

fn site_id(ctx: &SiteInfo) -> String {
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

pub(super) type Xml = XmlWriter<Cursor<Vec<u8>>>;

pub(super) fn text_el(w: &mut Xml, name: &str, attrs: &[(&str, &str)], text: &str) {
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
/// `feed.xml`, `feed-2.xml`, … (and the same for `opds` and `catalog` .json).
pub(super) fn paged_name(stem: &str, ext: &str, n: usize) -> String {
    if n <= 1 {
        format!("{stem}.{ext}")
    } else {
        format!("{stem}-{n}.{ext}")
    }
}

/// Page `n` of `pages`; a feed of one page has no paging links.
#[derive(Debug, Clone, Copy)]
pub(super) struct Page {
    pub n: usize,
    pub pages: usize,
}

/// RFC 5005 §3 paging links (first, last, previous, next), which OPDS 1.2 uses as well.
fn paging_links(w: &mut Xml, stem: &str, mime: &str, page: Option<Page>) {
    let Some(p) = page else { return };
    let mut links = vec![("first", 1), ("last", p.pages)];
    if p.n > 1 {
        links.push(("previous", p.n - 1));
    }
    if p.n < p.pages {
        links.push(("next", p.n + 1));
    }
    for (rel, n) in links {
        let href = paged_name(stem, "xml", n);
        empty_el(w, "link", &[("rel", rel), ("href", &href), ("type", mime)]);
    }
}

pub(super) fn atom(ctx: &SiteInfo, entries: &[Entry], opds: bool, page: Option<Page>) -> Vec<u8> {
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
    let own = paged_name(suffix, "xml", page.map_or(1, |p| p.n));
    if opds {
        let kind = "application/atom+xml;profile=opds-catalog;kind=acquisition";
        empty_el(
            &mut w,
            "link",
            &[("rel", "self"), ("href", own.as_str()), ("type", kind)],
        );
        empty_el(
            &mut w,
            "link",
            &[("rel", "start"), ("href", "opds.xml"), ("type", kind)],
        );
        paging_links(&mut w, suffix, kind, page);
    } else {
        empty_el(
            &mut w,
            "link",
            &[
                ("rel", "self"),
                ("href", own.as_str()),
                ("type", "application/atom+xml"),
            ],
        );
        paging_links(&mut w, suffix, "application/atom+xml", page);
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
