//! Durability of the registry: `passage serve` is killed (SIGKILL) again and again while a client
//! streams writes to it; afterwards every write the client saw acknowledged is present and the
//! history verifies. On SQLite and on PostgreSQL.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::{passage, run_ok, small_sources};

/// A POST over a fresh connection: the status, if a whole response came back.
fn post(port: u16, path: &str, secret: &str, body: &str) -> Option<u16> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(10))).ok()?;
    write!(
        s,
        "POST {path} HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer {secret}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw);
    let (head, rest) = text.split_once("\r\n\r\n")?;
    let status: u16 = head.split_whitespace().nth(1)?.parse().ok()?;
    // Acknowledged means the whole answer arrived: the body names the record.
    (status != 201 || rest.contains("\"version\"")).then_some(status)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn ready(port: u16) -> bool {
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if let Ok(mut s) = TcpStream::connect(("127.0.0.1", port)) {
            let _ = write!(
                s,
                "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            );
            let mut out = String::new();
            if s.read_to_string(&mut out).is_ok() && out.starts_with("HTTP/1.1 200") {
                return true;
            }
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn with_registry<'a>(c: &'a mut Command, url: &Option<String>) -> &'a mut Command {
    if let Some(u) = url {
        c.env("PASSAGE_REGISTRY_URL", u);
    }
    c
}

fn writes_survive_kills(url: Option<String>) {
    let data = tempfile::tempdir().unwrap();
    let src = small_sources();
    let cmd = |data: &Path| {
        let mut c = passage(data);
        with_registry(&mut c, &url);
        c
    };
    run_ok(cmd(data.path()).args(["sync", "--from"]).arg(src.path()));
    let entity = src.path().join("entity.json");
    std::fs::write(
        &entity,
        r#"{"id": "durable", "kind": "ngo", "name": "Durable NGO"}"#,
    )
    .unwrap();
    run_ok(
        cmd(data.path())
            .args(["registry", "entity", "add"])
            .arg(&entity),
    );
    let secret =
        run_ok(cmd(data.path()).args(["registry", "token", "issue", "--role", "administrator"]))
            .trim()
            .to_string();

    let mut acknowledged: Vec<String> = Vec::new();
    for cycle in 0..4u64 {
        let port = free_port();
        let mut server = cmd(data.path())
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("PASSAGE_LOG", "error")
            .spawn()
            .unwrap();
        assert!(ready(port), "the server did not start");
        let stop = Arc::new(AtomicBool::new(false));
        let writer = {
            let (stop, secret) = (Arc::clone(&stop), secret.clone());
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let id = format!("D-{cycle}-{n}");
                    let body = format!(
                        r#"{{"id": "{id}", "title": "Durable pledge", "entity": "durable", "forum": "grf",
                            "forum_year": 2023, "compact": "GCR", "objectives": [1], "contribution": "policy"}}"#
                    );
                    match post(port, "/api/v1/registry/pledges", &secret, &body) {
                        Some(201) => acked.push(id),
                        Some(429) => std::thread::sleep(Duration::from_millis(20)),
                        Some(other) => panic!("{id}: status {other}"),
                        None => {
                            if stop.load(Ordering::SeqCst) {
                                break;
                            }
                        }
                    }
                }
                acked
            })
        };
        std::thread::sleep(Duration::from_millis(300 + 150 * cycle));
        server.kill().unwrap(); // SIGKILL: no shutdown, no flush
        server.wait().unwrap();
        stop.store(true, Ordering::SeqCst);
        acknowledged.extend(writer.join().unwrap());
    }
    eprintln!("{} writes acknowledged across 4 kills", acknowledged.len());
    assert!(
        acknowledged.len() >= 20,
        "only {} writes acknowledged",
        acknowledged.len()
    );

    let export: serde_json::Value =
        serde_json::from_str(&run_ok(cmd(data.path()).args(["registry", "export"]))).unwrap();
    let stored: std::collections::HashSet<&str> = export["pledges"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|p| p["id"].as_str())
        .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|id| !stored.contains(id.as_str()))
        .collect();
    assert!(lost.is_empty(), "acknowledged but lost: {lost:?}");
    let verify = run_ok(cmd(data.path()).args(["registry", "verify"]));
    assert!(verify.starts_with("history intact"), "{verify}");
}

#[test]
fn acknowledged_writes_survive_sigkill_on_sqlite() {
    writes_survive_kills(None);
}

#[test]
fn acknowledged_writes_survive_sigkill_on_postgres() {
    let base = std::env::var("PASSAGE_TEST_PG_URL")
        .expect("PASSAGE_TEST_PG_URL is not set: run the tests under scripts/with-postgres");
    let name = format!("durability_{}", std::process::id());
    postgres::Client::connect(&base, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    let url = format!("{}/{name}", base.rsplit_once('/').unwrap().0);
    writes_survive_kills(Some(url));
}

#[test]
fn verify_names_the_first_bad_event_after_a_hand_edit() {
    let data = tempfile::tempdir().unwrap();
    let out = run_ok(passage(data.path()).args(["registry", "seed"]));
    assert!(out.contains("example records"), "{out}");
    assert!(run_ok(passage(data.path()).args(["registry", "verify"]))
        .starts_with("history intact: 34 events"));
    rusqlite::Connection::open(data.path().join("registry.db"))
        .unwrap()
        .execute_batch(
            // Someone with the rights to drops the guard of the events first.
            "DROP TRIGGER events_no_update; \
             UPDATE events SET after_doc = replace(after_doc, '15000', '150000') WHERE seq = 11",
        )
        .unwrap();
    let out = crate::run_err(passage(data.path()).args(["registry", "verify"]));
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("history broken at event 11") && err.contains("edited"),
        "{err}"
    );
}
