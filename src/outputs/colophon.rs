//! Facts about a report that several outputs state in the same words: the colophon (奥付) rows
//! of the EPUB, the reader and the PDF, and the report's identifier (EPUB, catalog, feeds).

use crate::manuscript::Report;

/// The colophon rows, in the same words as the PDF's 奥付.
pub fn colophon_rows(r: &Report) -> Vec<(&'static str, String)> {
    let m = &r.meta;
    let ja = m.is_japanese();
    let l = |a: &'static str, b: &'static str| if ja { a } else { b };
    let mut rows = vec![(
        l("書名", "Title"),
        match &m.subtitle {
            Some(s) => format!("{} — {s}", m.title),
            None => m.title.clone(),
        },
    )];
    rows.push((l("事業名", "Project"), m.project.clone()));
    rows.push((l("発行日", "Published"), m.labels.published.clone()));
    rows.push((l("発行", "Publisher"), m.publisher.clone()));
    if !m.authors.is_empty() {
        rows.push((
            l("編集・執筆", "Authors"),
            m.authors.join(if ja { "、" } else { ", " }),
        ));
    }
    rows.push((l("助成", "Funding"), m.labels.credit.clone()));
    for (k, v) in [
        (l("ライセンス", "Licence"), &m.license),
        ("ISBN", &m.isbn),
        ("URL", &m.url),
    ] {
        if let Some(v) = v {
            rows.push((k, v.clone()));
        }
    }
    rows
}

/// `urn:isbn:…` when the report has an ISBN, else a UUID v5 from the slug and the publisher.
pub fn identifier(r: &Report) -> String {
    match &r.meta.isbn {
        Some(isbn) => format!("urn:isbn:{}", isbn.replace(['-', ' '], "")),
        None => {
            let name = format!("kanko:{}:{}", r.slug, r.meta.publisher);
            format!(
                "urn:uuid:{}",
                uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, name.as_bytes())
            )
        }
    }
}
