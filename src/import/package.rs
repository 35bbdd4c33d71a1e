//! The .docx package: a zip of parts tied together by relationships. Parts are found by
//! following `_rels/*.rels` from the package root, never by assuming file names.

use std::collections::HashMap;
use std::io::Read;

use super::error::ImportError;
use super::limits::{MAX_PART, MAX_RATIO, MAX_TOTAL};
use super::xml::{self, El};

pub const RATIO_FROM: u64 = 1024 * 1024;

pub struct Package {
    zip: zip::ZipArchive<std::io::Cursor<Vec<u8>>>,
    /// Lower-cased part name (no leading `/`) → name in the zip. OPC names ignore case.
    names: HashMap<String, String>,
    pub main: String,
    /// Bytes inflated so far, for [`MAX_TOTAL`].
    read_total: u64,
    /// [`MAX_PART`] (lowered by tests).
    part_limit: u64,
    /// The first part refused for its size: (name, bytes read before stopping, stored size).
    pub refused: Option<(String, u64, u64)>,
}

/// One relationship of a part: where it points, and whether outside the package.
#[derive(Debug, Clone)]
pub struct Rel {
    pub kind: String,
    pub target: String,
    pub external: bool,
}

pub type Rels = HashMap<String, Rel>;

const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Opens the bytes of a file given as a .docx, or says what the file is instead.
pub fn open(bytes: Vec<u8>) -> Result<Package, ImportError> {
    if bytes.starts_with(&CFB_MAGIC) {
        return Err(if contains_utf16(&bytes, "EncryptedPackage") {
            ImportError::Encrypted
        } else {
            ImportError::OldDoc
        });
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(ImportError::NotDocx("RTF".into()));
    }
    if !bytes.starts_with(b"PK") {
        return Err(ImportError::NotZip);
    }
    let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| ImportError::NotZip)?;
    let names = zip
        .file_names()
        .map(|n| (n.trim_start_matches('/').to_lowercase(), n.to_string()))
        .collect();
    let mut pkg = Package {
        zip,
        names,
        main: String::new(),
        read_total: 0,
        part_limit: MAX_PART,
        refused: None,
    };
    pkg.main = pkg.find_main()?;
    Ok(pkg)
}

fn contains_utf16(bytes: &[u8], word: &str) -> bool {
    let needle: Vec<u8> = word.encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(needle.len()).any(|w| w == needle.as_slice())
}

impl Package {
    fn find_main(&mut self) -> Result<String, ImportError> {
        if self.has("mimetype")
            && let Some(m) = self.read("mimetype")
            && m.starts_with(b"application/vnd.oasis")
        {
            return Err(ImportError::NotDocx("OpenDocument".into()));
        }
        let root = self.rels_of("");
        if let Some(r) = root
            .values()
            .find(|r| r.kind.ends_with("/officeDocument") && !r.external)
            && self.has(&r.target)
        {
            return Ok(r.target.clone());
        }
        if let Some(ct) = self.xml("[Content_Types].xml") {
            for o in ct.elements().filter(|e| e.name == "Override") {
                let is_main = o.attr("ContentType").is_some_and(|c| {
                    c.contains("wordprocessingml.document.main")
                        || c.contains("ms-word.document.macroEnabled.main")
                        || c.contains("wordprocessingml.template.main")
                });
                if let Some(p) = o.attr("PartName").filter(|_| is_main) {
                    let p = p.trim_start_matches('/');
                    if self.has(p) {
                        return Ok(p.to_string());
                    }
                }
            }
        }
        if self.has("word/document.xml") {
            return Ok("word/document.xml".into());
        }
        if self.has("xl/workbook.xml") {
            return Err(ImportError::NotDocx("Excel".into()));
        }
        if self.has("ppt/presentation.xml") {
            return Err(ImportError::NotDocx("PowerPoint".into()));
        }
        Err(ImportError::NoMainPart)
    }

    pub fn has(&self, name: &str) -> bool {
        self.names
            .contains_key(&name.trim_start_matches('/').to_lowercase())
    }

    /// The bytes of a part, or None when it is missing, unreadable or too large.
    pub fn read(&mut self, name: &str) -> Option<Vec<u8>> {
        let real = self
            .names
            .get(&name.trim_start_matches('/').to_lowercase())?
            .clone();
        if self.refused.is_some() {
            return None;
        }
        let file = self.zip.by_name(&real).ok()?;
        let stored = file.compressed_size().max(1);
        let declared = file.size();
        let budget = self
            .part_limit
            .min(MAX_TOTAL.saturating_sub(self.read_total));
        if declared > budget {
            self.refused = Some((real, declared, stored));
            return None;
        }
        // Declared sizes can lie: the limits hold for what actually inflates.
        let mut out = Vec::new();
        let mut file = file.take(budget + 1);
        let mut chunk = vec![0u8; 64 * 1024];
        loop {
            let n = match file.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return None,
            };
            out.extend_from_slice(&chunk[..n]);
            let got = out.len() as u64;
            if got > budget || (got > RATIO_FROM && got / stored > MAX_RATIO) {
                self.refused = Some((real, got, stored));
                return None;
            }
        }
        self.read_total += out.len() as u64;
        Some(out)
    }

    /// A part parsed as XML; None when missing or not well-formed.
    pub fn xml(&mut self, name: &str) -> Option<El> {
        let bytes = self.read(name)?;
        xml::parse(&bytes).ok()
    }

    /// The relationships of `part` (`""` = the package itself), targets resolved to part names.
    pub fn rels_of(&mut self, part: &str) -> Rels {
        let (dir, file) = match part.rsplit_once('/') {
            Some((d, f)) => (d.to_string(), f.to_string()),
            None => (String::new(), part.to_string()),
        };
        let rels_name = if dir.is_empty() {
            format!("_rels/{file}.rels")
        } else {
            format!("{dir}/_rels/{file}.rels")
        };
        let Some(x) = self.xml(&rels_name) else {
            return Rels::new();
        };
        x.elements()
            .filter(|e| e.name == "Relationship")
            .filter_map(|e| {
                let id = e.attr("Id")?.to_string();
                let target = e.attr("Target")?.to_string();
                let external = e.attr("TargetMode") == Some("External");
                let target = if external {
                    target
                } else {
                    resolve(&dir, &percent_decode(&target))
                };
                let kind = e.attr("Type").unwrap_or("").to_string();
                Some((
                    id,
                    Rel {
                        kind,
                        target,
                        external,
                    },
                ))
            })
            .collect()
    }
}

/// The first relationship whose type ends with `suffix` (`/styles`, `/footnotes`).
pub fn by_kind<'a>(rels: &'a Rels, suffix: &str) -> Option<&'a Rel> {
    let mut all: Vec<&Rel> = rels
        .values()
        .filter(|r| r.kind.ends_with(suffix) && !r.external)
        .collect();
    all.sort_by(|a, b| a.target.cmp(&b.target));
    all.into_iter().next()
}

/// `media/a.png` seen from `word` → `word/media/a.png`; `/word/x` → `word/x`; `..` climbs.
fn resolve(dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = if target.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push((h * 16 + l) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_like_opc_says() {
        assert_eq!(resolve("word", "media/a.png"), "word/media/a.png");
        assert_eq!(resolve("word", "/word/media/a.png"), "word/media/a.png");
        assert_eq!(
            resolve("word", "../customXml/item1.xml"),
            "customXml/item1.xml"
        );
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(percent_decode("media/a%20b.png"), "media/a b.png");
        assert_eq!(percent_decode("100%"), "100%");
    }

    fn zipped(name: &str, bytes: &[u8], method: zip::CompressionMethod) -> Vec<u8> {
        use std::io::Write;
        let mut z = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        z.start_file("word/document.xml", opts).unwrap();
        z.write_all(b"<w:document/>").unwrap();
        z.start_file(name, opts).unwrap();
        z.write_all(bytes).unwrap();
        z.finish().unwrap().into_inner()
    }

    /// A part past the size limit, or inflating past the ratio, is refused and named; what
    /// real Word files hold (4–13 times) reads.
    #[test]
    fn parts_past_the_size_or_ratio_limit_are_refused() {
        let stored = zipped(
            "word/media/a.bin",
            &[7u8; 4096],
            zip::CompressionMethod::Stored,
        );
        let mut pkg = open(stored).unwrap_or_else(|_| panic!("opens"));
        pkg.part_limit = 4095;
        assert!(pkg.read("word/media/a.bin").is_none());
        let (name, got, _) = pkg.refused.clone().expect("refused");
        assert_eq!(name, "word/media/a.bin");
        assert!(got > 4095, "{got}");
        let bomb = zipped(
            "word/styles.xml",
            &b"<w:p/>".repeat(400_000),
            zip::CompressionMethod::Deflated,
        );
        let mut pkg = open(bomb).unwrap_or_else(|_| panic!("opens"));
        assert!(pkg.read("word/styles.xml").is_none());
        let (_, got, stored) = pkg.refused.clone().expect("refused");
        assert!(
            got > RATIO_FROM && got / stored > MAX_RATIO,
            "{got} {stored}"
        );
        assert!(
            got < 3 * RATIO_FROM,
            "stops soon after the ratio is passed: {got}"
        );
        // Text-like XML at a real ratio reads whole.
        let mut seed = 1u32;
        let text: Vec<u8> = (0..2_000_000)
            .map(|_| {
                seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                b"<w:t>abcdefghijklmnop </w:t>"[(seed >> 16) as usize % 26]
            })
            .collect();
        let mut pkg = open(zipped(
            "word/x.xml",
            &text,
            zip::CompressionMethod::Deflated,
        ))
        .unwrap_or_else(|_| panic!("opens"));
        assert_eq!(pkg.read("word/x.xml").map(|b| b.len()), Some(text.len()));
        assert!(pkg.refused.is_none());
    }

    #[test]
    fn what_a_file_is_when_it_is_not_a_docx() {
        let mut cfb = CFB_MAGIC.to_vec();
        cfb.extend([0u8; 64]);
        assert!(matches!(open(cfb.clone()), Err(ImportError::OldDoc)));
        cfb.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert!(matches!(open(cfb), Err(ImportError::Encrypted)));
        assert!(matches!(open(b"hello".to_vec()), Err(ImportError::NotZip)));
        assert!(matches!(
            open(b"PK\x03\x04broken".to_vec()),
            Err(ImportError::NotZip)
        ));
        assert!(matches!(open(Vec::new()), Err(ImportError::NotZip)));
    }
}
