//! Reading manuscript files: UTF-8 (BOM and CRLF fine), a clear error for anything else.

use std::path::Path;

use crate::diag::{Diag, line_col};

/// Decodes a manuscript file. Control characters other than tab and newline are removed with
/// a warning, because they cannot be typeset and are invisible in an editor.
pub fn decode(bytes: &[u8], shown: &Path) -> Result<(String, Vec<Diag>), Diag> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => return Err(not_utf8(bytes, e.valid_up_to(), shown)),
    };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut warnings = Vec::new();
    if let Some(off) = text.find(|c: char| c.is_control() && c != '\n' && c != '\t') {
        let (l, c) = line_col(&text, off);
        let ch = text[off..].chars().next().unwrap_or('\0');
        warnings.push(
            Diag::warning(format!(
                "control character U+{:04X} removed (and any others in this file)",
                ch as u32
            ))
            .at(shown, l, c),
        );
        let cleaned: String = text
            .chars()
            .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
            .collect();
        return Ok((cleaned, warnings));
    }
    Ok((text, warnings))
}

fn not_utf8(bytes: &[u8], valid_up_to: usize, shown: &Path) -> Diag {
    let prefix = String::from_utf8_lossy(&bytes[..valid_up_to]);
    let (line, col) = line_col(&prefix, prefix.len());
    let (_, had_errors) = encoding_rs::SHIFT_JIS.decode_without_bom_handling(bytes);
    let (_, euc_errors) = encoding_rs::EUC_JP.decode_without_bom_handling(bytes);
    let (msg, help) = if !had_errors {
        (
            crate::i18n::tr(
                "ファイルが UTF-8 ではありません（Shift_JIS のようです）",
                "file is not UTF-8 (it looks like Shift_JIS)",
            ),
            crate::i18n::tr(
                "エディタで「UTF-8」を選んで保存し直してください",
                "save it again as UTF-8 (in most editors: Save As… → Encoding: UTF-8)",
            ),
        )
    } else if !euc_errors {
        (
            crate::i18n::tr(
                "ファイルが UTF-8 ではありません（EUC-JP のようです）",
                "file is not UTF-8 (it looks like EUC-JP)",
            ),
            crate::i18n::tr("UTF-8 で保存し直してください", "save it again as UTF-8"),
        )
    } else {
        (
            crate::i18n::tr("ファイルが UTF-8 ではありません", "file is not valid UTF-8"),
            crate::i18n::tr("UTF-8 で保存し直してください", "save it again as UTF-8"),
        )
    };
    Diag::error(msg).at(shown, line, col).help(help)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_fine() {
        let (t, w) = decode(b"\xEF\xBB\xBF# a\r\nb\r\n", Path::new("x.md")).unwrap();
        assert_eq!(t, "# a\nb\n");
        assert!(w.is_empty());
    }

    #[test]
    fn shift_jis_is_named() {
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("# はじめに\n日本語の本文です。\n");
        let e = decode(&sjis, Path::new("x.md")).unwrap_err();
        assert!(e.message.contains("Shift_JIS"), "{e}");
        assert_eq!(e.line, 1);
    }

    #[test]
    fn control_characters_are_removed_with_a_warning() {
        let (t, w) = decode("a\u{0}b\u{7}c\n".as_bytes(), Path::new("x.md")).unwrap();
        assert_eq!(t, "abc\n");
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].line, w[0].col), (1, 2));
    }
}
