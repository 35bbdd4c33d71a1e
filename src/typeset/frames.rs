//! Reading a typeset page back: every item of a frame with its place on the page, and the
//! page's text as lines (for the reader's text layer, search and the print checks).

use typst::layout::{Frame, FrameItem, Point, Transform};

/// One line of the text layer: x, baseline y, width, font size (pt), text.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub size: f64,
    pub text: String,
}

/// One run of text as placed on the page (before runs are merged into lines).
pub struct Run {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub size: f64,
    pub text: String,
}

/// The page's text runs, placed from the frame's glyph positions and merged into lines.
pub fn text_lines(frame: &Frame) -> Vec<Line> {
    let mut runs = Vec::new();
    collect_runs(frame, Transform::identity(), &mut runs);
    runs.retain(|r| !r.text.trim().is_empty());
    runs.sort_by(|a, b| {
        let ka = (a.y / (a.size * 0.5).max(1.0)).round() as i64;
        let kb = (b.y / (b.size * 0.5).max(1.0)).round() as i64;
        let _ = (ka, kb);
        a.y.partial_cmp(&b.y)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.x.partial_cmp(&b.x).unwrap_or(std::cmp::Ordering::Equal))
    });
    let mut lines: Vec<Line> = Vec::new();
    let mut groups: Vec<Vec<Run>> = Vec::new();
    for run in runs {
        let joined = groups.iter_mut().rev().take(3).find(|g| {
            let last = g.last().expect("groups are never empty");
            (last.y - run.y).abs() < 0.35 * last.size.max(run.size)
                && (run.size - last.size).abs() < 0.3 * last.size
        });
        match joined {
            Some(g) => g.push(run),
            None => groups.push(vec![run]),
        }
    }
    for mut g in groups {
        g.sort_by(|a, b| a.x.partial_cmp(&b.x).unwrap_or(std::cmp::Ordering::Equal));
        let mut cur: Option<Line> = None;
        for run in g {
            match &mut cur {
                Some(l) if run.x - (l.x + l.w) < 2.0 * l.size => {
                    let gap = run.x - (l.x + l.w);
                    let wide =
                        |c: Option<char>| c.is_some_and(crate::manuscript::markdown::is_wide);
                    if gap > 0.2 * l.size
                        && !wide(l.text.chars().last())
                        && !wide(run.text.chars().next())
                        && !l.text.ends_with(' ')
                    {
                        l.text.push(' ');
                    }
                    l.text.push_str(&run.text);
                    l.w = (run.x + run.w - l.x).max(l.w);
                    l.size = l.size.max(run.size);
                }
                _ => {
                    if let Some(l) = cur.take() {
                        lines.push(l);
                    }
                    cur = Some(Line {
                        x: run.x,
                        y: run.y,
                        w: run.w,
                        size: run.size,
                        text: run.text,
                    });
                }
            }
        }
        lines.extend(cur);
    }
    lines.sort_by(|a, b| {
        a.y.partial_cmp(&b.y)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.x.partial_cmp(&b.x).unwrap_or(std::cmp::Ordering::Equal))
    });
    lines
}

/// Calls `f` with every item of a frame that is not a group, its position and the transform
/// from the item's frame to the page.
pub fn each_item(frame: &Frame, ts: Transform, f: &mut dyn FnMut(Point, &FrameItem, Transform)) {
    for (pos, item) in frame.items() {
        if let FrameItem::Group(g) = item {
            let ts = ts
                .pre_concat(Transform::translate(pos.x, pos.y))
                .pre_concat(g.transform);
            each_item(&g.frame, ts, f);
        } else {
            f(*pos, item, ts);
        }
    }
}

pub fn collect_runs(frame: &Frame, ts: Transform, out: &mut Vec<Run>) {
    each_item(frame, ts, &mut |pos, item, ts| {
        if let FrameItem::Text(t) = item {
            let origin = pos.transform(ts);
            let end = Point::new(pos.x + t.width(), pos.y).transform(ts);
            let scale = ts.sy.get().abs().max(0.01);
            out.push(Run {
                x: origin.x.to_pt(),
                y: origin.y.to_pt(),
                w: (end.x - origin.x).to_pt().abs(),
                size: t.size.to_pt() * scale,
                text: t.text.to_string(),
            });
        }
    });
}

/// Page text for search: lines joined, ruby readings (small text over the line) left out.
pub fn search_text(lines: &[Line]) -> String {
    let mut sizes: Vec<f64> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    let median = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0);
    lines
        .iter()
        .filter(|l| l.size >= median * 0.6)
        .map(|l| l.text.as_str())
        .collect::<Vec<_>>()
        .join("\n")
}
