//! EMF / WMF pictures (charts pasted from Excel) are converted to SVG at import and print in
//! the PDF; a picture using records the converter does not draw is named in the summary as
//! approximated, with its original kept.

use std::process::Command;

use crate::docx::{Docx, p, picture, r};
use crate::util::{BIN, Run, Work};

fn rec(kind: u32, body: &[u8]) -> Vec<u8> {
    let mut v = kind.to_le_bytes().to_vec();
    v.extend(((body.len() + 8) as u32).to_le_bytes());
    v.extend(body);
    v
}

fn ints(v: &[i32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

/// A 100×60 EMF as Word stores it: a red solid brush and a filled rectangle, then `extra`.
fn emf(extra: &[Vec<u8>]) -> Vec<u8> {
    let mut records = vec![
        rec(39, &ints(&[1, 0, 0x0000_00FF, 0])), // CREATEBRUSHINDIRECT: solid red
        rec(37, &ints(&[1])),                    // SELECTOBJECT
        rec(43, &ints(&[10, 10, 90, 50])),       // RECTANGLE
    ];
    records.extend(extra.iter().cloned());
    records.push(rec(14, &ints(&[0, 16, 20]))); // EOF
    let len: usize = records.iter().map(Vec::len).sum();
    let mut h = ints(&[0, 0, 99, 59, 0, 0, 2646, 1588]);
    h.extend(b" EMF");
    h.extend(ints(&[
        0x0001_0000,
        (88 + len) as i32,
        records.len() as i32 + 1,
    ]));
    h.extend([2, 0, 0, 0]);
    h.extend(ints(&[0, 0, 0, 1920, 1080, 508, 286]));
    let mut out = rec(1, &h);
    records.into_iter().for_each(|r| out.extend(r));
    out
}

fn import(w: &Work, docx: &Docx) -> Run {
    let file = w.dir.path().join("chart.docx");
    std::fs::write(&file, docx.bytes()).unwrap();
    let mut cmd = Command::new(BIN);
    cmd.current_dir(w.dir.path())
        .arg("import")
        .arg(&file)
        .args(["--reports", "reports"])
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    Run::from(cmd.output().expect("run kanko import"))
}

#[test]
fn an_emf_chart_becomes_an_svg_that_prints_and_approximations_are_named() {
    let w = Work::new();
    let round = rec(44, &ints(&[20, 20, 80, 40, 5, 5])); // ROUNDRECT: not drawn
    let d = Docx::new()
        .add(
            &[
                p(Some("1"), &r("グラフ")),
                p(None, &picture("rIdE", "売上のグラフ")),
                p(None, &picture("rIdR", "角の丸い図")),
            ]
            .concat(),
        )
        .image("rIdE", "image1.emf", emf(&[]))
        .image("rIdR", "image2.emf", emf(&[round]));
    let run = import(&w, &d);
    run.ok()
        .says("images/image2.emf")
        .says("images/image2.svg")
        .says("EMR_ROUNDRECT ×1");
    assert!(
        !run.stderr.contains("image1.emf"),
        "a faithful conversion is not an approximation:\n{}",
        run.stderr
    );
    assert!(!run.stderr.contains("cannot show"), "{}", run.stderr);
    let md = std::fs::read_to_string(w.reports().join("chart/01.md")).unwrap();
    assert!(
        md.contains("images/image1.svg") && md.contains("images/image2.svg"),
        "{md}"
    );
    let images = w.reports().join("chart/images");
    assert!(images.join("image2.emf").is_file(), "the original is kept");
    assert!(
        !images.join("image1.emf").exists(),
        "only the SVG when it is faithful"
    );
    w.build_with(&["--formats", "pdf"]).ok();
    // The rectangle is red in the PDF.
    let out = w.dir.path().join("page");
    let pdf = w.pdf("chart");
    let st = Command::new("pdftoppm")
        .args(["-png", "-r", "40", "-f", "1", "-l", "3"])
        .arg(&pdf)
        .arg(&out)
        .status()
        .expect("pdftoppm");
    assert!(st.success());
    let mut red = 0;
    for e in std::fs::read_dir(w.dir.path()).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with("page") && name.ends_with(".png") {
            let img = image::open(e.path()).unwrap().to_rgb8();
            red += img
                .pixels()
                .filter(|p| p[0] > 200 && p[1] < 60 && p[2] < 60)
                .count();
        }
    }
    assert!(red > 20, "no red rectangle in the PDF ({red} red pixels)");
}
