//! Benchmarks of the world maps: a choropleth of every base-map country and a point map of a
//! thousand spots, once the base map is decoded and projected. Run with
//! `cargo bench -p passage-charts --bench map`.

use passage_charts::{
    base_map_codes, choropleth, point_map, Area, Choropleth, Frame, PointMap, Spot,
};

fn frame() -> Frame {
    Frame {
        id: "bench".into(),
        title: "Refugees by country of asylum".into(),
        unit: "persons".into(),
        decimals: 0,
        width: 960,
        height: 0,
    }
}

fn world() -> Choropleth {
    let areas = base_map_codes()
        .into_iter()
        .enumerate()
        .map(|(i, code)| Area {
            iso3: code.to_string(),
            name: code.to_string(),
            value: (i % 7 != 0).then(|| (i * i * 1013) as f64),
            href: Some(format!("/countries/{code}")),
        })
        .collect();
    Choropleth {
        frame: frame(),
        areas,
    }
}

fn spots() -> PointMap {
    let spots = (0..1000)
        .map(|i| Spot {
            lat: ((i * 37) % 150) as f64 - 60.0,
            lon: ((i * 53) % 360) as f64 - 180.0,
            value: ((i * 17) % 400) as f64,
            label: format!("Incident {i}"),
        })
        .collect();
    PointMap {
        frame: frame(),
        spots,
    }
}

fn main() {
    // Decoding and projecting the base map happens once per process, outside the timings.
    let _ = base_map_codes();
    divan::main();
}

#[divan::bench]
fn choropleth_of_every_country(bencher: divan::Bencher) {
    let c = world();
    bencher.bench(|| choropleth(divan::black_box(&c)));
}

#[divan::bench]
fn point_map_of_a_thousand_spots(bencher: divan::Bencher) {
    let p = spots();
    bencher.bench(|| point_map(divan::black_box(&p)));
}
