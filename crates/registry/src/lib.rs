//! Passage's pledge registry: the entities that pledge at the compacts' forums, their pledges,
//! progress updates and links to the evidence store's indicators, and the positions states and
//! groups stated on the compacts' texts. Reading is public; writing needs a scoped token and passes
//! one authorisation check. Every change is an event in a hash chain that `verify` checks, with the
//! stored state, on SQLite or PostgreSQL behind one interface.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod access;
mod backend;
mod calendar_date;
mod error;
mod event;
mod model;
mod position;
mod position_filter;
mod postgres;
mod registry;
mod registry_positions;
mod restore;
mod snapshot;
mod source_link;
mod sqlite;
mod stance;
mod timestamp;
mod token;
mod transfer;

pub use access::{authorize, Action, Principal, Role};
pub use backend::{Kind, MIGRATIONS};
pub use calendar_date::CalendarDate;
pub use error::RegistryError;
pub use event::{check_chain, Break, Event, GENESIS, REDACTED};
pub use model::{
    Compact, Contribution, Entity, EntityKind, Forum, IndicatorLink, Pledge, Principle,
    ProgressUpdate, Stage,
};
pub use position::Position;
pub use position_filter::PositionFilter;
pub use registry::{Bundle, PledgeRecord, Registry, Verification, Versioned};
pub use snapshot::Snapshot;
pub use source_link::SourceLink;
pub use stance::Stance;
pub use timestamp::Timestamp;
pub use token::TokenRecord;
pub use transfer::{bundle_from_csv, bundle_from_json, to_csv, CsvKind};

/// Example entities, pledges, progress updates and links written for demonstrations and the
/// dashboard. Every record says it is an example: none is a real pledge.
pub const SEED: &str = include_str!("../seed.json");
