//! The reader of the objective/action Markdown layout (`# Objective N`, `## Title: …`,
//! `## Associated actions`, `- a. …`). It refuses lines it does not understand and duplicated ids, and
//! reports blocks that repeat an earlier one word for word.

use std::collections::HashMap;
use std::path::Path;

use crate::known_correction::record_known_corrections;
use crate::seen_ids::SeenIds;
use crate::{Finding, Imported, NegotiationError, Part, PartId, Version, VersionMeta};

/// Reads the Markdown objective/action layout from `text`; `file` names the input in errors.
pub fn read_markdown(
    file: &Path,
    text: &str,
    meta: VersionMeta,
) -> Result<Imported, NegotiationError> {
    crate::control_characters::refuse_control_characters(file, text)?;
    let mut parts: Vec<Part> = Vec::new();
    let mut seen = SeenIds::default();
    let mut block_line: Vec<usize> = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let l = raw.trim_end();
        if l.trim().is_empty() || l == "## Associated actions" {
            continue;
        }
        let id = if let Some(num) = l.strip_prefix("# Objective ") {
            let num = num.trim();
            let id = PartId::root("objective", num).map_err(|_| {
                NegotiationError::syntax(file, line, format!("`{num}` is not an objective number"))
            })?;
            parts.push(Part {
                id: id.clone(),
                num: num.to_string(),
                heading: None,
                text: String::new(),
                children: Vec::new(),
            });
            block_line.push(line);
            id
        } else if let Some(title) = l.strip_prefix("## Title:") {
            let objective = parts.last_mut().ok_or_else(|| {
                NegotiationError::syntax(file, line, "a title before any `# Objective`")
            })?;
            if objective.heading.is_some() {
                return Err(NegotiationError::syntax(
                    file,
                    line,
                    format!("a second title for {}", objective.id),
                ));
            }
            objective.heading = Some(title.trim().to_string());
            continue;
        } else if let Some(item) = l.strip_prefix("- ") {
            let (letter, body) = item
                .split_once(". ")
                .filter(|(letter, _)| {
                    !letter.is_empty()
                        && letter.len() <= 3
                        && letter.bytes().all(|b| b.is_ascii_alphabetic())
                })
                .ok_or_else(|| {
                    NegotiationError::syntax(
                        file,
                        line,
                        "an action must start with its letter, as in `- a. …`",
                    )
                })?;
            let objective = parts.last_mut().ok_or_else(|| {
                NegotiationError::syntax(file, line, "an action before any `# Objective`")
            })?;
            let id = objective.id.child("action", letter).map_err(|_| {
                NegotiationError::syntax(file, line, format!("`{letter}` is not an action letter"))
            })?;
            objective.children.push(Part {
                id: id.clone(),
                num: letter.to_string(),
                heading: None,
                text: body.trim().to_string(),
                children: Vec::new(),
            });
            id
        } else {
            return Err(NegotiationError::syntax(
                file,
                line,
                format!("not part of the objective/action layout: `{}`", shorten(l)),
            ));
        };
        seen.record(file, &id, line)?;
    }
    let findings = repeated_blocks(&parts, &block_line);
    let mut version = Version {
        meta,
        parts,
        corrections: Vec::new(),
    };
    record_known_corrections(&mut version, &findings);
    version.parts.iter_mut().for_each(Part::collapse_space);
    Ok(Imported { version, findings })
}

fn shorten(line: &str) -> String {
    let mut s: String = line.chars().take(60).collect();
    if s.len() < line.len() {
        s.push('…');
    }
    s
}

/// Top-level blocks whose heading, text and children's texts equal an earlier block's. Ids differ by
/// construction, so only the words are compared.
pub(crate) fn repeated_blocks(parts: &[Part], block_line: &[usize]) -> Vec<Finding> {
    let signature = |p: &Part| -> (Option<String>, String, Vec<(String, String)>) {
        let children = p
            .children
            .iter()
            .map(|c| (c.num.clone(), c.content()))
            .collect();
        (p.heading.clone(), p.text.clone(), children)
    };
    let mut seen: HashMap<_, &PartId> = HashMap::new();
    let mut findings = Vec::new();
    for (i, p) in parts.iter().enumerate() {
        let sig = signature(p);
        if let Some(first) = seen.get(&sig) {
            findings.push(Finding::RepeatedBlock {
                part: p.id.clone(),
                repeats: (*first).clone(),
                line: block_line.get(i).copied().unwrap_or(0),
            });
        } else {
            seen.insert(sig, &p.id);
        }
    }
    findings
}
