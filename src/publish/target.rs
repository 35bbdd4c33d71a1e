//! Where a publish goes: a URL in `kanko.toml` `[publish] target` or on the command line.

use std::fmt;

/// A failure talking to the target. `transient` ones are retried with backoff.
#[derive(Debug)]
pub struct Error {
    pub transient: bool,
    pub message: String,
    pub help: Option<String>,
}

impl Error {
    pub fn fatal(message: impl Into<String>) -> Self {
        Error {
            transient: false,
            message: message.into(),
            help: None,
        }
    }
    pub fn transient(message: impl Into<String>) -> Self {
        Error {
            transient: true,
            message: message.into(),
            help: None,
        }
    }
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
    /// An I/O error: network-ish kinds are transient, the rest (permission, not found) fatal.
    pub fn io(what: &str, e: &std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        let transient = matches!(
            e.kind(),
            K::ConnectionReset
                | K::ConnectionAborted
                | K::ConnectionRefused
                | K::BrokenPipe
                | K::TimedOut
                | K::UnexpectedEof
                | K::Interrupted
                | K::WouldBlock
                | K::NotConnected
        );
        Error {
            transient,
            message: format!("{what}: {e}"),
            help: None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// One session with the target (each parallel job has its own).
pub trait Conn: Send {
    /// The whole file, or `None` when there is none.
    fn get(&mut self, rel: &str) -> Result<Option<Vec<u8>>>;
    /// The file's size, or `None` when there is none.
    fn stat(&mut self, rel: &str) -> Result<Option<u64>>;
    /// Writes under a temporary name beside `rel`, then renames it into place
    /// (object stores: one atomic PUT). Creates parent folders.
    fn put(&mut self, rel: &str, bytes: &[u8]) -> Result<()>;
    /// Writes a file that is not on the target yet. Nothing links to it before it is complete
    /// (the plan's order), so it may be written in place: one round trip less than `put`.
    fn put_new(&mut self, rel: &str, bytes: &[u8]) -> Result<()> {
        self.put(rel, bytes)
    }
    /// Creates `rel` only if it does not exist; `false` when it already did.
    fn create_new(&mut self, rel: &str, bytes: &[u8]) -> Result<bool>;
    /// Removes a file (no error when it is already gone) and then its folders left empty.
    fn delete(&mut self, rel: &str) -> Result<()>;
}

pub trait Target: Sync {
    fn connect(&self) -> Result<Box<dyn Conn>>;
    /// For messages: the URL without any secret.
    fn shown(&self) -> String;
}

/// `rel` is a path kanko made: relative, `/`-separated, no `..`.
pub fn safe_rel(rel: &str) -> Result<()> {
    if rel.is_empty()
        || rel.starts_with('/')
        || rel.contains('\\')
        || rel
            .split('/')
            .any(|c| c.is_empty() || c == "." || c == "..")
    {
        return Err(Error::fatal(pt!(
            "対象フォルダの外を指すパスです: {rel}",
            "path outside the target folder: {rel}"
        )));
    }
    Ok(())
}

/// Temporary name beside `rel` for the upload-then-rename. The same for every run, so a
/// temporary file an interrupted run left is overwritten and renamed by the next one (two
/// runs never write at once: the lock).
pub fn temp_name(rel: &str) -> String {
    let (dir, name) = match rel.rsplit_once('/') {
        Some((d, n)) => (format!("{d}/"), n),
        None => (String::new(), rel),
    };
    format!("{dir}.kanko-tmp-{name}")
}
