//! Snapshot checksums of each chart and map function on fixed inputs: a change to any chart's
//! output bytes fails here until it is looked at and the checksums are written again with
//! `UPDATE_SNAPSHOTS=1 cargo test -p passage-charts --test snapshots`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use passage_charts::*;

fn frame(id: &str, width: u32, height: u32) -> Frame {
    Frame {
        id: id.into(),
        title: format!("Snapshot {id}"),
        unit: "persons".into(),
        decimals: 0,
        width,
        height,
    }
}

fn renders() -> BTreeMap<&'static str, String> {
    let years = |f: fn(i16) -> Option<f64>| (2010..=2024).map(|y| (y, f(y))).collect::<Vec<_>>();
    let mut out = BTreeMap::new();
    out.insert(
        "series-lines",
        series_chart(&SeriesChart {
            frame: frame("lines", 640, 320),
            lines: vec![
                Line {
                    label: "Refugees".into(),
                    points: years(|y| Some(f64::from(y - 2000) * 1.5e6)),
                },
                Line {
                    label: "Asylum-seekers".into(),
                    points: years(|y| (y != 2016).then(|| f64::from(y - 2005) * 4e5)),
                },
            ],
            stacked: false,
            markers: vec![Marker {
                year: 2018,
                label: "Compacts adopted".into(),
            }],
        }),
    );
    out.insert(
        "series-stacked",
        series_chart(&SeriesChart {
            frame: frame("stacked", 640, 320),
            lines: vec![
                Line {
                    label: "A".into(),
                    points: years(|y| Some(f64::from(y % 7) * 1e5)),
                },
                Line {
                    label: "B".into(),
                    points: years(|y| Some(f64::from(y % 5) * 2e5)),
                },
            ],
            stacked: true,
            markers: vec![],
        }),
    );
    out.insert(
        "bars",
        bar_chart(&BarChart {
            frame: frame("bars", 640, 0),
            bars: vec![
                Bar {
                    label: "Türkiye".into(),
                    value: Some(3_112_683.0),
                    href: Some("/countries/TUR".into()),
                },
                Bar {
                    label: "Iran (Islamic Rep. of)".into(),
                    value: Some(3_489_257.0),
                    href: None,
                },
                Bar {
                    label: "Nowhere".into(),
                    value: None,
                    href: None,
                },
            ],
        }),
    );
    out.insert(
        "timeline",
        timeline(&Timeline {
            frame: frame("timeline", 640, 120),
            years: (2000..2025)
                .map(|y| {
                    (
                        y,
                        match y % 3 {
                            0 => Verdict::Holds,
                            1 => Verdict::Fails,
                            _ => Verdict::Unknown,
                        },
                    )
                })
                .collect(),
        }),
    );
    out.insert(
        "choropleth",
        choropleth(&Choropleth {
            frame: frame("map", 960, 520),
            areas: ["SYR", "TUR", "DEU", "FJI", "RUS", "MLT", "BHR"]
                .iter()
                .enumerate()
                .map(|(i, c)| Area {
                    iso3: (*c).into(),
                    name: (*c).into(),
                    value: (i != 3).then_some((i as f64 + 1.0) * 1e5),
                    href: Some(format!("/countries/{c}")),
                })
                .collect(),
        })
        .0,
    );
    out.insert(
        "points",
        point_map(&PointMap {
            frame: frame("points", 960, 520),
            spots: vec![
                Spot {
                    lat: 35.0,
                    lon: 14.0,
                    value: 120.0,
                    label: "Central Mediterranean".into(),
                },
                Spot {
                    lat: 32.5,
                    lon: -117.0,
                    value: 4.0,
                    label: "US–Mexico border".into(),
                },
            ],
        }),
    );
    out
}

fn checksum(text: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(text.as_bytes()))
}

#[test]
fn every_chart_matches_its_stored_checksum() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots.txt");
    let now: BTreeMap<&str, String> = renders()
        .into_iter()
        .map(|(k, v)| (k, checksum(&v)))
        .collect();
    let text: String = now.iter().map(|(k, v)| format!("{k} {v}\n")).collect();
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, &text).expect("the snapshot file is writable");
        return;
    }
    let stored = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(
        stored, text,
        "chart output changed: look at it, then UPDATE_SNAPSHOTS=1"
    );
}
