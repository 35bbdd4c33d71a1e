//! What was read from the Word file, before it is written as kanko's Markdown.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fmt {
    pub bold: bool,
    pub italic: bool,
    pub strike: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    Text(String, Fmt),
    Ruby {
        base: String,
        rt: String,
    },
    Link {
        url: String,
        body: Vec<Inline>,
    },
    /// Index into `Doc::notes`.
    Note(usize),
    Break,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Normal,
    Title,
    Subtitle,
    Heading(u8),
    Quote,
    Code,
    Caption,
    /// Level (0 = top) and whether numbered.
    Item {
        level: u8,
        ordered: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub kind: Kind,
    pub body: Vec<Inline>,
}

#[derive(Debug, Clone)]
pub struct Image {
    /// File name under `images/` (None: not carried over).
    pub file: Option<String>,
    /// Description (`descr`, else `title`) from the picture.
    pub alt: String,
    pub caption: Option<Vec<Inline>>,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// Rows of cells; each cell holds its paragraphs. Row 0 is the header.
    pub rows: Vec<Vec<Vec<Para>>>,
    /// Cannot be a GFM table (a list or a table inside a cell): written row by row.
    pub complex: bool,
}

/// Something that could only be carried over approximately, for the summary.
#[derive(Debug, Clone, PartialEq)]
pub enum Approx {
    MergedCells,
    ComplexTable,
    /// 圏点 written as strong emphasis.
    Kenten,
    TextBox,
    LinkedImage(String),
    UnsupportedImage(String),
    /// An EMF / WMF picture written as SVG without some of its records (name, count).
    Metafile {
        svg: String,
        original: String,
        missing: Vec<(String, usize)>,
    },
    /// An EMF / WMF picture that could not be converted (file name, why).
    UnreadableMetafile(String, String),
    MissingImage(String),
    Chart,
    /// An image inside a table cell or note, written after it.
    MovedImage,
}

#[derive(Debug, Clone)]
pub enum Block {
    Para(Para),
    Table(Table),
    Figure(Image),
    /// Not part of the text: remembers where an approximation happened.
    Mark(Approx),
}

/// The whole document as read.
#[derive(Debug, Default)]
pub struct Doc {
    /// Footnotes and endnotes, in order of reference; each is its paragraphs' inlines.
    pub notes: Vec<Vec<Inline>>,
    /// Media files to copy: (file name under images/, bytes).
    pub media: Vec<(String, Vec<u8>)>,
    pub vertical: bool,
    pub ruby: usize,
}

impl Inline {
    pub fn plain(items: &[Inline]) -> String {
        let mut s = String::new();
        for i in items {
            match i {
                Inline::Text(t, _) => s.push_str(t),
                Inline::Ruby { base, .. } => s.push_str(base),
                Inline::Link { body, .. } => s.push_str(&Inline::plain(body)),
                Inline::Break => s.push(' '),
                Inline::Note(_) => {}
            }
        }
        s
    }
}
