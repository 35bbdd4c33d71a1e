//! The site around the reports: the catalog (index pages, report pages, feeds, sitemap, JSON-LD)
//! and both halves of search (a report's search text, and the site-wide index with its UI).

pub mod catalog;
pub mod entry;
pub mod search;
