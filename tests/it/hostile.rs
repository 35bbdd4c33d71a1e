//! Hostile input (issue 7): each gives a clear message or a correct build, never a panic, and the
//! other reports and the previous dist/ survive.

use crate::fixtures::*;
use crate::util::*;

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= b as u32;
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// A PNG whose header declares `w`×`h` RGB pixels but whose data is a few bytes (a decompression bomb's shape).
fn png_declaring(w: u32, h: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]); // 8-bit RGB, deflate, adaptive filter, no interlace
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(
        &mut out,
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ); // zlib of nothing
    chunk(&mut out, b"IEND", &[]);
    out
}

#[test]
fn the_crafted_png_header_is_valid_so_the_size_is_what_kanko_sees() {
    // Guards the next test: the image crate reads our header's dimensions.
    let bytes = png_declaring(20000, 20000);
    let r = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .unwrap();
    assert_eq!(r.into_dimensions().unwrap(), (20000, 20000));
    assert_eq!(crc32(b"IEND"), 0xae42_6082);
}

#[test]
fn a_png_declaring_20000_by_20000_pixels_is_refused_with_a_clear_message_and_no_panic() {
    let w = work_with_good();
    w.write("bomb/report.toml", report_toml("bomb", "ja"));
    w.write("bomb/01.md", "# 巨大画像\n\n![巨大な図](images/huge.png)\n");
    w.write("bomb/images/huge.png", png_declaring(20000, 20000));
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/bomb/01.md:3").says("images/huge.png");
    assert!(
        r.stderr.contains("20000"),
        "the message should say how large the image claims to be:\n{}",
        r.stderr
    );
}

#[test]
fn a_ten_thousand_line_chapter_builds() {
    let w = Work::new();
    let mut md = String::from("# 長い章\n\n");
    for i in 1..=10_000 {
        md.push_str(&format!("記録{i}行目。\n"));
        if i % 20 == 0 {
            md.push('\n');
        }
    }
    w.report("long", &[("01.md", &md)]);
    let r = w.build();
    assert!(!panicked(&r), "{}", r.stderr);
    r.ok();
    let text = squash(&pdftotext(&w.pdf("long"), None));
    for s in ["記録1行目。", "記録5000行目。", "記録10000行目。"] {
        assert!(text.contains(s), "{s} missing from the PDF");
    }
    assert!(w.epub("long").is_file());
}

#[test]
fn a_chapter_that_is_one_100000_character_line_builds() {
    let w = Work::new();
    let mut line = String::from("始まり");
    while line.chars().count() < 100_000 - 3 {
        line.push_str("あいうえおかきくけこ");
    }
    line.push_str("終わり");
    w.report("wide", &[("01.md", &format!("# 一行\n\n{line}\n"))]);
    let r = w.build();
    assert!(!panicked(&r), "{}", r.stderr);
    r.ok();
    let text = squash(&pdftotext(&w.pdf("wide"), None));
    assert!(
        text.contains("始まりあいうえお"),
        "the start of the line is missing"
    );
    assert!(
        text.contains("けこ終わり"),
        "the end of the line is missing"
    );
    assert!(w.epub("wide").is_file());
}

#[test]
fn nul_and_control_characters_warn_and_the_report_builds() {
    let w = Work::new();
    w.report("ctrl", &[("01.md", "# 制御文字\n\nNULの前\u{0}NULの後、ベル\u{7}と\u{1b}[31mエスケープ\u{1b}[0mと\u{8}後退。\n")]);
    let r = w.build();
    assert!(!panicked(&r), "{}", r.stderr);
    r.ok().says("warning").says("reports/ctrl/01.md");
    let text = squash(&pdftotext(&w.pdf("ctrl"), None));
    assert!(
        text.contains("NULの前") && text.contains("NULの後"),
        "text around NUL lost:\n{text}"
    );
    assert!(
        text.contains("後退。"),
        "text after control characters lost:\n{text}"
    );
    let x = all_xhtml(&w.epub("ctrl"));
    assert!(
        !x.contains('\u{0}') && !x.contains('\u{1b}') && !x.contains('\u{7}'),
        "control characters are not allowed in XML"
    );
}

#[test]
fn an_image_symlink_leading_out_of_the_report_folder_is_refused() {
    let w = work_with_good();
    let outside = w.dir.path().join("secret.png");
    std::fs::write(&outside, png(40, 40)).unwrap();
    w.write("link/report.toml", report_toml("link", "ja"));
    w.write(
        "link/01.md",
        "# 外部\n\n![外へのリンク](images/secret.png)\n",
    );
    std::fs::create_dir_all(w.reports().join("link/images")).unwrap();
    std::os::unix::fs::symlink(&outside, w.reports().join("link/images/secret.png")).unwrap();
    let r = w.build();
    failed_cleanly(&w, &r, "good");
    r.says("reports/link/01.md:3").says("images/secret.png");
    assert!(!w.pdf("link").exists());
}

#[test]
fn an_image_symlink_inside_the_report_folder_is_fine() {
    let w = Work::new();
    w.report(
        "inlink",
        &[("01.md", "# 内部\n\n![内部リンクの図](images/alias.png)\n")],
    );
    w.write("inlink/images/real.png", png(40, 40));
    std::os::unix::fs::symlink("real.png", w.reports().join("inlink/images/alias.png")).unwrap();
    w.build().ok();
}

#[test]
fn folder_names_with_spaces_or_japanese_are_refused_naming_the_allowed_characters() {
    for bad in ["my report", "報告書2024"] {
        let w = work_with_good();
        w.write(
            &format!("{bad}/report.toml"),
            report_toml("名前の悪い報告書", "ja"),
        );
        w.write(&format!("{bad}/01.md"), "# 本文\n");
        let r = w.build();
        failed_cleanly(&w, &r, "good");
        r.says(bad);
        assert!(
            r.stderr.contains("ASCII") && r.stderr.contains('-') && r.stderr.contains('_'),
            "the message should say which characters a slug may use:\n{}",
            r.stderr
        );
    }
}

#[test]
fn two_reports_with_the_same_title_build_with_a_warning() {
    let w = Work::new();
    for slug in ["first", "second"] {
        w.write(
            &format!("{slug}/report.toml"),
            report_toml("同じ題名の報告書", "ja"),
        );
        w.write(&format!("{slug}/01.md"), "# 本文\n");
    }
    let r = w.build();
    r.ok().says("warning").says("同じ題名の報告書");
    assert!(w.pdf("first").is_file() && w.pdf("second").is_file());
}

#[test]
fn a_published_date_in_the_future_warns_and_builds() {
    let w = Work::new();
    w.write(
        "future/report.toml",
        report_toml("future", "ja").replace("published = 2025-03-28", "published = 2099-03-31"),
    );
    w.write("future/01.md", "# 本文\n");
    let r = w.build();
    r.ok().says("warning").says("2099");
}

#[test]
fn a_previous_good_dist_survives_a_failed_rebuild_byte_for_byte() {
    let w = work_with_good();
    w.report("keep", &[("01.md", "# 残る報告書\n\n最初の版。\n")]);
    w.build().ok();
    let before = tree(&w.dist().join("keep"));
    assert!(!before.is_empty());

    // The editor breaks report.toml and changes the chapter: nothing of "keep" may change in dist/.
    w.write("keep/report.toml", "title = \"壊れた\nproject = \n");
    w.write("keep/01.md", "# 残る報告書\n\n二番目の版。\n");
    let r = w.build();
    assert!(!panicked(&r), "{}", r.stderr);
    r.fails().says("reports/keep/report.toml");
    let after = tree(&w.dist().join("keep"));
    assert_eq!(
        before.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        after.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        "files of the failed report changed"
    );
    for ((n, a), (_, b)) in before.iter().zip(&after) {
        assert!(a == b, "{n} changed after a failed rebuild");
    }
    let catalog = std::fs::read_to_string(w.dist().join("catalog.json")).unwrap();
    assert!(
        catalog.contains("\"keep\""),
        "the failed report left the catalog"
    );
    let index = std::fs::read_to_string(w.dist().join("index.html")).unwrap();
    assert!(
        index.contains("残る報告書") || index.contains("keep"),
        "the failed report left the catalog page"
    );
}

// ------------------------------------------------- HTML elements kanko reads (issue 31, item 12)

/// The tags of an HTML text, lower case (`<a href="…">`, `</p>`).
fn html_tags(html: &str) -> Vec<String> {
    let lower = html.to_lowercase();
    lower
        .split('<')
        .skip(1)
        .filter_map(|s| s.find('>').map(|e| format!("<{}>", &s[..e])))
        .collect()
}

#[test]
fn html_elements_kanko_reads_never_bring_scripts_handlers_styles_or_unsafe_links() {
    let w = Work::new();
    let md = r#"# 敵対的な HTML

<img src="images/a.png" alt="写真" onerror="alert(1)" onload=alert(2) style="position:fixed">

文の中の<img src="images/a.png" alt="小" onerror=alert(3)>画像。<a href="javascript:alert(4)">悪いリンク</a>、<a href=" JaVaScRiPt:alert(5)">大文字</a>、<a href="data:text/html,x">データ</a>、<a href="https://example.org/" onclick="alert(6)" target="_blank">良いリンク</a>。

<span onclick="alert(7)" style="color:red">中身</span>と<script>alert(8)</script>と<iframe src="https://evil.example/"></iframe>。

<span><sup>交差</span></sup>と<sup>閉じない、<ruby>漢<rt onclick="x">かん</rt></ruby>、<sub><sub><sub>深い</sub></sub></sub>。

<div onmouseover="alert(9)"><script>alert(10)</script></div>

<details open ontoggle="alert(11)"><summary>要約</summary>中身</details>
"#;
    w.report("hostile", &[("01.md", md)]);
    w.write("hostile/images/a.png", png(20, 20));
    let run = w.build();
    run.ok();
    assert!(
        run.stderr.contains("javascript:alert(4)"),
        "the refused link is named:\n{}",
        run.stderr
    );
    let epub = w.epub("hostile");
    let mut pages: Vec<(String, String)> = zip_names(&epub)
        .into_iter()
        .filter(|n| n.ends_with(".xhtml"))
        .map(|n| (n.clone(), unzip_text(&epub, &n)))
        .collect();
    let reader = w.dist().join("hostile/reader");
    for e in std::fs::read_dir(&reader).unwrap().filter_map(Result::ok) {
        if e.path().extension().is_some_and(|x| x == "html") {
            let t = std::fs::read_to_string(e.path()).unwrap();
            pages.push((e.path().display().to_string(), t));
        }
    }
    for (name, page) in &pages {
        for tag in html_tags(page) {
            // kanko's own pages load kanko's own scripts (`<script src="textmode.js">`).
            let own_script = tag
                .strip_prefix("<script src=\"")
                .and_then(|r| r.split('"').next())
                .is_some_and(|src| src.ends_with(".js") && !src.contains(':'));
            let bad = tag.starts_with("<script") && !own_script
                || tag.starts_with("<iframe")
                || tag.contains(" on")
                    && ["onerror", "onload", "onclick", "onmouseover", "ontoggle"]
                        .iter()
                        .any(|h| tag.contains(h))
                || tag.contains("javascript:")
                || tag.contains("data:text")
                || tag.contains("target=")
                || (tag.starts_with("<span") || tag.starts_with("<img")) && tag.contains("style=");
            assert!(!bad, "{name} carries {tag}");
        }
    }
    let x: String = pages.iter().map(|(_, p)| p.as_str()).collect();
    // What kanko does not read stays visible as typed.
    for shown in [
        "&lt;script&gt;alert(8)&lt;/script&gt;",
        "&lt;iframe",
        "悪いリンク",
        "交差",
        "閉じない",
        "深い",
    ] {
        assert!(x.contains(shown), "{shown} is not shown:\n{x}");
    }
    assert!(
        x.contains("<a href=\"https://example.org/\">良いリンク</a>"),
        "{x}"
    );
    let text = squash(&pdftotext(&w.pdf("hostile"), None));
    assert!(
        text.contains("<script>alert(8)</script>"),
        "PDF shows the script as text: {text}"
    );
    assert!(
        !text.contains("onerror") && !text.contains("<img"),
        "{text}"
    );
}
