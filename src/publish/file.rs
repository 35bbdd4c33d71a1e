//! `file:///srv/www/reports/`: a local or mounted folder.

use std::io::Write;
use std::path::PathBuf;

use super::target::{Conn, Error, Result, Target, safe_rel, temp_name};

pub struct FileTarget {
    pub root: PathBuf,
}

impl Target for FileTarget {
    fn connect(&self) -> Result<Box<dyn Conn>> {
        if !self.root.is_dir() {
            return Err(Error::fatal(pt!(
                "公開先のフォルダがありません: {}",
                "the target folder does not exist: {}",
                self.root.display()
            ))
            .help(pt!(
                "フォルダを作ってから、もう一度実行してください",
                "create it, then run again"
            )));
        }
        Ok(Box::new(FileConn {
            root: self.root.clone(),
        }))
    }
    fn shown(&self) -> String {
        format!("file://{}", self.root.display())
    }
}

struct FileConn {
    root: PathBuf,
}

impl FileConn {
    fn path(&self, rel: &str) -> Result<PathBuf> {
        safe_rel(rel)?;
        Ok(self.root.join(rel))
    }
}

impl Conn for FileConn {
    fn get(&mut self, rel: &str) -> Result<Option<Vec<u8>>> {
        let p = self.path(rel)?;
        match std::fs::read(&p) {
            Ok(b) => Ok(Some(b)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&p.display().to_string(), &e)),
        }
    }

    fn stat(&mut self, rel: &str) -> Result<Option<u64>> {
        let p = self.path(rel)?;
        match std::fs::metadata(&p) {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::io(&p.display().to_string(), &e)),
        }
    }

    fn put(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        let p = self.path(rel)?;
        let tmp = self.root.join(temp_name(rel));
        let err = |e: std::io::Error| Error::io(&p.display().to_string(), &e);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(err)?;
        }
        let mut f = std::fs::File::create(&tmp).map_err(err)?;
        let done = f.write_all(bytes).and_then(|_| f.sync_data());
        drop(f);
        if let Err(e) = done.and_then(|_| std::fs::rename(&tmp, &p)) {
            let _ = std::fs::remove_file(&tmp);
            return Err(err(e));
        }
        Ok(())
    }

    fn create_new(&mut self, rel: &str, bytes: &[u8]) -> Result<bool> {
        let p = self.path(rel)?;
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&p)
        {
            Ok(mut f) => {
                f.write_all(bytes)
                    .map_err(|e| Error::io(&p.display().to_string(), &e))?;
                Ok(true)
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(Error::io(&p.display().to_string(), &e)),
        }
    }

    fn delete(&mut self, rel: &str) -> Result<()> {
        let p = self.path(rel)?;
        match std::fs::remove_file(&p) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&p.display().to_string(), &e)),
        }
        let mut dir = p.parent();
        while let Some(d) = dir {
            if d == self.root || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
        Ok(())
    }
}
