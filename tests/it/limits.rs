//! Resource limits: a small file can never take the whole machine. A zip bomb .docx is refused
//! while reading, entities in Word's XML are never expanded or fetched, and a chapter, a
//! paragraph or a report past its size gets an error naming the file and how to split it,
//! before anything is typeset, while the other reports still build.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use crate::docx::{W, zip_files};
use crate::util::{BIN, Run, Work, report_toml};

fn import(w: &Work, file: &Path) -> Run {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(w.dir.path())
        .arg("import")
        .arg(file)
        .args(["--reports", "reports"])
        .env("LANG", "C.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    Run::from(cmd.output().expect("run kanko import"))
}

const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

fn docx_with(document: Vec<u8>) -> Vec<u8> {
    zip_files(&[
        ("_rels/.rels".into(), RELS.as_bytes().to_vec()),
        ("word/document.xml".into(), document),
    ])
}

#[test]
fn a_zip_bomb_docx_is_refused_while_reading_and_nothing_is_written() {
    let w = Work::new();
    // About 200 KB of deflate that inflates to 200 MB: one paragraph repeated.
    let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default();
    z.start_file("_rels/.rels", opts).unwrap();
    z.write_all(RELS.as_bytes()).unwrap();
    z.start_file("word/document.xml", opts).unwrap();
    z.write_all(format!(r#"<w:document xmlns:w="{W}"><w:body>"#).as_bytes())
        .unwrap();
    let para = b"<w:p><w:r><w:t>bomb</w:t></w:r></w:p>".repeat(1 << 16);
    for _ in 0..80 {
        z.write_all(&para).unwrap();
    }
    z.write_all(b"</w:body></w:document>").unwrap();
    let bytes = z.finish().unwrap().into_inner();
    assert!(bytes.len() < 2_000_000, "{}", bytes.len());
    let file = w.dir.path().join("bomb.docx");
    std::fs::write(&file, &bytes).unwrap();
    import(&w, &file)
        .fails()
        .says("bomb.docx")
        .says("word/document.xml")
        .says("zip bomb");
    assert!(!w.reports().join("bomb").exists(), "nothing is written");
    let left: Vec<_> = std::fs::read_dir(w.reports()).unwrap().flatten().collect();
    assert!(left.is_empty(), "temporary folders left behind: {left:?}");
}

#[test]
fn entities_in_word_xml_are_never_expanded_or_fetched() {
    let w = Work::new();
    let secret = w.dir.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-LINE").unwrap();
    let laughs: String = (1..=9)
        .map(|i| {
            let prev = if i == 1 {
                "lol".to_string()
            } else {
                format!("&lol{};", i - 1).repeat(10)
            };
            format!(r#"<!ENTITY lol{i} "{prev}">"#)
        })
        .collect();
    let doc = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol">{laughs}<!ENTITY xxe SYSTEM "file://{}">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>笑い&lol9;終わり</w:t></w:r></w:p><w:p><w:r><w:t>外部&xxe;参照</w:t></w:r></w:p></w:body></w:document>"#,
        secret.display()
    );
    let file = w.dir.path().join("entities.docx");
    std::fs::write(&file, docx_with(doc.into_bytes())).unwrap();
    import(&w, &file).ok();
    let md = std::fs::read_to_string(w.reports().join("entities/01.md")).unwrap();
    assert!(
        md.contains("笑い") && md.contains("終わり") && md.contains("外部"),
        "{md}"
    );
    assert!(!md.contains("lollol"), "an entity was expanded:\n{md}");
    assert!(
        !md.contains("TOP-SECRET"),
        "an external entity was read:\n{md}"
    );
    assert!(md.len() < 10_000, "{}", md.len());
}

#[test]
fn a_chapter_a_paragraph_or_a_report_too_large_is_refused_before_typesetting() {
    let w = Work::new();
    // 5.4 MB chapter of ordinary paragraphs.
    let para = "地域の子どもたちが安心して過ごせる居場所をつくるために活動しています。\n\n";
    w.report(
        "big",
        &[("01.md", &format!("# 大きな章\n\n{}", para.repeat(52_000)))],
    );
    // One paragraph of 250,000 characters on line 3.
    w.report(
        "long",
        &[(
            "01.md",
            &format!("# 長い段落\n\n{}\n", "あ".repeat(250_000)),
        )],
    );
    // Three chapters of 4 MB each: each is allowed, together too much.
    w.write("many/report.toml", report_toml("many", "ja"));
    for i in 1..=3 {
        w.write(
            &format!("many/0{i}.md"),
            format!("# 章{i}\n\n{}", para.repeat(38_000)),
        );
    }
    w.report("fine", &[("01.md", "# 題\n\n本文です。\n")]);
    let run = w.build_with(&["--formats", "pdf"]);
    run.fails()
        .says("reports/big/01.md:1:1")
        .says("chapter file is too large")
        .says("split it at its headings")
        .says("reports/long/01.md:3:1")
        .says("250000 characters")
        .says("blank lines")
        .says("reports/many/report.toml")
        .says("several reports");
    assert!(w.pdf("fine").is_file(), "the other reports still build");
    for slug in ["big", "long", "many"] {
        assert!(!w.pdf(slug).exists(), "{slug} was typeset");
    }
}
