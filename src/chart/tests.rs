//! Random CSVs (sizes, Unicode labels, missing and odd cells) through the real path — load,
//! typeset, SVG — always give a chart or a message with a place, never a panic.

use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

use crate::doc::Block;
use crate::typeset::world::Env;

fn env() -> &'static Env {
    static ENV: OnceLock<Env> = OnceLock::new();
    ENV.get_or_init(Env::new)
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ぁ-んァ-ン一-龥a-z😀𠮷 ]{0,30}",
        Just("\"a,\"\"b\"\"\"".to_string()),
        Just("<script>#set".to_string()),
        Just(String::new()),
    ]
}

fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => (0u32..100_000).prop_map(|n| n.to_string()),
        2 => (0u32..1000).prop_map(|n| format!("{}.{}%", n / 10, n % 10)),
        2 => Just(String::new()),
        1 => Just("\"1,234\"".to_string()),
        1 => Just("１２３".to_string()),
        1 => Just("12.5％".to_string()),
        1 => Just("-3".to_string()),
        1 => Just("約30".to_string()),
    ]
}

/// A header and rows: a label column, value columns, sometimes a ragged row.
fn csv() -> impl Strategy<Value = String> {
    (1usize..5, 0usize..45).prop_flat_map(|(cols, rows)| {
        let row = (
            label(),
            prop::collection::vec(value(), cols..=cols + usize::from(rows % 7 == 3)),
        );
        (
            prop::collection::vec(label(), cols + 1),
            prop::collection::vec(row, rows),
        )
            .prop_map(|(head, rows)| {
                let mut out = head.join(",");
                for (l, vs) in rows {
                    out.push('\n');
                    out.push_str(&l);
                    for v in vs {
                        out.push(',');
                        out.push_str(&v);
                    }
                }
                out
            })
    })
}

#[test]
fn random_csvs_give_a_chart_or_a_message_and_never_panic() {
    let mut runner = TestRunner::new_with_rng(
        Config {
            cases: 48,
            failure_persistence: None,
            ..Config::default()
        },
        TestRng::from_seed(RngAlgorithm::ChaCha, &[14; 32]),
    );
    let built = std::cell::Cell::new(0);
    let kinds = prop::sample::select(vec!["bar", "column", "stacked", "line"]);
    runner
        .run(&(csv(), kinds, any::<bool>()), |(data, kind, table)| {
            let dir = tempfile::tempdir().unwrap();
            let r = dir.path().join("t");
            std::fs::create_dir_all(r.join("data")).unwrap();
            std::fs::write(
                r.join("report.toml"),
                "title = \"t\"\nproject = \"p\"\nfiscal_year = 2024\npublisher = \"x\"\npublished = 2025-03-28\n[[funders]]\nname = \"n\"\nprogram = \"p\"\n",
            )
            .unwrap();
            std::fs::write(r.join("data/x.csv"), &data).unwrap();
            let md = format!(
                "# 見出し\n\n```chart\ntype = \"{kind}\"\ntitle = \"図\"\ndata = \"data/x.csv\"\ntable = {table}\n```\n"
            );
            std::fs::write(r.join("01.md"), md).unwrap();
            let loaded = crate::manuscript::load(&r);
            let Some(report) = loaded.report else {
                let errors: Vec<_> = loaded.diags.iter().filter(|d| d.is_error()).collect();
                prop_assert!(!errors.is_empty(), "no report and no error for {data:?}");
                for e in errors {
                    prop_assert!(e.file.is_some() && e.line > 0, "{e:?} has no place ({data:?})");
                }
                return Ok(());
            };
            let Some(Block::Chart { chart, .. }) = report.chapters[0].blocks.get(1) else {
                return Err(TestCaseError::fail(format!("no chart for {data:?}")));
            };
            prop_assert!(!chart.alt.is_empty());
            let svg = crate::outputs::xhtml::chart::figure(
                chart,
                &crate::outputs::xhtml::chart::Ctx { number: 1, epub: true, japanese: true },
            );
            prop_assert!(!svg.contains("<script"));
            let t = crate::typeset::typeset(env(), &report);
            prop_assert!(t.is_ok(), "{data:?}: {:?}", t.err());
            comemo::evict(10);
            built.set(built.get() + 1);
            Ok(())
        })
        .unwrap();
    // The test means something only if many random CSVs make it to a drawn chart.
    assert!(
        built.get() >= 12,
        "only {} of 48 random CSVs became charts",
        built.get()
    );
}
