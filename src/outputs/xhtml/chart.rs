//! A chart in EPUB and text mode: a `<figure>` holding an inline SVG drawing (`role="img"`,
//! named by the alt text kanko wrote from the data), the caption, and the data as a real
//! `<table>` (collapsible in text mode).
//!
//! Text widths are estimated (full-width ≈ 1 em, ASCII ≈ 0.55 em), as in layouts/style.typ;
//! long labels wrap onto several lines. Every string passes through `xhtml::esc`.

use super::esc::esc;
use crate::chart::{Chart, Kind, format};

/// Narrow enough that 13-unit text stays legible when a phone shows the drawing 350 px wide.
const W: f64 = 460.0;
const FS: f64 = 13.0;
const LH: f64 = 16.0;
/// Fills that stay apart in greyscale; odd series are hatched too (as in layouts/chart.typ).
const FILLS: [&str; 6] = [
    "#1f4e79", "#e08a2e", "#a9cbe8", "#4a4a4a", "#f2d16b", "#b7b7b7",
];
const DASHES: [&str; 6] = ["", "7 4", "2 3", "7 3 2 3", "4 6", "1 2"];
const INK: &str = "#1e1e1e";
const MUTED: &str = "#666a70";

/// How the figure is written: the figure number, EPUB or text mode, the language.
pub struct Ctx {
    pub number: usize,
    pub epub: bool,
    pub japanese: bool,
}

pub fn figure(c: &Chart, cx: &Ctx) -> String {
    let label = if cx.japanese {
        format!("図{}", cx.number)
    } else {
        format!("Figure {}", cx.number)
    };
    let sep = if cx.japanese { "\u{3000}" } else { ". " };
    let mut out = String::from("<figure class=\"chart\">\n");
    out.push_str(&svg(c, cx.number));
    if let Some(note) = &c.note {
        out.push_str(&format!("<p class=\"chart-note\">{}</p>\n", esc(note)));
    }
    out.push_str(&format!(
        "<figcaption><span class=\"fig-label\">{label}</span>{sep}{}</figcaption>\n</figure>\n",
        esc(&c.caption())
    ));
    let caption = if cx.japanese {
        format!("{label}のデータ：{}", c.caption())
    } else {
        format!("Data for {label}: {}", c.caption())
    };
    let table = table(c, &caption);
    if cx.epub {
        out.push_str(&format!(
            "<div class=\"table-wrap chart-data\">{table}</div>\n"
        ));
    } else {
        let summary = if cx.japanese {
            format!("{label}のデータ（表）")
        } else {
            format!("Data for {label} (table)")
        };
        out.push_str(&format!(
            "<details class=\"chart-data\"><summary>{}</summary>{table}</details>\n",
            esc(&summary)
        ));
    }
    out
}

fn table(c: &Chart, caption: &str) -> String {
    let (head, rows) = c.table_rows();
    let mut t = format!("<table><caption>{}</caption>\n<thead><tr>", esc(caption));
    for h in &head {
        t.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
    }
    t.push_str("</tr></thead>\n<tbody>\n");
    for r in &rows {
        t.push_str("<tr>");
        for (i, cell) in r.iter().enumerate() {
            if i == 0 {
                t.push_str(&format!("<th scope=\"row\">{}</th>", esc(cell)));
            } else {
                t.push_str(&format!("<td class=\"al-r\">{}</td>", esc(cell)));
            }
        }
        t.push_str("</tr>\n");
    }
    t.push_str("</tbody></table>");
    t
}

/// Approximate width of a string in em.
fn em(s: &str) -> f64 {
    s.chars()
        .map(|c| {
            let u = c as u32;
            if u < 0x2E80 || (0xFF61..=0xFF9F).contains(&u) {
                0.55
            } else {
                1.0
            }
        })
        .sum()
}

/// Breaks a label into lines of at most `max_em`, balanced so that no line is a lone
/// character or two (between any characters: Japanese has no spaces).
fn wrap(s: &str, max_em: f64) -> Vec<String> {
    let total = em(s);
    let count = (total / max_em).ceil().max(1.0);
    let target = (total / count).max(1.0) + 0.3;
    let mut lines = vec![String::new()];
    for c in s.chars() {
        let cur = lines.last().map_or(0.0, |l| em(l));
        let w = em(&c.to_string());
        let fits = cur + w <= target || cur + w <= max_em && lines.len() as f64 >= count;
        if !fits && !lines.last().is_some_and(String::is_empty) {
            lines.push(String::new());
        }
        if let Some(l) = lines.last_mut() {
            l.push(c);
        }
    }
    lines
}

/// A `<text>` with one `<tspan>` per wrapped line.
fn text(x: f64, y: f64, anchor: &str, size: f64, fill: &str, lines: &[String]) -> String {
    let mut t = format!(
        "<text x=\"{x:.1}\" y=\"{y:.1}\" text-anchor=\"{anchor}\" font-size=\"{size}\" fill=\"{fill}\">"
    );
    for (i, l) in lines.iter().enumerate() {
        let dy = if i == 0 { 0.0 } else { size * 1.2 };
        t.push_str(&format!(
            "<tspan x=\"{x:.1}\" dy=\"{dy:.1}\">{}</tspan>",
            esc(l)
        ));
    }
    t.push_str("</text>");
    t
}

fn fill(j: usize, id: usize) -> String {
    if j % 2 == 1 {
        format!("url(#k{id}h{j})")
    } else {
        FILLS[j % FILLS.len()].to_string()
    }
}

fn defs(c: &Chart, id: usize) -> String {
    let mut d = String::from("<defs>");
    for j in (1..c.series.len()).step_by(2) {
        d.push_str(&format!(
            "<pattern id=\"k{id}h{j}\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\"><rect width=\"6\" height=\"6\" fill=\"{}\"/><path d=\"M0 6L6 0\" stroke=\"#ffffff\" stroke-opacity=\"0.65\" stroke-width=\"1.2\"/></pattern>",
            FILLS[j % FILLS.len()]
        ));
    }
    d.push_str("</defs>");
    d
}

fn legend(c: &Chart, id: usize, line: bool) -> (String, f64) {
    if c.series.len() < 2 {
        return (String::new(), 0.0);
    }
    let mut out = String::new();
    let (mut x, mut y) = (0.0, 14.0);
    for (j, s) in c.series.iter().enumerate() {
        let w = 26.0 + em(&s.name) * FS + 18.0;
        if x + w > W && x > 0.0 {
            x = 0.0;
            y += 20.0;
        }
        if line {
            out.push_str(&format!(
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"{}\"/>{}",
                y - 4.0, x + 20.0, y - 4.0, FILLS[j % 6], DASHES[j % 6], marker(j, x + 10.0, y - 4.0)
            ));
        } else {
            out.push_str(&format!(
                "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"0.5\"/>",
                y - 10.0,
                fill(j, id)
            ));
        }
        out.push_str(&text(
            x + 26.0,
            y,
            "start",
            FS,
            INK,
            std::slice::from_ref(&s.name),
        ));
        x += w;
    }
    (out, y + 12.0)
}

fn marker(j: usize, x: f64, y: f64) -> String {
    let f = FILLS[j % FILLS.len()];
    match j % 4 {
        0 => {
            format!("<circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{f}\" stroke=\"#fff\"/>")
        }
        1 => format!(
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"7\" height=\"7\" fill=\"{f}\" stroke=\"#fff\"/>",
            x - 3.5,
            y - 3.5
        ),
        2 => format!(
            "<path d=\"M{:.1} {:.1}L{x:.1} {:.1}L{:.1} {:.1}Z\" fill=\"{f}\" stroke=\"#fff\"/>",
            x - 4.0,
            y + 3.5,
            y - 4.0,
            x + 4.0,
            y + 3.5
        ),
        _ => format!(
            "<path d=\"M{x:.1} {:.1}L{:.1} {y:.1}L{x:.1} {:.1}L{:.1} {y:.1}Z\" fill=\"{f}\" stroke=\"#fff\"/>",
            y - 4.5,
            x + 4.5,
            y + 4.5,
            x - 4.5
        ),
    }
}

/// The drawing. `id` makes pattern ids unique on a page that shows every chapter.
pub fn svg(c: &Chart, id: usize) -> String {
    let (body, h) = match c.kind {
        Kind::Bar => bars(c, id, false),
        Kind::Stacked => bars(c, id, true),
        Kind::Column => columns(c, id),
        Kind::Line => lines(c),
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart-svg\" viewBox=\"0 0 {W} {h:.0}\" width=\"{W}\" height=\"{h:.0}\" role=\"img\" aria-label=\"{alt}\" font-family=\"'BIZ UDPGothic', 'Hiragino Sans', 'Noto Sans CJK JP', sans-serif\"><title>{alt}</title>{}{body}</svg>\n",
        defs(c, id),
        alt = esc(&c.alt)
    )
}

fn label_col(c: &Chart) -> (f64, Vec<Vec<String>>) {
    let max_em = c
        .categories
        .iter()
        .map(|s| em(s))
        .fold(2.0, f64::max)
        .min(11.0);
    let wrapped = c.categories.iter().map(|s| wrap(s, max_em)).collect();
    (max_em * FS + 6.0, wrapped)
}

fn bars(c: &Chart, id: usize, stacked: bool) -> (String, f64) {
    let (mut out, mut y) = legend(c, id, false);
    y += 4.0;
    let (lw, labels) = label_col(c);
    let x0 = lw + 8.0;
    let bw = W - x0 - 4.0;
    let top = c.max_value().max(f64::MIN_POSITIVE);
    let widest = c
        .series
        .iter()
        .flat_map(|s| s.values.iter().map(|v| em(&c.value_label(*v))))
        .fold(0.0, f64::max);
    let room = (bw - widest * FS * 0.92 - 6.0).max(bw * 0.25);
    let k = c.series.len();
    let bh = if stacked {
        22.0
    } else if k > 1 {
        12.0
    } else {
        16.0
    };
    for (i, lines) in labels.iter().enumerate() {
        let group = if stacked { bh } else { k as f64 * (bh + 2.0) };
        let row = group.max(lines.len() as f64 * LH);
        let label_y = y + row / 2.0 - (lines.len() as f64 - 1.0) * FS * 0.6 + FS * 0.35;
        out.push_str(&text(lw, label_y, "end", FS, INK, lines));
        let by = y + (row - group) / 2.0;
        if stacked {
            out.push_str(&stacked_row(c, id, i, x0, by, bw, bh));
        } else {
            for (j, s) in c.series.iter().enumerate() {
                let yy = by + j as f64 * (bh + 2.0);
                let lab = c.value_label(s.values[i]);
                match s.values[i] {
                    Some(v) => {
                        let len = (v / top).max(0.0) * room;
                        out.push_str(&format!(
                            "<rect x=\"{x0:.1}\" y=\"{yy:.1}\" width=\"{len:.1}\" height=\"{bh}\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"0.4\"/>",
                            fill(j, id)
                        ));
                        out.push_str(&text(
                            x0 + len + 4.0,
                            yy + bh / 2.0 + 4.5,
                            "start",
                            FS * 0.92,
                            INK,
                            &[lab],
                        ));
                    }
                    None => out.push_str(&text(
                        x0,
                        yy + bh / 2.0 + 4.5,
                        "start",
                        FS * 0.9,
                        MUTED,
                        &[lab],
                    )),
                }
            }
        }
        y += row + 8.0;
    }
    (out, y)
}

#[allow(clippy::too_many_arguments)]
fn stacked_row(c: &Chart, id: usize, i: usize, x0: f64, y: f64, bw: f64, bh: f64) -> String {
    let mut out = String::new();
    let shares = c.shares(i);
    if shares.iter().all(|p| p.is_none_or(|p| p <= 0.0)) {
        return text(
            x0,
            y + bh / 2.0 + 4.5,
            "start",
            FS * 0.9,
            MUTED,
            &[format::missing(c.japanese).into()],
        );
    }
    let mut x = x0;
    for (j, p) in shares.iter().enumerate() {
        let Some(p) = p.filter(|p| *p > 0.0) else {
            continue;
        };
        let w = p / 100.0 * bw;
        out.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{bh}\" fill=\"{}\" stroke=\"#ffffff\" stroke-width=\"1\"/>",
            fill(j, id)
        ));
        if p >= 7.0 {
            let light = matches!(j % 6, 2 | 4 | 5);
            let color = if light { INK } else { "#ffffff" };
            if j % 2 == 1 {
                let tw = em(&format::percent(p)) * FS * 0.8 + 4.0;
                out.push_str(&format!(
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{tw:.1}\" height=\"13\" fill=\"{}\"/>",
                    x + w / 2.0 - tw / 2.0,
                    y + bh / 2.0 - 7.0,
                    FILLS[j % 6]
                ));
            }
            out.push_str(&text(
                x + w / 2.0,
                y + bh / 2.0 + 4.0,
                "middle",
                FS * 0.8,
                color,
                &[format::percent(p)],
            ));
        }
        x += w;
    }
    out.push_str(&format!(
        "<rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{bw:.1}\" height=\"{bh}\" fill=\"none\" stroke=\"{INK}\" stroke-width=\"0.5\"/>"
    ));
    out
}

fn columns(c: &Chart, id: usize) -> (String, f64) {
    let (mut out, y0) = legend(c, id, false);
    let n = c.categories.len().max(1);
    let k = c.series.len();
    let gutter = 8.0;
    let cell = (W - gutter * (n as f64 - 1.0)) / n as f64;
    let cw = (cell * 0.78 / k as f64).min(46.0);
    let plot = 200.0;
    let top_y = y0 + 20.0;
    let base = top_y + plot;
    let top = c.max_value().max(f64::MIN_POSITIVE);
    let show = n * k <= 18;
    let size = if k > 2 || cell < 50.0 {
        FS * 0.75
    } else {
        FS * 0.88
    };
    let mut label_lines = 1;
    for i in 0..n {
        let cx = i as f64 * (cell + gutter) + cell / 2.0;
        let x_start = cx - cw * k as f64 / 2.0;
        for (j, s) in c.series.iter().enumerate() {
            let x = x_start + j as f64 * cw;
            let v = s.values.get(i).copied().flatten();
            let hgt = v.map_or(0.0, |v| (v / top).max(0.0) * (plot - 24.0));
            if v.is_some() {
                out.push_str(&format!(
                    "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{hgt:.1}\" fill=\"{}\" stroke=\"{INK}\" stroke-width=\"0.4\"/>",
                    x + 0.75, base - hgt, cw - 1.5, fill(j, id)
                ));
            }
            if show {
                let color = if v.is_some() { INK } else { MUTED };
                let lab = c.value_label(v);
                let half = em(&lab) * size / 2.0;
                out.push_str(&text(
                    (x + cw / 2.0).clamp(half, W - half),
                    base - hgt - 4.0,
                    "middle",
                    size,
                    color,
                    &[lab],
                ));
            }
        }
        let lines = wrap(&c.categories[i], (cell / FS).max(1.0));
        label_lines = label_lines.max(lines.len());
        out.push_str(&text(cx, base + FS + 4.0, "middle", FS, INK, &lines));
    }
    out.push_str(&format!(
        "<line x1=\"0\" y1=\"{base:.1}\" x2=\"{W}\" y2=\"{base:.1}\" stroke=\"{INK}\" stroke-width=\"1\"/>"
    ));
    (out, base + 8.0 + label_lines as f64 * FS * 1.2 + 4.0)
}

// Long: one line chart's SVG (axis, grid, each series' path, points and labels); every part
// uses the scale and positions computed at the top.
fn lines(c: &Chart) -> (String, f64) {
    let (mut out, y0) = legend(c, 0, true);
    let (lo, hi, ticks) = c.axis();
    let n = c.categories.len().max(1);
    let tick_labels: Vec<String> = ticks.iter().map(|t| format::number(*t)).collect();
    let axis_w = tick_labels.iter().map(|t| em(t)).fold(1.0, f64::max) * FS * 0.8 + 8.0;
    let plot = 200.0;
    let top_y = y0 + 22.0;
    let step = (W - axis_w) / n as f64;
    let px = |i: usize| axis_w + step * (i as f64 + 0.5);
    let py = |v: f64| top_y + plot - (v - lo) / (hi - lo) * plot;
    for (t, l) in ticks.iter().zip(&tick_labels) {
        let y = py(*t);
        let (stroke, width) = if *t == 0.0 {
            (INK, 1.0)
        } else {
            ("#c8ccd2", 0.6)
        };
        out.push_str(&format!(
            "<line x1=\"{axis_w:.1}\" y1=\"{y:.1}\" x2=\"{W}\" y2=\"{y:.1}\" stroke=\"{stroke}\" stroke-width=\"{width}\"/>"
        ));
        out.push_str(&text(
            axis_w - 5.0,
            y + 4.0,
            "end",
            FS * 0.8,
            MUTED,
            std::slice::from_ref(l),
        ));
    }
    let single = c.series.len() == 1;
    for (j, s) in c.series.iter().enumerate() {
        let mut d = String::new();
        let mut pen_down = false;
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => {
                    d.push_str(&format!(
                        "{}{:.1} {:.1}",
                        if pen_down { "L" } else { "M" },
                        px(i),
                        py(*v)
                    ));
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        out.push_str(&format!(
            "<path d=\"{d}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2\" stroke-dasharray=\"{}\" stroke-linejoin=\"round\"/>",
            FILLS[j % 6], DASHES[j % 6]
        ));
        for (i, v) in s.values.iter().enumerate() {
            match v {
                Some(v) => {
                    out.push_str(&marker(j, px(i), py(*v)));
                    if single {
                        out.push_str(&text(
                            px(i),
                            py(*v) - 8.0,
                            "middle",
                            FS * 0.8,
                            INK,
                            &[c.value_label(Some(*v))],
                        ));
                    }
                }
                None if single => out.push_str(&text(
                    px(i),
                    top_y + plot - 6.0,
                    "middle",
                    FS * 0.75,
                    MUTED,
                    &[c.value_label(None)],
                )),
                None => {}
            }
        }
    }
    let mut label_lines = 1;
    for (i, cat) in c.categories.iter().enumerate() {
        let lines = wrap(cat, (step / FS).max(1.0));
        label_lines = label_lines.max(lines.len());
        out.push_str(&text(
            px(i),
            top_y + plot + FS + 6.0,
            "middle",
            FS,
            INK,
            &lines,
        ));
    }
    (
        out,
        top_y + plot + 10.0 + label_lines as f64 * FS * 1.2 + 4.0,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chart::model::Series;

    fn hostile() -> Chart {
        Chart {
            kind: Kind::Bar,
            title: Some("<script>alert(1)</script>".into()),
            label: "項目\"".into(),
            categories: vec!["</text><script>x</script>".into(), "&amp;".into()],
            series: vec![Series {
                name: "人数'".into(),
                values: vec![Some(1.0), None],
            }],
            unit: "<b>".into(),
            total: None,
            note: Some("<i>note</i>".into()),
            table: false,
            japanese: true,
            alt: "alt \"<svg onload=x>\"".into(),
        }
    }

    #[test]
    fn every_string_in_the_svg_and_table_is_escaped() {
        for kind in [Kind::Bar, Kind::Column, Kind::Stacked, Kind::Line] {
            let mut c = hostile();
            c.kind = kind;
            let out = figure(
                &c,
                &Ctx {
                    number: 1,
                    epub: false,
                    japanese: true,
                },
            );
            for bad in ["<script", "<b>", "<i>", "<svg onload", "</text><script"] {
                assert!(!out.contains(bad), "{kind:?}: {bad} in {out}");
            }
            assert!(out.contains("&lt;script&gt;"));
            // Well-formed XML.
            let mut r = quick_xml::Reader::from_str(&out);
            loop {
                match r.read_event() {
                    Ok(quick_xml::events::Event::Eof) => break,
                    Ok(_) => {}
                    Err(e) => panic!("{kind:?}: {e}\n{out}"),
                }
            }
        }
    }

    #[test]
    fn long_labels_wrap() {
        let l = wrap("子どもが居場所の話を家でするようになった", 8.0);
        assert!(l.len() >= 3, "{l:?}");
        assert_eq!(l.concat(), "子どもが居場所の話を家でするようになった");
    }
}
