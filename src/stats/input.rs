//! Reading the logs: plain or gzip (by its magic bytes, whatever the name), several files in
//! any order, as one stream in time order with bounded memory.
//!
//! Each file is opened once first to read its first time; files are then merged by time (a
//! k-way merge, lines of files that overlap — two servers' logs — interleave), a file being
//! opened only when the merge reaches its first time. Rotated logs (`access.log`,
//! `access.log.1`, `access.log.2.gz`, …) do not overlap, so only one or two files are open at
//! once however many are given. Within a file lines are taken in the order written: a line
//! a little older than the one before (Apache logs the request's start time, so a long
//! download's line comes late) is counted in the visit it belongs to.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use super::parse::{self, Bad, Line};
use crate::diag::Diag;

/// Lines read at the start of a file looking for one in the Combined Log Format before the
/// file is taken to be in another format.
const SNIFF: usize = 20;

/// Bytes read from disk (compressed size for .gz), for the progress bar.
#[derive(Clone, Default)]
pub struct Progress(pub Arc<AtomicU64>);

struct Counting<R> {
    inner: R,
    n: Progress,
}

impl<R: Read> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let k = self.inner.read(buf)?;
        self.n.0.fetch_add(k as u64, Ordering::Relaxed);
        Ok(k)
    }
}

fn open(path: &Path, progress: &Progress) -> io::Result<Box<dyn BufRead>> {
    let mut f = File::open(path)?;
    let mut magic = [0u8; 2];
    let gz = f.read(&mut magic)? == 2 && magic == [0x1f, 0x8b];
    io::Seek::seek(&mut f, io::SeekFrom::Start(0))?;
    let counted = Counting {
        inner: f,
        n: progress.clone(),
    };
    Ok(if gz {
        Box::new(BufReader::with_capacity(
            1 << 16,
            flate2::read::MultiGzDecoder::new(BufReader::with_capacity(1 << 16, counted)),
        ))
    } else {
        Box::new(BufReader::with_capacity(1 << 16, counted))
    })
}

fn read_err(path: &Path, e: io::Error) -> Diag {
    Diag::error(crate::t!(
        "ログを読めません: {e}",
        "cannot read the log: {e}"
    ))
    .in_file(path)
}

/// One log file being read.
struct Reader {
    file: usize,
    input: Box<dyn BufRead>,
    buf: Vec<u8>,
    line_no: usize,
    /// The time of the line in `buf` (a well-formed line waiting to be merged).
    time: i64,
}

/// A malformed line: where, and why.
#[derive(Debug, Clone)]
pub struct Malformed {
    pub file: PathBuf,
    pub line: usize,
    pub why: Bad,
}

pub struct Logs {
    files: Vec<(PathBuf, i64)>,
    pub progress: Progress,
    pub total_bytes: u64,
}

/// Opens every file once to find its first time; an empty file is left out, a file in
/// another format is an error naming the format expected.
pub fn scan(paths: &[PathBuf]) -> Result<Logs, Diag> {
    let progress = Progress::default();
    let mut files = Vec::new();
    let mut total_bytes = 0;
    for p in paths {
        let meta = std::fs::metadata(p).map_err(|e| read_err(p, e))?;
        if meta.is_dir() {
            return Err(Diag::error(crate::t!(
                "フォルダではなくログファイルを指定してください",
                "give log files, not a folder"
            ))
            .in_file(p));
        }
        total_bytes += meta.len();
        let mut input = open(p, &Progress::default()).map_err(|e| read_err(p, e))?;
        let mut buf = Vec::new();
        let mut seen = 0;
        let mut first_bad = None;
        let mut first = None;
        while seen < SNIFF {
            buf.clear();
            if input
                .read_until(b'\n', &mut buf)
                .map_err(|e| read_err(p, e))?
                == 0
            {
                break;
            }
            let line = trim(&buf);
            if line.is_empty() {
                continue;
            }
            seen += 1;
            match parse::parse(line) {
                Ok(l) => {
                    first = Some(l.time.unix);
                    break;
                }
                Err(why) => {
                    first_bad.get_or_insert((why, String::from_utf8_lossy(line).into_owned()));
                }
            }
        }
        match (first, first_bad) {
            (Some(t), _) => files.push((p.clone(), t)),
            (None, None) => {} // empty
            (None, Some((why, text))) => return Err(format_error(p, why, &text)),
        }
    }
    // Stable: files starting at the same second keep the order given.
    files.sort_by_key(|f| f.1);
    Ok(Logs {
        files,
        progress,
        total_bytes,
    })
}

fn format_error(p: &Path, why: Bad, text: &str) -> Diag {
    let guess = if text.trim_start().starts_with('{') {
        crate::i18n::tr("JSON 形式のようです", "it looks like JSON")
    } else if text.starts_with("#Fields") || text.starts_with("#Software") {
        crate::i18n::tr(
            "W3C 拡張ログ形式（IIS）のようです",
            "it looks like the W3C extended format (IIS)",
        )
    } else if why == Bad::Common {
        crate::i18n::tr(
            "Common Log Format（リファラーとユーザーエージェントなし）です",
            "it is the Common Log Format (no referrer and user agent)",
        )
    } else {
        ""
    };
    let shown: String = text.chars().take(120).collect();
    let sep = if guess.is_empty() {
        ""
    } else {
        crate::i18n::tr("。", ": ")
    };
    Diag::error(crate::t!(
        "Combined Log Format（nginx・Apache の標準の combined）のアクセスログではありません{sep}{guess}",
        "not an access log in the Combined Log Format (nginx's and Apache's default `combined`){sep}{guess}"
    ))
    .in_file(p)
    .help(crate::t!(
        "期待する形式: 203.0.113.7 - - [01/Apr/2024:09:15:02 +0900] \"GET /path HTTP/1.1\" 200 5120 \"参照元\" \"ユーザーエージェント\"\n最初の行: {shown}",
        "expected: 203.0.113.7 - - [01/Apr/2024:09:15:02 +0900] \"GET /path HTTP/1.1\" 200 5120 \"referrer\" \"user agent\"\nfirst line: {shown}"
    ))
}

fn trim(b: &[u8]) -> &[u8] {
    let mut end = b.len();
    while end > 0 && matches!(b[end - 1], b'\n' | b'\r') {
        end -= 1;
    }
    &b[..end]
}

impl Logs {
    pub fn count(&self) -> usize {
        self.files.len()
    }

    /// Calls `each` for every well-formed line in time order and `bad` for every malformed
    /// one (in file order, when read).
    pub fn merge(
        &self,
        mut each: impl FnMut(&Line),
        mut bad: impl FnMut(Malformed),
    ) -> Result<(), Diag> {
        let mut next_file = 0;
        let mut open: Vec<Option<Reader>> = Vec::new();
        let mut heap: BinaryHeap<Reverse<(i64, usize)>> = BinaryHeap::new();
        loop {
            // Open the files whose first line is due (all of them that start before the
            // earliest line waiting).
            while next_file < self.files.len()
                && heap
                    .peek()
                    .is_none_or(|Reverse((t, _))| self.files[next_file].1 <= *t)
            {
                let (path, _) = &self.files[next_file];
                let input = open_file(path, &self.progress)?;
                let mut r = Reader {
                    file: next_file,
                    input,
                    buf: Vec::with_capacity(512),
                    line_no: 0,
                    time: 0,
                };
                if advance(&mut r, &self.files, &mut bad)? {
                    heap.push(Reverse((r.time, open.len())));
                    open.push(Some(r));
                }
                next_file += 1;
            }
            let Some(Reverse((_, slot))) = heap.pop() else {
                break;
            };
            let Some(r) = open[slot].as_mut() else {
                continue;
            };
            if let Ok(l) = parse::parse(trim(&r.buf)) {
                each(&l);
            }
            if advance(r, &self.files, &mut bad)? {
                heap.push(Reverse((r.time, slot)));
            } else {
                open[slot] = None;
            }
        }
        Ok(())
    }
}

fn open_file(path: &Path, progress: &Progress) -> Result<Box<dyn BufRead>, Diag> {
    open(path, progress).map_err(|e| read_err(path, e))
}

/// Reads up to the next well-formed line; false at the end of the file.
fn advance(
    r: &mut Reader,
    files: &[(PathBuf, i64)],
    bad: &mut impl FnMut(Malformed),
) -> Result<bool, Diag> {
    loop {
        r.buf.clear();
        let n = r
            .input
            .read_until(b'\n', &mut r.buf)
            .map_err(|e| read_err(&files[r.file].0, e))?;
        if n == 0 {
            return Ok(false);
        }
        r.line_no += 1;
        let line = trim(&r.buf);
        if line.is_empty() {
            continue;
        }
        match parse::parse(line) {
            Ok(l) => {
                r.time = l.time.unix;
                return Ok(true);
            }
            Err(why) => bad(Malformed {
                file: files[r.file].0.clone(),
                line: r.line_no,
                why,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn line(host: &str, hhmm: &str) -> String {
        format!(r#"{host} - - [01/Apr/2024:{hhmm}:00 +0900] "GET / HTTP/1.1" 200 1 "-" "ua""#)
    }

    fn gz(path: &Path, text: &str) {
        let f = File::create(path).unwrap();
        let mut e = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
        e.write_all(text.as_bytes()).unwrap();
        e.finish().unwrap();
    }

    fn collect(logs: &Logs) -> (Vec<String>, Vec<(String, usize)>) {
        let mut seen = Vec::new();
        let mut bad = Vec::new();
        logs.merge(
            |l| seen.push(String::from_utf8_lossy(l.host).into_owned()),
            |m| {
                bad.push((
                    m.file.file_name().unwrap().to_string_lossy().into_owned(),
                    m.line,
                ))
            },
        )
        .unwrap();
        (seen, bad)
    }

    #[test]
    fn rotated_files_in_any_order_plain_and_gz() {
        let d = tempfile::tempdir().unwrap();
        // access.log.2.gz is the oldest, access.log the newest; given newest first
        gz(
            &d.path().join("access.log.2.gz"),
            &format!("{}\n{}\n", line("a", "01:00"), line("b", "02:00")),
        );
        // a gzip file without the .gz name, in two gzip members (as `cat a.gz b.gz`)
        let p1 = d.path().join("access.log.1");
        gz(&p1, &format!("{}\n", line("c", "03:00")));
        let mut more = Vec::new();
        {
            let mut e = flate2::write::GzEncoder::new(&mut more, flate2::Compression::fast());
            e.write_all(format!("{}\r\n", line("d", "04:00")).as_bytes())
                .unwrap();
            e.finish().unwrap();
        }
        std::fs::OpenOptions::new()
            .append(true)
            .open(&p1)
            .unwrap()
            .write_all(&more)
            .unwrap();
        std::fs::write(
            d.path().join("access.log"),
            format!(
                "{}\nnot a log line\n\n{}\n",
                line("e", "05:00"),
                line("f", "06:00")
            ),
        )
        .unwrap();
        std::fs::write(d.path().join("empty.log"), "").unwrap();
        let paths: Vec<PathBuf> = ["access.log", "empty.log", "access.log.1", "access.log.2.gz"]
            .iter()
            .map(|n| d.path().join(n))
            .collect();
        let logs = scan(&paths).unwrap();
        assert_eq!(logs.count(), 3);
        let (seen, bad) = collect(&logs);
        assert_eq!(seen, ["a", "b", "c", "d", "e", "f"]);
        assert_eq!(bad, [("access.log".to_string(), 2)]);
    }

    #[test]
    fn overlapping_files_interleave() {
        let d = tempfile::tempdir().unwrap();
        let a = d.path().join("web1.log");
        let b = d.path().join("web2.log");
        std::fs::write(
            &a,
            format!(
                "{}\n{}\n{}\n",
                line("a1", "01:00"),
                line("a2", "03:00"),
                line("a3", "05:00")
            ),
        )
        .unwrap();
        std::fs::write(
            &b,
            format!("{}\n{}\n", line("b1", "02:00"), line("b2", "04:00")),
        )
        .unwrap();
        let (seen, _) = collect(&scan(&[b, a]).unwrap());
        assert_eq!(seen, ["a1", "b1", "a2", "b2", "a3"]);
    }

    #[test]
    fn another_format_is_an_error_naming_the_expected_one() {
        let d = tempfile::tempdir().unwrap();
        let common = d.path().join("common.log");
        std::fs::write(
            &common,
            "127.0.0.1 - - [01/Apr/2024:01:00:00 +0900] \"GET / HTTP/1.1\" 200 12\n",
        )
        .unwrap();
        let e = scan(&[common]).err().unwrap();
        assert!(e.message.contains("Combined Log Format"), "{}", e.message);
        assert!(e.message.contains("Common Log Format"), "{}", e.message);
        assert!(e.file.as_deref().unwrap().ends_with("common.log"));
        let json = d.path().join("json.log");
        std::fs::write(
            &json,
            "{\"time\":\"2024-04-01T01:00:00+09:00\",\"path\":\"/\"}\n",
        )
        .unwrap();
        let e = scan(&[json]).err().unwrap();
        assert!(e.message.contains("JSON"), "{}", e.message);
        let missing = d.path().join("missing.log");
        assert!(scan(&[missing]).is_err());
    }
}
