//! The production backend: PostgreSQL through a small pool of connections. A write transaction
//! first locks the chain head row (`FOR UPDATE`), which serialises writers across servers; reads
//! run in repeatable-read snapshots.

use std::sync::Mutex;

use postgres::{Client, IsolationLevel, NoTls, Row, Transaction};

use crate::backend::{Backend, Kind, Stored, Tx, TxFn, MIGRATIONS};
use crate::event::Event;
use crate::RegistryError;

pub struct Postgres {
    url: String,
    idle: Mutex<Vec<Client>>,
    /// A streaming replica that reads which need not see the latest write go to first.
    replica: Option<String>,
    idle_replica: Mutex<Vec<Client>>,
}

/// Connections kept open between requests.
const IDLE_CONNECTIONS: usize = 8;

impl Postgres {
    /// The registry at `url`, reading from `replica` when it is given and answers.
    pub fn connect_with_replica(
        url: &str,
        replica: Option<&str>,
    ) -> Result<Postgres, RegistryError> {
        let pg = Postgres {
            url: url.into(),
            idle: Mutex::new(Vec::new()),
            replica: replica.map(str::to_string),
            idle_replica: Mutex::new(Vec::new()),
        };
        let first = pg.client()?;
        pg.give_back(first);
        Ok(pg)
    }

    fn client(&self) -> Result<Client, RegistryError> {
        pooled(&self.idle, &self.url)
    }

    fn give_back(&self, client: Client) {
        keep(&self.idle, client);
    }

    /// A read on the replica; `None` when there is none or it cannot be reached, so the read
    /// goes to the primary instead.
    fn read_on_replica(&self, f: &mut TxFn<'_>) -> Option<Result<(), RegistryError>> {
        let url = self.replica.as_deref()?;
        let mut client = pooled(&self.idle_replica, url).ok()?;
        let result = read_in(&mut client, f);
        let lost = client.is_closed();
        keep(&self.idle_replica, client);
        // A replica that went away mid-read is not an answer; a refusal of the read itself is.
        if lost && result.is_err() {
            return None;
        }
        Some(result)
    }
}

fn pooled(idle: &Mutex<Vec<Client>>, url: &str) -> Result<Client, RegistryError> {
    let pooled = idle
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .pop();
    match pooled {
        Some(c) if !c.is_closed() => Ok(c),
        _ => Ok(Client::connect(url, NoTls)?),
    }
}

fn keep(idle: &Mutex<Vec<Client>>, client: Client) {
    let mut idle = idle
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if idle.len() < IDLE_CONNECTIONS && !client.is_closed() {
        idle.push(client);
    }
}

/// A read-only repeatable-read transaction, which a hot standby also runs.
fn read_in(client: &mut Client, f: &mut TxFn<'_>) -> Result<(), RegistryError> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    guarded(|| f(&mut PgTx { tx: &mut tx }))?;
    tx.commit()?;
    Ok(())
}

/// Runs an operation, turning a panic into an error: its transaction rolls back as it drops, and
/// the connection goes back to the pool clean.
fn guarded(f: impl FnOnce() -> Result<(), RegistryError>) -> Result<(), RegistryError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(crate::backend::panicked()))
}

struct PgTx<'a, 'b> {
    tx: &'a mut Transaction<'b>,
}

fn stored(r: &Row) -> Stored {
    Stored {
        id: r.get(0),
        owner: r.get(1),
        parent: r.get(2),
        version: r.get(3),
        deleted: r.get(4),
        doc: r.get(5),
    }
}

fn event(r: &Row) -> Event {
    Event {
        seq: r.get(0),
        at: r.get(1),
        actor: r.get(2),
        action: r.get(3),
        kind: r.get(4),
        object_id: r.get(5),
        before: r.get(6),
        after: r.get(7),
        prev_hash: r.get(8),
        hash: r.get(9),
    }
}

const COLUMNS: &str = "id, owner, parent, version, deleted, doc";
const EVENT_COLUMNS: &str =
    "seq, at, actor, action, kind, object_id, before_doc, after_doc, prev_hash, hash";

impl Tx for PgTx<'_, '_> {
    fn get(&mut self, kind: Kind, id: &str) -> Result<Option<Stored>, RegistryError> {
        let sql = format!("SELECT {COLUMNS} FROM {} WHERE id = $1", kind.table());
        Ok(self.tx.query_opt(&sql, &[&id])?.as_ref().map(stored))
    }

    fn list(&mut self, kind: Kind, parent: Option<&str>) -> Result<Vec<Stored>, RegistryError> {
        let filter = if parent.is_some() {
            "WHERE parent = $1"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {COLUMNS} FROM {} {filter} ORDER BY id",
            kind.table()
        );
        let params: Vec<&(dyn postgres::types::ToSql + Sync)> = parent
            .iter()
            .map(|p| p as &(dyn postgres::types::ToSql + Sync))
            .collect();
        Ok(self.tx.query(&sql, &params)?.iter().map(stored).collect())
    }

    fn insert(&mut self, kind: Kind, row: &Stored) -> Result<(), RegistryError> {
        let sql = format!(
            "INSERT INTO {} ({COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6)",
            kind.table()
        );
        self.tx.execute(
            &sql,
            &[
                &row.id,
                &row.owner,
                &row.parent,
                &row.version,
                &row.deleted,
                &row.doc,
            ],
        )?;
        Ok(())
    }

    fn update(&mut self, kind: Kind, row: &Stored, expected: i64) -> Result<bool, RegistryError> {
        let sql = format!(
            "UPDATE {} SET owner = $2, parent = $3, version = $4, deleted = $5, doc = $6 \
             WHERE id = $1 AND version = $7",
            kind.table()
        );
        let n = self.tx.execute(
            &sql,
            &[
                &row.id,
                &row.owner,
                &row.parent,
                &row.version,
                &row.deleted,
                &row.doc,
                &expected,
            ],
        )?;
        Ok(n == 1)
    }

    fn head(&mut self) -> Result<(i64, String), RegistryError> {
        let r = self
            .tx
            .query_one("SELECT seq, hash FROM chain_head WHERE id = 1", &[])?;
        Ok((r.get(0), r.get(1)))
    }

    fn append(&mut self, e: &Event) -> Result<(), RegistryError> {
        self.tx.execute(
            &format!("INSERT INTO events ({EVENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"),
            &[&e.seq, &e.at, &e.actor, &e.action, &e.kind, &e.object_id, &e.before, &e.after, &e.prev_hash, &e.hash],
        )?;
        self.tx.execute(
            "UPDATE chain_head SET seq = $1, hash = $2 WHERE id = 1",
            &[&e.seq, &e.hash],
        )?;
        Ok(())
    }

    fn events(&mut self, after: i64, limit: i64) -> Result<Vec<Event>, RegistryError> {
        let rows = self.tx.query(
            &format!("SELECT {EVENT_COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2"),
            &[&after, &limit],
        )?;
        Ok(rows.iter().map(event).collect())
    }
}

/// Whether every migration is recorded as applied.
fn up_to_date(client: &mut Client) -> Result<bool, RegistryError> {
    let exists: Option<String> = client
        .query_one("SELECT to_regclass('schema_migrations')::text", &[])?
        .get(0);
    if exists.is_none() {
        return Ok(false);
    }
    let applied: Vec<i32> = client
        .query("SELECT version FROM schema_migrations", &[])?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(MIGRATIONS
        .iter()
        .all(|(v, ..)| applied.contains(&(*v as i32))))
}

impl Backend for Postgres {
    fn name(&self) -> &'static str {
        "postgres"
    }

    fn migrate(&self) -> Result<Vec<u32>, RegistryError> {
        let mut client = self.client()?;
        // A registry already at the latest version is opened without DDL, so the server may
        // connect as a role that owns nothing (and so cannot drop the events' triggers).
        if up_to_date(&mut client)? {
            self.give_back(client);
            return Ok(Vec::new());
        }
        let mut tx = client.transaction()?;
        // Two servers starting at once must not both apply a migration.
        tx.execute("SELECT pg_advisory_xact_lock(7210431)", &[])?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations \
             (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )?;
        let mut applied = Vec::new();
        for (version, name, _, sql) in MIGRATIONS {
            let v = version as i32;
            let done = tx.query_opt(
                "SELECT version FROM schema_migrations WHERE version = $1",
                &[&v],
            )?;
            if done.is_none() {
                tx.batch_execute(sql)?;
                let now = passage_domain::rfc3339(std::time::SystemTime::now());
                tx.execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                    &[&v, &name, &now],
                )?;
                applied.push(version);
            }
        }
        tx.commit()?;
        self.give_back(client);
        Ok(applied)
    }

    fn write(&self, f: &mut TxFn<'_>) -> Result<(), RegistryError> {
        let mut client = self.client()?;
        let result = (|| {
            let mut tx = client.transaction()?;
            tx.query_one("SELECT seq FROM chain_head WHERE id = 1 FOR UPDATE", &[])?;
            guarded(|| f(&mut PgTx { tx: &mut tx }))?;
            tx.commit()?;
            Ok(())
        })();
        self.give_back(client);
        result
    }

    fn read(&self, f: &mut TxFn<'_>) -> Result<(), RegistryError> {
        if let Some(result) = self.read_on_replica(f) {
            return result;
        }
        let mut client = self.client()?;
        let result = read_in(&mut client, f);
        self.give_back(client);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new database on the test server of `scripts/with-postgres`.
    fn fresh() -> Postgres {
        let base = std::env::var("PASSAGE_TEST_PG_URL")
            .expect("PASSAGE_TEST_PG_URL is not set: run the tests under scripts/with-postgres");
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("registry_unit_{}_{n}", std::process::id());
        Client::connect(&base, NoTls)
            .unwrap()
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
        Postgres::connect_with_replica(&url, None).unwrap()
    }

    #[test]
    fn reads_go_to_the_primary_when_the_replica_does_not_answer() {
        let primary = fresh();
        primary.migrate().unwrap();
        let unreachable = Postgres::connect_with_replica(
            &primary.url,
            Some("postgres://passage@127.0.0.1:1/nowhere?connect_timeout=1"),
        )
        .unwrap();
        let mut seen = None;
        unreachable
            .read(&mut |tx| {
                seen = Some(tx.head()?.0);
                Ok(())
            })
            .unwrap();
        assert_eq!(seen, Some(0), "the read was answered, by the primary");
        // A replica that answers takes the read: here the primary itself, named as the replica.
        let both = Postgres::connect_with_replica(&primary.url, Some(&primary.url)).unwrap();
        both.read(&mut |tx| tx.head().map(|_| ())).unwrap();
        assert_eq!(both.idle_replica.lock().unwrap().len(), 1);
    }

    #[test]
    fn a_panic_inside_a_write_leaves_the_registry_serving() {
        let db = fresh();
        db.migrate().unwrap();
        crate::backend::conformance::a_panic_inside_a_write_rolls_back(&db);
    }
}
