//! The catalog: `dist/index.html` listing every report, each report's own page, `catalog.json`,
//! an Atom feed, an OPDS 1.2 acquisition feed and (with a base URL) a sitemap.
//!
//! HTML comes from maud templates, which escape every interpolated string; the feeds are
//! written with quick-xml's writer. All links are relative.

mod brand;
mod data;
mod feeds;
mod index;
mod latest;
mod ld;
mod parts;
mod report_page;
mod sitemap;

use std::path::Path;

use super::entry::{Entry, SiteInfo, sort_entries};
use super::search::index as search_index;
use crate::diag::{Diag, Io};
use crate::output;

pub use report_page::write_report_page;

pub const ASSETS: &[(&str, &str)] = &[
    ("catalog.css", include_str!("../web/catalog.css")),
    ("catalog.js", include_str!("../web/catalog.js")),
    // the result cards of a paged index's filters: loaded with catalog-data.js on first use
    ("catalog-paged.js", include_str!("../web/catalog-paged.js")),
    ("search.js", include_str!("../web/search.js")),
];

/// Writes the site-wide files from the catalog entries of every listed report.
pub fn write_site(ctx: &SiteInfo, out: &Path, mut entries: Vec<Entry>) -> Result<(), Diag> {
    sort_entries(&mut entries);
    let mut written: Vec<String> = Vec::new();
    let mut write = |name: &str, bytes: &[u8]| {
        written.push(name.to_string());
        output::write_atomic(&out.join(name), bytes)
            .map_err(|e| Diag::io(Io::Write, &out.join(name), e))
    };
    for (name, text) in ASSETS {
        write(name, text.as_bytes())?;
    }
    // Feeds and catalog.json: newest first, FEED_PAGE entries per file.
    let feed_pages: Vec<&[Entry]> = if entries.len() <= FEED_PAGE {
        vec![&entries[..]]
    } else {
        entries.chunks(FEED_PAGE).collect()
    };
    let paged = feed_pages.len() > 1;
    for (i, chunk) in feed_pages.iter().enumerate() {
        let page = paged.then_some(feeds::Page {
            n: i + 1,
            pages: feed_pages.len(),
        });
        let n = i + 1;
        let json = feeds::catalog_json(ctx, chunk, page.map(|p| (p, entries.len())));
        write(&feeds::paged_name("catalog", "json", n), json.as_bytes())?;
        write(
            &feeds::paged_name("feed", "xml", n),
            &feeds::atom(ctx, chunk, false, page),
        )?;
        write(
            &feeds::paged_name("opds", "xml", n),
            &feeds::atom(ctx, chunk, true, page),
        )?;
    }
    let search = search_index::write(out, &entries)?;
    let per_page = ctx.site.per_page(INDEX_PAGE);
    let index_pages: Vec<&[Entry]> = if entries.len() <= per_page {
        vec![&entries[..]]
    } else {
        entries.chunks(per_page).collect()
    };
    // A paged index filters over every report: their compact data by 年度, loaded on first use.
    if index_pages.len() > 1 {
        for (name, text) in data::files(&entries) {
            write(&name, text.as_bytes())?;
        }
    }
    let page_names: Vec<String> = (1..=index_pages.len()).map(index::page_file).collect();
    if let Some(b) = &ctx.base_url {
        for (name, bytes) in sitemap::sitemaps(b, &entries, &page_names) {
            write(&name, &bytes)?;
        }
    }
    for (i, shown) in index_pages.iter().enumerate() {
        let pager = (index_pages.len() > 1).then_some(index::Pager {
            n: i + 1,
            pages: index_pages.len(),
            shown,
            offset: i * per_page,
            per_page,
        });
        let html = index::index_page(ctx, &entries, pager.as_ref(), search);
        write(&page_names[i], html.as_bytes())?;
    }
    if let Some(l) = &ctx.site.logo {
        write(&l.file, &l.bytes)?;
    }
    for (name, html) in latest::files(ctx, &entries) {
        write(name, html.as_bytes())?;
    }
    remove_unwritten_pages(out, &written);
    Ok(())
}

/// Reports per catalog page (`index.html`, `index-2.html`, …) unless `[catalog] per_page` says.
pub const INDEX_PAGE: usize = 50;
/// Entries per feed page and per `catalog.json` page.
pub const FEED_PAGE: usize = 100;

/// Pages of an earlier, longer catalog (and its sitemap without a base URL now) go.
fn remove_unwritten_pages(out: &Path, written: &[String]) {
    let Ok(rd) = std::fs::read_dir(out) else {
        return;
    };
    let ours = regex::Regex::new(
        r"^(index-\d+\.html|(feed|opds|sitemap)(-\d+)?\.xml|catalog-\d+\.json|catalog-data-\d+\.js|site-logo\.(svg|png|jpg))$",
    );
    let Ok(ours) = ours else { return };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if ours.is_match(&name) && !written.contains(&name) {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::manuscript::meta::Site;
    use crate::outputs::site::entry::{self, FileRef, year_text};

    /// A catalog entry as a build would make it, without typesetting anything.
    pub(crate) fn generated(i: usize) -> Entry {
        let year = 2019 + (i % 7) as i32;
        Entry {
            slug: format!("r{i:05}"),
            title: format!("地域の居場所づくり事業 報告書 第{i}号"),
            subtitle: Some("活動の記録と評価".into()),
            project: format!("事業{}", i % 40),
            fiscal_year: year,
            fiscal_year_label: format!("令和{}年度", year - 2018),
            fiscal_year_western: format!("{year}年度"),
            publisher: format!("特定非営利活動法人 テスト{}", i % 300),
            published: format!("{}-03-{:02}", year + 1, 1 + i % 28),
            published_label: format!("{}年3月", year + 1),
            language: "ja".into(),
            description: Some("子どもと高齢者が集う場を市内に広げた一年間の記録です。".into()),
            authors: vec!["山田 花子".into()],
            funders: vec![entry::FunderEntry {
                name: format!("財団{}", i % 12),
                program: "地域福祉助成".into(),
            }],
            credit: "この報告書は助成を受けて作成しました。".into(),
            license: None,
            isbn: None,
            identifier: format!("urn:uuid:00000000-0000-0000-0000-{i:012}"),
            pages: 24,
            pdf_ua: false,
            files: entry::Files {
                pdf: Some(FileRef {
                    name: format!("r{i:05}.pdf"),
                    size: 1_200_000,
                }),
                epub: Some(FileRef {
                    name: format!("r{i:05}.epub"),
                    size: 400_000,
                }),
                reader: Some("reader/index.html".into()),
                cover: Some("cover.webp".into()),
            },
            toc: Vec::new(),
        }
    }

    fn read(dir: &Path, name: &str) -> String {
        std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
    }

    #[test]
    fn ten_thousand_reports_give_a_light_first_page_and_paged_feeds_and_json() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let entries: Vec<Entry> = (0..10_000).map(generated).collect();
        let info = SiteInfo {
            site: Site::default(),
            base_url: Some("https://example.org/reports".into()),
        };
        write_site(&info, out, entries).unwrap();
        // First view: the page, its style sheet and scripts (covers load lazily, a few on screen).
        let first: usize = ["index.html", "catalog.css", "catalog.js", "search.js"]
            .iter()
            .map(|n| read(out, n).len())
            .sum();
        eprintln!(
            "first view at 10,000 reports: {first} bytes (index.html, catalog.css, catalog.js, search.js)"
        );
        // ≤ 300 KB with the covers on screen (six on a desktop, ≤ 20 KB each).
        assert!(
            first + 6 * 20_000 <= 300_000,
            "first view HTML+CSS+JS is {first} bytes"
        );
        let index = read(out, "index.html");
        assert_eq!(index.matches("<li class=\"report\"").count(), INDEX_PAGE);
        assert!(
            index.contains("10000件の報告書（新しい順に 1〜50 件目）"),
            "count line"
        );
        assert!(index.contains("<link rel=\"next\" href=\"index-2.html\">"));
        assert!(
            index.contains("href=\"index-200.html\""),
            "the pager links the last page"
        );
        // The filters search every report, through the data file (not loaded by the page itself).
        assert!(
            index.contains("id=\"filters\"")
                && index.contains("data-src=\"catalog-data-{y}.js\" data-chunk=\"50\""),
            "paged filters"
        );
        assert!(
            !index.contains("<script src=\"catalog-data")
                && !index.contains("<script src=\"catalog-paged.js\"")
        );
        let files = data_files(out);
        assert_eq!(files.len(), 7, "one data file per 年度");
        let gzip = |b: &[u8]| {
            use std::io::Write;
            let mut z = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
            z.write_all(b).unwrap();
            z.finish().unwrap().len()
        };
        let raw: usize = files.iter().map(|(_, t)| t.len()).sum();
        let gz: Vec<usize> = files.iter().map(|(_, t)| gzip(t.as_bytes())).collect();
        let (big, big_raw) = files
            .iter()
            .map(|(n, t)| (n, t.len()))
            .max_by_key(|(_, n)| *n)
            .unwrap();
        eprintln!(
            "filter data at 10,000 reports: {} files, {raw} bytes raw, {} bytes gzip -9 in all; largest {big} {big_raw} bytes raw, {} gzip; catalog-paged.js {} bytes",
            files.len(),
            gz.iter().sum::<usize>(),
            gz.iter().max().unwrap(),
            read(out, "catalog-paged.js").len()
        );
        assert!(gz.iter().all(|n| *n <= 1_000_000), "{gz:?}");
        assert!(out.join("index-200.html").is_file() && !out.join("index-201.html").exists());
        let last = read(out, "index-200.html");
        assert!(
            last.contains("<link rel=\"prev\" href=\"index-199.html\">")
                && !last.contains("rel=\"next\"")
        );
        // Newest first across the pages: page 1 starts with the latest fiscal year.
        let first_year = index.split("data-year=\"").nth(1).and_then(|s| s.get(..4));
        assert_eq!(first_year, Some("2025"));
        // Atom and OPDS: RFC 5005 paging links, FEED_PAGE entries per file.
        for stem in ["feed", "opds"] {
            let first = read(out, &format!("{stem}.xml"));
            assert_eq!(first.matches("<entry>").count(), FEED_PAGE);
            assert!(
                first.contains(&format!("rel=\"next\" href=\"{stem}-2.xml\"")),
                "{stem}"
            );
            assert!(
                first.contains(&format!("rel=\"last\" href=\"{stem}-100.xml\"")),
                "{stem}"
            );
            let last = read(out, &format!("{stem}-100.xml"));
            assert!(last.contains(&format!("rel=\"previous\" href=\"{stem}-99.xml\"")));
            assert!(!last.contains("rel=\"next\""));
            assert!(!out.join(format!("{stem}-101.xml")).exists());
        }
        // catalog.json: pages that together list every report once.
        let mut seen = std::collections::BTreeSet::new();
        let mut next = Some("catalog.json".to_string());
        while let Some(name) = next {
            let v: serde_json::Value = serde_json::from_str(&read(out, &name)).unwrap();
            assert_eq!(v["total"], 10_000);
            for r in v["reports"].as_array().unwrap() {
                assert!(seen.insert(r["slug"].as_str().unwrap().to_string()));
            }
            next = v.get("next").and_then(|n| n.as_str()).map(String::from);
        }
        assert_eq!(seen.len(), 10_000);
        // 200 catalog pages + 20,000 report pages and readers: one sitemap still.
        let sm = read(out, "sitemap.xml");
        assert!(sm.contains("<urlset") && sm.matches("<url>").count() == 20_200);
        // Fewer reports later: the extra pages go.
        write_site(&info, out, (0..120).map(generated).collect()).unwrap();
        assert!(out.join("index-3.html").is_file() && !out.join("index-4.html").exists());
        assert!(out.join("feed-2.xml").is_file() && !out.join("feed-3.xml").exists());
        write_site(&info, out, (0..10).map(generated).collect()).unwrap();
        assert!(!out.join("index-2.html").exists() && !out.join("catalog-2.json").exists());
        assert!(
            data_files(out).is_empty(),
            "an unpaged catalog has no data file"
        );
        assert!(!read(out, "feed.xml").contains("rel=\"next\""));
    }

    #[test]
    fn the_filter_data_of_a_paged_catalog_decodes_to_its_entries() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path();
        let site = Site {
            catalog: Some(crate::manuscript::meta::CatalogSettings {
                per_page: Some(toml::Spanned::new(0..1, 7)),
            }),
            ..Site::default()
        };
        let info = SiteInfo {
            site,
            base_url: None,
        };
        // An unpaged catalog (7 reports on one page) has no data file; its filters work in the page.
        write_site(&info, out, (0..7).map(generated).collect()).unwrap();
        assert!(data_files(out).is_empty());
        assert!(!read(out, "index.html").contains("data-src="));
        let mut entries: Vec<Entry> = (0..30).map(generated).collect();
        entries[3].funders.push(entry::FunderEntry {
            name: "財団1".into(),
            program: "別の助成".into(),
        });
        entries[4].subtitle = None;
        entries[4].files.cover = None;
        write_site(&info, out, entries.clone()).unwrap();
        assert!(out.join("index-5.html").is_file() && !out.join("index-6.html").exists());
        assert!(read(out, "index-3.html").contains("data-chunk=\"7\""));
        let files = data_files(out);
        let years: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            years,
            (2019..=2025)
                .rev()
                .map(|y| format!("catalog-data-{y}.js"))
                .collect::<Vec<_>>()
        );
        use serde_json::Value;
        sort_entries(&mut entries);
        let mut rest = &entries[..];
        for (name, js) in &files {
            let v = data::tests::decode(js);
            assert_eq!(v["v"], 1);
            let y = v["y"].as_i64().unwrap();
            assert_eq!(name, &format!("catalog-data-{y}.js"));
            // each table lists a string once
            for t in [
                "years",
                "funders",
                "projects",
                "publishers",
                "dates",
                "credits",
                "langs",
                "files",
            ] {
                let items = v[t].as_array().unwrap();
                let set: std::collections::BTreeSet<String> =
                    items.iter().map(|x| x.to_string()).collect();
                assert_eq!(set.len(), items.len(), "{t} has a duplicate");
            }
            assert_eq!(v["years"].as_array().unwrap().len(), 1, "{name}");
            let s = |table: &str, r: &Value, i: usize| {
                v[table][r[i].as_u64().unwrap() as usize].clone()
            };
            let rows = v["r"].as_array().unwrap();
            let (these, later) = rest.split_at(rows.len());
            rest = later;
            for (r, e) in rows.iter().zip(these) {
                assert_eq!(e.fiscal_year as i64, y);
                assert_eq!(r[0], e.slug.as_str());
                assert_eq!(r[1], e.title.as_str());
                assert_eq!(r[2], e.subtitle.as_deref().unwrap_or(""));
                assert_eq!(r[3], e.description.as_deref().unwrap_or(""));
                assert_eq!(
                    s("years", r, 4),
                    serde_json::json!([e.fiscal_year, year_text(e)])
                );
                let funders: Vec<Value> = r[5]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| v["funders"][i.as_u64().unwrap() as usize].clone())
                    .collect();
                let want: Vec<Value> = e.funders.iter().map(|f| f.name.as_str().into()).collect();
                assert_eq!(funders, want, "{}", e.slug);
                assert_eq!(s("projects", r, 6), e.project.as_str());
                assert_eq!(s("publishers", r, 7), e.publisher.as_str());
                assert_eq!(r[8], e.published.as_str());
                assert_eq!(s("dates", r, 9), e.published_label.as_str());
                assert_eq!(r[10], e.pages);
                assert_eq!(s("langs", r, 11), e.language.as_str());
                assert_eq!(s("credits", r, 12), e.credit.as_str());
                match &e.files.cover {
                    Some(c) => assert_eq!(s("files", r, 13), c.as_str()),
                    None => assert_eq!(r[13], -1),
                }
                assert_eq!(s("files", r, 14), "reader/index.html");
                assert_eq!(r[15], 1_200_000);
                assert_eq!(r[16], 400_000);
            }
        }
        assert!(rest.is_empty(), "every report is in a data file");
        // deterministic: the same entries in another order give the same bytes
        entries.reverse();
        write_site(&info, out, entries.clone()).unwrap();
        assert_eq!(data_files(out), files);
        // a year with no report any more: its file goes
        entries.retain(|e| e.fiscal_year != 2019);
        write_site(&info, out, entries).unwrap();
        assert_eq!(data_files(out).len(), 6);
        assert!(!out.join("catalog-data-2019.js").exists());
    }

    /// `catalog-data-<year>.js` in `out`, newest year first, with their text.
    fn data_files(out: &Path) -> Vec<(String, String)> {
        let mut names: Vec<String> = std::fs::read_dir(out)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .filter(|n| n.starts_with("catalog-data"))
            .collect();
        names.sort();
        names.reverse();
        names
            .into_iter()
            .map(|n| (read(out, &n), n))
            .map(|(t, n)| (n, t))
            .collect()
    }

    #[test]
    fn a_sitemap_past_fifty_thousand_addresses_becomes_an_index() {
        let entries: Vec<Entry> = (0..26_000).map(generated).collect();
        let files = sitemap::sitemaps("https://example.org", &entries, &["index.html".into()]);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml"]);
        let index = String::from_utf8(files[0].1.clone()).unwrap();
        assert!(
            index.contains("<sitemapindex")
                && index.contains("<loc>https://example.org/sitemap-2.xml</loc>")
        );
        let count = |b: &[u8]| String::from_utf8_lossy(b).matches("<url>").count();
        assert_eq!(count(&files[1].1), sitemap::MAX_URLS);
        assert_eq!(count(&files[2].1), 52_001 - sitemap::MAX_URLS);
    }
}
