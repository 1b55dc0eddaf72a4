//! Benchmarks of single registry operations on SQLite (a synced write with its event, a pledge
//! read, a token check, the head the page cache keys on). Throughput with many threads, on both backends, is measured by
//! `examples/registry_throughput.rs`. Run with `cargo bench -p passage-registry`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use passage_registry::{Entity, EntityKind, Pledge, Principal, Registry, Role};

struct Fixture {
    _dir: tempfile::TempDir,
    registry: Registry,
    secret: String,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite:{}", dir.path().join("bench.db").display());
        let registry = Registry::open(&url, Vec::new()).expect("open");
        let me = Principal::local();
        registry
            .create_entity(
                &me,
                Entity {
                    id: "bench".into(),
                    kind: EntityKind::Ngo,
                    name: "Bench".into(),
                    country: None,
                    example: true,
                },
            )
            .expect("entity");
        registry
            .create_pledge(&me, pledge("READ-ME"))
            .expect("pledge");
        let (_, secret) = registry
            .issue_token(&me, Role::Administrator, None, "bench", None)
            .expect("token");
        Fixture {
            _dir: dir,
            registry,
            secret,
        }
    })
}

fn pledge(id: &str) -> Pledge {
    serde_json::from_value(serde_json::json!({
        "id": id, "title": "Benchmark pledge", "entity": "bench", "forum": "grf",
        "forum_year": 2023, "compact": "GCR", "objectives": [1], "contribution": "policy"
    }))
    .expect("a valid pledge")
}

#[divan::bench(sample_count = 200)]
fn write_pledge_with_event() {
    static N: AtomicUsize = AtomicUsize::new(0);
    let id = format!("W-{}", N.fetch_add(1, Ordering::Relaxed));
    fixture()
        .registry
        .create_pledge(&Principal::local(), pledge(&id))
        .expect("write");
}

#[divan::bench(sample_count = 200)]
fn read_pledge_record() -> usize {
    fixture()
        .registry
        .pledge("READ-ME")
        .expect("read")
        .updates
        .len()
}

#[divan::bench(sample_count = 200)]
fn authenticate_token() -> bool {
    fixture().registry.authenticate(&fixture().secret).is_ok()
}

/// What the page cache asks of the registry on every page request.
#[divan::bench(sample_count = 200)]
fn head_seq() -> i64 {
    fixture().registry.head_seq().expect("head")
}

fn main() {
    divan::main();
}
