//! A compact's text in the objective/action Markdown layout, read by the negotiation record's reader
//! into [`Dataset::CompactText`]: one row per part in reading order, with the block a part repeats
//! word for word and the correction recorded against it in their own columns, so the defect stays
//! visible in the data; and the versions read back from that table.

use std::collections::HashMap;
use std::path::Path;

use passage_negotiation::{
    document_id_from_file, read_markdown, Correction, Finding, Imported, Part, PartId, Version,
    VersionDate, VersionMeta,
};

use crate::{Dataset, Findings, LoadError, Table, Value};

/// The label of the version a release's text file holds.
pub const ADOPTED: &str = "adopted";

/// Whether `data` starts as the objective/action layout does.
pub fn looks_like(data: &[u8]) -> bool {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    data.starts_with(b"# Objective ")
}

/// Loads the adopted text of the document the file name names (`gcm_…` → `gcm`).
pub fn load(file: &str, data: &[u8], findings: &mut Findings) -> Result<Table, LoadError> {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let text = std::str::from_utf8(data).map_err(|e| LoadError::Unusable {
        file: file.to_string(),
        message: format!("not UTF-8 text (byte {})", e.valid_up_to()),
    })?;
    let path = Path::new(file);
    let meta = VersionMeta {
        document: document_id_from_file(path),
        label: ADOPTED.to_string(),
        date: None,
        source: None,
        licence: None,
    };
    let imported = read_markdown(path, text, meta)?;
    let mut b = Dataset::CompactText.builder();
    let version = &imported.version;
    let repeats: HashMap<&PartId, (&PartId, usize)> = imported
        .findings
        .iter()
        .map(|f| {
            let Finding::RepeatedBlock {
                part,
                repeats,
                line,
            } = f;
            findings.record(
                "repeated_block",
                "a block repeats an earlier one word for word; kept as read, flagged in `repeats`",
                *line as u64,
            );
            (part, (repeats, *line))
        })
        .collect();
    let date = version.meta.date.as_ref().map_or("", |d| d.as_str());
    for (seq, (part, parent)) in version.flatten().into_iter().enumerate() {
        let correction = version.corrections.iter().find(|c| c.part == part.id);
        let repeated = repeats.get(&part.id);
        let cells = [
            version.meta.document.as_str(),
            &version.meta.label,
            date,
            part.id.as_str(),
            parent.map_or("", |p| p.as_str()),
            &part.num,
            part.heading.as_deref().unwrap_or(""),
            &part.text,
            repeated.map_or("", |(r, _)| r.as_str()),
            correction.map_or("", |c| c.field.as_str()),
            correction.map_or("", |c| c.adopted.as_str()),
            correction.map_or("", |c| c.source.as_str()),
        ];
        for (i, c) in cells.iter().enumerate() {
            b.push_dim(i, c);
        }
        b.push_int(0, Some(seq as i64));
        b.push_int(1, repeated.map(|(_, line)| *line as i64));
        b.end_row();
    }
    Ok(b.finish())
}

/// The versions a release's table holds, each with the findings recorded on its rows.
pub fn versions_of(table: &Table) -> Result<Vec<Imported>, LoadError> {
    let bad = |message: String| LoadError::Unusable {
        file: Dataset::CompactText.name().to_string(),
        message,
    };
    let cols = Dataset::CompactText.schema().dims;
    let dims = cols
        .iter()
        .map(|c| table.dim(c).ok_or_else(|| bad(format!("no column `{c}`"))))
        .collect::<Result<Vec<_>, _>>()?;
    let line = table
        .measure("line")
        .ok_or_else(|| bad("no column `line`".into()))?;
    // Rows in reading order, grouped by version in the order versions first appear.
    let mut out: Vec<(Imported, Vec<ParentAndPart>)> = Vec::new();
    for row in 0..table.len {
        let cell = |i: usize| dims[i].value(row);
        let id = |s: &str| PartId::parse(s).map_err(|e| bad(format!("row {}: {e}", row + 1)));
        let (document, label) = (cell(0), cell(1));
        let index = match out.iter().position(|(v, _)| {
            v.version.meta.document.as_str() == document && v.version.meta.label == label
        }) {
            Some(i) => i,
            None => {
                let meta = VersionMeta {
                    document: passage_negotiation::DocumentId::parse(document)
                        .map_err(|e| bad(format!("row {}: {e}", row + 1)))?,
                    label: label.to_string(),
                    date: match cell(2) {
                        "" => None,
                        d => Some(
                            VersionDate::parse(d)
                                .map_err(|e| bad(format!("row {}: {e}", row + 1)))?,
                        ),
                    },
                    source: Some(Dataset::CompactText.provider().attribution().to_string()),
                    licence: Some(Dataset::CompactText.provider().licence().to_string()),
                };
                let version = Version {
                    meta,
                    parts: Vec::new(),
                    corrections: Vec::new(),
                };
                out.push((
                    Imported {
                        version,
                        findings: Vec::new(),
                    },
                    Vec::new(),
                ));
                out.len() - 1
            }
        };
        let part_id = id(cell(3))?;
        let (imported, parts) = &mut out[index];
        if !cell(8).is_empty() {
            let line = match line.value(row) {
                Value::Int(l) => usize::try_from(l).unwrap_or_default(),
                _ => 0,
            };
            imported.findings.push(Finding::RepeatedBlock {
                part: part_id.clone(),
                repeats: id(cell(8))?,
                line,
            });
        }
        let heading = (!cell(6).is_empty()).then(|| cell(6).to_string());
        if !cell(9).is_empty() {
            imported.version.corrections.push(Correction {
                part: part_id.clone(),
                field: cell(9).to_string(),
                found: match cell(9) {
                    "heading" => cell(6).to_string(),
                    _ => cell(7).to_string(),
                },
                adopted: cell(10).to_string(),
                source: cell(11).to_string(),
            });
        }
        let parent = match cell(4) {
            "" => None,
            p => Some(id(p)?),
        };
        parts.push((
            parent,
            Part {
                id: part_id,
                num: cell(5).to_string(),
                heading,
                text: cell(7).to_string(),
                children: Vec::new(),
            },
        ));
    }
    Ok(out
        .into_iter()
        .map(|(mut imported, parts)| {
            imported.version.parts = tree(parts);
            imported
        })
        .collect())
}

/// A part read from a row, with its parent's id (none at the top).
type ParentAndPart = (Option<PartId>, Part);

/// Rebuilds the tree from parts in reading order, each with its parent's id.
fn tree(parts: Vec<ParentAndPart>) -> Vec<Part> {
    let mut children: HashMap<Option<PartId>, Vec<Part>> = HashMap::new();
    for (parent, part) in parts {
        children.entry(parent).or_default().push(part);
    }
    fn attach(part: &mut Part, children: &mut HashMap<Option<PartId>, Vec<Part>>) {
        part.children = children.remove(&Some(part.id.clone())).unwrap_or_default();
        for c in &mut part.children {
            attach(c, children);
        }
    }
    let mut roots = children.remove(&None).unwrap_or_default();
    for r in &mut roots {
        attach(r, &mut children);
    }
    roots
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "# Objective 1\n## Title: One\n## Associated actions\n- a. Do a.\n- b. Do b.\n\n\
                        # Objective 2\n## Title: Two\n## Associated actions\n- a. Do c.\n\n\
                        # Objective 20\n## Title: Two\n## Associated actions\n- a. Do c.\n";

    #[test]
    fn the_text_goes_into_the_table_and_comes_back_with_its_defect() {
        let mut findings = Findings::default();
        let table = load("gcm_test.md", TEXT.as_bytes(), &mut findings).unwrap();
        assert_eq!(table.len, 7);
        assert_eq!(findings.count("repeated_block"), 1);
        let direct = read_markdown(
            Path::new("gcm_test.md"),
            TEXT,
            VersionMeta {
                document: passage_negotiation::DocumentId::parse("gcm").unwrap(),
                label: ADOPTED.into(),
                date: None,
                source: None,
                licence: None,
            },
        )
        .unwrap();
        let back = versions_of(&table).unwrap();
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].version.parts, direct.version.parts);
        assert_eq!(back[0].version.corrections, direct.version.corrections);
        assert_eq!(back[0].findings, direct.findings);
        assert_eq!(back[0].version.corrections.len(), 1);
    }
}
