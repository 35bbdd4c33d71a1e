//! A small element tree over quick-xml, because WordprocessingML is easier to read as a tree
//! than as a stream (a run's properties come before its text, a picture's description sits
//! beside the picture). Names are kept without their prefix: transitional and strict files
//! use different namespaces for the same elements, and both should read the same.

use quick_xml::XmlVersion;
use quick_xml::events::Event;

/// Deeper nesting than this is refused (a hostile file could otherwise exhaust the stack of
/// the walkers that read the tree).
const MAX_DEPTH: usize = 256;

#[derive(Debug, Default)]
pub struct El {
    /// Local name, without prefix (`p` for `w:p`).
    pub name: String,
    /// Attributes as written (`w:val`, `r:embed`) with their unescaped values.
    pub attrs: Vec<(String, String)>,
    pub kids: Vec<Node>,
}

#[derive(Debug)]
pub enum Node {
    El(El),
    Text(String),
}

impl El {
    /// The value of the attribute whose local name is `local` (`val` finds `w:val`).
    pub fn attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.rsplit(':').next() == Some(local))
            .map(|(_, v)| v.as_str())
    }

    /// A relationship id (`r:id`, `r:embed`, `r:link`): a prefixed attribute, never a bare `id`.
    pub fn rel_attr(&self, local: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k.split_once(':').is_some_and(|(_, l)| l == local))
            .map(|(_, v)| v.as_str())
    }

    pub fn elements(&self) -> impl Iterator<Item = &El> {
        self.kids.iter().filter_map(|n| match n {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    pub fn child(&self, name: &str) -> Option<&El> {
        self.elements().find(|e| e.name == name)
    }

    /// `w:val` of a child (`<w:pStyle w:val="1"/>`).
    pub fn child_val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.attr("val"))
    }

    /// The first element named `name` at any depth (this one included).
    pub fn find(&self, name: &str) -> Option<&El> {
        if self.name == name {
            return Some(self);
        }
        self.elements().find_map(|e| e.find(name))
    }

    /// All text below this element, in order.
    pub fn text(&self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(&self, out: &mut String) {
        for n in &self.kids {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::El(e) => e.collect_text(out),
            }
        }
    }

    /// Text of the `t` elements below (what a run shows), skipping deleted text.
    pub fn run_text(&self) -> String {
        let mut out = String::new();
        self.collect_run_text(&mut out);
        out
    }

    fn collect_run_text(&self, out: &mut String) {
        for e in self.elements() {
            match e.name.as_str() {
                "t" => out.push_str(&e.text()),
                "tab" => out.push(' '),
                "del" | "delText" | "instrText" | "moveFrom" => {}
                _ => e.collect_run_text(out),
            }
        }
    }
}

/// Toggle properties (`<w:b/>`, `<w:b w:val="false"/>`): present and not switched off.
pub fn is_on(e: Option<&El>) -> Option<bool> {
    e.map(|e| !matches!(e.attr("val"), Some("0" | "false" | "off" | "none")))
}

/// Parses a part. Text is decoded as UTF-8 (or UTF-16 with a BOM, which Word can write).
pub fn parse(bytes: &[u8]) -> Result<El, String> {
    let text = decode(bytes);
    let mut reader = quick_xml::Reader::from_str(&text);
    reader.config_mut().check_end_names = false;
    let mut stack: Vec<El> = vec![El::default()];
    loop {
        let ev = reader
            .read_event()
            .map_err(|e| format!("XML error at byte {}: {e}", reader.buffer_position()))?;
        match ev {
            Event::Start(s) => {
                if stack.len() > MAX_DEPTH {
                    return Err(format!("XML nested deeper than {MAX_DEPTH} levels"));
                }
                stack.push(element(&s));
            }
            Event::Empty(s) => push(&mut stack, Node::El(element(&s))),
            Event::End(_) if stack.len() > 1 => {
                let el = stack.pop().unwrap_or_default();
                push(&mut stack, Node::El(el));
            }
            Event::Text(t) => push_text(&mut stack, &t.xml_content(XmlVersion::Implicit1_0)),
            Event::CData(t) => push_text(&mut stack, &t.xml_content(XmlVersion::Implicit1_0)),
            Event::GeneralRef(r) => {
                let s = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => match r.xml_content(XmlVersion::Implicit1_0).as_ref() {
                        "lt" => "<".into(),
                        "gt" => ">".into(),
                        "amp" => "&".into(),
                        "apos" => "'".into(),
                        "quot" => "\"".into(),
                        _ => String::new(),
                    },
                };
                push_text(&mut stack, &s);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    // Unclosed elements (a truncated part) keep what they hold.
    while stack.len() > 1 {
        let el = stack.pop().unwrap_or_default();
        push(&mut stack, Node::El(el));
    }
    let root = stack.pop().unwrap_or_default();
    root.kids
        .into_iter()
        .find_map(|n| match n {
            Node::El(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| "no XML element in the part".to_string())
}

fn decode(bytes: &[u8]) -> String {
    if let Some((enc, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc.decode_with_bom_removal(bytes).0.into_owned();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

fn element(s: &quick_xml::events::BytesStart) -> El {
    let name = s.local_name().as_ref().to_string();
    let attrs = s
        .attributes()
        .flatten()
        .map(|a| {
            let key = a.key.as_ref().to_string();
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| a.value.to_string());
            (key, value)
        })
        .collect();
    El {
        name,
        attrs,
        kids: Vec::new(),
    }
}

fn push(stack: &mut [El], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.kids.push(node);
    }
}

fn push_text(stack: &mut [El], s: &str) {
    if s.is_empty() {
        return;
    }
    if let Some(top) = stack.last_mut() {
        if let Some(Node::Text(t)) = top.kids.last_mut() {
            t.push_str(s);
        } else {
            top.kids.push(Node::Text(s.to_string()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_prefixes_and_entities_are_text() {
        let x = parse(br#"<?xml version="1.0"?><w:p xmlns:w="x"><w:r><w:t>a &amp; &#x3042;</w:t></w:r><w:pPr w:val="1"/></w:p>"#).unwrap();
        assert_eq!(x.name, "p");
        assert_eq!(x.run_text(), "a & あ");
        assert_eq!(x.child_val("pPr"), Some("1"));
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_crash() {
        let deep = "<a>".repeat(10_000);
        assert!(parse(deep.as_bytes()).is_err());
        assert!(parse(b"not xml at all").is_err());
        assert!(parse(b"").is_err());
    }
}
