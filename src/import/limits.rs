//! How much a .docx may inflate when read: past these it is a damaged file or a zip bomb.

/// A part that inflates past this is refused (a zip bomb would otherwise fill memory): Word's
/// `document.xml` of a 500-page report is about 20 MB, a photo rarely over 30 MB.
pub const MAX_PART: u64 = 128 * 1024 * 1024;

/// All parts read from one file, together.
pub const MAX_TOTAL: u64 = 1024 * 1024 * 1024;

/// A part that inflates more than this many times its stored size, once past
/// [`RATIO_FROM`], is refused: Word's parts compress 4–13 times; deflate's limit is ~1030.
pub const MAX_RATIO: u64 = 100;
