//! A fresh clone with nothing beside it must pass its own tests: nothing in `src/`, `tests/`,
//! `benches/`, `.ci/` or `build.rs` may reach outside the repository.

use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if name == "node_modules" || name == "target" {
            continue;
        }
        if p.is_dir() {
            files(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn nothing_in_the_repository_reads_a_folder_beside_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut all = vec![root.join("build.rs")];
    for d in ["src", "tests", "benches", ".ci"] {
        files(&root.join(d), &mut all);
    }
    // Spelled in two halves so that this file does not find itself.
    let needles = [format!("../{}", "shared"), format!("..\\{}", "shared")];
    let mut found = Vec::new();
    for f in &all {
        let Ok(text) = std::fs::read_to_string(f) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            if needles.iter().any(|n| line.contains(n.as_str())) {
                found.push(format!("{}:{}: {line}", f.display(), i + 1));
            }
        }
    }
    assert!(
        found.is_empty(),
        "reads outside the repository:\n{}",
        found.join("\n")
    );
}

#[test]
fn the_commonmark_spec_is_vendored_with_its_licence() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let spec = std::fs::read_to_string(data.join("commonmark-spec.txt")).unwrap();
    assert!(spec.contains("version: '0.31.2'"));
    let readme = std::fs::read_to_string(data.join("README.md")).unwrap();
    assert!(readme.contains("CC BY-SA 4.0") && readme.contains("commonmark-spec.txt"));
}

/// Output written to the wrong folder (a test run, a reference render) once got committed at the
/// top level; only the project's own entries may be tracked there.
#[test]
fn the_top_level_holds_only_the_project() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let Ok(out) = std::process::Command::new("git")
        .args(["ls-files", "-z"])
        .current_dir(root)
        .output()
    else {
        return; // no git: nothing is tracked to check
    };
    let known = [
        ".ci",
        ".gitignore",
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "build.rs",
        "src",
        "tests",
        "benches",
        "docs",
        "reports",
        "fonts",
        "layouts",
    ];
    let mut stray: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .split('\0')
        .filter(|f| !f.is_empty())
        .map(|f| f.split('/').next().unwrap_or(f).to_string())
        .filter(|top| !known.contains(&top.as_str()))
        .collect();
    stray.dedup();
    assert!(
        stray.is_empty(),
        "stray tracked entries at the top level: {stray:?}"
    );
}
