//! SVG attribute text for the page drawings: numbers, packed x lists, transforms, colours,
//! paths and strokes.

use std::fmt::Write;

use typst::layout::{Abs, Transform};
use typst::visualize::{Color, Curve, CurveItem, FixedStroke, Geometry, LineCap, LineJoin, Paint};

/// A number for SVG: at most two decimals, no trailing zeros.
pub fn n(v: f64) -> String {
    let r = (v * 100.0).round() / 100.0;
    if r == r.trunc() {
        format!("{}", r as i64)
    } else {
        let s = format!("{r:.2}");
        let s = s.trim_end_matches('0');
        s.strip_prefix("0.")
            .map(|t| format!(".{t}"))
            .or_else(|| s.strip_prefix("-0.").map(|t| format!("-.{t}")))
            .unwrap_or_else(|| s.to_string())
    }
}

/// A glyph's x: one decimal (0.05 pt at most off, a tenth of a device pixel on a 3× phone).
/// Digits of the packed x lists: base 64, safe in a single-quoted attribute.
pub const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A glyph run's x list (tenths of a point), packed: `~`, the first x in three base-64 digits
/// (offset by 131072), then each step to the next glyph in two (offset by 2048). pages.js unpacks
/// it into the absolute list the browser draws from (one x per glyph: a browser without subpixel
/// glyph positioning rounds each advance, so relative positions would drift along a line). Two
/// bytes a glyph instead of about five and a half; a run with a step beyond ±204.7 pt or a start
/// beyond ±13,107 pt is written as plain numbers.
pub fn xs_attr(xs: &[i64]) -> String {
    let packable = xs.first().is_some_and(|x| (-131_072..131_072).contains(x))
        && xs
            .windows(2)
            .all(|w| (-2048..2048).contains(&(w[1] - w[0])));
    if !packable {
        return xs
            .iter()
            .map(|t| n(*t as f64 / 10.0))
            .collect::<Vec<_>>()
            .join(" ");
    }
    let digit = |v: i64| B64[(v & 63) as usize] as char;
    let mut out = String::with_capacity(4 + 2 * xs.len());
    out.push('~');
    let first = xs[0] + 131_072;
    out.extend([digit(first >> 12), digit(first >> 6), digit(first)]);
    for w in xs.windows(2) {
        let step = w[1] - w[0] + 2048;
        out.extend([digit(step >> 6), digit(step)]);
    }
    out
}

pub fn is_translation(ts: &Transform) -> bool {
    ts.sx.get() == 1.0 && ts.sy.get() == 1.0 && ts.kx.get() == 0.0 && ts.ky.get() == 0.0
}

pub fn matrix(ts: &Transform) -> String {
    if is_translation(ts) {
        format!("translate({} {})", n(ts.tx.to_pt()), n(ts.ty.to_pt()))
    } else {
        format!(
            "matrix({} {} {} {} {} {})",
            ts.sx.get(),
            ts.ky.get(),
            ts.kx.get(),
            ts.sy.get(),
            n(ts.tx.to_pt()),
            n(ts.ty.to_pt())
        )
    }
}

pub fn hex(c: &Color) -> (String, f32) {
    let [r, g, b, a] = c.to_vec4_u8();
    (format!("#{r:02x}{g:02x}{b:02x}"), f32::from(a) / 255.0)
}

/// ` fill='#rrggbb'` (plus opacity), or nothing for opaque black (SVG's default).
pub fn fill_attr(name: &str, c: &Color) -> String {
    let (h, a) = hex(c);
    let mut s = String::new();
    if h != "#000000" || name != "fill" {
        let _ = write!(s, " {name}='{h}'");
    }
    if a < 1.0 {
        let _ = write!(s, " {name}-opacity='{}'", (a * 1000.0).round() / 1000.0);
    }
    s
}

pub fn curve_d(c: &Curve) -> String {
    let mut d = String::new();
    for item in &c.0 {
        match item {
            CurveItem::Move(p) => {
                let _ = write!(d, "M{} {}", n(p.x.to_pt()), n(p.y.to_pt()));
            }
            CurveItem::Line(p) => {
                let _ = write!(d, "L{} {}", n(p.x.to_pt()), n(p.y.to_pt()));
            }
            CurveItem::Cubic(a, b, p) => {
                let _ = write!(
                    d,
                    "C{} {} {} {} {} {}",
                    n(a.x.to_pt()),
                    n(a.y.to_pt()),
                    n(b.x.to_pt()),
                    n(b.y.to_pt()),
                    n(p.x.to_pt()),
                    n(p.y.to_pt())
                );
            }
            CurveItem::Close => d.push('Z'),
        }
    }
    d
}

pub fn geometry_d(g: &Geometry) -> String {
    match g {
        Geometry::Line(p) => format!("M0 0L{} {}", n(p.x.to_pt()), n(p.y.to_pt())),
        Geometry::Rect(s) => format!("M0 0H{}V{}H0Z", n(s.x.to_pt()), n(s.y.to_pt())),
        Geometry::Curve(c) => curve_d(c),
    }
}

pub fn stroke_attrs(s: &FixedStroke) -> Option<String> {
    let Paint::Solid(c) = &s.paint else {
        return None;
    };
    let mut a = fill_attr("stroke", c);
    let _ = write!(a, " stroke-width='{}'", n(s.thickness.to_pt()));
    match s.cap {
        LineCap::Butt => {}
        LineCap::Round => a.push_str(" stroke-linecap='round'"),
        LineCap::Square => a.push_str(" stroke-linecap='square'"),
    }
    match s.join {
        LineJoin::Miter => {}
        LineJoin::Round => a.push_str(" stroke-linejoin='round'"),
        LineJoin::Bevel => a.push_str(" stroke-linejoin='bevel'"),
    }
    let ml = s.miter_limit.get();
    if ml != 4.0 {
        let _ = write!(a, " stroke-miterlimit='{}'", n(ml));
    }
    if let Some(dash) = &s.dash {
        let arr: Vec<String> = dash.array.iter().map(|v| n(v.to_pt())).collect();
        let _ = write!(a, " stroke-dasharray='{}'", arr.join(" "));
        if dash.phase != Abs::zero() {
            let _ = write!(a, " stroke-dashoffset='{}'", n(dash.phase.to_pt()));
        }
    }
    Some(a)
}
