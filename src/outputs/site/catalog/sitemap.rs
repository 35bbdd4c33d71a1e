//! `sitemap.xml` (only with a base URL: a sitemap needs absolute addresses).

use std::io::Cursor;

use quick_xml::Writer as XmlWriter;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::feeds::text_el;
use crate::outputs::site::entry::Entry;

/// The sitemap protocol's limit of URLs per file; past it `sitemap.xml` becomes an index.
pub const MAX_URLS: usize = 50_000;

/// `sitemap.xml` and, for a site of more than MAX_URLS addresses, `sitemap-1.xml`, … that it
/// indexes. `index_pages` are the catalog's own pages (`index.html`, `index-2.html`, …).
pub(super) fn sitemaps(
    base: &str,
    entries: &[Entry],
    index_pages: &[String],
) -> Vec<(String, Vec<u8>)> {
    let base = base.trim_end_matches('/');
    let newest = entries.iter().map(|e| e.published.clone()).max();
    let mut urls: Vec<(String, Option<String>)> = index_pages
        .iter()
        .map(|p| (format!("{base}/{p}"), newest.clone()))
        .collect();
    for e in entries {
        urls.push((
            format!("{base}/{}/index.html", e.slug),
            Some(e.published.clone()),
        ));
        if let Some(r) = &e.files.reader {
            urls.push((format!("{base}/{}/{r}", e.slug), Some(e.published.clone())));
        }
    }
    if urls.len() <= MAX_URLS {
        return vec![("sitemap.xml".into(), urlset(&urls))];
    }
    let mut out = Vec::new();
    let mut w = xml_start("sitemapindex");
    for (i, chunk) in urls.chunks(MAX_URLS).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        let _ = w.write_event(Event::Start(BytesStart::new("sitemap")));
        text_el(&mut w, "loc", &[], &format!("{base}/{name}"));
        if let Some(l) = chunk.iter().filter_map(|(_, l)| l.clone()).max() {
            text_el(&mut w, "lastmod", &[], &l);
        }
        let _ = w.write_event(Event::End(BytesEnd::new("sitemap")));
        out.push((name, urlset(chunk)));
    }
    out.insert(0, ("sitemap.xml".into(), xml_end(w, "sitemapindex")));
    out
}

type Xml = XmlWriter<Cursor<Vec<u8>>>;

fn xml_start(root: &str) -> Xml {
    let mut w = XmlWriter::new_with_indent(Cursor::new(Vec::new()), b' ', 2);
    let _ = w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let mut set = BytesStart::new(root);
    set.push_attribute(("xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"));
    let _ = w.write_event(Event::Start(set));
    w
}

fn xml_end(mut w: Xml, root: &str) -> Vec<u8> {
    let _ = w.write_event(Event::End(BytesEnd::new(root)));
    let mut bytes = w.into_inner().into_inner();
    bytes.push(b'\n');
    bytes
}

fn urlset(urls: &[(String, Option<String>)]) -> Vec<u8> {
    let mut w = xml_start("urlset");
    for (loc, lastmod) in urls {
        let _ = w.write_event(Event::Start(BytesStart::new("url")));
        text_el(&mut w, "loc", &[], loc);
        if let Some(l) = lastmod {
            text_el(&mut w, "lastmod", &[], l);
        }
        let _ = w.write_event(Event::End(BytesEnd::new("url")));
    }
    xml_end(w, "urlset")
}
