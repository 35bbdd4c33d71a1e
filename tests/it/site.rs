//! `[site]` in kanko.toml (issue 30): colours that fail WCAG AA contrast, unsafe URLs and a missing
//! logo are refused with the key, the file, line and column; a good table reaches every page.

use crate::util::*;

fn site(w: &Work, table: &str) {
    w.write(
        "kanko.toml",
        format!("title = \"報告書\"\norganization = \"NPO法人 みどり\"\n\n[site]\n{table}"),
    );
}

#[test]
fn an_accent_that_fails_contrast_is_refused_with_the_contrast_measured() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    w.build().ok();
    let before = std::fs::read(w.dist().join("index.html")).unwrap();
    site(
        &w,
        "home = \"https://example.org/\"\naccent = \"#88c0a8\"\n",
    );
    w.build()
        .fails()
        .says("kanko.toml:6:10")
        .says("`[site] accent`")
        .says("#88c0a8")
        .says("2.07:1 with white text")
        .says("1.90:1 as text on the catalog's background")
        .says("4.5:1");
    // the previous catalog is left as it was
    assert_eq!(std::fs::read(w.dist().join("index.html")).unwrap(), before);
}

#[test]
fn a_cover_colour_that_fails_contrast_is_refused() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    // #777777 takes white text on the cover: 4.48:1, just under AA
    site(&w, "cover_color = \"#777777\"\n");
    w.build()
        .fails()
        .says("kanko.toml:5:15")
        .says("`[site] cover_color`")
        .says("4.48:1 with the cover's white text");
    site(&w, "cover_color = \"blue\"\n");
    w.build()
        .fails()
        .says("kanko.toml:5:15")
        .says("must be a colour like");
}

#[test]
fn script_urls_and_a_missing_logo_are_refused_with_their_place() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    site(&w, "home = \"javascript:alert(1)\"\n");
    w.build()
        .fails()
        .says("kanko.toml:5:8")
        .says("`[site] home`");
    site(
        &w,
        "[[site.links]]\ntitle = \"お問い合わせ\"\nurl = \"data:text/html,<script>alert(1)</script>\"\n",
    );
    w.build()
        .fails()
        .says("kanko.toml:7:7")
        .says("[[site.links]] url");
    site(&w, "logo = \"../logo.svg\"\n");
    w.build()
        .fails()
        .says("kanko.toml:5:8")
        .says("`[site] logo`")
        .says("..");
    site(&w, "logo = \"logo.png\"\n");
    w.build().fails().says("kanko.toml:5:8").says("logo.png");
    site(&w, "logoo = \"logo.png\"\n");
    w.build()
        .fails()
        .says("kanko.toml:5:1")
        .says("did you mean `logo`?");
}

#[test]
fn a_good_site_table_reaches_the_pages_as_escaped_data() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    w.write("logo.png", png(600, 200));
    site(
        &w,
        "home = \"https://example.org/\"\nlogo = \"logo.png\"\nlogo_alt = \"みどりのロゴ\"\naccent = \"#1f6f5c\"\ncover_color = \"#5a2d82\"\n\n[[site.links]]\ntitle = \"<script>alert(1)</script>お問い合わせ\"\nurl = \"https://example.org/contact/?a=1&b=<2>\"\n",
    );
    w.build().ok();
    let index = std::fs::read_to_string(w.dist().join("index.html")).unwrap();
    assert!(
        index.contains("&lt;script&gt;alert(1)&lt;/script&gt;お問い合わせ"),
        "{index}"
    );
    assert!(!index.contains("<script>alert(1)"), "{index}");
    assert!(index.contains("href=\"https://example.org/contact/?a=1&amp;b=&lt;2&gt;\""));
    assert!(index.contains("alt=\"みどりのロゴ\""));
    assert!(index.contains("--accent:#1f6f5c"));
    // the raster logo is scaled down for the header, and written beside the catalog
    let logo = image::open(w.dist().join("site-logo.png")).unwrap();
    assert_eq!((logo.width(), logo.height()), (480, 160));
    let page = std::fs::read_to_string(w.dist().join("r/index.html")).unwrap();
    assert!(
        page.contains("src=\"../site-logo.png\"") && page.contains("href=\"https://example.org/\"")
    );
    let reader = std::fs::read_to_string(w.dist().join("r/reader/index.html")).unwrap();
    assert!(reader.contains("&lt;script&gt;alert(1)&lt;/script&gt;お問い合わせ"));
    assert!(reader.contains("src=\"../../site-logo.png\""));
    // the report has no [cover] color of its own: the site's cover colour is on its cover
    let cover = image::open(w.dist().join("r/cover.webp"))
        .unwrap()
        .to_rgb8();
    let p = cover.get_pixel(cover.width() / 2, 8);
    let near = |a: u8, b: u8| (i32::from(a) - i32::from(b)).abs() <= 12;
    assert!(
        near(p[0], 0x5a) && near(p[1], 0x2d) && near(p[2], 0x82),
        "cover top pixel {p:?}"
    );
    let latest = std::fs::read_to_string(w.dist().join("latest.html")).unwrap();
    assert!(
        latest.contains("href=\"r/reader/index.html\" target=\"_top\""),
        "{latest}"
    );
    assert!(!latest.contains("<script"));
}

#[test]
fn without_a_site_table_the_pages_carry_no_site_parts() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    w.build().ok();
    let index = std::fs::read_to_string(w.dist().join("index.html")).unwrap();
    assert!(
        !index.contains("site-links") && !index.contains("<style>") && !index.contains("canonical")
    );
    let page = std::fs::read_to_string(w.dist().join("r/index.html")).unwrap();
    assert!(page.contains("<header class=\"site-header small\"><p><a href=\"../index.html\">"));
    let reader = std::fs::read_to_string(w.dist().join("r/reader/index.html")).unwrap();
    assert!(
        !reader.contains("kr-org") && !reader.contains("{{"),
        "{reader}"
    );
    assert!(reader.contains("<link rel=\"stylesheet\" href=\"reader.css\">\n</head>"));
    assert!(!w.dist().join("site-logo.svg").exists());
    assert!(w.dist().join("latest.html").is_file());
}

#[test]
fn a_sharded_build_with_a_logo_merges_into_the_one_machine_site() {
    let w = Work::new();
    for slug in ["alpha", "beta", "gamma"] {
        w.report(slug, &[("01.md", "# 題\n\n本文です。\n")]);
    }
    w.write(
        "logo.svg",
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30"><rect width="90" height="30" fill="#1f6f5c"/></svg>"##,
    );
    site(
        &w,
        "home = \"https://example.org/\"\nlogo = \"logo.svg\"\naccent = \"#1f6f5c\"\n",
    );
    let common = ["--formats", "pdf", "--base-url", "https://example.org/r"];
    w.build_with(&common).ok();
    let plain = tree(&w.dist());
    assert!(plain.iter().any(|(p, _)| p == "site-logo.svg"));
    for i in 1..=2 {
        let (dir, spec) = (format!("shard-{i}"), format!("{i}/2"));
        let mut args = vec![
            "build",
            "--reports",
            "reports",
            "--out",
            &dir,
            "--shard",
            &spec,
        ];
        args.extend(common);
        w.kanko(&args).ok();
    }
    w.kanko(&["merge", "--out", "merged", "shard-1", "shard-2"])
        .ok();
    assert_eq!(
        tree(&w.dir.path().join("merged")),
        plain,
        "the merged site differs from a plain build"
    );
}

#[test]
fn a_logo_without_an_organisation_name_still_names_its_link() {
    let w = Work::new();
    w.report("r", &[("01.md", "# 題\n\n本文です。\n")]);
    w.write("logo.png", png(90, 30));
    w.write(
        "kanko.toml",
        "title = \"報告書\"\n\n[site]\nhome = \"https://example.org/\"\nlogo = \"logo.png\"\n",
    );
    w.build().ok();
    let index = std::fs::read_to_string(w.dist().join("index.html")).unwrap();
    assert!(
        index.contains("<a href=\"https://example.org/\"><img class=\"logo\" src=\"site-logo.png\" alt=\"ホーム\""),
        "{index}"
    );
}
