//! Corrections known for published copies of the compacts: where a copy is wrong, the adopted text and
//! the document it is taken from. They are recorded beside a version whose reader found the defect, so
//! the copy stays as it was read and the record says what the adopted text is.

use crate::{Correction, Finding, PartId, Version};

struct Known {
    document: &'static str,
    part: &'static str,
    field: &'static str,
    adopted: &'static str,
    source: &'static str,
}

const KNOWN: &[Known] = &[Known {
    document: "gcm",
    part: "objective/20",
    field: "heading",
    adopted: "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants",
    source: "A/RES/73/195",
}];

/// Records against `version` the known corrections of parts a finding flagged. Only flagged parts are
/// corrected: a clean copy of the same document gets no correction.
pub fn record_known_corrections(version: &mut Version, findings: &[Finding]) {
    for finding in findings {
        let Finding::RepeatedBlock { part, .. } = finding;
        for k in KNOWN {
            if k.document != version.meta.document.as_str() || k.part != part.as_str() {
                continue;
            }
            let Ok(id) = PartId::parse(k.part) else {
                continue;
            };
            let found = version.find(&id).map(|p| match k.field {
                "heading" => p.heading.clone().unwrap_or_default(),
                _ => p.text.clone(),
            });
            if let Some(found) = found {
                version.corrections.push(Correction {
                    part: id,
                    field: k.field.to_string(),
                    found,
                    adopted: k.adopted.to_string(),
                    source: k.source.to_string(),
                });
            }
        }
    }
}
