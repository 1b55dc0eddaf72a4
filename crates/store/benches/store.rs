//! Benchmarks of the store on `../shared/data`: the full import (parse + write a release), loading the
//! active release, and each query of `bench/query-mix.json`. Run with `cargo bench -p passage-store`.

use std::path::PathBuf;
use std::sync::OnceLock;

use passage_store::{parse_mix, run, MixEntry, Query, Release, Store};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn data() -> PathBuf {
    repo().join("../shared/data")
}

struct Loaded {
    _dir: tempfile::TempDir,
    store: Store,
    release: Release,
    mix: Vec<(MixEntry, Query)>,
}

fn loaded() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store");
        let imported =
            passage_datasets::import_dir(&data(), &Default::default(), &|_| {}).expect("import");
        store.sync(&imported, &|_| {}).expect("sync");
        let release = store.load_active().expect("load");
        let text = std::fs::read_to_string(repo().join("bench/query-mix.json")).expect("mix file");
        let mix = parse_mix(&text)
            .expect("mix")
            .into_iter()
            .map(|e| (e.clone(), e.query().expect("query")))
            .collect();
        Loaded {
            _dir: dir,
            store,
            release,
            mix,
        }
    })
}

fn main() {
    divan::main();
}

#[divan::bench(sample_count = 10, sample_size = 1)]
fn import_and_write_release(bencher: divan::Bencher) {
    bencher.bench_local(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let store = Store::open(dir.path()).expect("store");
        let imported =
            passage_datasets::import_dir(&data(), &Default::default(), &|_| {}).expect("import");
        store.sync(&imported, &|_| {}).expect("sync")
    });
}

#[divan::bench(sample_count = 20, sample_size = 1)]
fn load_active_release(bencher: divan::Bencher) {
    let store = &loaded().store;
    bencher.bench_local(|| store.load_active().expect("load"));
}

#[divan::bench(args = 0..10)]
fn query_mix(bencher: divan::Bencher, i: usize) {
    let l = loaded();
    let (_, q) = &l.mix[i];
    bencher.bench_local(|| run(&l.release, q).expect("answer"));
}
