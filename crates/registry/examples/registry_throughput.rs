//! Write and read throughput of the registry on a fresh database: N pledges created by T writer
//! threads (each a transaction with its hash-chained event, synced), then N pledge records read by
//! T threads, then one `verify` of the whole history. Prints one JSON line per measure.
//! Usage: cargo run --release -p passage-registry --example registry_throughput -- URL [N] [T]
//! (URL: sqlite:PATH or postgres://…; the database must be empty.)

use std::sync::Arc;
use std::time::Instant;

use passage_registry::{Entity, EntityKind, Pledge, Principal, Registry};

fn pledge(id: &str) -> Pledge {
    serde_json::from_value(serde_json::json!({
        "id": id, "title": "Benchmark pledge", "entity": "bench", "forum": "grf",
        "forum_year": 2023, "compact": "GCR", "objectives": [1], "contribution": "policy"
    }))
    .expect("a valid pledge")
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let url = args
        .next()
        .ok_or("usage: registry_throughput URL [N] [T]")?;
    let n: usize = args.next().map_or(Ok(2000), |s| s.parse())?;
    let threads: usize = args.next().map_or(Ok(4), |s| s.parse())?;
    let r = Arc::new(Registry::open(&url, Vec::new())?);
    let me = Principal::local();
    r.create_entity(
        &me,
        Entity {
            id: "bench".into(),
            kind: EntityKind::Ngo,
            name: "Bench".into(),
            country: None,
            example: true,
        },
    )?;
    let backend = r.backend_name();

    let run = |work: Arc<dyn Fn(usize) + Send + Sync>| {
        let started = Instant::now();
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let work = Arc::clone(&work);
                std::thread::spawn(move || {
                    for i in (t..n).step_by(threads) {
                        work(i);
                    }
                })
            })
            .collect();
        for h in handles {
            h.join().expect("worker");
        }
        started.elapsed().as_secs_f64()
    };
    let writer = Arc::clone(&r);
    let secs = run(Arc::new(move |i| {
        writer
            .create_pledge(&Principal::local(), pledge(&format!("B-{i}")))
            .expect("write");
    }));
    println!(
        "{}",
        serde_json::json!({"backend": backend, "measure": "writes", "n": n, "threads": threads, "seconds": secs, "per_second": n as f64 / secs})
    );
    let reader = Arc::clone(&r);
    let secs = run(Arc::new(move |i| {
        reader.pledge(&format!("B-{i}")).expect("read");
    }));
    println!(
        "{}",
        serde_json::json!({"backend": backend, "measure": "reads", "n": n, "threads": threads, "seconds": secs, "per_second": n as f64 / secs})
    );
    let started = Instant::now();
    let v = r.verify()?;
    assert!(v.ok());
    println!(
        "{}",
        serde_json::json!({"backend": backend, "measure": "verify", "events": v.events, "seconds": started.elapsed().as_secs_f64()})
    );
    Ok(())
}
