//! Why a file could not be imported, each with what to do about it.

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
        }
    }
}
