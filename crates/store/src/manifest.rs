//! The manifest of a release: its id, when it was made, and for each source and table what it holds
//! and where it came from. Written last into a release directory; a directory without one is not a
//! release. A table a partial sync carried forward from an earlier release says so, with the release
//! it was first imported in; manifests written before carrying existed read as carrying nothing.

use passage_datasets::SourceReport;
use passage_domain::ReleaseId;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Bumped whenever parsing or the table layout changes, so that re-importing the same files with a
/// new Passage gives a new release rather than silently reusing an old one.
pub const FORMAT_VERSION: u32 = 2;

/// One table file of a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableEntry {
    /// The dataset the table holds.
    pub dataset: String,
    /// The table's file name within the release directory.
    pub file: String,
    /// The number of rows.
    pub rows: u64,
    /// The file's size in bytes.
    pub bytes: u64,
    /// The file's sha256 in lower-case hex, checked on every load.
    pub sha256: String,
    /// Set when a sync carried this table forward instead of importing it: the release it was
    /// imported in. The file and its digest are that release's, unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub carried_from: Option<ReleaseId>,
}

/// Everything recorded about a release.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The release's id, derived from the content of its sources.
    pub id: ReleaseId,
    /// The `FORMAT_VERSION` of the Passage that wrote the release.
    pub format_version: u32,
    /// When the release was created, in RFC 3339 (UTC).
    pub created_at: String,
    /// The source files imported, with their provenance, digests and findings.
    pub sources: Vec<SourceReport>,
    /// The table files, one per dataset.
    pub tables: Vec<TableEntry>,
    /// Files under the imported directory that were not sources.
    pub skipped: Vec<String>,
}

impl Manifest {
    /// Total number of findings of each source, for summaries.
    pub fn finding_count(&self) -> u64 {
        self.sources
            .iter()
            .flat_map(|s| s.findings.iter())
            .map(|f| f.count)
            .sum()
    }

    /// The tables carried forward from an earlier release rather than imported.
    pub fn carried(&self) -> impl Iterator<Item = &TableEntry> {
        self.tables.iter().filter(|t| t.carried_from.is_some())
    }

    /// Whether a source of this release came with carried tables only, not from this import.
    pub fn is_carried(&self, source: &SourceReport) -> bool {
        !source.datasets.is_empty()
            && source
                .datasets
                .iter()
                .all(|d| self.table(d).is_some_and(|t| t.carried_from.is_some()))
    }

    /// The table entry of a dataset, by its name.
    pub fn table(&self, dataset: &str) -> Option<&TableEntry> {
        self.tables.iter().find(|t| t.dataset == dataset)
    }

    /// The source files a dataset was imported from, as cited in answers: file, digest,
    /// attribution, licence and the provider's version.
    pub fn sources_json(&self, dataset: &str) -> serde_json::Value {
        self.sources
            .iter()
            .filter(|s| s.datasets.iter().any(|d| d == dataset))
            .map(|s| {
                serde_json::json!({
                    "file": s.file,
                    "sha256": s.sha256,
                    "attribution": s.attribution,
                    "licence": s.licence,
                    "source_version": s.source_version,
                })
            })
            .collect()
    }

    /// Bytes of the release's table files on disk.
    pub fn table_bytes(&self) -> u64 {
        self.tables.iter().map(|t| t.bytes).sum()
    }
}

/// The content address of a release: the format version and each source's format, digest and
/// provider version, independent of file names, order and import time.
pub fn release_id_of(sources: &[SourceReport]) -> ReleaseId {
    let mut lines: Vec<String> = sources
        .iter()
        .map(|s| {
            format!(
                "{}\t{}\t{}",
                s.sha256,
                s.format,
                s.source_version.as_deref().unwrap_or("")
            )
        })
        .collect();
    lines.sort();
    let mut h = Sha256::new();
    h.update(format!("passage-release\t{FORMAT_VERSION}\n"));
    for l in lines {
        h.update(l);
        h.update("\n");
    }
    // A sha256 hex digest is always valid input, so the fallback is unreachable in practice.
    ReleaseId::from_digest_hex(&hex::encode(h.finalize())).unwrap_or_else(|_| {
        ReleaseId::from_digest_hex("000000000000").expect("constant id is valid")
    })
}
