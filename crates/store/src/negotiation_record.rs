//! The negotiation record a release holds, with the versions a user imported beside it: the
//! compacts' texts (the release's `compact_text` table and the imported Akoma Ntoso files) and the
//! recorded votes (`recorded_votes`), looked up as `DOCUMENT@LABEL` and by resolution.

use std::path::Path;

use passage_datasets::formats::{compact_text, recorded_votes};
use passage_datasets::Dataset;
use passage_negotiation::{DocumentId, Imported, RecordedVote, Version, VersionStore};

use crate::{QueryError, Release, StoreError};

/// Where a version of the record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionOrigin {
    /// A source of the release, with the release's provenance.
    Release,
    /// Imported by a user with `passage negotiation import`.
    Imported,
}

/// One version of a document, with what its reader found and where it comes from.
#[derive(Debug, Clone)]
pub struct RecordVersion {
    /// The version and its findings.
    pub imported: Imported,
    /// Where it comes from.
    pub origin: VersionOrigin,
}

/// The texts and votes of the record.
#[derive(Debug, Clone, Default)]
pub struct NegotiationRecord {
    /// Every version known, the release's first, each document's in the order found.
    pub versions: Vec<RecordVersion>,
    /// The recorded votes of the release.
    pub votes: Vec<RecordedVote>,
}

/// A version named as `DOCUMENT@LABEL`, such as `gcm@adopted` or `gcm@zero draft`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VersionRef {
    /// The document.
    pub document: DocumentId,
    /// The version's label, compared without regard to case.
    pub label: String,
}

impl VersionRef {
    /// Parses `DOCUMENT@LABEL`.
    pub fn parse(value: &str) -> Result<VersionRef, StoreError> {
        let bad = || {
            bad_value(
                "version",
                format!("`{value}` is not DOCUMENT@LABEL, such as gcm@adopted"),
            )
        };
        let (document, label) = value.split_once('@').ok_or_else(bad)?;
        if label.trim().is_empty() {
            return Err(bad());
        }
        Ok(VersionRef {
            document: DocumentId::parse(document.trim()).map_err(|_| bad())?,
            label: label.trim().to_string(),
        })
    }
}

impl NegotiationRecord {
    /// The record of `release` (none before the first sync), with the versions imported under
    /// `imported` (a directory that need not exist yet).
    pub fn of(release: Option<&Release>, imported: &Path) -> Result<NegotiationRecord, StoreError> {
        let mut record = NegotiationRecord::default();
        if let Some(t) = release.and_then(|r| r.table(Dataset::CompactText)) {
            record.versions = compact_text::versions_of(&t.table)?
                .into_iter()
                .map(|imported| RecordVersion {
                    imported,
                    origin: VersionOrigin::Release,
                })
                .collect();
        }
        if let Some(t) = release.and_then(|r| r.table(Dataset::RecordedVotes)) {
            record.votes = recorded_votes::votes_of(&t.table)?;
        }
        let store = VersionStore::open(imported);
        let mut documents: Vec<DocumentId> = record
            .versions
            .iter()
            .map(|v| v.imported.version.meta.document.clone())
            .collect();
        documents.extend(store.documents()?);
        documents.sort();
        documents.dedup();
        for d in &documents {
            for version in store.versions(d)? {
                record.versions.push(RecordVersion {
                    imported: Imported {
                        version,
                        findings: Vec::new(),
                    },
                    origin: VersionOrigin::Imported,
                });
            }
        }
        Ok(record)
    }

    /// The documents of the record, in order of first appearance.
    pub fn documents(&self) -> Vec<&DocumentId> {
        let mut out: Vec<&DocumentId> = Vec::new();
        for v in &self.versions {
            if !out.contains(&&v.imported.version.meta.document) {
                out.push(&v.imported.version.meta.document);
            }
        }
        out
    }

    /// The versions of `document`.
    pub fn versions_of<'a>(
        &'a self,
        document: &DocumentId,
    ) -> impl Iterator<Item = &'a RecordVersion> + 'a {
        let document = document.clone();
        self.versions
            .iter()
            .filter(move |v| v.imported.version.meta.document == document)
    }

    /// The version `r` names, or an error listing the labels the document has.
    pub fn version(&self, r: &VersionRef) -> Result<&RecordVersion, StoreError> {
        self.versions_of(&r.document)
            .find(|v| v.imported.version.meta.label.eq_ignore_ascii_case(&r.label))
            .ok_or_else(|| {
                let labels: Vec<String> = self
                    .versions_of(&r.document)
                    .map(|v| format!("{}@{}", r.document, v.imported.version.meta.label))
                    .collect();
                bad_value(
                    "version",
                    if labels.is_empty() {
                        format!("no document `{}` in the record", r.document)
                    } else {
                        format!(
                            "{} has no version \"{}\"; it has {}",
                            r.document,
                            r.label,
                            labels.join(", ")
                        )
                    },
                )
            })
    }

    /// The recorded vote on `resolution` (`A/RES/73/195`, or as a path segment `a-res-73-195`;
    /// case does not count), or an error listing the resolutions the release holds.
    pub fn vote(&self, resolution: &str) -> Result<&RecordedVote, StoreError> {
        let wanted = resolution.trim();
        let key = |s: &str| s.to_ascii_uppercase().replace('-', "/");
        self.votes
            .iter()
            .find(|v| key(&v.resolution) == key(wanted))
            .ok_or_else(|| {
                let known: Vec<&str> = self.votes.iter().map(|v| v.resolution.as_str()).collect();
                bad_value(
                    "resolution",
                    if known.is_empty() {
                        "the release holds no recorded vote".to_string()
                    } else {
                        format!(
                            "no recorded vote on `{wanted}`; the release holds {}",
                            known.join(", ")
                        )
                    },
                )
            })
    }

    /// The version of `r` as a plain [`Version`].
    pub fn text(&self, r: &VersionRef) -> Result<&Version, StoreError> {
        Ok(&self.version(r)?.imported.version)
    }
}

fn bad_value(parameter: &str, message: String) -> StoreError {
    StoreError::Query(QueryError::BadValue {
        parameter: parameter.to_string(),
        message,
    })
}
