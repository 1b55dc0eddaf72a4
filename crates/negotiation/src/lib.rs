//! The negotiation record: the compacts' texts as versioned documents, read from Markdown, numbered
//! plain text and Akoma Ntoso and written back as Akoma Ntoso; the diff between two versions, part by
//! part and word by word; and the General Assembly's recorded votes with every Member State mapped to
//! ISO3.
//!
//! Readers report defects of their input as [`Finding`]s and never repair the text; known errors of a
//! copy are recorded beside it as [`Correction`]s with their source.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod akoma_ntoso;
mod control_characters;
mod diff;
mod diff_text;
mod document;
mod error;
mod known_correction;
mod markdown;
mod part_id;
mod plain_text;
mod read_file;
mod recorded_vote;
mod seen_ids;
mod similarity;
mod undl_name;
mod version_store;
mod word_diff;

pub use akoma_ntoso::{read_akoma_ntoso, write_akoma_ntoso};
pub use diff::{
    diff_versions, ChangeClass, ClassCounts, PartChange, SectionCounts, VersionDiff,
    MATCH_THRESHOLD,
};
pub use diff_text::render_diff_text;
pub use document::{Correction, Document, Finding, Imported, Part, Version, VersionMeta};
pub use error::NegotiationError;
pub use markdown::read_markdown;
pub use part_id::{DocumentId, PartId, VersionDate};
pub use plain_text::read_plain_text;
pub use read_file::{document_id_from_file, read_version_file};
pub use recorded_vote::{
    parse_recorded_vote, read_recorded_vote, RecordedVote, StateVote, VoteCast, VoteTotals,
    VOTE_HEADER,
};
pub use undl_name::iso3_of_undl_name;
pub use version_store::VersionStore;
pub use word_diff::{word_diff, WordEdit};
