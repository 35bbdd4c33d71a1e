//! `kanko import`: Word manuscripts become report folders that build, with the editor's text.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::docx::{self, Docx, li, p, picture, r, rp, ruby, table, text_box};
use crate::util::{BIN, Run, Work, pdftotext, png, squash};

fn import_in(w: &Work, file: &Path, extra: &[&str], lang: &str) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(w.dir.path())
        .arg("import")
        .arg(file)
        .args(["--reports", "reports"])
        .args(extra)
        .env("LANG", lang)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    Run::from(cmd.output().expect("run kanko import"))
}

fn save(w: &Work, name: &str, bytes: &[u8]) -> PathBuf {
    let p = w.dir.path().join(name);
    std::fs::write(&p, bytes).unwrap();
    p
}

fn read(w: &Work, rel: &str) -> String {
    std::fs::read_to_string(w.reports().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// Every character of `visible` (white space aside) is in `text`.
#[track_caller]
fn has_every_char(text: &str, visible: &[&str], what: &str) {
    let text = squash(text);
    for v in visible {
        for c in squash(v).chars() {
            assert!(text.contains(c), "{what} lacks {c:?} of {v:?}:\n{text}");
        }
    }
}

/// The story document: everything a Japanese report written in Word holds.
fn manuscript() -> (Docx, Vec<&'static str>, Vec<&'static str>) {
    let visible = vec![
        "令和5年度 地域の居場所づくり事業報告書",
        "はじめに",
        "この報告書は",
        "地域",
        "ちいき",
        "の居場所づくりの成果をまとめたものです。",
        "強調した語",
        "斜体の語",
        "取り消し線の語",
        "脚注の本文です。",
        "挿入された文。",
        "目標は３つです。",
        "居場所を開く",
        "担い手を育てる",
        "子ども食堂",
        "記録を残す",
        "調査の方法",
        "アンケートの結果",
        "区分",
        "人数",
        "合計（結合）",
        "120人",
        "利用者数の推移",
        "利用者の声を引用します。",
        "let x = 1;",
        "図形：",
        "箱の中の文字",
        "大切",
        "まとめ",
        "ウェブサイト",
        "https://example.org/",
        "以上。",
    ];
    let hidden = vec![
        "削除された文",
        "コメントの本文",
        "MERGEFORMAT",
        "目次の項目",
    ];
    let png = png(40, 30);
    let body = [
        p(Some("a3"), &r("令和5年度 地域の居場所づくり事業報告書")),
        // A table of contents field, as Word inserts it: kanko makes its own.
        p(Some("a7"), &r("目次")),
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="11"/></w:pPr><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h \z \u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>{}</w:p>"#,
            r("目次の項目")
        ),
        r#"<w:p><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>"#.to_string(),
        p(Some("1"), &r("はじめに")),
        p(
            None,
            &[
                r("この報告書は"),
                ruby("地域", "ちいき"),
                r("の居場所づくりの成果をまとめたものです。"),
                rp("<w:b/>", "強調した語"),
                rp("<w:i/>", "斜体の語"),
                rp("<w:strike/>", "取り消し線の語"),
                r#"<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:footnoteReference w:id="1"/></w:r>"#.into(),
                r#"<w:commentRangeStart w:id="0"/>"#.into(),
                r#"<w:ins w:id="5" w:author="A"><w:r><w:t>挿入された文。</w:t></w:r></w:ins>"#.into(),
                r#"<w:del w:id="6" w:author="A"><w:r><w:delText>削除された文</w:delText></w:r></w:del>"#.into(),
                r#"<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>"#.into(),
            ]
            .concat(),
        ),
        p(
            None,
            &[
                r("目標は"),
                r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> = 3 \* MERGEFORMAT </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>３</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#.into(),
                r("つです。"),
            ]
            .concat(),
        ),
        li(2, 0, "居場所を開く"),
        li(2, 0, "担い手を育てる"),
        li(1, 1, "子ども食堂"),
        li(2, 0, "記録を残す"),
        p(Some("setsu"), &r("調査の方法")),
        r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#.into(),
        p(Some("1"), &r("アンケートの結果")),
        table(&[
            vec![("", "区分"), ("", "人数")],
            vec![(r#"<w:vMerge w:val="restart"/>"#, "合計（結合）"), ("", "120人")],
            vec![("<w:vMerge/>", ""), ("", "")],
        ]),
        p(None, &picture("rIdImg", "棒グラフ：利用者数は3年で2倍")),
        p(Some("a4"), &r("図 1 利用者数の推移")),
        p(Some("a5"), &r("利用者の声を引用します。")),
        p(Some("HTML"), &r("let x = 1;")),
        p(None, &[r("図形："), text_box("箱の中の文字")].concat()),
        p(None, &rp(r#"<w:em w:val="dot"/>"#, "大切")),
        p(Some("1"), &r("まとめ")),
        p(
            None,
            &[
                r#"<w:hyperlink r:id="rIdLink">"#.into(),
                r("ウェブサイト"),
                "</w:hyperlink>".into(),
                r("は https://example.org/ です。以上。"),
            ]
            .concat(),
        ),
        p(None, &r("この事業は「令和5年度（補正予算）独立行政法人福祉医療機構 社会福祉振興助成事業」の一環として実施しました。")),
    ]
    .concat();
    let d = Docx::new()
        .add(&body)
        .numbering(docx::NUMBERING)
        .footnote(1, "脚注の本文です。")
        .image("rIdImg", "image1.png", png)
        .link("rIdLink", "https://example.org/")
        .core("別の題", "山田 花子; user", "2024-03-29T09:00:00Z")
        .company("NPO法人 みどりの家");
    (d, visible, hidden)
}

#[test]
fn a_japanese_word_manuscript_becomes_a_report_that_builds_with_every_character() {
    let w = Work::new();
    let (d, visible, hidden) = manuscript();
    let file = save(&w, "2023-ibasho.docx", &d.bytes());
    let run = import_in(&w, &file, &[], "ja_JP.UTF-8");
    run.ok()
        .says("取り込みました")
        .says("章 3、図 1、表 1、脚注 1、ルビ 1")
        .says("第2章 第2段落: 結合されたセル")
        .says("圏点")
        .says("テキストボックス")
        .says("`project`");
    let toml = read(&w, "2023-ibasho/report.toml");
    for want in [
        "title = \"令和5年度 地域の居場所づくり事業報告書\"",
        "project = \"（事業名を記入）\"",
        "fiscal_year = 2023",
        "publisher = \"NPO法人 みどりの家\"",
        "published = 2024-03-29",
        "authors = [\"山田 花子\"]",
        "name = \"独立行政法人福祉医療機構\"",
        "program = \"社会福祉振興助成事業\"",
        "budget = \"補正予算\"",
    ] {
        assert!(toml.contains(want), "report.toml lacks {want}:\n{toml}");
    }
    let ch1 = read(&w, "2023-ibasho/01.md");
    let ch2 = read(&w, "2023-ibasho/02.md");
    let ch3 = read(&w, "2023-ibasho/03.md");
    assert!(ch3.starts_with("# まとめ\n"), "{ch3}");
    assert!(
        ch3.contains("[ウェブサイト](https://example.org/)"),
        "{ch3}"
    );
    for want in [
        "# はじめに",
        "{地域|ちいき}",
        "**強調した語**",
        "*斜体の語*",
        "~~取り消し線の語~~",
        "[^1]",
        "[^1]: 脚注の本文です。",
        "1. 居場所を開く",
        "    - 子ども食堂",
        "## 調査の方法",
    ] {
        assert!(ch1.contains(want), "01.md lacks {want}:\n{ch1}");
    }
    for want in [
        "# アンケートの結果",
        "| 区分 | 人数 |",
        "| 合計（結合） | 120人 |",
        "![棒グラフ：利用者数は3年で2倍](images/image1.png \"利用者数の推移\")",
        "> 利用者の声を引用します。",
        "```\nlet x = 1;\n```",
    ] {
        assert!(ch2.contains(want), "02.md lacks {want}:\n{ch2}");
    }
    let all = format!("{toml}{ch1}{ch2}{ch3}");
    for h in &hidden {
        assert!(!all.contains(h), "{h} should have been dropped:\n{all}");
    }
    assert!(
        !all.contains("一環として実施しました"),
        "the credit sentence stays in the text"
    );
    assert!(w.reports().join("2023-ibasho/images/image1.png").is_file());

    // The report builds (a warning for the placeholder) to PDF and EPUB with the text.
    w.build_with(&["--formats", "pdf,epub"])
        .ok()
        .says("project");
    let pdf = pdftotext(&w.pdf("2023-ibasho"), None);
    has_every_char(&pdf, &visible, "PDF");
    for phrase in [
        "アンケートの結果",
        "利用者の声を引用します。",
        "挿入された文。",
        "合計（結合）",
    ] {
        assert!(squash(&pdf).contains(phrase), "PDF lacks {phrase}");
    }
    assert!(squash(&pdf).contains("この事業は「令和5年度（補正予算）独立行政法人福祉医療機構社会福祉振興助成事業」の一環として実施しました。"), "kanko prints the credit itself");
    for h in &hidden {
        assert!(!squash(&pdf).contains(h), "{h} in the PDF");
    }
    assert!(w.epub("2023-ibasho").is_file());

    // check fails until the placeholder is filled, then passes.
    w.kanko(&["check", "--reports", "reports"])
        .fails()
        .says("project");
    let filled = toml.replace("（事業名を記入）", "地域の居場所づくり事業");
    w.write("2023-ibasho/report.toml", filled);
    let again = w.kanko(&["check", "--reports", "reports"]);
    assert!(!again.stderr.contains("placeholder"), "{}", again.stderr);
}

#[test]
fn the_summary_is_in_english_outside_a_japanese_locale() {
    let w = Work::new();
    let (d, _, _) = manuscript();
    let file = save(&w, "Ibasho Report.docx", &d.bytes());
    import_in(&w, &file, &[], "C.UTF-8")
        .ok()
        .says("imported:")
        .says("3 chapter(s), 1 figure(s), 1 table(s), 1 footnote(s), 1 ruby")
        .says("chapter 2, paragraph 2: merged cells");
    assert!(
        w.reports().join("ibasho-report/01.md").is_file(),
        "slug from the file name"
    );
}

/// What an editor may type in Word that is markup in Markdown, Typst or HTML.
const HOSTILE: &str = r#"記号 #let x = 1; <b>太字</b> $x$ \ * _ [リンク](url) `code` {#id} &amp; ~~取消~~ | 表 | [^1]"#;

#[test]
fn vertical_text_and_a_document_without_properties_or_headings() {
    let w = Work::new();
    let d = Docx::new().add(
        &[
            p(None, &r("縦書きの本文です。")),
            p(None, &r(HOSTILE)),
            p(None, &r("- 1. # > 行頭の記号")),
            r#"<w:sectPr><w:textDirection w:val="tbRl"/></w:sectPr>"#.to_string(),
        ]
        .concat(),
    );
    let file = save(&w, "tate.docx", &d.bytes());
    import_in(&w, &file, &[], "ja_JP.UTF-8").ok();
    let toml = read(&w, "tate/report.toml");
    assert!(toml.contains("writing_mode = \"vertical\""), "{toml}");
    for key in ["title", "fiscal_year", "publisher", "published"] {
        assert!(
            toml.contains(&format!("{key} = \"（")),
            "{key} placeholder:\n{toml}"
        );
    }
    assert!(read(&w, "tate/01.md").starts_with("# tate\n"));
    w.build_with(&["--formats", "pdf,epub"])
        .ok()
        .says("placeholder");
    let pdf = squash(&pdftotext(&w.pdf("tate"), None));
    has_every_char(&pdf, &["縦書きの本文です。", HOSTILE], "PDF");
    for typed in [squash(HOSTILE), squash("- 1. # > 行頭の記号")] {
        assert!(
            pdf.contains(&typed),
            "typed text changed on the way: {typed}\n{pdf}"
        );
    }
    w.kanko(&["check", "--reports", "reports"]).fails();
}

#[test]
fn what_is_not_a_docx_is_refused_with_what_to_do_and_nothing_is_written() {
    let w = Work::new();
    let mut doc = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    doc.extend([0u8; 600]);
    let mut encrypted = doc.clone();
    encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    let no_main = docx::zip_files(&[("hello.txt".into(), b"hi".to_vec())]);
    let mut truncated = Docx::new().add(&p(None, &r("本文"))).bytes();
    truncated.truncate(truncated.len() / 2);
    let bad_xml = docx::zip_files(&[("word/document.xml".into(), b"\x00\x01 not XML".to_vec())]);
    let cases: [(&str, Vec<u8>, &str); 6] = [
        ("old.docx", doc, "古い形式の Word 文書（.doc）"),
        ("locked.docx", encrypted, "パスワード"),
        (
            "text.docx",
            b"just text".to_vec(),
            ".docx ファイルではありません",
        ),
        (
            "nomain.docx",
            no_main,
            "本文（document.xml）が見つかりません",
        ),
        ("half.docx", truncated, ".docx ファイルではありません"),
        ("badxml.docx", bad_xml, "本文が読めません"),
    ];
    for (name, bytes, says) in cases {
        let file = save(&w, name, &bytes);
        let run = import_in(&w, &file, &[], "ja_JP.UTF-8");
        assert_ne!(run.code, 101, "{name} panicked: {}", run.stderr);
        run.fails().says(says).says("docx");
        assert!(
            run.stderr.contains("保存し直して") || run.stderr.contains("パスワード"),
            "{}",
            run.stderr
        );
    }
    assert!(
        !w.reports().exists() || std::fs::read_dir(w.reports()).unwrap().next().is_none(),
        "something was written"
    );
}

#[test]
fn an_existing_folder_is_never_overwritten_and_an_unusable_name_asks_for_a_slug() {
    let w = Work::new();
    let d = Docx::new().add(&p(None, &r("本文")));
    let file = save(&w, "houkoku.docx", &d.bytes());
    w.write("houkoku/report.toml", "keep me");
    import_in(&w, &file, &[], "ja_JP.UTF-8")
        .fails()
        .says("既にあります");
    assert_eq!(read(&w, "houkoku/report.toml"), "keep me");
    let ja = save(&w, "報告書.docx", &d.bytes());
    let run = import_in(&w, &ja, &[], "ja_JP.UTF-8");
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(run.stderr.contains("--slug"), "{}", run.stderr);
    import_in(&w, &ja, &["--slug", "2024-houkoku"], "ja_JP.UTF-8").ok();
    assert!(w.reports().join("2024-houkoku/01.md").is_file());
    let stray: Vec<_> = std::fs::read_dir(w.reports())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with("_import"))
        .collect();
    assert!(stray.is_empty(), "temporary folders left behind");
}

/// Text of the `w:t` elements of a part outside deletions: what the document shows.
fn shown_text(docx: &Path) -> String {
    let f = std::fs::File::open(docx).unwrap();
    let mut a = zip::ZipArchive::new(f).unwrap();
    let mut xml = String::new();
    if let Ok(mut e) = a.by_name("word/document.xml") {
        std::io::Read::read_to_string(&mut e, &mut xml).unwrap();
    }
    let mut out = String::new();
    for piece in xml.split("<w:t").skip(1) {
        if !(piece.starts_with('>') || piece.starts_with(' ')) {
            continue;
        }
        let Some(start) = piece.find('>') else {
            continue;
        };
        let Some(end) = piece.find("</w:t>") else {
            continue;
        };
        if start < end {
            out.push_str(&piece[start + 1..end]);
            out.push(' ');
        }
    }
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
}

#[test]
fn real_word_files_from_other_converters_import_and_build_with_their_text() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/docx");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "docx"))
        .collect();
    files.sort();
    assert!(files.len() >= 8, "vendored files missing: {files:?}");
    let w = Work::new();
    let mut slugs = Vec::new();
    for (i, f) in files.iter().enumerate() {
        let slug = format!("real-{i:02}");
        let run = import_in(&w, f, &["--slug", &slug], "C.UTF-8");
        assert_ne!(run.code, 101, "{} panicked:\n{}", f.display(), run.stderr);
        run.ok();
        let mut md = String::new();
        for e in std::fs::read_dir(w.reports().join(&slug))
            .unwrap()
            .flatten()
        {
            // The title moves to report.toml.
            if e.path()
                .extension()
                .is_some_and(|x| x == "md" || x == "toml")
            {
                md.push_str(&std::fs::read_to_string(e.path()).unwrap());
            }
        }
        let shown = shown_text(f);
        has_every_char(&md, &[shown.as_str()], &format!("{} Markdown", f.display()));
        slugs.push((slug, shown));
    }
    w.build_with(&["--formats", "pdf"]).ok();
    for (slug, shown) in &slugs {
        has_every_char(&pdftotext(&w.pdf(slug), None), &[shown.as_str()], slug);
    }
}

#[test]
fn what_cannot_be_carried_over_exactly_is_listed_with_its_place_and_its_text_kept() {
    let w = Work::new();
    let list_cell = format!(
        "<w:tbl><w:tr><w:tc>{}</w:tc><w:tc>{}{}</w:tc></w:tr></w:tbl>",
        p(None, &r("手順")),
        li(1, 0, "受付をする"),
        li(1, 0, "記録する")
    );
    let linked = r#"<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:docPr id="3" name="p"/><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:link="rIdFar"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#;
    let d = Docx::new()
        .add(
            &[
                p(Some("1"), &r("第1章")),
                p(None, &r("本文")),
                list_cell,
                p(None, &[r("遠くの画像："), linked.to_string()].concat()),
                p(None, &picture("rIdGif", "動く絵")),
            ]
            .concat(),
        )
        .numbering(docx::NUMBERING)
        .link("rIdFar", "https://example.org/far.png")
        .image("rIdGif", "anim.gif", b"GIF89a\x01\x00\x01\x00".to_vec());
    let file = save(&w, "limits.docx", &d.bytes());
    import_in(&w, &file, &[], "ja_JP.UTF-8")
        .ok()
        .says("第1章 第3段落: 表の中に箇条書き")
        .says("第1章 第4段落: リンクされた（埋め込まれていない）画像 https://example.org/far.png")
        .says("images/anim.gif は kanko で使えない形式");
    let md = read(&w, "limits/01.md");
    assert!(md.contains("手順 ／ 受付をする 記録する"), "{md}");
    assert!(
        !md.contains("anim.gif"),
        "an image kanko cannot show is not referenced:\n{md}"
    );
    assert!(
        w.reports().join("limits/images/anim.gif").is_file(),
        "but it is kept"
    );
    w.build_with(&["--formats", "pdf"]).ok();
    has_every_char(
        &pdftotext(&w.pdf("limits"), None),
        &["手順", "受付をする", "記録する", "遠くの画像："],
        "PDF",
    );
}
