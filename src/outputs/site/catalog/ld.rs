//! schema.org JSON-LD for the index and the report pages.

use maud::{Markup, PreEscaped, html};
use serde_json::json;

use crate::outputs::site::entry::Entry;

/// schema.org `Report` for JSON-LD; `prefix` leads from the page to the report folder.
pub(super) fn json_ld(e: &Entry, prefix: &str, base: Option<&str>) -> serde_json::Value {
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

pub(super) fn ld_script(v: &serde_json::Value) -> Markup {
    let mut v = v.clone();
    drop_nulls(&mut v);
    let v = &v;
    // `<` is escaped so no string can close the script element.
    let text = serde_json::to_string(v)
        .unwrap_or_default()
        .replace('<', "\\u003c");
    html! { script type="application/ld+json" { (PreEscaped(text)) } }
}
