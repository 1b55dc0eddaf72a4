//! A fresh, empty database of either kind, and raw SQL on it for the tamper tests.

use std::sync::atomic::{AtomicU32, Ordering};

use passage_registry::Registry;

pub enum Db {
    // Held so the folder lives as long as the database.
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres,
}

pub struct Fresh {
    pub url: String,
    db: Db,
}

/// Indicator ids links may name in the tests.
pub fn indicators() -> Vec<String> {
    [
        "resettlement_arrivals",
        "refugees",
        "sdg_10_7_4",
        "refugees_per_1000_inhabitants",
        "migrant_stock",
        "refugee_returns",
    ]
    .map(String::from)
    .to_vec()
}

impl Fresh {
    pub fn sqlite() -> Fresh {
        let dir = tempfile::tempdir().unwrap();
        Fresh {
            url: format!("sqlite:{}", dir.path().join("registry.db").display()),
            db: Db::Sqlite(dir),
        }
    }

    /// A new database on the test server of `scripts/with-postgres`.
    pub fn postgres() -> Fresh {
        static N: AtomicU32 = AtomicU32::new(0);
        let base = std::env::var("PASSAGE_TEST_PG_URL")
            .expect("PASSAGE_TEST_PG_URL is not set: run the tests under scripts/with-postgres");
        let name = format!(
            "registry_{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        );
        let mut admin = postgres::Client::connect(&base, postgres::NoTls).unwrap();
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .unwrap();
        let url = match base.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("PASSAGE_TEST_PG_URL has no database: {base}"),
        };
        Fresh {
            url,
            db: Db::Postgres,
        }
    }

    /// A new empty database of the same backend.
    pub fn sibling(&self) -> Fresh {
        match self.db {
            Db::Sqlite(_) => Fresh::sqlite(),
            Db::Postgres => Fresh::postgres(),
        }
    }

    /// The one number a query gives.
    pub fn count(&self, sql: &str) -> i64 {
        match &self.db {
            Db::Sqlite(_) => {
                let path = self.url.trim_start_matches("sqlite:");
                rusqlite::Connection::open(path)
                    .unwrap()
                    .query_row(sql, [], |r| r.get(0))
                    .unwrap()
            }
            Db::Postgres => postgres::Client::connect(&self.url, postgres::NoTls)
                .unwrap()
                .query_one(sql, &[])
                .unwrap()
                .get(0),
        }
    }

    pub fn open(&self) -> Registry {
        Registry::open(&self.url, indicators()).unwrap()
    }

    /// Runs SQL on the database directly, as someone editing it by hand would.
    pub fn sql(&self, sql: &str) {
        if let Err(e) = self.try_sql(sql) {
            panic!("{sql}: {e}");
        }
    }

    /// Runs SQL on the database directly; the database's refusal, if it refuses.
    pub fn try_sql(&self, sql: &str) -> Result<(), String> {
        match &self.db {
            Db::Sqlite(_) => {
                let path = self.url.trim_start_matches("sqlite:");
                rusqlite::Connection::open(path)
                    .unwrap()
                    .execute_batch(sql)
                    .map_err(|e| e.to_string())
            }
            Db::Postgres => postgres::Client::connect(&self.url, postgres::NoTls)
                .unwrap()
                .batch_execute(sql)
                .map_err(|e| {
                    e.as_db_error()
                        .map_or(e.to_string(), |d| d.message().into())
                }),
        }
    }

    /// Drops the triggers that keep events append-only, as someone with the rights to would.
    pub fn drop_event_guards(&self) {
        match &self.db {
            Db::Sqlite(_) => {
                self.sql("DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;")
            }
            Db::Postgres => self.sql(
                "DROP TRIGGER events_no_update_or_delete ON events; \
                 DROP TRIGGER events_no_truncate ON events;",
            ),
        }
    }
}
