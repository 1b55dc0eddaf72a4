//! Writes one chart of each kind, as SVG and PNG, into the directory given as the only argument:
//! `cargo run -p passage-charts --example gallery -- DIR`, to look at them by eye.

use std::path::Path;

use passage_charts::{
    bar_chart, png, series_chart, timeline, Bar, BarChart, Frame, Line, Marker, SeriesChart,
    Timeline, Verdict,
};

fn frame(id: &str, title: &str) -> Frame {
    Frame {
        id: id.into(),
        title: title.into(),
        unit: "persons".into(),
        decimals: 0,
        width: 0,
        height: 0,
    }
}

fn years(from: i16, values: &[Option<f64>]) -> Vec<(i16, Option<f64>)> {
    (from..).zip(values.iter().copied()).collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).ok_or("usage: gallery DIR")?;
    let dir = Path::new(&dir);
    std::fs::create_dir_all(dir)?;
    let m = |v: f64| Some(v * 1e6);
    let lines = vec![
        Line {
            label: "Refugees under UNHCR's mandate".into(),
            points: years(
                2012,
                &[
                    m(10.5),
                    m(11.7),
                    m(14.4),
                    m(16.1),
                    m(17.2),
                    m(19.9),
                    m(20.4),
                    m(20.4),
                    m(20.7),
                    m(21.3),
                    m(29.4),
                    m(31.6),
                    m(31.0),
                ],
            ),
        },
        Line {
            label: "Asylum-seekers".into(),
            points: years(
                2012,
                &[
                    m(0.9),
                    m(1.2),
                    m(1.8),
                    m(3.2),
                    m(2.8),
                    m(3.1),
                    None,
                    m(4.1),
                    m(4.1),
                    m(4.6),
                    m(5.4),
                    m(6.9),
                    m(8.4),
                ],
            ),
        },
        Line {
            label: "Palestine refugees under UNRWA's mandate".into(),
            points: years(
                2012,
                &[
                    m(5.0),
                    m(5.1),
                    m(5.1),
                    m(5.2),
                    m(5.3),
                    m(5.4),
                    m(5.5),
                    m(5.6),
                    m(5.7),
                    m(5.8),
                    m(5.9),
                    m(6.0),
                    m(6.0),
                ],
            ),
        },
    ];
    let markers = vec![
        Marker {
            year: 2016,
            label: "New York Declaration".into(),
        },
        Marker {
            year: 2018,
            label: "Global Compact on Refugees".into(),
        },
        Marker {
            year: 2019,
            label: "First Global Refugee Forum".into(),
        },
    ];
    let line = SeriesChart {
        frame: frame("lines", "Forcibly displaced people"),
        lines: lines.clone(),
        stacked: false,
        markers: markers.clone(),
    };
    let stack = SeriesChart {
        frame: frame("stack", "Forcibly displaced people, stacked"),
        lines,
        stacked: true,
        markers,
    };
    let bars = BarChart {
        frame: frame("bars", "Refugees by country of origin"),
        bars: vec![
            Bar {
                label: "Afghanistan".into(),
                value: Some(6_400_000.0),
                href: Some("/countries/AFG".into()),
            },
            Bar {
                label: "Syrian Arab Republic".into(),
                value: Some(6_355_797.0),
                href: Some("/countries/SYR".into()),
            },
            Bar {
                label: "Venezuela (Bolivarian Republic of)".into(),
                value: Some(6_100_000.0),
                href: None,
            },
            Bar {
                label: "Ukraine".into(),
                value: Some(5_900_000.0),
                href: None,
            },
            Bar {
                label: "Democratic Republic of the Congo".into(),
                value: Some(1_000_000.0),
                href: None,
            },
            Bar {
                label: "Eritrea".into(),
                value: None,
                href: None,
            },
        ],
    };
    let verdicts = Timeline {
        frame: frame("verdicts", "Resettlement pledge met"),
        years: (2005..2025)
            .map(|y| {
                let v = match y % 5 {
                    0 | 3 => Verdict::Holds,
                    1 => Verdict::Fails,
                    _ => Verdict::Unknown,
                };
                (y, v)
            })
            .collect(),
    };
    let mut narrow = frame("narrow", "One year only");
    narrow.width = 320;
    narrow.height = 200;
    let single = SeriesChart {
        frame: narrow,
        lines: vec![Line {
            label: "Returns".into(),
            points: vec![(2023, Some(1_100_000.0))],
        }],
        stacked: false,
        markers: vec![],
    };
    let mut net = frame("net", "Net migration");
    net.decimals = 1;
    net.unit = "per 1,000 people".into();
    let negative = SeriesChart {
        frame: net,
        lines: vec![
            Line {
                label: "Lebanon".into(),
                points: years(
                    2015,
                    &[
                        Some(-12.5),
                        Some(-8.0),
                        Some(-3.2),
                        Some(0.4),
                        Some(2.1),
                        Some(-1.5),
                    ],
                ),
            },
            Line {
                label: "Germany".into(),
                points: years(
                    2015,
                    &[
                        Some(14.2),
                        Some(9.9),
                        Some(5.1),
                        Some(4.8),
                        Some(3.9),
                        Some(2.6),
                    ],
                ),
            },
        ],
        stacked: false,
        markers: vec![],
    };
    let mut small = frame("long-timeline", "A long record in a narrow frame");
    small.width = 320;
    let long = Timeline {
        frame: small,
        years: verdicts
            .years
            .iter()
            .chain(&verdicts.years)
            .enumerate()
            .map(|(i, &(_, v))| (1985 + i as i16, v))
            .collect(),
    };
    let charts = [
        ("long-timeline", timeline(&long)),
        ("narrow", series_chart(&single)),
        ("negative", series_chart(&negative)),
        ("lines", series_chart(&line)),
        ("stack", series_chart(&stack)),
        ("bars", bar_chart(&bars)),
        ("timeline", timeline(&verdicts)),
    ];
    for (name, svg) in charts {
        std::fs::write(dir.join(format!("{name}.svg")), &svg)?;
        std::fs::write(dir.join(format!("{name}.png")), png(&svg, 1.5)?)?;
    }
    Ok(())
}
