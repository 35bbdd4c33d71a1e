//! Typesetting: the document tree goes to Typst as data and comes back as laid-out pages.
//!
//! One compile per report; the PDF, the reader's page images and text, the EPUB page list and
//! the cover thumbnail all reuse the same `PagedDocument`.

pub mod data;
pub mod extra_fonts;
pub mod fonts;
pub mod frames;
mod missing_glyph;
pub mod outline;
pub mod world;

use std::collections::{BTreeSet, HashMap};

use typst::diag::SourceDiagnostic;
use typst::foundations::{Label, Selector, Value};
use typst::introspection::Introspector;
use typst::utils::PicoStr;
use typst::{World, WorldExt};
use typst_layout::PagedDocument;

use crate::diag::Diag;
use crate::manuscript::Report;
use world::{Env, ReportWorld};

pub struct Typeset {
    pub doc: PagedDocument,
    /// Block id (`b17`) → page number (from 1) where the block starts.
    pub block_pages: HashMap<String, usize>,
    /// Chapter id (`ch2`) → first page.
    pub chapter_pages: HashMap<String, usize>,
    pub warnings: Vec<Diag>,
    /// Problems that keep the PDF from claiming PDF/UA-1 (found by kanko before Typst does).
    pub ua_blockers: Vec<Diag>,
}

pub fn typeset(env: &Env, r: &Report) -> Result<Typeset, Vec<Diag>> {
    let (doc, mut warnings) = compile(env, r, &data::report_json(r))?;
    let (block_pages, chapter_pages) = positions(&doc);
    let ua_blockers = ua_checks(env, r, &mut warnings);
    Ok(Typeset {
        doc,
        block_pages,
        chapter_pages,
        warnings,
        ua_blockers,
    })
}

/// Lays out `data` (the report's JSON, perhaps with the print variant's `print` key).
pub fn compile(
    env: &Env,
    r: &Report,
    data: &serde_json::Value,
) -> Result<(PagedDocument, Vec<Diag>), Vec<Diag>> {
    let mut files = vec![(
        world::DATA.to_string(),
        serde_json::to_vec(data).unwrap_or_default(),
    )];
    for (rel, a) in &r.assets {
        files.push((data::image_vpath(rel, &r.assets), a.print.clone()));
    }
    let p = r.meta.published;
    let world = ReportWorld::new(env, files, (p.year, p.month, p.day));
    let warned = typst::compile::<PagedDocument>(&world);
    let doc = warned.output.map_err(|errs| {
        errs.iter()
            .map(|e| typst_diag(&world, e, r, true))
            .collect::<Vec<_>>()
    })?;
    let warnings: Vec<Diag> = warned
        .warnings
        .iter()
        .filter(|w| !w.message.contains("unknown font family"))
        .map(|w| typst_diag(&world, w, r, false))
        .collect();
    Ok((doc, warnings))
}

fn typst_diag(world: &ReportWorld, d: &SourceDiagnostic, r: &Report, error: bool) -> Diag {
    let mut msg = format!("typesetting: {}", d.message);
    for h in &d.hints {
        msg.push_str(&format!(" (hint: {})", h.v));
    }
    let base = if error {
        Diag::error(msg)
    } else {
        Diag::warning(msg)
    };
    let id = d.span.id();
    match (id, world.range(d.span)) {
        (Some(id), Some(range)) => {
            let path = id.vpath().get_with_slash().to_string();
            let line = world
                .source(id)
                .ok()
                .map(|s| crate::diag::line_col(s.text(), range.start))
                .unwrap_or((0, 0));
            base.help(format!("in kanko's layout {path}:{}:{}", line.0, line.1))
                .in_file(&r.dir)
        }
        _ => base.in_file(&r.dir),
    }
}

fn positions(doc: &PagedDocument) -> (HashMap<String, usize>, HashMap<String, usize>) {
    let intro = doc.introspector();
    let find = |label: &str| {
        let mut map = HashMap::new();
        let Some(label) = Label::new(PicoStr::intern(label)) else {
            return map;
        };
        for elem in intro.query(&Selector::Label(label)) {
            let (Some(loc), Ok(Value::Str(id))) = (elem.location(), elem.get_by_name("value"))
            else {
                continue;
            };
            if let Some(page) = intro.page(loc) {
                map.entry(id.to_string()).or_insert(page.get());
            }
        }
        map
    };
    (find("kanko-block"), find("kanko-chapter"))
}

/// Finds what PDF/UA-1 refuses before Typst does, so the editor gets file:line. Skipped heading
/// levels and images without alt text are no longer among them: the tree renumbers the levels
/// (`manuscript::levels`) and an empty alt marks a decorative image (an artifact).
fn ua_checks(env: &Env, r: &Report, warnings: &mut Vec<Diag>) -> Vec<Diag> {
    let mut blockers = Vec::new();
    let mut checked: HashMap<char, bool> = HashMap::new();
    for ch in &r.chapters {
        let file = r.dir.join(&ch.file);
        let mut text = String::new();
        crate::doc::collect_text(&ch.blocks, &mut text);
        for n in &ch.notes {
            crate::doc::collect_text(&n.body, &mut text);
        }
        let missing: BTreeSet<char> = text
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .filter(|c| {
                !*checked
                    .entry(*c)
                    .or_insert_with(|| env.fonts.covers(*c) || is_invisible(*c))
            })
            .collect();
        if !missing.is_empty() {
            let list: String = missing
                .iter()
                .map(|c| format!("{c} (U+{:04X}) ", *c as u32))
                .collect();
            let list = list.trim_end();
            let d = Diag::warning(crate::t!(
                "次の文字は同梱のどのフォントにもなく、空の四角で印刷されるおそれがあります（no shipped font has these characters）: {list}",
                "no shipped font has these characters, they may print as empty boxes: {list}"
            ))
            .in_file(&file)
            .help(crate::typeset::extra_fonts::how_to_add());
            warnings.push(d.clone());
            blockers.push(d);
        }
    }
    blockers
}

fn is_invisible(c: char) -> bool {
    matches!(c as u32, 0x200B..=0x200F | 0x2060..=0x2064 | 0xFE00..=0xFE0F | 0xFEFF | 0xE0100..=0xE01EF)
}

#[cfg(test)]
pub(crate) mod tests {
    //! Text is text: any string in the tree comes out of Typst as the same characters,
    //! never as code. Property-tested with a fixed seed over hostile character soup.

    use std::sync::OnceLock;

    use proptest::prelude::*;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    use super::*;
    use crate::doc::{Block, Inline, Pos};

    /// A runner with a fixed seed: the same cases on every run and in CI.
    fn fixed_runner(cases: u32, seed: u8) -> TestRunner {
        let config = Config {
            cases,
            failure_persistence: None,
            ..Config::default()
        };
        TestRunner::new_with_rng(
            config,
            TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
        )
    }

    /// One font set for all unit tests that typeset.
    pub(crate) fn env() -> &'static Env {
        static ENV: OnceLock<Env> = OnceLock::new();
        ENV.get_or_init(Env::new)
    }

    fn base_report() -> Report {
        report_from("# 見出し\n\n本文\n")
    }

    /// A loaded one-chapter report with minimal metadata and `md` as its chapter.
    pub(crate) fn report_from(md: &str) -> Report {
        let dir = tempfile::tempdir().unwrap();
        let r = dir.path().join("t");
        std::fs::create_dir_all(&r).unwrap();
        std::fs::write(
            r.join("report.toml"),
            "title = \"t\"\nproject = \"p\"\nfiscal_year = 2024\npublisher = \"x\"\npublished = 2025-03-28\n[[funders]]\nname = \"n\"\nprogram = \"p\"\n",
        )
        .unwrap();
        std::fs::write(r.join("01.md"), md).unwrap();
        let loaded = crate::manuscript::load(&r);
        let report = loaded.report.expect("the test report loads");
        std::mem::forget(dir);
        report
    }

    fn page_text(t: &Typeset) -> String {
        t.doc
            .pages()
            .iter()
            .flat_map(|p| frames::text_lines(&p.frame))
            .map(|l| l.text)
            .collect::<String>()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect()
    }

    /// Pieces of Typst, HTML and Markdown syntax, Japanese, and odd Unicode.
    fn hostile() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "#set page(width: 1cm)",
            "#set text(size: 1pt)",
            "$x = 1$",
            "<intro>",
            "@intro",
            "#",
            "=",
            "==",
            "//",
            "/*",
            "*/",
            "\\",
            "\\\\",
            "*",
            "_",
            "`",
            "```",
            "[",
            "]",
            "{",
            "}",
            "(",
            ")",
            "\"",
            "'",
            "#emph[強調]",
            "#import \"x\"",
            "#eval(\"1\")",
            "<script>alert(1)</script>",
            "&amp;",
            "~",
            "-",
            "---",
            "...",
            "居場所",
            "令和",
            "ｶﾀｶﾅ",
            "①",
            "𠮷",
            "😀",
            "ＡＢＣ",
            "a",
            "1",
            " ",
            "é",
            "Ω",
        ]);
        prop::collection::vec(pieces, 1..12).prop_map(|v| v.concat())
    }

    /// Every character of the typeset text with its left edge and advance in pt, in order.
    fn char_xs(t: &Typeset) -> Vec<(char, f64, f64)> {
        let mut out = vec![];
        for p in t.doc.pages() {
            let ts = typst::layout::Transform::identity();
            frames::each_item(&p.frame, ts, &mut |pos, item, ts| {
                if let typst::layout::FrameItem::Text(text) = item {
                    let mut x = pos.transform(ts).x;
                    for g in &text.glyphs {
                        let c = text.text[g.range()].chars().next().unwrap_or(' ');
                        let adv = g.x_advance.at(text.size);
                        out.push((c, x.to_pt(), adv.to_pt()));
                        x += adv;
                    }
                }
            });
        }
        out
    }

    #[test]
    fn a_long_reading_hangs_over_kana_but_pushes_kanji_away() {
        // ちゅうちょ at half size is 2.5 em over a 2 em base: 0.25 em too long on each side.
        let r = report_from("# 見出し\n\nかな{躊躇|ちゅうちょ}かな\n\n漢字{躊躇|ちゅうちょ}漢字\n");
        let t = typeset(env(), &r).expect("typesets");
        let xs = char_xs(&t);
        let gap = |before: char| {
            let k = xs
                .windows(2)
                .position(|w| w[0].0 == before && w[1].0 == '躊')
                .unwrap_or_else(|| panic!("{before}躊 not found in {xs:?}"));
            // what lies between the neighbour's advance and the base is padding
            xs[k + 1].1 - (xs[k].1 + xs[k].2)
        };
        let (kana, kanji) = (gap('な'), gap('字'));
        assert!(
            kana.abs() < 0.3,
            "over kana the base is not padded: {kana} pt"
        );
        assert!(
            (kanji - 2.5).abs() < 0.5,
            "beside kanji the base is padded 0.25 em: {kanji} pt"
        );
    }

    #[test]
    fn any_text_in_the_tree_is_printed_as_the_same_characters() {
        let base = base_report();
        let mut runner = fixed_runner(40, 7);
        runner
            .run(&(hostile(), hostile()), |(a, b)| {
                let mut r = base.clone();
                r.chapters[0].blocks = vec![
                    Block::Heading {
                        level: 1,
                        typed: 1,
                        id: "h".into(),
                        body: vec![Inline::text(a.clone())],
                        pos: Pos::default(),
                    },
                    Block::Para {
                        body: vec![Inline::text(b.clone()), Inline::Code { v: a.clone() }],
                        pos: Pos::default(),
                    },
                    Block::Code {
                        lang: None,
                        text: b.clone(),
                        pos: Pos::default(),
                    },
                ];
                let t = typeset(env(), &r).expect("typesets");
                let text = page_text(&t);
                for s in [&a, &b] {
                    let want: String = s.chars().filter(|c| !c.is_whitespace()).collect();
                    prop_assert!(text.contains(&want), "{want:?} not in {text:?}");
                }
                prop_assert_eq!(t.doc.pages()[0].frame.width().to_pt().round(), 595.0);
                comemo::evict(10);
                Ok(())
            })
            .unwrap();
    }

    /// Markdown soup: block and inline syntax, footnotes, ruby, tables, HTML, deep nesting.
    fn markdown() -> impl Strategy<Value = String> {
        let pieces = prop::sample::select(vec![
            "\n",
            "\n\n",
            "# ",
            "## ",
            "#### ",
            "> ",
            "> > ",
            "- ",
            "  - ",
            "1. ",
            "- [ ] ",
            "- [x] ",
            "    ",
            "```\n",
            "`",
            "**",
            "*",
            "__",
            "_",
            "~~",
            "[^1]",
            "\n\n[^1]: 注\n",
            "{漢字|かんじ}",
            "{字|じ|x}",
            "|a|b|\n|-|:-:|\n|1|2|\n",
            "<div>",
            "</div>",
            "<!-- c -->",
            "<b>",
            "[link](https://example.org)",
            "[bad](javascript:x)",
            "[self](#h)",
            "![alt](missing.png)",
            "&amp;",
            "&#0;",
            "\\",
            "$",
            "#set",
            "@x",
            "本文です。",
            "テスト",
            "text",
            "---\n",
            "***",
            "{#id}",
            "\t",
            "😀",
            "𠮷",
        ]);
        prop::collection::vec(pieces, 1..40).prop_map(|v| v.concat())
    }

    #[test]
    fn any_markdown_parses_and_typesets_without_panic() {
        let base = base_report();
        let mut runner = fixed_runner(60, 11);
        runner
            .run(&markdown(), |md| {
                let mut r = base.clone();
                let mut ids = crate::manuscript::markdown::ReportIds::default();
                let parsed = crate::manuscript::markdown::parse_chapter(
                    &md,
                    "01.md",
                    std::path::Path::new("01.md"),
                    0,
                    &mut ids,
                );
                let mut chapter = parsed.chapter;
                // Images are checked by the loader (a missing one is an error); keep the rest.
                crate::doc::walk_blocks_mut(
                    &mut chapter.blocks,
                    &mut |b| {
                        if let Block::Figure { .. } = b {
                            *b = Block::Rule {
                                pos: Pos::default(),
                            };
                        }
                    },
                    &mut |i| {
                        if let Inline::Image { alt, .. } = i {
                            *i = Inline::text(alt.clone());
                        }
                    },
                );
                r.chapters = vec![chapter];
                let t = typeset(env(), &r);
                prop_assert!(t.is_ok(), "{md:?}: {:?}", t.err());
                comemo::evict(10);
                Ok(())
            })
            .unwrap();
    }

    #[test]
    fn a_string_that_looks_like_typst_code_stays_text_in_the_json() {
        let mut r = base_report();
        r.chapters[0].blocks = vec![Block::Para {
            body: vec![Inline::text("#set page(width: 1cm)")],
            pos: Pos::default(),
        }];
        let json = data::report_json(&r).to_string();
        assert!(json.contains("\"#set page(width: 1cm)\""));
        let t = typeset(env(), &r).unwrap();
        assert!(page_text(&t).contains("#setpage(width:1cm)"));
    }
}
