//! Passage's evidence store: imports become immutable, content-addressed releases of Arrow IPC tables
//! with a manifest of provenance and findings; activation is atomic; the active release is loaded
//! into memory once, indexed, and answers typed [`Query`]s; two releases can be compared ([`diff()`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod comparability;
mod country_codes;
mod diff;
mod error;
mod ipc;
mod manifest;
mod negotiation_record;
mod parquet_answer;
mod query;
mod query_mix;
mod reference_period;
mod release;
mod release_transfer;
mod store;

pub use comparability::{make_comparable, Comparable};
pub use country_codes::check_country_codes;
pub use diff::{diff, CellChange, DatasetDiff, Diff, RowChange, YearDiff, ROWS_GIVEN};
pub use error::{QueryError, StoreError};
pub use ipc::{read_table, read_verified_table, write_table, Written};
pub use manifest::{release_id_of, Manifest, TableEntry, FORMAT_VERSION};
pub use negotiation_record::{NegotiationRecord, RecordVersion, VersionOrigin, VersionRef};
pub use parquet_answer::{answer_to_parquet, credits};
pub use query::{
    count_rows, run, run_window, scan_sum, trace, Answer, AnswerRow, Filter, Query, YearFilter,
};
pub use query_mix::{parse_mix, MixEntry};
pub use reference_period::ReferencePeriod;
pub use release::{IndexedTable, Postings, Release, YearRollup};
pub use release_transfer::{AddOutcome, IncomingManifest, OfferedTable, TableBytes};
pub use store::{file_digest, Carry, Store, SyncOutcome};
