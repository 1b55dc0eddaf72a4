//! The promises every chart makes, checked on the parsed SVG: an accessible name and a
//! description from the data, a `<title>` on every mark, nothing but the SVG namespace as a URL,
//! no NaN, gaps kept as gaps, stacks that add up, and the same bytes for the same input.

use passage_charts::{
    bar_chart, png, series_chart, timeline, Bar, BarChart, ChartError, Frame, Line, Marker,
    SeriesChart, Timeline, Verdict, FONT_FAMILY,
};
use roxmltree::{Document, Node};

const SVG_NS: &str = "http://www.w3.org/2000/svg";

fn frame(id: &str) -> Frame {
    Frame {
        id: id.into(),
        title: format!("Chart {id}"),
        unit: "persons".into(),
        decimals: 0,
        width: 0,
        height: 0,
    }
}

fn line(label: &str, points: &[(i16, Option<f64>)]) -> Line {
    Line {
        label: label.into(),
        points: points.to_vec(),
    }
}

fn bar(label: &str, value: Option<f64>, href: Option<&str>) -> Bar {
    Bar {
        label: label.into(),
        value,
        href: href.map(str::to_string),
    }
}

fn series(id: &str, lines: Vec<Line>, stacked: bool) -> SeriesChart {
    SeriesChart {
        frame: frame(id),
        lines,
        stacked,
        markers: vec![],
    }
}

fn refugees() -> SeriesChart {
    SeriesChart {
        frame: frame("refugees"),
        lines: vec![
            line(
                "Refugees",
                &[
                    (2019, Some(20_444_000.0)),
                    (2020, Some(20_661_000.0)),
                    (2021, Some(21_327_000.0)),
                    (2022, Some(29_429_000.0)),
                    (2023, Some(31_612_412.0)),
                    (2024, Some(31_000_000.0)),
                ],
            ),
            line(
                "Asylum-seekers",
                &[
                    (2019, Some(4_150_000.0)),
                    (2020, None),
                    (2021, Some(4_600_000.0)),
                    (2022, Some(5_400_000.0)),
                    (2023, Some(6_900_000.0)),
                    (2024, Some(8_400_000.0)),
                ],
            ),
        ],
        stacked: false,
        markers: vec![Marker {
            year: 2021,
            label: "Pledge".into(),
        }],
    }
}

fn text_of(node: Node<'_, '_>) -> String {
    node.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .collect()
}

fn has_title(node: Node<'_, '_>) -> bool {
    node.children()
        .any(|c| c.is_element() && c.tag_name().name() == "title" && !text_of(c).is_empty())
}

fn in_legend(node: Node<'_, '_>) -> bool {
    node.ancestors()
        .any(|a| a.attribute("class") == Some("legend"))
}

/// The checks every chart must pass; returns the description.
fn check(svg: &str, id: &str) -> String {
    let doc = Document::parse(svg).unwrap_or_else(|e| panic!("not XML ({e}): {svg}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some(SVG_NS));
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("class"), Some("chart"));
    let (w, h) = (
        root.attribute("width").expect("width"),
        root.attribute("height").expect("height"),
    );
    assert_eq!(
        root.attribute("viewBox"),
        Some(format!("0 0 {w} {h}").as_str())
    );
    let labelled = root.attribute("aria-labelledby").expect("aria-labelledby");
    assert_eq!(labelled, format!("{id}-title {id}-desc"));
    let mut children = root.children().filter(|n| n.is_element());
    let title = children.next().expect("a first child");
    assert_eq!(title.tag_name().name(), "title");
    assert_eq!(title.attribute("id"), Some(format!("{id}-title").as_str()));
    assert!(!text_of(title).is_empty());
    let desc = children.next().expect("a second child");
    assert_eq!(desc.tag_name().name(), "desc");
    assert_eq!(desc.attribute("id"), Some(format!("{id}-desc").as_str()));
    for target in labelled.split(' ') {
        assert_eq!(
            doc.descendants()
                .filter(|n| n.attribute("id") == Some(target))
                .count(),
            1,
            "{target}"
        );
    }
    let mut ids: Vec<&str> = doc
        .descendants()
        .filter_map(|n| n.attribute("id"))
        .collect();
    assert!(ids.iter().all(|i| i.starts_with(id)), "{ids:?}");
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "ids are unique");

    for mark in doc
        .descendants()
        .filter(|n| matches!(n.tag_name().name(), "path" | "rect" | "circle") && !in_legend(*n))
    {
        assert!(has_title(mark), "a mark without <title>: {mark:?}");
    }
    // A mark's title said again by an enclosing group is read twice by a screen reader (the
    // chart's own title names the chart, and a mark may share its words).
    for title in doc.descendants().filter(|n| n.tag_name().name() == "title") {
        let said = text_of(title);
        let Some(owner) = title.parent() else {
            continue;
        };
        for above in owner.ancestors().skip(1).filter(|a| *a != root) {
            let repeated = above
                .children()
                .any(|c| c.is_element() && c.tag_name().name() == "title" && text_of(c) == said);
            assert!(
                !repeated,
                "the title {said:?} is repeated by an enclosing element"
            );
        }
    }
    for n in doc.descendants().filter(|n| n.is_element()) {
        if let Some(size) = n.attribute("font-size") {
            let size: f64 = size.parse().expect("a number");
            assert!((11.0..=13.0).contains(&size), "font-size {size}");
        }
        if let Some(family) = n.attribute("font-family") {
            assert_eq!(family, format!("{FONT_FAMILY}, sans-serif"));
        }
        if let Some(href) = n.attribute("href") {
            assert!(href.starts_with('/'), "{href}");
        }
        assert!(n.tag_name().namespace().is_none_or(|ns| ns == SVG_NS));
        for a in n.attributes() {
            assert!(a.namespace().is_none(), "{a:?}");
        }
    }
    let lower = svg.to_ascii_lowercase();
    assert!(!svg.contains("NaN"), "NaN in output");
    assert!(!svg.contains("inf"), "inf in output");
    assert_eq!(
        lower.matches("http").count(),
        1,
        "a URL other than the namespace"
    );
    assert_eq!(lower.matches("xmlns").count(), 1);
    text_of(desc)
}

fn circles_titled<'a>(doc: &'a Document<'a>, prefix: &str) -> Vec<Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "circle")
        .filter(|n| {
            n.children()
                .any(|c| c.tag_name().name() == "title" && text_of(c).starts_with(prefix))
        })
        .collect()
}

fn num(n: Node<'_, '_>, attr: &str) -> f64 {
    n.attribute(attr)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{attr} of {n:?}"))
}

/// The paths whose `<title>` starts with `label`.
fn paths_of<'a>(doc: &'a Document<'a>, label: &str) -> Vec<&'a str> {
    doc.descendants()
        .filter(|n| n.tag_name().name() == "path")
        .filter(|n| {
            n.children()
                .any(|c| c.tag_name().name() == "title" && text_of(c).starts_with(label))
        })
        .filter_map(|n| n.attribute("d"))
        .collect()
}

#[test]
fn a_line_chart_is_accessible_and_described() {
    let svg = series_chart(&refugees());
    let desc = check(&svg, "refugees");
    assert!(desc.contains("Refugees"), "{desc}");
    assert!(desc.contains("Asylum-seekers"));
    assert!(desc.contains("2019 to 2024"));
    assert!(desc.contains("20,444,000 in 2019"), "first: {desc}");
    assert!(desc.contains("31,000,000 in 2024"), "last: {desc}");
    assert!(desc.contains("peak 31,612,412 in 2023"), "peak: {desc}");
    assert!(desc.contains("2021 (Pledge)"));
    assert!(svg.contains("<title>Refugees, 2023: 31,612,412 persons</title>"));
    assert!(svg.contains("stroke-dasharray"), "the marker is dashed");
    assert!(svg.contains(">0</text>"), "the axis starts at zero");
    assert!(svg.contains(">30 M</text>"), "readable ticks");
}

#[test]
fn a_gap_splits_the_line_and_draws_nothing_at_zero() {
    let c = series(
        "gap",
        vec![line(
            "A",
            &[
                (2000, Some(5.0)),
                (2001, Some(6.0)),
                (2002, None),
                (2003, Some(7.0)),
                (2004, Some(8.0)),
            ],
        )],
        false,
    );
    let svg = series_chart(&c);
    check(&svg, "gap");
    let doc = Document::parse(&svg).expect("XML");
    let paths = paths_of(&doc, "A");
    let moves: usize = paths.iter().map(|d| d.matches('M').count()).sum();
    assert_eq!(moves, 2, "{paths:?}");
    assert!(circles_titled(&doc, "A, 2002").is_empty());
    assert_eq!(circles_titled(&doc, "A, ").len(), 4);
    // Nothing is drawn above 2002: no vertex lies between the runs.
    let x1 = num(circles_titled(&doc, "A, 2001")[0], "cx");
    let x3 = num(circles_titled(&doc, "A, 2003")[0], "cx");
    for d in &paths {
        for vertex in d.split(['M', 'L']).filter(|v| !v.is_empty()) {
            let x: f64 = vertex
                .split(' ')
                .next()
                .and_then(|x| x.parse().ok())
                .expect("x");
            assert!(
                x <= x1 + 0.05 || x >= x3 - 0.05,
                "a vertex at {x} in the gap"
            );
        }
    }
    assert!(svg.contains("not available in 1 of 5 years"));
}

#[test]
fn non_finite_values_are_gaps_too() {
    let c = series(
        "nonfinite",
        vec![line(
            "A",
            &[
                (2000, Some(1.0)),
                (2001, Some(f64::NAN)),
                (2002, Some(2.0)),
                (2003, Some(f64::INFINITY)),
                (2004, Some(3.0)),
            ],
        )],
        false,
    );
    let svg = series_chart(&c);
    check(&svg, "nonfinite");
    let doc = Document::parse(&svg).expect("XML");
    assert_eq!(circles_titled(&doc, "A, ").len(), 3);
}

#[test]
fn the_top_of_a_stack_is_the_sum() {
    let c = series(
        "stack",
        vec![
            line(
                "Low",
                &[(2000, Some(10.0)), (2001, Some(20.0)), (2002, Some(5.0))],
            ),
            line(
                "High",
                &[(2000, Some(30.0)), (2001, Some(20.0)), (2002, Some(5.0))],
            ),
        ],
        true,
    );
    let svg = series_chart(&c);
    let desc = check(&svg, "stack");
    assert!(desc.starts_with("Stacked area chart"), "{desc}");
    assert!(
        desc.contains("Total: 40 in 2000, 10 in 2002, peak 40 in 2000"),
        "{desc}"
    );
    let doc = Document::parse(&svg).expect("XML");
    // The grid line labelled 40 and the one labelled 0 give the scale.
    let grid_y = |label: &str| {
        let text = doc
            .descendants()
            .find(|n| n.tag_name().name() == "text" && text_of(*n) == label)
            .unwrap_or_else(|| panic!("tick {label}"));
        num(text.prev_sibling_element().expect("its grid line"), "y1")
    };
    let (y0, y40) = (grid_y("0"), grid_y("40"));
    let y_of = |v: f64| y0 + (y40 - y0) * v / 40.0;
    for (year, sum) in [(2000, 40.0), (2001, 40.0), (2002, 10.0)] {
        let top = circles_titled(&doc, &format!("High, {year}:"));
        assert_eq!(top.len(), 1);
        assert!((num(top[0], "cy") - y_of(sum)).abs() < 0.11, "{year}");
    }
    let low = circles_titled(&doc, "Low, 2000:");
    assert!((num(low[0], "cy") - y_of(10.0)).abs() < 0.11);
    assert!(
        svg.contains("<title>High, 2000: 30 persons</title>"),
        "own value in the title"
    );
}

#[test]
fn a_missing_band_breaks_the_whole_stack() {
    let c = series(
        "stackgap",
        vec![
            line(
                "Low",
                &[
                    (2000, Some(1.0)),
                    (2001, Some(1.0)),
                    (2002, Some(1.0)),
                    (2003, Some(1.0)),
                    (2004, Some(1.0)),
                ],
            ),
            line(
                "High",
                &[
                    (2000, Some(1.0)),
                    (2001, Some(1.0)),
                    (2002, None),
                    (2003, Some(1.0)),
                    (2004, Some(1.0)),
                ],
            ),
        ],
        true,
    );
    let svg = series_chart(&c);
    check(&svg, "stackgap");
    let doc = Document::parse(&svg).expect("XML");
    for band in ["Low", "High"] {
        let paths = paths_of(&doc, band);
        assert_eq!(paths.len(), 2, "{band}: {paths:?}");
        assert!(circles_titled(&doc, &format!("{band}, 2002")).is_empty());
    }
}

#[test]
fn end_labels_name_every_line_without_overlap() {
    let c = series(
        "labels",
        vec![
            line("One", &[(2000, Some(100.0)), (2001, Some(100.0))]),
            line("Two", &[(2000, Some(100.0)), (2001, Some(101.0))]),
            line("Three", &[(2000, Some(100.0)), (2001, Some(99.0))]),
        ],
        false,
    );
    let svg = series_chart(&c);
    check(&svg, "labels");
    let doc = Document::parse(&svg).expect("XML");
    let mut ys: Vec<f64> = ["One", "Two", "Three"]
        .iter()
        .map(|label| {
            let t = doc
                .descendants()
                .find(|n| n.tag_name().name() == "text" && text_of(*n) == *label)
                .unwrap_or_else(|| panic!("no label {label}"));
            num(t, "y")
        })
        .collect();
    ys.sort_by(f64::total_cmp);
    assert!(ys.windows(2).all(|w| w[1] - w[0] >= 12.0), "{ys:?}");
}

#[test]
fn bars_say_not_available_and_link_same_site_only() {
    let c = BarChart {
        frame: frame("bars"),
        bars: vec![
            bar("Syria", Some(6_355_797.0), Some("/countries/SYR")),
            bar(
                "Democratic Republic of the Congo, a very long name indeed",
                Some(1_000_000.0),
                None,
            ),
            bar("Nowhere", None, Some("https://example.org/")),
            bar("Broken", Some(f64::NAN), None),
        ],
    };
    let svg = bar_chart(&c);
    let desc = check(&svg, "bars");
    assert!(desc.contains("Syria 6,355,797"), "{desc}");
    assert!(desc.contains("Not available: Nowhere; Broken"), "{desc}");
    let doc = Document::parse(&svg).expect("XML");
    let links: Vec<Node<'_, '_>> = doc
        .descendants()
        .filter(|n| n.tag_name().name() == "a")
        .collect();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].attribute("href"), Some("/countries/SYR"));
    let inside: Vec<&str> = links[0]
        .descendants()
        .filter(|n| n.is_element())
        .map(|n| n.tag_name().name())
        .collect();
    assert!(
        inside.contains(&"text") && inside.contains(&"rect"),
        "{inside:?}"
    );
    assert_eq!(svg.matches(">not available</text>").count(), 2);
    assert_eq!(
        doc.descendants()
            .filter(|n| n.tag_name().name() == "rect")
            .count(),
        2
    );
    assert!(
        svg.contains(">6.4 M</text>"),
        "readable value at the bar's end"
    );
    assert!(svg.contains("…</text>"), "the long label is cut");
    assert!(svg.contains("<title>Democratic Republic of the Congo, a very long name indeed: 1,000,000 persons</title>"));
}

#[test]
fn a_timeline_carries_marks_as_well_as_colours() {
    let c = Timeline {
        frame: frame("verdicts"),
        years: vec![
            (2019, Verdict::Holds),
            (2020, Verdict::Fails),
            (2021, Verdict::Unknown),
            (2022, Verdict::Holds),
        ],
    };
    let svg = timeline(&c);
    let desc = check(&svg, "verdicts");
    assert!(
        desc.contains("holds in 2, does not hold in 1, cannot say in 1"),
        "{desc}"
    );
    assert!(desc.contains("Latest, 2022: holds"));
    assert!(svg.contains("<title>2019: holds</title>"));
    assert!(svg.contains("<title>2020: does not hold</title>"));
    assert!(svg.contains("<title>2021: cannot say</title>"));
    assert!(svg.contains(">2019</text>") && svg.contains(">2022</text>"));
    assert!(svg.contains(">✓</text>") && svg.contains(">✗</text>") && svg.contains(">?</text>"));
}

#[test]
fn empty_input_says_no_data() {
    let all_none = series(
        "none",
        vec![line("A", &[(2000, None), (2001, Some(f64::NAN))])],
        false,
    );
    let charts = [
        ("empty", series_chart(&series("empty", vec![], false))),
        ("none", series_chart(&all_none)),
        (
            "nostack",
            series_chart(&series("nostack", vec![line("A", &[])], true)),
        ),
        (
            "nobars",
            bar_chart(&BarChart {
                frame: frame("nobars"),
                bars: vec![],
            }),
        ),
        (
            "noyears",
            timeline(&Timeline {
                frame: frame("noyears"),
                years: vec![],
            }),
        ),
    ];
    for (id, svg) in charts {
        let desc = check(&svg, id);
        assert!(desc.contains("no data"), "{id}: {desc}");
        assert!(svg.contains(">No data</text>"), "{id}");
    }
}

#[test]
fn odd_input_never_breaks_the_svg() {
    let mut weird = frame("");
    weird.title = r#"<script>alert("x")</script> & co"#.into();
    weird.width = u32::MAX;
    weird.height = 1;
    weird.decimals = 255;
    let c = SeriesChart {
        frame: weird.clone(),
        lines: vec![
            line(
                "<b>&",
                &[
                    (i16::MIN, Some(1e300)),
                    (i16::MAX, Some(-1e300)),
                    (0, Some(f64::MAX)),
                ],
            ),
            line("", &[(5, Some(f64::MAX)), (5, Some(1.0))]),
        ],
        stacked: false,
        markers: vec![Marker {
            year: i16::MAX,
            label: "\"'<>".into(),
        }],
    };
    check(&series_chart(&c), "chart");
    check(&series_chart(&SeriesChart { stacked: true, ..c }), "chart");
    let bars = BarChart {
        frame: weird.clone(),
        bars: vec![
            bar("x", Some(f64::MAX), Some("javascript:alert(1)")),
            bar("y", Some(-f64::MAX), None),
        ],
    };
    check(&bar_chart(&bars), "chart");
    let years: Vec<(i16, Verdict)> = (0..500).map(|y| (y, Verdict::Unknown)).collect();
    check(
        &timeline(&Timeline {
            frame: weird,
            years,
        }),
        "chart",
    );
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let c = refugees();
    assert_eq!(series_chart(&c), series_chart(&c.clone()));
    let b = BarChart {
        frame: frame("b"),
        bars: vec![bar("A", Some(1.0), None), bar("B", None, None)],
    };
    assert_eq!(bar_chart(&b), bar_chart(&b.clone()));
    let t = Timeline {
        frame: frame("t"),
        years: vec![(2020, Verdict::Holds)],
    };
    assert_eq!(timeline(&t), timeline(&t.clone()));
}

fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR");
    let be = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    (be(16), be(20))
}

#[test]
fn charts_render_to_png_at_their_size() {
    let svg = series_chart(&refugees());
    assert_eq!(png_size(&png(&svg, 1.0).expect("renders")), (640, 360));
    assert_eq!(png_size(&png(&svg, 2.0).expect("renders")), (1280, 720));
    let bars = bar_chart(&BarChart {
        frame: frame("b"),
        bars: vec![bar("A", Some(1.0), None)],
    });
    assert_eq!(png_size(&png(&bars, 1.0).expect("renders")).0, 640);
}

#[test]
fn huge_images_are_refused() {
    let svg = series_chart(&refugees());
    assert!(matches!(png(&svg, 200.0), Err(ChartError::TooLarge { .. })));
    let huge = format!(
        r#"<svg xmlns="{SVG_NS}" viewBox="0 0 100000 100000" width="100000" height="100000"/>"#
    );
    assert!(matches!(png(&huge, 1.0), Err(ChartError::TooLarge { .. })));
}

/// A small deterministic generator, so the varied inputs below are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const VALUES: [Option<f64>; 12] = [
    None,
    Some(0.0),
    Some(1.0),
    Some(-3.5),
    Some(0.001),
    Some(12_345.0),
    Some(36_834_510.0),
    Some(2.5e9),
    Some(f64::NAN),
    Some(f64::INFINITY),
    Some(f64::MAX),
    Some(-1e12),
];

const LABELS: [&str; 6] = [
    "Syria",
    "Côte d'Ivoire",
    "<b>&amp;\"quoted\"</b>",
    "",
    "Democratic Republic of the Congo (Kinshasa), a name longer than any label column",
    "난민 لاجئ беженцы",
];

#[test]
fn varied_input_always_gives_a_valid_accessible_svg() {
    let mut r = Lcg(20_261_201);
    for case in 0..300 {
        let mut f = frame(&format!("case{case}"));
        f.width = *r.pick(&[0, 1, 320, 640, 5000]);
        f.height = *r.pick(&[0, 1, 200, 360, 100_000]);
        f.decimals = *r.pick(&[0, 1, 3]);
        f.title = (*r.pick(&LABELS)).to_string();
        let lines = (0..r.below(5))
            .map(|_| {
                let start = *r.pick(&[1951i16, 2000, 2020, i16::MIN, i16::MAX - 40]);
                let points = (0..r.below(30))
                    .map(|i| {
                        (
                            start.saturating_add(i as i16 * (1 + r.below(2) as i16)),
                            *r.pick(&VALUES),
                        )
                    })
                    .collect::<Vec<_>>();
                Line {
                    label: (*r.pick(&LABELS)).to_string(),
                    points,
                }
            })
            .collect();
        let markers = (0..r.below(4))
            .map(|_| Marker {
                year: *r.pick(&[1951, 2016, 2018, 2019, 2030]),
                label: (*r.pick(&LABELS)).to_string(),
            })
            .collect();
        let c = SeriesChart {
            frame: f.clone(),
            lines,
            stacked: r.below(2) == 0,
            markers,
        };
        let svg = series_chart(&c);
        check(&svg, &f.id);
        assert_eq!(svg, series_chart(&c));
        let bars = BarChart {
            frame: f.clone(),
            bars: (0..r.below(12))
                .map(|_| {
                    let label: &str = r.pick::<&str>(&LABELS);
                    bar(
                        label,
                        *r.pick(&VALUES),
                        *r.pick(&[None, Some("/countries/SYR"), Some("https://x.org")]),
                    )
                })
                .collect(),
        };
        check(&bar_chart(&bars), &f.id);
        let verdicts = [Verdict::Holds, Verdict::Fails, Verdict::Unknown];
        let t = Timeline {
            frame: f.clone(),
            years: (0..r.below(80))
                .map(|i| (1990 + i as i16, *r.pick(&verdicts)))
                .collect(),
        };
        check(&timeline(&t), &f.id);
    }
}

#[test]
fn every_kind_of_chart_rasterises() {
    let t = Timeline {
        frame: frame("t"),
        years: vec![
            (2020, Verdict::Holds),
            (2021, Verdict::Fails),
            (2022, Verdict::Unknown),
        ],
    };
    let b = BarChart {
        frame: frame("b"),
        bars: vec![bar("A", Some(1.0), Some("/a")), bar("B", None, None)],
    };
    let mut stacked = refugees();
    stacked.stacked = true;
    for svg in [
        timeline(&t),
        bar_chart(&b),
        series_chart(&stacked),
        series_chart(&series("e", vec![], false)),
    ] {
        let bytes = png(&svg, 1.0).expect("renders");
        let (w, _) = png_size(&bytes);
        assert_eq!(w, 640);
    }
}
