//! Styles by their names, not their ids: Japanese Word writes `heading 1` with the id `1`,
//! and other programs invent their own ids. Outline levels count as headings too.

use std::collections::HashMap;

use super::xml::{El, is_on};

/// What a paragraph style makes of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Normal,
    Title,
    Subtitle,
    /// 1-based level.
    Heading(u8),
    Quote,
    Code,
    Caption,
    /// A table-of-contents entry or heading: kanko makes its own table of contents.
    Toc,
}

#[derive(Debug, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
    bold: Option<bool>,
    italic: Option<bool>,
}

#[derive(Debug, Default)]
pub struct Styles {
    map: HashMap<String, Style>,
    default_para: Option<String>,
}

/// Run formatting a character style gives.
#[derive(Debug, Clone, Copy, Default)]
pub struct CharFormat {
    pub bold: Option<bool>,
    pub italic: Option<bool>,
}

impl Styles {
    pub fn parse(x: Option<&El>) -> Styles {
        let mut s = Styles::default();
        let Some(x) = x else { return s };
        for st in x.elements().filter(|e| e.name == "style") {
            let Some(id) = st.attr("styleId") else {
                continue;
            };
            let ppr = st.child("pPr");
            let rpr = st.child("rPr");
            let style = Style {
                name: st.child_val("name").unwrap_or("").trim().to_lowercase(),
                based_on: st.child_val("basedOn").map(str::to_string),
                outline: ppr
                    .and_then(|p| p.child_val("outlineLvl"))
                    .and_then(|v| v.parse().ok()),
                num: ppr.and_then(|p| p.child("numPr")).and_then(num_pr),
                bold: rpr.and_then(|r| is_on(r.child("b"))),
                italic: rpr.and_then(|r| is_on(r.child("i"))),
            };
            if st.attr("type") == Some("paragraph")
                && st.attr("default").is_some_and(|d| d == "1" || d == "true")
            {
                s.default_para = Some(id.to_string());
            }
            s.map.insert(id.to_string(), style);
        }
        s
    }

    /// The style and the styles it is based on, nearest first (cycles cut).
    fn chain(&self, id: Option<&str>) -> Vec<&Style> {
        let mut out = Vec::new();
        let mut next = id.or(self.default_para.as_deref());
        while let Some(id) = next {
            let Some(st) = self.map.get(id) else { break };
            if out.len() > 16 {
                break;
            }
            out.push(st);
            next = st.based_on.as_deref();
        }
        out
    }

    /// The role of a paragraph with style `id` and, if written on the paragraph, an outline level.
    pub fn role(&self, id: Option<&str>, direct_outline: Option<u8>) -> Role {
        let chain = self.chain(id);
        // A style the file does not define (or no styles part at all): its id is all there is.
        if let Some(id) = id.filter(|id| !self.map.contains_key(*id))
            && let Some(r) = role_by_name(&id.to_lowercase())
        {
            return r;
        }
        if let Some(first) = chain.first()
            && let Some(r) = role_by_name(&first.name)
        {
            return r;
        }
        if let Some(l) = direct_outline.filter(|l| *l < 9) {
            return Role::Heading(l + 1);
        }
        for st in &chain {
            if let Some(r) = role_by_name(&st.name) {
                return r;
            }
            if let Some(l) = st.outline {
                return if l < 9 {
                    Role::Heading(l + 1)
                } else {
                    Role::Normal
                };
            }
        }
        Role::Normal
    }

    /// Numbering a paragraph style brings (`numId`, level).
    pub fn numbering(&self, id: Option<&str>) -> Option<(String, u8)> {
        self.chain(id).iter().find_map(|s| s.num.clone())
    }

    pub fn char_format(&self, id: Option<&str>) -> CharFormat {
        let mut f = CharFormat::default();
        if id.is_none() {
            return f;
        }
        for st in self.chain(id) {
            match st.name.as_str() {
                "strong" => f.bold = f.bold.or(Some(true)),
                "emphasis" => f.italic = f.italic.or(Some(true)),
                _ => {}
            }
            f.bold = f.bold.or(st.bold);
            f.italic = f.italic.or(st.italic);
        }
        f
    }
}

pub fn num_pr(e: &El) -> Option<(String, u8)> {
    let id = e.child_val("numId")?.to_string();
    let lvl = e
        .child_val("ilvl")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((id, lvl))
}

/// Word's built-in names (stored in English whatever the UI language) and the names other
/// programs or translated templates write.
fn role_by_name(name: &str) -> Option<Role> {
    let n = name.trim();
    for prefix in ["heading", "見出し"] {
        if let Some(rest) = n.strip_prefix(prefix)
            && let Ok(l) = rest.trim().parse::<u8>()
            && (1..=9).contains(&l)
        {
            return Some(Role::Heading(l));
        }
    }
    if n.starts_with("toc") || n.starts_with("目次") {
        return Some(Role::Toc);
    }
    Some(match n {
        "title" | "表題" => Role::Title,
        "subtitle" | "副題" => Role::Subtitle,
        "caption" | "図表番号" | "キャプション" => Role::Caption,
        _ if n.contains("quote") || n.contains("引用") || n == "block text" => Role::Quote,
        _ if n.contains("code")
            || n.contains("preformatted")
            || n.contains("コード")
            || n == "plain text"
            || n == "source" =>
        {
            Role::Code
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(xml: &str) -> Styles {
        Styles::parse(Some(&super::super::xml::parse(xml.as_bytes()).unwrap()))
    }

    #[test]
    fn japanese_word_ids_resolve_by_name_and_outline_levels_count() {
        let s = styles(
            r#"<w:styles xmlns:w="w">
            <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
            <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/></w:style>
            <w:style w:type="paragraph" w:styleId="mine"><w:name w:val="章タイトル"/><w:basedOn w:val="1"/></w:style>
            <w:style w:type="paragraph" w:styleId="lvl"><w:name w:val="節"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
            <w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/></w:style>
            <w:style w:type="paragraph" w:styleId="toch"><w:name w:val="TOC Heading"/><w:basedOn w:val="1"/></w:style>
            </w:styles>"#,
        );
        assert_eq!(s.role(Some("1"), None), Role::Heading(1));
        assert_eq!(s.role(Some("2"), None), Role::Heading(2));
        assert_eq!(s.role(Some("mine"), None), Role::Heading(1));
        assert_eq!(s.role(Some("lvl"), None), Role::Heading(3));
        assert_eq!(s.role(Some("a3"), None), Role::Title);
        assert_eq!(s.role(Some("toch"), None), Role::Toc);
        assert_eq!(s.role(None, None), Role::Normal);
        assert_eq!(s.role(None, Some(1)), Role::Heading(2));
        assert_eq!(s.role(Some("unknown"), None), Role::Normal);
        assert_eq!(s.role(Some("Heading3"), None), Role::Heading(3));
    }
}
