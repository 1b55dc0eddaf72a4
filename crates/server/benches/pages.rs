//! Rendering each page type in-process, without the page cache, on the real data of
//! `../shared/data`: the cost of a page on its first request for a release (after one warm-up
//! render of each, for the process's lazily built tables). Divan's slowest sample bounds the p99.
//! `cargo bench -p passage-server --bench pages`

use std::sync::OnceLock;

use passage_server::{render_uncached, AppState};
use passage_store::Store;

// The binary's allocator: the pages are measured as `passage serve` renders them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Fixture {
    state: AppState,
    _dir: tempfile::TempDir,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        let dir = tempfile::tempdir().expect("a temporary directory");
        let store = Store::open(dir.path()).expect("a store");
        let imported = passage_datasets::import_dir(&data, &Default::default(), &|_| {})
            .expect("the shared data imports");
        store.sync(&imported, &|_| {}).expect("a release");
        let state = AppState::open(store).expect("the state");
        let seed = passage_registry::bundle_from_json(passage_registry::SEED, "seed.json")
            .expect("the seed parses");
        state
            .registry()
            .import(&passage_registry::Principal::local(), &seed, &|what, i| {
                format!("{what}[{i}]")
            })
            .expect("the seed imports");
        Fixture { state, _dir: dir }
    })
}

const PAGES: [(&str, &str); 16] = [
    ("/", ""),
    ("/countries", ""),
    ("/countries/SYR", ""),
    ("/countries/DEU", ""),
    ("/indicators", ""),
    ("/indicators/refugees", ""),
    ("/map", "indicator=refugees&year=2024&role=host"),
    ("/map/incidents", "year=2023"),
    ("/compacts/gcm", ""),
    ("/compacts/gcm/objectives/8", ""),
    ("/claims", ""),
    ("/claims/refugees-stay-near-home", ""),
    ("/pledges", ""),
    ("/releases", ""),
    ("/search", "q=syria"),
    (
        "/map/charts/map.png",
        "indicator=refugees&year=2024&role=host",
    ),
];

#[divan::bench(args = PAGES, sample_count = 100, sample_size = 1)]
fn page(args: (&str, &str)) -> usize {
    let f = fixture();
    render_uncached(&f.state, args.0, args.1).map_or(0, |r| r.body.len())
}

fn main() {
    let f = fixture();
    // One render of each page first: the samples then measure a page missing from the page
    // cache, not the process's first touch of lazily built tables (base map, fonts, catalogue).
    for (path, query) in PAGES {
        let _ = render_uncached(&f.state, path, query);
    }
    divan::main();
}
