//! Akoma Ntoso (OASIS LegalDocML 3.0), both ways: the reader takes sections, numbered paragraphs, lists
//! and points from `mainBody` or `body`; the writer emits the same shape with Passage's ids as `eId`s
//! (`objective_8__action_b`) and the version's record in `meta/proprietary`, so a written file reads
//! back to the same version.

use std::fmt::Write as _;
use std::path::Path;

use roxmltree::{Document as XmlDocument, Node};

use crate::markdown::repeated_blocks;
use crate::seen_ids::SeenIds;

use crate::{
    Correction, DocumentId, Imported, NegotiationError, Part, PartId, Version, VersionDate,
    VersionMeta,
};

const AKN_NS: &str = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0";
/// Passage's own namespace for what Akoma Ntoso has no element for (version label, corrections).
const PASSAGE_NS: &str = "urn:passage:negotiation:1";

/// The element a part of this kind is written as.
fn element_for(kind: &str) -> &'static str {
    match kind {
        "objective" | "section" => "section",
        "para" => "paragraph",
        "action" | "item" | "point" => "point",
        "article" => "article",
        "chapter" => "chapter",
        _ => "hcontainer",
    }
}

/// The kind a part read from this element gets when its `eId` is not one of Passage's.
fn kind_for(element: &str) -> Option<&'static str> {
    Some(match element {
        "section" => "section",
        "paragraph" => "para",
        "point" | "indent" => "item",
        "article" => "article",
        "chapter" => "chapter",
        "part" => "part",
        "clause" => "clause",
        "subsection" => "subsection",
        "subparagraph" => "subpara",
        "hcontainer" => "container",
        _ => return None,
    })
}

fn e_id(id: &PartId) -> String {
    id.steps()
        .map(|(k, l)| format!("{k}_{l}"))
        .collect::<Vec<_>>()
        .join("__")
}

fn id_from_e_id(e_id: &str) -> Option<PartId> {
    let steps: Option<Vec<String>> = e_id
        .split("__")
        .map(|step| step.split_once('_').map(|(k, l)| format!("{k}/{l}")))
        .collect();
    PartId::parse(&steps?.join("/")).ok()
}

fn escape(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // XML 1.0 cannot carry these at all; the replacement character keeps the writer total.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

fn esc(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape(text, &mut s);
    s
}

fn write_paragraphs(text: &str, indent: &str, out: &mut String) {
    for line in text.split('\n') {
        let _ = writeln!(out, "{indent}<p>{}</p>", esc(line));
    }
}

fn write_part(part: &Part, depth: usize, out: &mut String) {
    let pad = "  ".repeat(depth);
    let element = element_for(part.id.kind());
    let name = if element == "hcontainer" {
        format!(" name=\"{}\"", esc(part.id.kind()))
    } else {
        String::new()
    };
    let id = e_id(&part.id);
    let _ = writeln!(out, "{pad}<{element} eId=\"{id}\"{name}>");
    if !part.num.is_empty() {
        let _ = writeln!(out, "{pad}  <num>{}</num>", esc(&part.num));
    }
    if let Some(h) = &part.heading {
        let _ = writeln!(out, "{pad}  <heading>{}</heading>", esc(h));
    }
    if part.children.is_empty() {
        let _ = writeln!(out, "{pad}  <content>");
        write_paragraphs(&part.text, &format!("{pad}    "), out);
        let _ = writeln!(out, "{pad}  </content>");
    } else {
        let points = part
            .children
            .iter()
            .all(|c| element_for(c.id.kind()) == "point");
        let inner = if points {
            format!("{pad}    ")
        } else {
            format!("{pad}  ")
        };
        if points {
            let _ = writeln!(out, "{pad}  <list eId=\"{id}__list_1\">");
        }
        if !part.text.is_empty() {
            let _ = writeln!(out, "{inner}<intro>");
            write_paragraphs(&part.text, &format!("{inner}  "), out);
            let _ = writeln!(out, "{inner}</intro>");
        }
        for c in &part.children {
            write_part(c, depth + if points { 2 } else { 1 }, out);
        }
        if points {
            let _ = writeln!(out, "{pad}  </list>");
        }
    }
    let _ = writeln!(out, "{pad}</{element}>");
}

/// Writes `version` as an Akoma Ntoso `doc`.
pub fn write_akoma_ntoso(version: &Version) -> String {
    let m = &version.meta;
    let doc = esc(m.document.as_str());
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<akomaNtoso xmlns=\"{AKN_NS}\" xmlns:passage=\"{PASSAGE_NS}\">"
    );
    let _ = writeln!(out, "  <doc name=\"{doc}\">");
    out.push_str("    <meta>\n      <identification source=\"#passage\">\n");
    let date = m
        .date
        .as_ref()
        .map(|d| format!("\n          <FRBRdate date=\"{d}\" name=\"version\"/>"))
        .unwrap_or_default();
    for (level, this) in [
        ("Work", format!("/akn/un/doc/{doc}")),
        ("Expression", format!("/akn/un/doc/{doc}/eng")),
        ("Manifestation", format!("/akn/un/doc/{doc}/eng.akn")),
    ] {
        let _ = writeln!(
            out,
            "        <FRBR{level}>\n          <FRBRthis value=\"{this}/!main\"/>\n          <FRBRuri value=\"{this}\"/>{date}\n          <FRBRauthor href=\"#passage\"/>\n        </FRBR{level}>"
        );
    }
    out.push_str("      </identification>\n      <proprietary source=\"#passage\">\n");
    let opt = |name: &str, v: Option<&str>| {
        v.map(|v| format!(" {name}=\"{}\"", esc(v)))
            .unwrap_or_default()
    };
    let _ = writeln!(
        out,
        "        <passage:version document=\"{doc}\" label=\"{}\"{}{}{}/>",
        esc(&m.label),
        opt("date", m.date.as_ref().map(VersionDate::as_str)),
        opt("source", m.source.as_deref()),
        opt("licence", m.licence.as_deref()),
    );
    for c in &version.corrections {
        let _ = writeln!(
            out,
            "        <passage:correction part=\"{}\" field=\"{}\" found=\"{}\" adopted=\"{}\" source=\"{}\"/>",
            c.part,
            esc(&c.field),
            esc(&c.found),
            esc(&c.adopted),
            esc(&c.source)
        );
    }
    out.push_str("      </proprietary>\n    </meta>\n    <mainBody>\n");
    for p in &version.parts {
        write_part(p, 3, &mut out);
    }
    out.push_str("    </mainBody>\n  </doc>\n</akomaNtoso>\n");
    out
}

struct Reader<'a, 'input> {
    file: &'a Path,
    xml: &'a XmlDocument<'input>,
    seen: SeenIds,
}

impl Reader<'_, '_> {
    fn line(&self, node: Node) -> usize {
        self.xml.text_pos_at(node.range().start).row as usize
    }

    fn err(&self, node: Node, message: impl Into<String>) -> NegotiationError {
        NegotiationError::syntax(self.file, self.line(node), message)
    }

    fn part(
        &mut self,
        node: Node,
        parent: Option<&PartId>,
        position: usize,
    ) -> Result<Part, NegotiationError> {
        let name = node.tag_name().name();
        let num = node
            .children()
            .find(|c| c.has_tag_name((AKN_NS, "num")))
            .map(|n| collapse(&text_of(n)))
            .unwrap_or_default();
        let id = match node.attribute("eId").and_then(id_from_e_id) {
            Some(id) => id,
            None => {
                let kind = match (name, node.attribute("name")) {
                    ("hcontainer", Some(n))
                        if !n.is_empty() && n.bytes().all(|b| b.is_ascii_lowercase()) =>
                    {
                        n
                    }
                    _ => kind_for(name).unwrap_or("container"),
                };
                let label: String = num
                    .chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
                    .to_ascii_lowercase();
                let label = if label.is_empty() {
                    (position + 1).to_string()
                } else {
                    label
                };
                let id = match parent {
                    Some(p) => p.child(kind, &label),
                    None => PartId::root(kind, &label),
                };
                id.map_err(|e| self.err(node, e.to_string()))?
            }
        };
        let line = self.line(node);
        self.seen.record(self.file, &id, line)?;
        let mut part = Part {
            id,
            num,
            heading: None,
            text: String::new(),
            children: Vec::new(),
        };
        self.fill(node, &mut part)?;
        Ok(part)
    }

    /// Reads `node`'s children into `part`; a `list` is transparent, its intro and points belonging to
    /// the part that holds it.
    fn fill(&mut self, node: Node, part: &mut Part) -> Result<(), NegotiationError> {
        for c in node.children().filter(Node::is_element) {
            if c.tag_name().namespace() != Some(AKN_NS) {
                continue;
            }
            match c.tag_name().name() {
                "num" => {}
                "heading" => part.heading = Some(collapse(&text_of(c))),
                "content" | "intro" | "wrapUp" => {
                    let text = paragraphs(c);
                    if !part.text.is_empty() && !text.is_empty() {
                        part.text.push('\n');
                    }
                    part.text.push_str(&text);
                }
                "list" => self.fill(c, part)?,
                other if kind_for(other).is_some() => {
                    let position = part.children.len();
                    let child = self.part(c, Some(&part.id.clone()), position)?;
                    part.children.push(child);
                }
                _ => {}
            }
        }
        Ok(())
    }
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn text_of(node: Node) -> String {
    node.descendants()
        .filter(Node::is_text)
        .filter_map(|t| t.text())
        .collect()
}

/// The block's `<p>`s, one line each; a block with no `<p>` is read as one line of its text.
fn paragraphs(node: Node) -> String {
    let ps: Vec<String> = node
        .descendants()
        .filter(|n| n.has_tag_name((AKN_NS, "p")))
        .map(|p| collapse(&text_of(p)))
        .collect();
    if ps.is_empty() {
        collapse(&text_of(node))
    } else {
        ps.join("\n")
    }
}

/// Reads an Akoma Ntoso file; the record in `meta/proprietary` wins over `fallback`, which fills what the
/// file does not say.
pub fn read_akoma_ntoso(
    file: &Path,
    text: &str,
    fallback: VersionMeta,
) -> Result<Imported, NegotiationError> {
    let xml = XmlDocument::parse(text).map_err(|e| {
        // An unclosed root is reported at the start by the parser; the fault is where the text stops.
        let line = match e {
            roxmltree::Error::UnclosedRootNode => text.lines().count().max(1),
            _ => e.pos().row as usize,
        };
        NegotiationError::syntax(
            file,
            line,
            format!("not well-formed XML: {e} (a truncated file?)"),
        )
    })?;
    let root = xml.root_element();
    let mut reader = Reader {
        file,
        xml: &xml,
        seen: SeenIds::default(),
    };
    if !root.has_tag_name((AKN_NS, "akomaNtoso")) {
        return Err(reader.err(
            root,
            format!(
                "the root element is `{}`, not Akoma Ntoso's `akomaNtoso`",
                root.tag_name().name()
            ),
        ));
    }
    let doc = root
        .children()
        .find(|n| n.is_element() && n.tag_name().namespace() == Some(AKN_NS))
        .ok_or_else(|| reader.err(root, "no document element inside `akomaNtoso`"))?;
    let mut meta = fallback;
    let mut corrections = Vec::new();
    for n in doc
        .descendants()
        .filter(|n| n.tag_name().namespace() == Some(PASSAGE_NS))
    {
        let attr = |name: &str| n.attribute(name).map(str::to_string);
        match n.tag_name().name() {
            "version" => {
                if let Some(d) = attr("document") {
                    meta.document =
                        DocumentId::parse(&d).map_err(|e| reader.err(n, e.to_string()))?;
                }
                if let Some(l) = attr("label") {
                    meta.label = l;
                }
                if let Some(d) = attr("date") {
                    meta.date =
                        Some(VersionDate::parse(&d).map_err(|e| reader.err(n, e.to_string()))?);
                }
                meta.source = attr("source").or(meta.source);
                meta.licence = attr("licence").or(meta.licence);
            }
            "correction" => {
                let need = |name: &str| {
                    attr(name)
                        .ok_or_else(|| reader.err(n, format!("a correction without `{name}`")))
                };
                let part =
                    PartId::parse(&need("part")?).map_err(|e| reader.err(n, e.to_string()))?;
                corrections.push(Correction {
                    part,
                    field: need("field")?,
                    found: need("found")?,
                    adopted: need("adopted")?,
                    source: need("source")?,
                });
            }
            _ => {}
        }
    }
    let body = doc
        .children()
        .find(|n| n.has_tag_name((AKN_NS, "mainBody")) || n.has_tag_name((AKN_NS, "body")))
        .ok_or_else(|| reader.err(doc, "no `mainBody` or `body`"))?;
    let mut parts = Vec::new();
    let mut lines = Vec::new();
    for c in body
        .children()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(AKN_NS))
    {
        if kind_for(c.tag_name().name()).is_some() {
            let position = parts.len();
            lines.push(reader.line(c));
            parts.push(reader.part(c, None, position)?);
        }
    }
    let findings = repeated_blocks(&parts, &lines);
    Ok(Imported {
        version: Version {
            meta,
            parts,
            corrections,
        },
        findings,
    })
}
