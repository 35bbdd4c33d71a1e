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
