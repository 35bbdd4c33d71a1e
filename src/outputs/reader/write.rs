//! The page-flip reader: the typeset pages drawn as SVG from Typst's glyphs, with a selectable text layer, plus a
//! reflowed text mode, in one self-contained folder that also works from `file://`.
//!
//! Data travels in JS files (`KANKO_TEXT(…)`), not JSON fetched at run time, because browsers
//! block `fetch` on `file://`.

use std::path::Path;

use rayon::prelude::*;
use serde_json::json;
use typst::introspection::Introspector;
use typst::layout::{Frame, FrameItem, Point, Transform};

use std::collections::BTreeMap;

use super::cache::{Rendered, render_cached};
use super::pagedata;
use super::pagefont::{self, Plan};
use crate::config::Format;
use crate::diag::{Diag, Io};
use crate::manuscript::Report;
use crate::manuscript::meta::WritingMode;
use crate::output;
use crate::outputs::images::render_rgb;
use crate::outputs::written::{Fact, Job, Written};
use crate::outputs::xhtml::esc::esc;
use crate::outputs::xhtml::writer::{Counters, Style, Writer};
use crate::typeset::Typeset;
use crate::typeset::frames::{collect_runs, each_item};

pub const ASSETS: &[(&str, &str)] = &[
    ("reader.html", include_str!("web/reader.html")),
    ("reader.js", include_str!("web/reader.js")),
    ("pages.js", include_str!("web/pages.js")),
    ("reader.css", include_str!("web/reader.css")),
    ("textmode.js", include_str!("web/textmode.js")),
    ("textmode.css", include_str!("web/textmode.css")),
    ("speech.js", include_str!("web/speech.js")),
];

fn asset(name: &str) -> &'static str {
    ASSETS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, s)| s)
}

/// Thumbnails per file: a column of up to this many pages of one size in one JPEG (`thumbs/K.jpg`),
/// shown a slice at a time (`object-fit`). A file per page made a 22-page report 22 files; web staff
/// upload over FTP, where each file costs round trips, and creating files was a third of the
/// reader's build time.
const THUMBS_PER_FILE: usize = 10;

fn jpeg(img: &image::RgbImage) -> Vec<u8> {
    let mut out = Vec::new();
    let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 60);
    let _ = img.write_with_encoder(enc);
    out
}

/// Finds the web file of a figure.
struct Names<'a> {
    r: &'a Report,
}

impl pagedata::ImageNames for Names<'_> {
    fn asset(&self, data: &[u8]) -> Option<String> {
        self.r
            .assets
            .values()
            .find(|a| a.print == data)
            .map(|a| a.web_name())
    }
}

/// The web fonts of a report: one `fonts/G.js` per page group.
fn font_files(plan: &Plan) -> Result<BTreeMap<usize, String>, String> {
    use base64::Engine;
    let built: Vec<Result<(usize, String), String>> = plan
        .faces
        .par_iter()
        .map(|face| {
            let sfnt = pagefont::build_face(&plan.fonts[face.font], face)?;
            let woff = crate::sfnt::woff(&sfnt)?;
            let b64 = base64::engine::general_purpose::STANDARD.encode(woff);
            Ok((face.group, format!("[\"{}\",\"{b64}\"]", face.family())))
        })
        .collect();
    let mut groups: BTreeMap<usize, Vec<String>> = BTreeMap::new();
    for b in built {
        let (g, entry) = b?;
        groups.entry(g).or_default().push(entry);
    }
    Ok(groups
        .into_iter()
        .map(|(g, faces)| (g, format!("KANKO_FONTS({g}, [{}]);\n", faces.join(",\n"))))
        .collect())
}

/// Writes the reader's folder (`reader/` in the stage).
pub fn write(job: &Job) -> Result<Written, Diag> {
    let (r, t, formats, cache, site) = (job.report, job.typeset, job.formats, job.pages, job.site);
    let mut w = Written::default();
    let mut put = |rel: &str, bytes: &[u8]| w.put(job.stage, &format!("reader/{rel}"), bytes);
    let pages = t.doc.pages();
    let rendered: Vec<std::sync::Arc<Rendered>> =
        pages.par_iter().map(|p| render_cached(p, cache)).collect();
    let uses: Vec<Vec<(typst::text::Font, u16)>> =
        rendered.iter().map(|p| p.uses.clone()).collect();
    let plan = Plan::new(&uses);
    let names = Names { r };
    let drawn: Vec<pagedata::PageSvg> = pages
        .par_iter()
        .enumerate()
        .map(|(i, p)| pagedata::page_svg(p, i + 1, &plan, &names))
        .collect();
    for (g, js) in font_files(&plan).map_err(|e| Diag::error(format!("{}: {e}", r.slug)))? {
        put(&format!("fonts/{g}.js"), js.as_bytes())?;
    }
    let thumbs: Vec<&image::RgbImage> = rendered.iter().map(|p| &p.thumb).collect();
    let (sheets, slices) = thumb_sheets(&thumbs);
    let sheets: Vec<Vec<u8>> = sheets.par_iter().map(jpeg).collect();
    for (k, sheet) in sheets.iter().enumerate() {
        put(&format!("thumbs/{k}.jpg"), sheet)?;
    }
    let mut images: BTreeMap<&str, &[u8]> = BTreeMap::new();
    let mut text_files: BTreeMap<usize, String> = BTreeMap::new();
    let mut page_files: BTreeMap<usize, String> = BTreeMap::new();
    for (i, page) in rendered.iter().enumerate() {
        let Rendered { lines, .. } = page.as_ref();
        let n = i + 1;
        let d = &drawn[i];
        for (name, file) in &d.images {
            if let pagedata::ImageFile::Bytes(b) = file {
                images.insert(name, b);
            }
        }
        let size = pages[i].frame.size();
        let data = json!({
            "w": round2(size.x.to_pt()),
            "h": round2(size.y.to_pt()),
            "fonts": plan.groups_of(&page.uses),
            "svg": d.body,
        });
        page_files
            .entry(pagefont::group_of(i))
            .or_default()
            .push_str(&format!("KANKO_PAGE({n}, {data});\n"));
        let arr: Vec<serde_json::Value> = lines
            .iter()
            .map(|l| {
                json!([
                    round2(l.x),
                    round2(l.y),
                    round2(l.w),
                    round2(l.size),
                    l.text
                ])
            })
            .collect();
        let links = page_links(&pages[i].frame, t.doc.introspector());
        text_files
            .entry(pagefont::group_of(i))
            .or_default()
            .push_str(&format!(
                "KANKO_TEXT({n}, {}, {});\n",
                serde_json::Value::Array(arr),
                serde_json::Value::Array(links)
            ));
    }
    // Drawings and text layers by page group (as the fonts): page 1 alone, then 1, 2, 4 and 8
    // pages a file: a fifth of the files of one per page, for hosts uploaded file by file.
    for (g, js) in &page_files {
        put(&format!("pages/{g}.js"), js.as_bytes())?;
    }
    for (g, js) in &text_files {
        put(&format!("text/{g}.js"), js.as_bytes())?;
    }
    for (name, bytes) in images {
        put(&format!("img/{name}"), bytes)?;
    }
    if let Some(refdir) = job.reference {
        write_reference(&refdir.join(&r.slug), pages)?;
    }
    put("data.js", data_js(r, t, formats, &slices).as_bytes())?;
    // The site's parts go in before the report's text, so no title can bring in a placeholder.
    let template = asset("reader.html")
        .replace("{{head}}", &super::site::head(site, &r.slug))
        .replace("{{org}}", &super::site::menu(site, r.meta.is_japanese()));
    let page = fill(&template, r);
    put("index.html", page.as_bytes())?;
    let main = text_main(r, t);
    let text = text_html(r, &main).replacen(
        "<link rel=\"icon\"",
        &format!(
            "{}<link rel=\"icon\"",
            super::site::text_head(site, &r.slug)
        ),
        1,
    );
    put("text.html", text.as_bytes())?;
    put("speech-data.js", speech_data(&main).as_bytes())?;
    for name in [
        "reader.js",
        "pages.js",
        "reader.css",
        "textmode.js",
        "textmode.css",
        "speech.js",
    ] {
        put(name, asset(name).as_bytes())?;
    }
    for a in r.assets.values() {
        put(&format!("img/{}", a.web_name()), &a.screen)?;
    }
    if r.meta.writing_mode != WritingMode::Vertical {
        for (file, font) in TEXT_FONTS {
            if let Some(bytes) = text_font(font, &main) {
                put(file, &bytes)?;
            }
        }
    }
    w.facts.push(Fact::Reader("reader/index.html".into()));
    Ok(w)
}

/// For the browser tests (`kanko build --page-reference DIR`): each page also drawn by
/// typst-render at 2 px/pt into `<DIR>/<slug>/<n>.png`, the reference they compare the reader's
/// drawing with.
fn write_reference(dir: &Path, pages: &[typst_layout::Page]) -> Result<(), Diag> {
    let pngs: Vec<Vec<u8>> = pages
        .par_iter()
        .map(|p| {
            let mut out = std::io::Cursor::new(Vec::new());
            let _ = render_rgb(p, 2.0).write_to(&mut out, image::ImageFormat::Png);
            out.into_inner()
        })
        .collect();
    for (i, png) in pngs.iter().enumerate() {
        output::put(dir, &format!("{}.png", i + 1), png)
            .map_err(|e| Diag::io(Io::Write, dir, e))?;
    }
    Ok(())
}

/// The text mode's 書体 choices 「UD 明朝」「UD ゴシック」: shipped fonts cut down to the report's
/// characters (textmode.css names them; loaded only when chosen). Not for vertical text: the cut
/// fonts have no vertical punctuation forms.
const TEXT_FONTS: [(&str, &str); 2] = [
    ("fonts/ud-mincho.woff2", "BIZUDPMincho-Regular"),
    ("fonts/ud-gothic.woff2", "BIZUDPGothic-Regular"),
];

fn text_font(name: &str, main: &str) -> Option<Vec<u8>> {
    let (_, data) = crate::typeset::fonts::FONT_FILES
        .iter()
        .find(|(n, _)| n.contains(name))?;
    // The text and the settings' own words (the dialog is in the same font).
    let ui = "表示設定文字サイズ行間配色書体閉じる元に戻す狭い標準広いとても白黒反転セピア明朝端末のゴシックキーボード操作読み上げの開始・一時停止・再開停止この画面を次へ移動速度";
    let chars: std::collections::BTreeSet<char> = main.chars().chain(ui.chars()).collect();
    let ttf = super::webfont::subset(data, &chars)?;
    // WOFF2 is 57 % of the cut TTF (a host seldom compresses fonts itself).
    crate::sfnt::woff2(&ttf).ok()
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// Where each page's thumbnail is: (file, slice, slices in the file, width, height in px).
type Slice = (usize, usize, usize, u32, u32);

/// Thumbnails stacked in columns of up to [`THUMBS_PER_FILE`] consecutive pages of one size.
fn thumb_sheets(thumbs: &[&image::RgbImage]) -> (Vec<image::RgbImage>, Vec<Slice>) {
    let mut runs: Vec<Vec<usize>> = Vec::new();
    for (i, t) in thumbs.iter().enumerate() {
        match runs.last_mut() {
            Some(run)
                if run.len() < THUMBS_PER_FILE && thumbs[run[0]].dimensions() == t.dimensions() =>
            {
                run.push(i)
            }
            _ => runs.push(vec![i]),
        }
    }
    let mut slices = vec![(0, 0, 1, 1, 1); thumbs.len()];
    let sheets = runs
        .iter()
        .enumerate()
        .map(|(k, run)| {
            let (w, h) = thumbs[run[0]].dimensions();
            let mut sheet = image::RgbImage::new(w, h * run.len() as u32);
            for (j, &i) in run.iter().enumerate() {
                image::imageops::replace(&mut sheet, thumbs[i], 0, i64::from(h) * j as i64);
                slices[i] = (k, j, run.len(), w, h);
            }
            sheet
        })
        .collect();
    (sheets, slices)
}

fn data_js(r: &Report, t: &Typeset, formats: &[Format], thumbs: &[Slice]) -> String {
    let m = &r.meta;
    let pages = t.doc.pages();
    let (w, h) = pages.first().map_or((595.28, 841.89), |p| {
        (p.frame.width().to_pt(), p.frame.height().to_pt())
    });
    let page_list: Vec<serde_json::Value> = (1..=pages.len())
        .map(|n| {
            let (file, at, of, w, h) = thumbs.get(n - 1).copied().unwrap_or((0, 0, 1, 1, 1));
            json!({
                "thumb": format!("thumbs/{file}.jpg"),
                "slice": [at, of, w, h],
                "draw": format!("pages/{}.js", pagefont::group_of(n - 1)),
                "text": format!("text/{}.js", pagefont::group_of(n - 1)),
                "label": n.to_string(),
            })
        })
        .collect();
    let book = json!({
        "lang": m.language,
        "title": m.title,
        "subtitle": m.subtitle,
        "yearLabel": m.labels.year,
        "direction": if m.writing_mode == WritingMode::Vertical { "rtl" } else { "ltr" },
        "pageWidth": round2(w),
        "pageHeight": round2(h),
        "pageCount": pages.len(),
        "pages": page_list,
        "outline": crate::typeset::outline::outline(r, t),
        "pdf": formats.contains(&Format::Pdf).then(|| format!("../{}.pdf", r.slug)),
        "epub": formats.contains(&Format::Epub).then(|| format!("../{}.epub", r.slug)),
        "textMode": "text.html",
        "catalog": "../../index.html",
    });
    format!(
        "window.KANKO_BOOK = {};\n",
        serde_json::to_string_pretty(&book).unwrap_or_default()
    )
}

fn fill(template: &str, r: &Report) -> String {
    template
        .replace("{{lang}}", &esc(&r.meta.language))
        .replace("{{title}}", &esc(&r.meta.title))
        .replace("{{year}}", &esc(&r.meta.labels.year))
        .replace("{{description}}", &esc(&description(r)))
}

/// The page's `<meta name="description">`: the report's own description, or its title and year.
fn description(r: &Report) -> String {
    let m = &r.meta;
    m.description.clone().unwrap_or_else(|| {
        let sub = m
            .subtitle
            .as_deref()
            .map(|s| format!(" {s}"))
            .unwrap_or_default();
        if m.is_japanese() {
            format!(
                "{}{sub}（{}）の報告書。ページ表示・テキスト表示・読み上げで読めます。",
                m.title, m.labels.year
            )
        } else {
            format!(
                "{}{sub} ({}): the report, to read page by page, as reflowed text or aloud.",
                m.title, m.labels.year
            )
        }
    })
}

/// The text mode's `<main>` content, for the page view's read-aloud (`KANKO_SPEECH_HTML("…")`).
/// The markup is the text mode's own, where every piece of manuscript text went through `esc`;
/// speech.js parses it into an inert document (no scripts run, no images load).
fn speech_data(main: &str) -> String {
    format!(
        "KANKO_SPEECH_HTML({});\n",
        serde_json::to_string(main).unwrap_or_default()
    )
}

/// The text mode's chapters and colophon: the content of its `<main>`.
fn text_main(r: &Report, t: &Typeset) -> String {
    let ja = r.meta.is_japanese();
    let style = Style {
        epub: false,
        japanese: ja,
        img_prefix: "img/",
        assets: &r.assets,
        id_files: None,
        pages: Some(&t.block_pages),
        vertical: r.meta.writing_mode == WritingMode::Vertical,
    };
    let mut counters = Counters::default();
    let mut body = String::new();
    for ch in &r.chapters {
        let mut w = Writer::new(&style);
        w.chapter(ch, &mut counters);
        body.push_str(&format!(
            "<section class=\"chapter\" aria-label=\"{}\">\n{}</section>\n",
            esc(&ch.title),
            w.out
        ));
    }
    let mut colophon = String::from("<dl>");
    for (k, v) in crate::outputs::colophon::colophon_rows(r) {
        colophon.push_str(&format!("<dt>{}</dt><dd>{}</dd>", esc(k), esc(&v)));
    }
    colophon.push_str("</dl>");
    let col_h = if ja { "奥付" } else { "Colophon" };
    format!(
        "{body}<section class=\"colophon\" aria-labelledby=\"colophon-h\"><h2 id=\"colophon-h\">{col_h}</h2>{colophon}</section>\n"
    )
}

fn text_html(r: &Report, main: &str) -> String {
    let back = if r.meta.is_japanese() {
        "ページ表示に戻る"
    } else {
        "Back to page view"
    };
    let vertical = if r.meta.writing_mode == WritingMode::Vertical {
        " class=\"vertical\""
    } else {
        ""
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"{vertical}>\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<meta name=\"description\" content=\"{desc}\">\n<link rel=\"icon\" href=\"data:,\">\n<link rel=\"stylesheet\" href=\"textmode.css\">\n<script src=\"textmode.js\"></script>\n</head>\n<body>\n<header class=\"tm-top\"><a class=\"tm-back\" href=\"index.html\" data-kanko-mode=\"pages\">{back}</a><p class=\"tm-title\">{title} <small>{year}</small></p><div class=\"tm-tools\" data-speech-slot data-btn-class=\"tm-btn\"></div></header>\n<main>\n{main}</main>\n<script src=\"speech.js\" data-kanko-speech=\"text\"></script>\n</body>\n</html>\n",
        lang = esc(&r.meta.language),
        desc = esc(&description(r)),
        title = esc(&r.meta.title),
        year = esc(&r.meta.labels.year),
    )
}

/// The links of a page as `[x, y, w, h, href, text]` (points from the top left): a web address as it
/// is, a place in the report as `#p=N` (the reader's own page address).
fn page_links(frame: &Frame, intro: &typst_layout::PagedIntrospector) -> Vec<serde_json::Value> {
    let mut boxes = Vec::new();
    collect_links(frame, Transform::identity(), intro, &mut boxes);
    // Typst gives a link one box per text run; one link on a line is one box here.
    let mut links: Vec<LinkBox> = Vec::new();
    for b in boxes {
        match links.last_mut() {
            Some(l) if l.4 == b.4 && (l.1 - b.1).abs() < 0.5 && (l.0 + l.2 - b.0).abs() < 1.0 => {
                l.2 = b.0 + b.2 - l.0;
                l.3 = l.3.max(b.3);
            }
            _ => links.push(b),
        }
    }
    let mut runs = Vec::new();
    collect_runs(frame, Transform::identity(), &mut runs);
    links
        .into_iter()
        .map(|(x, y, w, h, href)| {
            // The link's words, for its accessible name: the runs whose start lies in its box.
            let label: String = runs
                .iter()
                .filter(|r| r.x >= x - 1.0 && r.x < x + w && r.y >= y && r.y <= y + h + 1.0)
                .map(|r| r.text.as_str())
                .collect();
            json!([round2(x), round2(y), round2(w), round2(h), href, label])
        })
        .collect()
}

type LinkBox = (f64, f64, f64, f64, String);

fn collect_links(
    frame: &Frame,
    ts: Transform,
    intro: &typst_layout::PagedIntrospector,
    out: &mut Vec<LinkBox>,
) {
    use typst::model::Destination;
    each_item(frame, ts, &mut |pos, item, ts| {
        let FrameItem::Link(dest, size) = item else {
            return;
        };
        let href = match dest {
            Destination::Url(u) => u.as_str().to_string(),
            Destination::Position(p) => format!("#p={}", p.page),
            Destination::Location(loc) => match intro.page(*loc) {
                Some(page) => format!("#p={page}"),
                None => return,
            },
        };
        let a = pos.transform(ts);
        let b = Point::new(pos.x + size.x, pos.y + size.y).transform(ts);
        out.push((
            a.x.to_pt().min(b.x.to_pt()),
            a.y.to_pt().min(b.y.to_pt()),
            (b.x - a.x).to_pt().abs(),
            (b.y - a.y).to_pt().abs(),
            href,
        ));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thumbnails_go_in_columns_of_one_size_and_each_page_finds_its_slice() {
        let colour =
            |w: u32, h: u32, v: u8| image::RgbImage::from_pixel(w, h, image::Rgb([v, 0, 0]));
        // 12 portrait pages, a landscape one, 2 portrait again.
        let mut thumbs: Vec<image::RgbImage> = (0..12).map(|i| colour(4, 6, i as u8)).collect();
        thumbs.push(colour(6, 4, 100));
        thumbs.push(colour(4, 6, 200));
        thumbs.push(colour(4, 6, 201));
        let refs: Vec<&image::RgbImage> = thumbs.iter().collect();
        let (sheets, slices) = thumb_sheets(&refs);
        let sizes: Vec<(u32, u32)> = sheets.iter().map(|s| s.dimensions()).collect();
        assert_eq!(sizes, [(4, 60), (4, 12), (6, 4), (4, 12)]);
        assert_eq!(slices[0], (0, 0, 10, 4, 6));
        assert_eq!(slices[9], (0, 9, 10, 4, 6));
        assert_eq!(slices[11], (1, 1, 2, 4, 6));
        assert_eq!(slices[12], (2, 0, 1, 6, 4));
        assert_eq!(slices[14], (3, 1, 2, 4, 6));
        // Each page's pixels are in its slice.
        for (i, &(file, at, _, _, h)) in slices.iter().enumerate() {
            assert_eq!(
                sheets[file].get_pixel(0, at as u32 * h + 1),
                thumbs[i].get_pixel(0, 1),
                "page {}",
                i + 1
            );
        }
    }
}
