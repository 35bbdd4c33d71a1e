//! `dist/<slug>/index.html`: one report's own page (cover, metadata, contents, embed code).

use std::path::Path;

use maud::{DOCTYPE, html};

use super::brand;
use super::ld::{json_ld, ld_script};
use super::parts::{Words, download_links, meta_list, title_html};
use crate::diag::{Diag, Io};
use crate::manuscript::Report;
use crate::output;
use crate::outputs::site::entry::{Entry, SiteInfo, year_text};

fn report_page(ctx: &SiteInfo, e: &Entry) -> String {
    let words = Words {
        ja: e.language.starts_with("ja"),
    };
    let id = crate::manuscript::identity::Identity::of(&ctx.site);
    let mut ld = json_ld(e, "../", ctx.base_url.as_deref());
    // The organisation publishes the catalog: its logo and home go with its name.
    if ctx.site.site.is_some()
        && id.name.as_deref() == Some(e.publisher.as_str())
        && let Some(p) = brand::publisher(&id, ctx.base_url.as_deref(), "../")
    {
        ld["publisher"] = p;
    }
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
                (brand::style(&id))
                (brand::canonical(ctx.base_url.as_deref(), &format!("{}/index.html", e.slug)))
                @if let Some(b) = &ctx.base_url {
                    meta property="og:type" content="book";
                    meta property="og:title" content=(e.title);
                    meta property="og:url" content={ (b.trim_end_matches('/')) "/" (e.slug) "/index.html" };
                    @if let Some(n) = &id.name { meta property="og:site_name" content=(n); }
                    @if let Some(d) = &e.description { meta property="og:description" content=(d); }
                    @if let Some(c) = &e.files.cover { meta property="og:image" content={ (b.trim_end_matches('/')) "/" (e.slug) "/" (c) }; }
                }
                (ld_script(&ld))
            }
            body.report-page {
                @if ctx.site.site.is_some() {
                    header.site-header.small.with-org {
                        div.bar {
                            (brand::org(&id, "../"))
                            p.back { a href="../index.html" { (words.w("← 刊行物一覧", "← All reports")) } }
                        }
                    }
                } @else {
                    header.site-header.small {
                        p { a href="../index.html" { (words.w("← 刊行物一覧", "← All reports")) } }
                    }
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
                footer.site-footer { (brand::links(&id, &words)) p.made { (words.w("kanko で作成", "Made with kanko")) } }
                script src="../catalog.js" {}
            }
        }
    };
    page.into_string()
}

pub fn write_report_page(ctx: &SiteInfo, r: &Report, e: &Entry, stage: &Path) -> Result<(), Diag> {
    let _ = r;
    output::put(stage, "index.html", report_page(ctx, e).as_bytes())
        .map_err(|err| Diag::io(Io::Write, stage, err))
}
