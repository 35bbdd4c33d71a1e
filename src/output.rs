//! Writing into the output folder: a report's files are staged beside it and moved into place
//! with renames, so a failed or interrupted build never damages the previous `dist/`; site-wide
//! files go through `write_atomic`. (The search index also removes its own old files in
//! `dist/search/`.)

use std::io;
use std::path::{Path, PathBuf};

pub const STAGING: &str = ".kanko-staging";

/// A fresh, empty staging folder for one report.
pub fn stage_dir(out: &Path, slug: &str) -> io::Result<PathBuf> {
    let dir = out.join(STAGING).join(format!("{slug}.new"));
    if dir.exists() {
        std::fs::remove_dir_all(&dir)?;
    }
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Writes a file inside a staging folder, creating parent folders.
pub fn put(stage: &Path, rel: &str, bytes: &[u8]) -> io::Result<()> {
    let path = stage.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes)
}

/// Moves a staged report into place: old folder aside, new one in, old one removed.
/// Files whose bytes did not change keep their old inode and modification time (the staged copy
/// is replaced by a hard link to the old file), so upload tools and HTTP caches see only real
/// changes.
pub fn commit_report(out: &Path, slug: &str, stage: &Path) -> io::Result<()> {
    let target = out.join(slug);
    keep_unchanged(stage, &target);
    let old = out.join(STAGING).join(format!("{slug}.old"));
    if old.exists() {
        std::fs::remove_dir_all(&old)?;
    }
    let had_old = target.exists();
    if had_old {
        std::fs::rename(&target, &old)?;
    }
    if let Err(e) = std::fs::rename(stage, &target) {
        if had_old {
            let _ = std::fs::rename(&old, &target);
        }
        return Err(e);
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

/// Replaces each staged file that is byte-identical with the file at the same place in `live`
/// by a hard link to that file. Best effort: a file that cannot be linked stays as staged.
fn keep_unchanged(stage: &Path, live: &Path) {
    let Ok(rd) = std::fs::read_dir(stage) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let (new, old) = (e.path(), live.join(e.file_name()));
        let Ok(ft) = e.file_type() else { continue };
        if ft.is_dir() {
            keep_unchanged(&new, &old);
            continue;
        }
        if !ft.is_file() || !same_bytes(&new, &old) {
            continue;
        }
        let tmp = new.with_file_name(format!(".kanko-link-{}", e.file_name().to_string_lossy()));
        let _ = std::fs::remove_file(&tmp);
        if std::fs::hard_link(&old, &tmp).is_ok() && std::fs::rename(&tmp, &new).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// Both are files with the same bytes.
fn same_bytes(a: &Path, b: &Path) -> bool {
    match (std::fs::metadata(a), std::fs::metadata(b)) {
        (Ok(ma), Ok(mb)) if mb.is_file() && ma.len() == mb.len() => {}
        _ => return false,
    }
    matches!((std::fs::read(a), std::fs::read(b)), (Ok(x), Ok(y)) if x == y)
}

/// Puts back any report folder a crash left aside between the two renames.
pub fn recover(out: &Path) {
    let Ok(rd) = std::fs::read_dir(out.join(STAGING)) else {
        return;
    };
    for e in rd.filter_map(Result::ok) {
        let name = e.file_name().to_string_lossy().into_owned();
        if let Some(slug) = name.strip_suffix(".old") {
            let target = out.join(slug);
            if !target.exists() {
                let _ = std::fs::rename(e.path(), target);
            }
        }
    }
}

/// Writes one file atomically (temporary file in the same folder, then rename). A file that
/// already holds exactly these bytes is left untouched (same inode, same modification time).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
    {
        return Ok(());
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    io::Write::write_all(&mut tmp, bytes)?;
    // Web servers must be able to read it: tempfile creates files readable by the owner only.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o644))?;
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the staging area when nothing is left in it.
pub fn finish(out: &Path) {
    let staging = out.join(STAGING);
    if let Ok(rd) = std::fs::read_dir(&staging) {
        for e in rd.filter_map(Result::ok) {
            let name = e.file_name().to_string_lossy().into_owned();
            // A `.old` copy whose report is in place again is what a build killed just after
            // the swap left (`recover` put back the others): garbage, like an unfinished `.new`.
            let done_old = name
                .strip_suffix(".old")
                .is_some_and(|slug| out.join(slug).exists());
            if name.ends_with(".new") || done_old {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let _ = std::fs::remove_dir(&staging);
}

/// Removes the folder of a report that no longer exists in `reports/` (only ever a folder
/// kanko made: it must hold kanko's state file).
pub fn remove_stale(out: &Path, slug: &str) -> io::Result<bool> {
    let dir = out.join(slug);
    if crate::record::exists_in(&dir) {
        std::fs::remove_dir_all(dir)?;
        return Ok(true);
    }
    Ok(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_keeps_old_on_failure() {
        let out = tempfile::tempdir().unwrap();
        let s = stage_dir(out.path(), "r").unwrap();
        put(&s, "a.txt", b"one").unwrap();
        commit_report(out.path(), "r", &s).unwrap();
        assert_eq!(std::fs::read(out.path().join("r/a.txt")).unwrap(), b"one");
        let s = stage_dir(out.path(), "r").unwrap();
        put(&s, "a.txt", b"two").unwrap();
        commit_report(out.path(), "r", &s).unwrap();
        assert_eq!(std::fs::read(out.path().join("r/a.txt")).unwrap(), b"two");
        finish(out.path());
        assert!(!out.path().join(STAGING).exists());
    }

    #[cfg(unix)]
    #[test]
    fn unchanged_files_keep_inode_and_mtime() {
        use std::os::unix::fs::MetadataExt;
        let out = tempfile::tempdir().unwrap();
        let s = stage_dir(out.path(), "r").unwrap();
        put(&s, "same.txt", b"same").unwrap();
        put(&s, "sub/deep.txt", b"deep").unwrap();
        put(&s, "changed.txt", b"one").unwrap();
        commit_report(out.path(), "r", &s).unwrap();
        let meta = |rel: &str| std::fs::metadata(out.path().join("r").join(rel)).unwrap();
        let before: Vec<_> = ["same.txt", "sub/deep.txt", "changed.txt"]
            .iter()
            .map(|r| (meta(r).ino(), meta(r).mtime_nsec(), meta(r).mtime()))
            .collect();
        std::thread::sleep(std::time::Duration::from_millis(20));
        let s = stage_dir(out.path(), "r").unwrap();
        put(&s, "same.txt", b"same").unwrap();
        put(&s, "sub/deep.txt", b"deep").unwrap();
        put(&s, "changed.txt", b"two").unwrap();
        commit_report(out.path(), "r", &s).unwrap();
        let after = |r: &str| (meta(r).ino(), meta(r).mtime_nsec(), meta(r).mtime());
        assert_eq!(after("same.txt"), before[0]);
        assert_eq!(after("sub/deep.txt"), before[1]);
        assert_ne!(after("changed.txt").0, before[2].0);
        assert_eq!(
            std::fs::read(out.path().join("r/changed.txt")).unwrap(),
            b"two"
        );
        assert_eq!(meta("same.txt").nlink(), 1, "the old folder is gone");
        // a site file rewritten with the same bytes is left alone
        let f = out.path().join("index.html");
        write_atomic(&f, b"x").unwrap();
        let m0 = std::fs::metadata(&f).unwrap();
        write_atomic(&f, b"x").unwrap();
        let m1 = std::fs::metadata(&f).unwrap();
        assert_eq!((m0.ino(), m0.mtime_nsec()), (m1.ino(), m1.mtime_nsec()));
        write_atomic(&f, b"y").unwrap();
        assert_eq!(std::fs::read(&f).unwrap(), b"y");
    }
}
