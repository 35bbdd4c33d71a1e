//! Embeds the shipped fonts and the Typst layouts into the binary, so `kanko` works anywhere,
//! also on machines without Japanese fonts.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap();
    let out = std::env::var("OUT_DIR").unwrap();
    let mut code = String::new();
    code.push_str("pub static FONT_FILES: &[(&str, &[u8])] = &[\n");
    for (name, path) in files(&Path::new(&root).join("fonts"), &["ttf", "otf", "ttc"]) {
        writeln!(code, "    ({name:?}, include_bytes!({path:?})),").unwrap();
    }
    code.push_str("];\npub static LAYOUT_FILES: &[(&str, &str)] = &[\n");
    for (name, path) in files(&Path::new(&root).join("layouts"), &["typ"]) {
        writeln!(code, "    ({name:?}, include_str!({path:?})),").unwrap();
    }
    code.push_str("];\n");
    std::fs::write(Path::new(&out).join("embedded.rs"), code).unwrap();
    println!("cargo:rerun-if-changed=fonts");
    println!("cargo:rerun-if-changed=layouts");
    println!("cargo:rerun-if-changed=src");
    // Part of every cache key: a rebuilt kanko (not only a new version number) rebuilds reports.
    println!(
        "cargo:rustc-env=KANKO_BUILD_ID={:016x}",
        source_fingerprint(&Path::new(&root).join("src"))
    );
}

/// FNV-1a over every source file's path and bytes (build scripts have no hashing crate).
fn source_fingerprint(dir: &Path) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p)
            } else {
                files.push(p)
            }
        }
    }
    files.sort();
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        for b in f.to_string_lossy().bytes().chain(bytes) {
            hash ^= u64::from(b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn files(dir: &Path, exts: &[&str]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.extension()
                        .is_some_and(|x| exts.contains(&x.to_string_lossy().as_ref()))
                })
                .map(|p| {
                    println!("cargo:rerun-if-changed={}", p.display());
                    (
                        p.file_name().unwrap().to_string_lossy().into_owned(),
                        p.display().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}
