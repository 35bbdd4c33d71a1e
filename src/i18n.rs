//! Japanese or English words for the terminal, chosen once from the locale.
//!
//! The locale is read from `LC_ALL`, `LC_MESSAGES` or `LANG` (in that order); `ja*` → Japanese.

use std::sync::OnceLock;

static JAPANESE: OnceLock<bool> = OnceLock::new();

pub fn japanese() -> bool {
    *JAPANESE.get_or_init(|| {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .is_some_and(|v| v.starts_with("ja"))
    })
}

/// Picks the Japanese or English text.
pub fn tr<'a>(ja: &'a str, en: &'a str) -> &'a str {
    if japanese() { ja } else { en }
}

/// Short fixed words.
pub fn t(key: &str) -> &'static str {
    let (ja, en) = match key {
        "error" => ("エラー", "error"),
        "warning" => ("警告", "warning"),
        "help" => ("ヒント", "help"),
        _ => ("", ""),
    };
    if japanese() { ja } else { en }
}

/// `t!("日本語 {x}", "English {x}")`: a message in the user's language, formatted.
#[macro_export]
macro_rules! t {
    ($ja:literal, $en:literal $(,)?) => {
        if $crate::i18n::japanese() {
            format!($ja)
        } else {
            format!($en)
        }
    };
}
