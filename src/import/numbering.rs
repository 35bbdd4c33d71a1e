//! `numbering.xml`: whether a numbered paragraph is a bulleted or a numbered list item.

use std::collections::HashMap;

use super::xml::El;

#[derive(Debug, Default)]
pub struct Numbering {
    /// numId → (abstractNumId, level → format from a `lvlOverride`).
    nums: HashMap<String, (String, HashMap<u8, String>)>,
    /// abstractNumId → level → format (`bullet`, `decimal`, `none`, …).
    abstracts: HashMap<String, HashMap<u8, String>>,
}

/// What kind of list item a numbered paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListKind {
    Bullet,
    Ordered,
}

impl Numbering {
    pub fn parse(x: Option<&El>) -> Numbering {
        let mut n = Numbering::default();
        let Some(x) = x else { return n };
        for e in x.elements() {
            match e.name.as_str() {
                "abstractNum" => {
                    if let Some(id) = e.attr("abstractNumId") {
                        n.abstracts.insert(id.to_string(), levels(e));
                    }
                }
                "num" => {
                    if let (Some(id), Some(abs)) = (e.attr("numId"), e.child_val("abstractNumId")) {
                        let mut over = HashMap::new();
                        for o in e.elements().filter(|o| o.name == "lvlOverride") {
                            if let Some(l) = o.child("lvl") {
                                over.extend(levels_of([l], o.attr("ilvl")));
                            }
                        }
                        n.nums.insert(id.to_string(), (abs.to_string(), over));
                    }
                }
                _ => {}
            }
        }
        n
    }

    /// None: not a list item (`numId` 0, a `none` format, or numbering the file does not define
    /// while other numbering exists).
    pub fn kind(&self, num_id: &str, level: u8) -> Option<ListKind> {
        if num_id == "0" {
            return None;
        }
        let Some((abs, over)) = self.nums.get(num_id) else {
            // A list style without numbering.xml: still a list, most likely bulleted.
            return self.nums.is_empty().then_some(ListKind::Bullet);
        };
        let fmt = over
            .get(&level)
            .or_else(|| self.abstracts.get(abs).and_then(|a| a.get(&level)))
            .map_or("bullet", String::as_str);
        match fmt {
            "none" => None,
            "bullet" => Some(ListKind::Bullet),
            _ => Some(ListKind::Ordered),
        }
    }
}

fn levels(abs: &El) -> HashMap<u8, String> {
    levels_of(abs.elements().filter(|l| l.name == "lvl"), None)
}

fn levels_of<'a>(
    lvls: impl IntoIterator<Item = &'a El>,
    fallback_ilvl: Option<&str>,
) -> HashMap<u8, String> {
    lvls.into_iter()
        .filter_map(|l| {
            let ilvl: u8 = l.attr("ilvl").or(fallback_ilvl)?.parse().ok()?;
            let fmt = l.child_val("numFmt").unwrap_or("decimal").to_string();
            Some((ilvl, fmt))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bullets_numbers_and_overrides() {
        let x = super::super::xml::parse(
            br#"<w:numbering xmlns:w="w">
            <w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/></w:lvl></w:abstractNum>
            <w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="decimalFullWidth"/></w:lvl></w:abstractNum>
            <w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
            <w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
            <w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:lvl w:ilvl="0"><w:numFmt w:val="none"/></w:lvl></w:lvlOverride></w:num>
            </w:numbering>"#,
        )
        .unwrap();
        let n = Numbering::parse(Some(&x));
        assert_eq!(n.kind("1", 0), Some(ListKind::Bullet));
        assert_eq!(n.kind("1", 1), Some(ListKind::Ordered));
        assert_eq!(n.kind("2", 0), Some(ListKind::Ordered));
        assert_eq!(n.kind("3", 0), None);
        assert_eq!(n.kind("0", 0), None);
        assert_eq!(n.kind("99", 0), None);
    }
}
