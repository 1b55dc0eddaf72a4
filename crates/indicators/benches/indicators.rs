//! Benchmarks of the indicator engine on `../shared/data`: every indicator of the catalogue for the
//! world and for every country in every role over all years, one country profile, and one
//! ranking. Run with `cargo bench -p passage-indicators`.

use std::path::PathBuf;
use std::sync::OnceLock;

use passage_domain::Year;
use passage_indicators::{Engine, Place, Request, Role};
use passage_store::Release;

fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
        let imported = passage_datasets::import_dir(&data, &Default::default(), &|_| {})
            .expect("import the shared data");
        Release::from_import(imported)
    })
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().expect("the shipped catalogue"))
}

/// Every indicator for every country in every role, all years: returns the number of figures.
fn everything() -> usize {
    let (e, r) = (engine(), release());
    let mut figures = 0;
    for i in &e.catalogue.indicators {
        let world = e
            .evaluate(r, &Request::new(&i.id, Place::World, None))
            .expect("world");
        figures += world.points.len();
        for role in &i.roles {
            let each = Request::new(&i.id, Place::EachCountry, Some(*role));
            figures += e.evaluate(r, &each).expect("each country").points.len();
        }
    }
    figures
}

#[divan::bench(sample_count = 10)]
fn all_indicators_all_countries_all_years() -> usize {
    everything()
}

#[divan::bench(sample_count = 20)]
fn country_profile() -> usize {
    let p = engine()
        .profile(release(), "SYR", passage_store::YearFilter::All)
        .expect("profile");
    p.sections.len()
}

#[divan::bench(sample_count = 50)]
fn ranking_of_hosts() -> usize {
    let year = Year::new(2024).expect("year");
    engine()
        .rank(release(), "refugees", Role::Host, year, Vec::new(), 10)
        .expect("ranking")
        .order
        .len()
}

fn main() {
    release();
    eprintln!(
        "figures computed by one pass over everything: {}",
        everything()
    );
    divan::main();
}
