//! The one storage interface both databases implement: objects of six kinds, each a row with its
//! owner, parent, version, deletion mark and JSON document, and the event chain with its head.
//! Writes run in one transaction that first takes the chain's lock, so writers are serialised and
//! a change and its event commit together or not at all.

use crate::event::Event;
use crate::RegistryError;

/// The kinds of object, each in its own table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// An entity that pledges: a state or an organisation.
    Entity,
    /// A pledge made at a forum.
    Pledge,
    /// A progress update of a pledge.
    Update,
    /// A link from a pledge to an indicator.
    Link,
    /// A position of a state or group on a part of a text.
    Position,
    /// An access token (its secret's hash, never the secret).
    Token,
}

impl Kind {
    /// Every kind, in table order.
    pub const ALL: [Kind; 6] = [
        Kind::Entity,
        Kind::Pledge,
        Kind::Update,
        Kind::Link,
        Kind::Position,
        Kind::Token,
    ];

    /// The table, and the name in events.
    pub fn table(self) -> &'static str {
        match self {
            Kind::Entity => "entities",
            Kind::Pledge => "pledges",
            Kind::Update => "updates",
            Kind::Link => "links",
            Kind::Position => "positions",
            Kind::Token => "tokens",
        }
    }

    /// What the kind is called in messages, such as `progress update`.
    pub fn what(self) -> &'static str {
        match self {
            Kind::Entity => "entity",
            Kind::Pledge => "pledge",
            Kind::Update => "progress update",
            Kind::Link => "indicator link",
            Kind::Position => "position",
            Kind::Token => "token",
        }
    }

    /// The kind stored in `table`, if any.
    pub fn from_table(table: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.table() == table)
    }
}

/// One stored object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub id: String,
    /// The entity that owns it (the entity itself, a pledge's submitter, a position's entity);
    /// empty for tokens.
    pub owner: String,
    /// The pledge of an update or link, the entity of a position; empty otherwise.
    pub parent: String,
    pub version: i64,
    pub deleted: bool,
    pub doc: String,
}

/// What a transaction can do.
pub trait Tx {
    fn get(&mut self, kind: Kind, id: &str) -> Result<Option<Stored>, RegistryError>;
    /// Objects of a kind, by id; only those of `parent` when given.
    fn list(&mut self, kind: Kind, parent: Option<&str>) -> Result<Vec<Stored>, RegistryError>;
    fn insert(&mut self, kind: Kind, row: &Stored) -> Result<(), RegistryError>;
    /// Replaces the row if it is still at `expected` version; false if it is not.
    fn update(&mut self, kind: Kind, row: &Stored, expected: i64) -> Result<bool, RegistryError>;
    /// The last event's sequence number and hash.
    fn head(&mut self) -> Result<(i64, String), RegistryError>;
    /// Appends an event and moves the head to it.
    fn append(&mut self, event: &Event) -> Result<(), RegistryError>;
    /// Events after `after`, by sequence number, at most `limit`.
    fn events(&mut self, after: i64, limit: i64) -> Result<Vec<Event>, RegistryError>;
}

/// The error an operation that panicked inside a transaction gives: the transaction was rolled
/// back, and the backend stays usable.
pub fn panicked() -> RegistryError {
    RegistryError::Database("the operation failed unexpectedly and was rolled back".into())
}

pub type TxFn<'a> = dyn FnMut(&mut dyn Tx) -> Result<(), RegistryError> + 'a;

/// A database holding a registry.
pub trait Backend: Send + Sync {
    fn name(&self) -> &'static str;
    /// Applies the migrations not yet applied; returns the versions it applied.
    fn migrate(&self) -> Result<Vec<u32>, RegistryError>;
    /// Runs `f` in a write transaction holding the chain lock; commits if it returns Ok.
    fn write(&self, f: &mut TxFn<'_>) -> Result<(), RegistryError>;
    /// Runs `f` on a consistent snapshot.
    fn read(&self, f: &mut TxFn<'_>) -> Result<(), RegistryError>;
    /// Writes a consistent copy of the whole database to the new file `path`, while writers go
    /// on, if the database can; false if it cannot (the registry then writes an export).
    fn snapshot_to(&self, path: &std::path::Path) -> Result<bool, RegistryError> {
        let _ = path;
        Ok(false)
    }
}

/// Versioned migrations: (version, name, SQLite script, PostgreSQL script). Applied in order, each
/// once, recorded in `schema_migrations`.
pub const MIGRATIONS: [(u32, &str, &str, &str); 3] = [
    (
        1,
        "objects, events and the chain head",
        include_str!("../migrations/0001_init.sqlite.sql"),
        include_str!("../migrations/0001_init.postgres.sql"),
    ),
    (
        2,
        "events are append-only: UPDATE and DELETE refused by triggers",
        include_str!("../migrations/0002_events_append_only.sqlite.sql"),
        include_str!("../migrations/0002_events_append_only.postgres.sql"),
    ),
    (
        3,
        "positions of states and groups on the compacts' texts",
        include_str!("../migrations/0003_positions.sqlite.sql"),
        include_str!("../migrations/0003_positions.postgres.sql"),
    ),
];

/// Checks every backend must pass, called from each backend's own tests.
#[cfg(test)]
pub(crate) mod conformance {
    use super::{Backend, Kind, Stored};

    /// A panic inside a write transaction rolls it back, and the backend goes on serving: the
    /// lock is not poisoned and the half-done write is gone.
    pub fn a_panic_inside_a_write_rolls_back(db: &dyn Backend) {
        let row = Stored {
            id: "x".into(),
            owner: "x".into(),
            parent: String::new(),
            version: 1,
            deleted: false,
            doc: "{}".into(),
        };
        let err = db
            .write(&mut |tx| {
                tx.insert(Kind::Entity, &row)?;
                panic!("a bug reached from input");
            })
            .unwrap_err();
        assert!(err.to_string().contains("rolled back"), "{err}");
        let mut seen = None;
        db.read(&mut |tx| {
            seen = Some(tx.get(Kind::Entity, "x")?);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, Some(None));
        db.write(&mut |tx| tx.insert(Kind::Entity, &row)).unwrap();
    }
}
