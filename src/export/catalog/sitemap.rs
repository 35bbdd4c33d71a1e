//! `sitemap.xml` (only with a base URL: a sitemap needs absolute addresses).

use std::io::Cursor;

use quick_xml::Writer as XmlWriter;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, Event};

use super::Entry;
use super::feeds::text_el;

pub(super) fn sitemap(base: &str, entries: &[Entry]) -> Vec<u8> {
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
