//! Builds split over machines: `build --shard I/N` on each, `merge` once; the merged site must
//! be byte for byte the site one machine builds.

use crate::util::{Work, tree};

fn five_reports(w: &Work) {
    w.write(
        "kanko.toml",
        // two per index page: the merge also writes the paged index's filter data
        "title = \"テスト財団の刊行物\"\norganization = \"テスト財団\"\n\n[catalog]\nper_page = 2\n",
    );
    for (i, slug) in ["alpha", "beta", "gamma", "delta", "epsilon"]
        .iter()
        .enumerate()
    {
        w.report(
            slug,
            &[(
                "01.md",
                &format!(
                    "# 第{}章\n\n本文{i}です。{{居場所|いばしょ}}と商店街の空き店舗の話。\n",
                    i + 1
                ),
            )],
        );
    }
}

fn build_shards(w: &Work, n: u32, via_env: bool) -> Vec<String> {
    let mut dirs = Vec::new();
    for i in 1..=n {
        let dir = format!("shard-{i}");
        let spec = if via_env {
            format!("auto/{n}")
        } else {
            format!("{i}/{n}")
        };
        let mut args = vec![
            "build",
            "--reports",
            "reports",
            "--out",
            &dir,
            "--formats",
            "pdf",
            "--base-url",
            "https://example.org/r",
        ];
        args.extend(["--shard", &spec]);
        let mut cmd = std::process::Command::new(crate::util::BIN);
        cmd.current_dir(w.dir.path())
            .args(&args)
            .env("LANG", "C.UTF-8");
        if via_env {
            cmd.env("JOB_COMPLETION_INDEX", (i - 1).to_string());
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(w.dir.path().join(&dir).join("kanko-shard.json").is_file());
        assert!(
            !w.dir.path().join(&dir).join("index.html").exists(),
            "a shard writes no catalog"
        );
        dirs.push(dir);
    }
    dirs
}

#[test]
fn merged_shards_equal_a_one_machine_build_for_1_3_and_4_shards() {
    let w = Work::new();
    five_reports(&w);
    w.build_with(&["--formats", "pdf", "--base-url", "https://example.org/r"])
        .ok();
    let plain = tree(&w.dist());
    assert!(
        plain.iter().any(|(p, _)| p.starts_with("search/i")),
        "the plain build has a search index"
    );
    let names: Vec<&str> = plain.iter().map(|(p, _)| p.as_str()).collect();
    assert!(names.contains(&"index-3.html") && !names.contains(&"index-4.html"));
    assert!(
        names.iter().any(|p| p.starts_with("catalog-data-")),
        "a paged index has its filter data: {names:?}"
    );
    for n in [1, 3, 4] {
        let dirs = build_shards(&w, n, n == 3);
        let mut built: Vec<String> = Vec::new();
        for d in &dirs {
            let m: serde_json::Value = serde_json::from_slice(
                &std::fs::read(w.dir.path().join(d).join("kanko-shard.json")).unwrap(),
            )
            .unwrap();
            for r in m["reports"].as_array().unwrap() {
                built.push(r["slug"].as_str().unwrap().to_string());
                assert!(
                    r["files"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|f| f == "search/1.js")
                );
            }
        }
        built.sort();
        assert_eq!(
            built,
            ["alpha", "beta", "delta", "epsilon", "gamma"],
            "each report in exactly one of {n} shards"
        );
        let out = format!("merged-{n}");
        let mut args = vec!["merge", "--out", &out];
        args.extend(dirs.iter().map(String::as_str));
        w.kanko(&args).ok();
        assert_eq!(
            tree(&w.dir.path().join(&out)),
            plain,
            "merge of {n} shards differs from a plain build"
        );
    }
}

#[test]
fn a_missing_shard_keeps_its_reports_from_the_previous_merge() {
    let w = Work::new();
    five_reports(&w);
    let dirs = build_shards(&w, 3, false);
    let all: Vec<&str> = dirs.iter().map(String::as_str).collect();
    let mut args = vec!["merge", "--out", "site"];
    args.extend(&all);
    w.kanko(&args).ok();
    let before = std::fs::read_to_string(w.dir.path().join("site/catalog.json")).unwrap();
    let mut args = vec!["merge", "--out", "site"];
    args.extend(&all[1..]);
    w.kanko(&args).ok().says("1/3");
    let after = std::fs::read_to_string(w.dir.path().join("site/catalog.json")).unwrap();
    assert_eq!(
        before, after,
        "the reports of the missing shard stay listed"
    );
}

#[test]
fn bad_shard_specs_and_mixed_shards_are_clear_errors() {
    let w = Work::new();
    five_reports(&w);
    w.build_with(&["--shard", "5/4"]).fails().says("1 to 4");
    w.build_with(&["--shard", "auto/4"])
        .fails()
        .says("JOB_COMPLETION_INDEX");
    w.kanko(&["merge", "--out", "x", "reports"])
        .fails()
        .says("kanko-shard.json");
}
