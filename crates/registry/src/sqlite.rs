//! The embedded backend: one SQLite file in WAL mode with full fsync, so a write acknowledged to a
//! client survives a crash; `BEGIN IMMEDIATE` serialises writers, also across processes.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{params, Connection, OptionalExtension, TransactionBehavior};

use crate::backend::{Backend, Kind, Stored, Tx, TxFn, MIGRATIONS};
use crate::event::Event;
use crate::RegistryError;

pub struct Sqlite {
    conn: Mutex<Connection>,
}

impl Sqlite {
    pub fn open(path: &Path) -> Result<Sqlite, RegistryError> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| RegistryError::Database(format!("{}: {e}", dir.display())))?;
        }
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(30))?;
        // Switching a new file to WAL takes an exclusive lock without waiting on the busy
        // timeout, so processes opening a new registry together (a server and a report) retry.
        let mut attempts = 0;
        loop {
            match conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;") {
                Err(rusqlite::Error::SqliteFailure(e, _))
                    if matches!(
                        e.code,
                        rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked
                    ) && attempts < 200 =>
                {
                    attempts += 1;
                    std::thread::sleep(Duration::from_millis(25));
                }
                result => break result?,
            }
        }
        Ok(Sqlite {
            conn: Mutex::new(conn),
        })
    }

    /// A registry file opened only to be read (a backup): nothing of it is changed.
    pub fn open_read_only(path: &Path) -> Result<Sqlite, RegistryError> {
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(|e| RegistryError::Invalid(format!("{}: {e}", path.display())))?;
        Ok(Sqlite {
            conn: Mutex::new(conn),
        })
    }

    /// The connection, also after a panic of an earlier holder: that holder's transaction was
    /// rolled back as it unwound, and one still open is rolled back here, so a failure of one
    /// request never takes the registry down for the next.
    fn connection(&self) -> std::sync::MutexGuard<'_, Connection> {
        let conn = self.conn.lock().unwrap_or_else(|poisoned| {
            self.conn.clear_poison();
            poisoned.into_inner()
        });
        if !conn.is_autocommit() {
            let _ = conn.execute_batch("ROLLBACK");
        }
        conn
    }

    fn with_tx(
        &self,
        behavior: TransactionBehavior,
        f: &mut TxFn<'_>,
    ) -> Result<(), RegistryError> {
        let mut conn = self.connection();
        let tx = conn.transaction_with_behavior(behavior)?;
        // A panic inside the operation must not leave the lock poisoned: it is caught here, the
        // transaction rolls back as `tx` drops, and the caller gets an error.
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            f(&mut SqliteTx { tx: &tx })
        }));
        match outcome {
            Ok(result) => result?,
            Err(_) => return Err(crate::backend::panicked()),
        }
        tx.commit()?;
        Ok(())
    }
}

struct SqliteTx<'a> {
    tx: &'a rusqlite::Transaction<'a>,
}

fn stored(r: &rusqlite::Row<'_>) -> rusqlite::Result<Stored> {
    Ok(Stored {
        id: r.get(0)?,
        owner: r.get(1)?,
        parent: r.get(2)?,
        version: r.get(3)?,
        deleted: r.get(4)?,
        doc: r.get(5)?,
    })
}

fn event(r: &rusqlite::Row<'_>) -> rusqlite::Result<Event> {
    Ok(Event {
        seq: r.get(0)?,
        at: r.get(1)?,
        actor: r.get(2)?,
        action: r.get(3)?,
        kind: r.get(4)?,
        object_id: r.get(5)?,
        before: r.get(6)?,
        after: r.get(7)?,
        prev_hash: r.get(8)?,
        hash: r.get(9)?,
    })
}

const COLUMNS: &str = "id, owner, parent, version, deleted, doc";
const EVENT_COLUMNS: &str =
    "seq, at, actor, action, kind, object_id, before_doc, after_doc, prev_hash, hash";

impl Tx for SqliteTx<'_> {
    fn get(&mut self, kind: Kind, id: &str) -> Result<Option<Stored>, RegistryError> {
        let sql = format!("SELECT {COLUMNS} FROM {} WHERE id = ?1", kind.table());
        Ok(self.tx.query_row(&sql, [id], stored).optional()?)
    }

    fn list(&mut self, kind: Kind, parent: Option<&str>) -> Result<Vec<Stored>, RegistryError> {
        let filter = if parent.is_some() {
            "WHERE parent = ?1"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM {} {filter} ORDER BY id",
            kind.table()
        );
        let mut st = self.tx.prepare(&sql)?;
        let rows = st
            .query_map(rusqlite::params_from_iter(parent), stored)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    fn insert(&mut self, kind: Kind, row: &Stored) -> Result<(), RegistryError> {
        let sql = format!(
            "INSERT INTO {} ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            kind.table()
        );
        self.tx.execute(
            &sql,
            params![
                row.id,
                row.owner,
                row.parent,
                row.version,
                row.deleted,
                row.doc
            ],
        )?;
        Ok(())
    }

    fn update(&mut self, kind: Kind, row: &Stored, expected: i64) -> Result<bool, RegistryError> {
        let sql = format!(
            "UPDATE {} SET owner = ?2, parent = ?3, version = ?4, deleted = ?5, doc = ?6 \
             WHERE id = ?1 AND version = ?7",
            kind.table()
        );
        let n = self.tx.execute(
            &sql,
            params![
                row.id,
                row.owner,
                row.parent,
                row.version,
                row.deleted,
                row.doc,
                expected
            ],
        )?;
        Ok(n == 1)
    }

    fn head(&mut self) -> Result<(i64, String), RegistryError> {
        Ok(self
            .tx
            .query_row("SELECT seq, hash FROM chain_head WHERE id = 1", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
    }

    fn append(&mut self, e: &Event) -> Result<(), RegistryError> {
        self.tx.execute(
            &format!("INSERT INTO events ({EVENT_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"),
            params![e.seq, e.at, e.actor, e.action, e.kind, e.object_id, e.before, e.after, e.prev_hash, e.hash],
        )?;
        self.tx.execute(
            "UPDATE chain_head SET seq = ?1, hash = ?2 WHERE id = 1",
            params![e.seq, e.hash],
        )?;
        Ok(())
    }

    fn events(&mut self, after: i64, limit: i64) -> Result<Vec<Event>, RegistryError> {
        let mut st = self.tx.prepare(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2"
        ))?;
        let rows = st
            .query_map(params![after, limit], event)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

impl Backend for Sqlite {
    fn name(&self) -> &'static str {
        "sqlite"
    }

    fn migrate(&self) -> Result<Vec<u32>, RegistryError> {
        let mut conn = self.connection();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )?;
        let mut applied = Vec::new();
        for (version, name, sql, _) in MIGRATIONS {
            let done: Option<i64> = tx
                .query_row(
                    "SELECT version FROM schema_migrations WHERE version = ?1",
                    [version],
                    |r| r.get(0),
                )
                .optional()?;
            if done.is_none() {
                tx.execute_batch(sql)?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                    params![
                        version,
                        name,
                        passage_domain::rfc3339(std::time::SystemTime::now())
                    ],
                )?;
                applied.push(version);
            }
        }
        tx.commit()?;
        Ok(applied)
    }

    fn write(&self, f: &mut TxFn<'_>) -> Result<(), RegistryError> {
        self.with_tx(TransactionBehavior::Immediate, f)
    }

    fn read(&self, f: &mut TxFn<'_>) -> Result<(), RegistryError> {
        self.with_tx(TransactionBehavior::Deferred, f)
    }

    /// `VACUUM INTO`: SQLite copies one read snapshot into a new, compact file.
    fn snapshot_to(&self, path: &Path) -> Result<bool, RegistryError> {
        let target = path.to_str().ok_or_else(|| {
            RegistryError::Invalid(format!("{}: not a UTF-8 path", path.display()))
        })?;
        self.connection()
            .execute("VACUUM INTO ?1", [target])
            .map_err(|e| RegistryError::Invalid(format!("{}: {e}", path.display())))?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_a_write_leaves_the_registry_serving() {
        let dir = tempfile::tempdir().unwrap();
        let db = Sqlite::open(&dir.path().join("r.db")).unwrap();
        db.migrate().unwrap();
        crate::backend::conformance::a_panic_inside_a_write_rolls_back(&db);
    }
}
