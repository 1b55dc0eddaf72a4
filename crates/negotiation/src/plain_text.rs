//! The reader of plain text with numbered paragraphs, as drafts circulate: `37. …` starts paragraph 37,
//! `(a) …` a lettered item of the current paragraph, other lines continue the part above. Text before
//! the first numbered paragraph is kept as the part `preamble/1`.

use std::path::Path;

use crate::seen_ids::SeenIds;
use crate::{Imported, NegotiationError, Part, PartId, Version, VersionMeta};

enum Start<'a> {
    Para(&'a str, &'a str),
    Item(&'a str, &'a str),
    Text,
}

fn classify(line: &str) -> Start<'_> {
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && line[digits..].starts_with(". ") {
        return Start::Para(&line[..digits], line[digits + 2..].trim());
    }
    if let Some(rest) = line.strip_prefix('(') {
        if let Some((label, body)) = rest.split_once(')') {
            let short = !label.is_empty() && label.len() <= 4;
            if short
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                return Start::Item(label, body.trim());
            }
        }
    }
    Start::Text
}

fn append(text: &mut String, line: &str) {
    if !text.is_empty() {
        text.push(' ');
    }
    text.push_str(line);
}

/// Reads numbered paragraphs from `text`; `file` names the input in errors.
pub fn read_plain_text(
    file: &Path,
    text: &str,
    meta: VersionMeta,
) -> Result<Imported, NegotiationError> {
    crate::control_characters::refuse_control_characters(file, text)?;
    let mut parts: Vec<Part> = Vec::new();
    let mut seen = SeenIds::default();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        let new_id = match classify(l) {
            Start::Para(num, body) => {
                let id = PartId::root("para", num)
                    .map_err(|e| NegotiationError::syntax(file, line, e.to_string()))?;
                parts.push(Part {
                    id: id.clone(),
                    num: num.to_string(),
                    heading: None,
                    text: body.to_string(),
                    children: Vec::new(),
                });
                Some(id)
            }
            Start::Item(label, body) if parts.last().is_some_and(|p| p.id.kind() == "para") => {
                let para = parts.last_mut().ok_or_else(|| {
                    NegotiationError::syntax(file, line, "an item outside a paragraph")
                })?;
                let id = para
                    .id
                    .child("item", label)
                    .map_err(|e| NegotiationError::syntax(file, line, e.to_string()))?;
                para.children.push(Part {
                    id: id.clone(),
                    num: label.to_string(),
                    heading: None,
                    text: body.to_string(),
                    children: Vec::new(),
                });
                Some(id)
            }
            Start::Item(..) | Start::Text => {
                match parts.last_mut() {
                    Some(p) => match p.children.last_mut() {
                        Some(item) => append(&mut item.text, l),
                        None => append(&mut p.text, l),
                    },
                    None => {
                        let id = PartId::root("preamble", "1")
                            .map_err(|e| NegotiationError::syntax(file, line, e.to_string()))?;
                        seen.record(file, &id, line)?;
                        parts.push(Part {
                            id,
                            num: String::new(),
                            heading: None,
                            text: l.to_string(),
                            children: Vec::new(),
                        });
                    }
                }
                None
            }
        };
        if let Some(id) = new_id {
            seen.record(file, &id, line)?;
        }
    }
    parts.iter_mut().for_each(Part::collapse_space);
    Ok(Imported {
        version: Version {
            meta,
            parts,
            corrections: Vec::new(),
        },
        findings: Vec::new(),
    })
}
