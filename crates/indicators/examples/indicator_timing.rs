//! Times indicators for the world and every country in every role over all years, on a release
//! imported from a directory, and prints one JSON line per indicator and role: id, role, figures,
//! milliseconds, and the sum of the figures (for scripts/bench-indicators to check agreement).
//! Usage: cargo run --release -p passage-indicators --example indicator_timing -- DATA_DIR [ID…]

use std::time::Instant;

use passage_indicators::{Engine, Place, Request};
use passage_store::Release;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .ok_or("usage: indicator_timing DATA_DIR [ID…]")?;
    let ids: Vec<String> = args.collect();
    let imported = passage_datasets::import_dir(dir.as_ref(), &Default::default(), &|_| {})?;
    let release = Release::from_import(imported);
    let engine = Engine::builtin()?;
    let selected: Vec<_> = engine
        .catalogue
        .indicators
        .iter()
        .filter(|i| ids.is_empty() || ids.contains(&i.id))
        .collect();
    for i in selected {
        let places = std::iter::once((Place::World, None))
            .chain(i.roles.iter().map(|r| (Place::EachCountry, Some(*r))));
        for (place, role) in places {
            let request = Request::new(&i.id, place, role);
            let started = Instant::now();
            let series = engine.evaluate(&release, &request)?;
            let ms = started.elapsed().as_secs_f64() * 1000.0;
            let sum: f64 = series.points.iter().filter_map(|p| p.value).sum();
            println!(
                "{}",
                serde_json::json!({"id": i.id, "role": role.map(|r| r.name()).unwrap_or("world"),
                    "figures": series.points.len(), "ms": ms, "sum": sum})
            );
        }
    }
    Ok(())
}
