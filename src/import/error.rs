//! Why a file could not be imported, each with what to do about it.

use super::limits::{MAX_PART, MAX_RATIO};

/// Why a file could not be imported; each says what to do.
#[derive(Debug)]
pub enum ImportError {
    OldDoc,
    Encrypted,
    NotZip,
    /// Another kind of file (`OpenDocument`, `RTF`, `Excel`…).
    NotDocx(String),
    NoMainPart,
    BadMainPart(String),
    /// A part inflates past the limits (a zip bomb, or a damaged file): its name, the bytes
    /// read before stopping and its stored size.
    TooLarge(String, u64, u64),
}

impl ImportError {
    pub fn message(&self) -> (String, String) {
        let save = crate::i18n::tr(
            "Word で開き、「名前を付けて保存」で「Word 文書 (*.docx)」として保存し直してから、もう一度 kanko import を実行してください",
            "open it in Word, use Save As → \"Word Document (*.docx)\", then run kanko import again",
        )
        .to_string();
        match self {
            ImportError::OldDoc => (
                crate::t!(
                    "古い形式の Word 文書（.doc）です。kanko が読めるのは .docx だけです",
                    "this is an old binary Word document (.doc); kanko reads .docx only"
                ),
                save,
            ),
            ImportError::Encrypted => (
                crate::t!(
                    "パスワードで保護（暗号化）された文書なので読めません",
                    "the document is password-protected (encrypted), so it cannot be read"
                ),
                crate::t!(
                    "Word で開き、「ファイル」→「情報」→「文書の保護」→「パスワードを使用して暗号化」でパスワードを消して保存してから、もう一度実行してください",
                    "open it in Word, remove the password (File → Info → Protect Document → Encrypt with Password), save, and run again"
                ),
            ),
            ImportError::NotZip => (
                crate::t!(
                    "Word の .docx ファイルではありません（壊れているか、別の種類のファイルです）",
                    "this is not a Word .docx file (it is damaged or another kind of file)"
                ),
                save,
            ),
            ImportError::NotDocx(kind) => (
                crate::t!(
                    "{kind} のファイルです。Word の .docx ではありません",
                    "this is a {kind} file, not a Word .docx"
                ),
                save,
            ),
            ImportError::NoMainPart => (
                crate::t!(
                    ".docx の中に本文（document.xml）が見つかりません。ファイルが壊れています",
                    "the .docx holds no main document part (document.xml); the file is damaged"
                ),
                save,
            ),
            ImportError::BadMainPart(why) => (
                crate::t!(
                    ".docx の本文が読めません（{why}）。ファイルが壊れています",
                    "the main document part cannot be read ({why}); the file is damaged"
                ),
                save,
            ),
            ImportError::TooLarge(part, got, stored) => {
                let mb = |b: u64| b.div_ceil(1024 * 1024);
                let (limit, got_mb, ratio) = (mb(MAX_PART), mb(*got), got / stored.max(&1));
                let stored_kb = stored.div_ceil(1024);
                (
                    crate::t!(
                        ".docx の中の {part} は、保存された {stored_kb} KB から {got_mb} MB 以上に展開されるため読むのをやめました（1つの部品は {limit} MB まで、圧縮率は {MAX_RATIO} 倍まで。いまは {ratio} 倍）。壊れたファイルか、展開すると巨大になるよう作られたファイル（zip bomb）です",
                        "stopped reading {part} inside the .docx: it inflates from {stored_kb} KB to {got_mb} MB or more (a part may be up to {limit} MB and inflate up to {MAX_RATIO} times; this one {ratio} times). The file is damaged or built to explode when unpacked (a zip bomb)"
                    ),
                    crate::t!(
                        "Word で開けるなら「名前を付けて保存」で保存し直してください。本当にこの大きさの文書なら、章ごとに別の .docx に分けて1つずつ取り込んでください",
                        "if Word opens it, save it again with Save As; if the document really is this large, split it into one .docx per chapter and import them one by one"
                    ),
                )
            }
        }
    }
}
