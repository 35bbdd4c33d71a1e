//! Images referenced by a report: resolved inside the report folder only, decoded within
//! memory limits, and scaled to what print (≤ 300 dpi) and screens (≤ 1600 px) need.

use std::io::Cursor;
use std::path::{Component, Path, PathBuf};

use image::{DynamicImage, ImageFormat, ImageReader, Limits};

/// Longest side accepted at all (a larger declared size is refused before decoding).
pub const MAX_SIDE: u32 = 12_000;
/// Width for print: A4 text width (~165 mm) at 300 dpi.
pub const PRINT_MAX: u32 = 2000;
/// Long side for EPUB and web.
pub const SCREEN_MAX: u32 = 1600;
const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the report folder, with `/` separators: the key used by the tree.
    pub rel: String,
    pub format: ImageFormat,
    /// Original pixel size (for the print-resolution lint).
    pub width: u32,
    pub height: u32,
    pub print: Vec<u8>,
    pub screen: Vec<u8>,
    /// An SVG drawing: Typst sets the vector original in the PDF; EPUB and web get a PNG of it
    /// (`format` is then PNG), so no SVG, and nothing scriptable in it, reaches a browser.
    pub svg: bool,
}

impl Asset {
    pub fn mime(&self) -> &'static str {
        match self.format {
            ImageFormat::Jpeg => "image/jpeg",
            _ => "image/png",
        }
    }

    /// File name for EPUB and web: the manuscript's path, plus the real extension when the
    /// file's name does not say what it is (`moon.jpg` holding a PNG, `figure` with none).
    pub fn web_name(&self) -> String {
        let lower = self.rel.to_ascii_lowercase();
        let ok = match self.format {
            ImageFormat::Jpeg => lower.ends_with(".jpg") || lower.ends_with(".jpeg"),
            _ => lower.ends_with(".png"),
        };
        if ok {
            self.rel.clone()
        } else {
            format!("{}.{}", self.rel, self.screen_ext())
        }
    }

    /// Extension of the screen version (EPUB and web).
    pub fn screen_ext(&self) -> &'static str {
        match self.format {
            ImageFormat::Jpeg => "jpg",
            _ => "png",
        }
    }

    /// Extension of the print version (what Typst reads).
    pub fn ext(&self) -> &'static str {
        if self.svg {
            return "svg";
        }
        match self.format {
            ImageFormat::Jpeg => "jpg",
            _ => "png",
        }
    }
}

/// Checks the path the manuscript wrote and returns it relative to the report folder.
pub fn resolve(src: &str, dir: &Path) -> Result<(String, PathBuf), String> {
    let lower = src.to_ascii_lowercase();
    if lower.contains("://") || lower.starts_with("data:") || lower.starts_with("//") {
        return Err(crate::t!(
            "画像 `{src}` は報告書フォルダ内のファイルではありません（kanko はダウンロードしません）",
            "image `{src}` is not a file in the report folder (kanko never downloads anything)"
        ));
    }
    let decoded = percent_decode(src);
    let path = Path::new(&decoded);
    if path.is_absolute() || decoded.starts_with('/') || decoded.starts_with('\\') {
        return Err(crate::t!(
            "画像のパス `{src}` が絶対パスです。報告書フォルダからの相対パス（例：images/figure.png）で書いてください",
            "image path `{src}` is absolute; write it relative to the report folder, e.g. images/figure.png"
        ));
    }
    let mut parts: Vec<String> = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_string_lossy().into_owned()),
            Component::CurDir => {}
            _ => {
                return Err(crate::t!(
                    "画像のパス `{src}` が報告書フォルダの外を指しています（`..` は使えません）",
                    "image path `{src}` leaves the report folder (`..` is not allowed)"
                ));
            }
        }
    }
    if parts.is_empty() {
        return Err("image path is empty".into());
    }
    let full = dir.join(parts.join("/"));
    let meta = std::fs::symlink_metadata(&full).map_err(|_| {
        let looked = full.display();
        crate::t!(
            "画像 `{src}` が見つかりません（{looked}）",
            "image `{src}` not found (looked for {looked})"
        )
    })?;
    let real = full
        .canonicalize()
        .map_err(|e| format!("image `{src}`: {e}"))?;
    let root = dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    if !real.starts_with(&root) {
        return Err(crate::t!(
            "画像 `{src}` は報告書フォルダの外を指すリンクです",
            "image `{src}` is a link that leads out of the report folder"
        ));
    }
    if meta.is_dir() {
        return Err(format!("image `{src}` is a folder, not an image"));
    }
    Ok((parts.join("/"), full))
}

/// `%E5%9B%B3` → `図`; invalid sequences stay as they are.
pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Reads one image file, refusing one past the size limit.
pub fn read(rel: &str, full: &Path) -> Result<Vec<u8>, String> {
    let size = std::fs::metadata(full)
        .map_err(|e| format!("{rel}: {e}"))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "image `{rel}` is {} MB; the limit is 50 MB",
            size / 1_000_000
        ));
    }
    std::fs::read(full).map_err(|e| format!("{rel}: {e}"))
}

/// Checks and scales one image.
pub fn load(rel: &str, bytes: Vec<u8>) -> Result<Asset, String> {
    if looks_like_svg(rel, &bytes) {
        return load_svg(rel, bytes);
    }
    let reader = ImageReader::new(Cursor::new(&bytes))
        .with_guessed_format()
        .map_err(|e| format!("image `{rel}`: {e}"))?;
    let format = match reader.format() {
        Some(f @ (ImageFormat::Png | ImageFormat::Jpeg)) => f,
        Some(f) => return Err(format!("image `{rel}` is {f:?}; use PNG, JPEG or SVG")),
        None => {
            return Err(crate::t!(
                "`{rel}` は画像ではありません（PNG か JPEG が必要です）",
                "`{rel}` is not an image (PNG or JPEG expected)"
            ));
        }
    };
    let (w, h) = reader.into_dimensions().map_err(|e| {
        crate::t!(
            "画像 `{rel}` が壊れているか途中で切れています: {e}",
            "image `{rel}` is damaged or truncated: {e}"
        )
    })?;
    if w > MAX_SIDE || h > MAX_SIDE {
        return Err(crate::t!(
            "画像 `{rel}` は {w}×{h} ピクセルです。1辺 {MAX_SIDE} ピクセルまでに縮小してください",
            "image `{rel}` is {w}×{h} pixels; the limit is {MAX_SIDE} pixels on a side — scale it down first"
        ));
    }
    let mut reader = ImageReader::with_format(Cursor::new(&bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(1 << 30);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| {
        crate::t!(
            "画像 `{rel}` が壊れているか途中で切れています: {e}",
            "image `{rel}` is damaged or truncated: {e}"
        )
    })?;
    let print = if w > PRINT_MAX {
        encode(&scale(&img, PRINT_MAX), format)?
    } else {
        bytes.clone()
    };
    let screen = if w.max(h) > SCREEN_MAX {
        encode(&scale(&img, SCREEN_MAX), format)?
    } else {
        bytes.clone()
    };
    Ok(Asset {
        rel: rel.to_string(),
        format,
        width: w,
        height: h,
        print,
        screen,
        svg: false,
    })
}

fn looks_like_svg(rel: &str, bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    rel.to_ascii_lowercase().ends_with(".svg")
        || head.trim_start().starts_with("<svg")
        || head.contains("<svg")
}

fn load_svg(rel: &str, bytes: Vec<u8>) -> Result<Asset, String> {
    let tree =
        resvg::usvg::Tree::from_data(&bytes, &resvg::usvg::Options::default()).map_err(|e| {
            crate::t!(
                "SVG `{rel}` を読めません: {e}",
                "SVG `{rel}` cannot be read: {e}"
            )
        })?;
    let size = tree.size();
    let (w, h) = (size.width().max(1.0), size.height().max(1.0));
    let scale = SCREEN_MAX as f32 / w.max(h);
    let (pw, ph) = ((w * scale).round() as u32, (h * scale).round() as u32);
    let mut pixmap = resvg::tiny_skia::Pixmap::new(pw.max(1), ph.max(1))
        .ok_or_else(|| format!("SVG `{rel}` has no size"))?;
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let screen = pixmap
        .encode_png()
        .map_err(|e| format!("SVG `{rel}`: {e}"))?;
    Ok(Asset {
        rel: rel.to_string(),
        format: ImageFormat::Png,
        width: pw,
        height: ph,
        print: bytes,
        screen,
        svg: true,
    })
}

fn scale(img: &DynamicImage, max: u32) -> DynamicImage {
    img.resize(max, max, image::imageops::FilterType::CatmullRom)
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Result<Vec<u8>, String> {
    let mut out = Cursor::new(Vec::new());
    let res = match format {
        ImageFormat::Jpeg => {
            let rgb = img.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 85).encode_image(&rgb)
        }
        _ => img.write_to(&mut out, ImageFormat::Png),
    };
    res.map_err(|e| format!("could not re-encode image: {e}"))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_leave_the_folder_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert!(resolve("../x.png", dir.path()).unwrap_err().contains(".."));
        assert!(
            resolve("/etc/passwd", dir.path())
                .unwrap_err()
                .contains("absolute")
        );
        assert!(resolve("https://example.org/a.png", dir.path()).is_err());
        assert!(
            resolve("images/none.png", dir.path())
                .unwrap_err()
                .contains("not found")
        );
    }
}
