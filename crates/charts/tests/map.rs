//! The world maps as a reader and a browser see them: parsed SVG, accessible names, no-data
//! hatching, classes, the antimeridian, determinism and hostile input.

use std::time::Instant;

use passage_charts::{
    base_map_codes, choropleth, point_map, Area, Choropleth, Frame, PointMap, Spot,
};

fn frame(id: &str) -> Frame {
    Frame {
        id: id.into(),
        title: "Refugees by country of asylum, 2024".into(),
        unit: "persons".into(),
        decimals: 0,
        width: 960,
        height: 0,
    }
}

fn area(iso3: &str, name: &str, value: Option<f64>) -> Area {
    Area {
        iso3: iso3.into(),
        name: name.into(),
        value,
        href: Some(format!("/countries/{iso3}")),
    }
}

fn sample() -> Choropleth {
    let mut areas = vec![
        area("TUR", "Türkiye", Some(3_112_683.0)),
        area("IRN", "Iran", Some(3_441_584.0)),
        area("COL", "Colombia", Some(2_875_743.0)),
        area("DEU", "Germany", Some(2_593_125.0)),
        area("UGA", "Uganda", Some(1_576_624.0)),
        area("PAK", "Pakistan", Some(2_000_000.0)),
        area("FRA", "France", Some(650_000.0)),
        area("TCD", "Chad", None),
        area("MLT", "Malta", Some(12_000.0)),
        area("BHR", "Bahrain", Some(300.0)),
        area("VAT", "Holy See", Some(0.0)),
        area("FJI", "Fiji", Some(20.0)),
        area("RUS", "Russian Federation", Some(1_200_000.0)),
        area("ZZZ", "Nowhere", Some(5.0)),
    ];
    for (i, code) in [
        "KEN", "ETH", "SDN", "BGD", "USA", "CAN", "BRA", "AUS", "IND", "CHN",
    ]
    .iter()
    .enumerate()
    {
        areas.push(area(code, code, Some(100.0 * (i as f64 + 1.0).powi(4))));
    }
    Choropleth {
        frame: frame("refugees"),
        areas,
    }
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).expect("the SVG is well-formed XML")
}

/// The `<title>` child text of an element.
fn title_of<'a>(node: roxmltree::Node<'a, 'a>) -> Option<&'a str> {
    node.children()
        .find(|c| c.has_tag_name("title"))
        .and_then(|t| t.text())
}

fn countries<'a>(doc: &'a roxmltree::Document<'a>) -> Vec<roxmltree::Node<'a, 'a>> {
    doc.descendants()
        .filter(|n| n.has_tag_name("path") && n.attribute("data-iso3").is_some())
        .collect()
}

fn country<'a>(doc: &'a roxmltree::Document<'a>, code: &str) -> roxmltree::Node<'a, 'a> {
    countries(doc)
        .into_iter()
        .find(|n| n.attribute("data-iso3") == Some(code))
        .unwrap_or_else(|| panic!("{code} is drawn"))
}

fn check_accessible(doc: &roxmltree::Document, id: &str) {
    let svg = doc.root_element();
    assert_eq!(svg.tag_name().name(), "svg");
    assert_eq!(svg.attribute("role"), Some("img"));
    assert_eq!(svg.attribute("class"), Some("chart map"));
    let labelled = format!("{id}-title {id}-desc");
    assert_eq!(svg.attribute("aria-labelledby"), Some(labelled.as_str()));
    let mut children = svg.children().filter(|n| n.is_element());
    let title = children.next().expect("a first child");
    assert_eq!(title.tag_name().name(), "title");
    assert_eq!(title.attribute("id"), Some(format!("{id}-title").as_str()));
    let desc = children.next().expect("a second child");
    assert_eq!(desc.tag_name().name(), "desc");
    assert_eq!(desc.attribute("id"), Some(format!("{id}-desc").as_str()));
    assert!(!desc.text().unwrap_or("").is_empty());
    let text: String = doc
        .descendants()
        .filter(|n| n.has_tag_name("tspan"))
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join(" ");
    assert_eq!(
        text,
        "The boundaries and names shown and the designations used on this map do not imply \
         official endorsement or acceptance by the United Nations."
    );
}

fn check_clean(svg: &str) {
    assert!(!svg.contains("NaN"), "no NaN");
    assert!(
        !svg.contains("inf\"") && !svg.contains("inf ") && !svg.contains("e+"),
        "no infinity"
    );
    assert_eq!(
        svg.matches("http").count(),
        1,
        "only the SVG namespace is a URL"
    );
    assert!(svg.contains(r#"font-family="DejaVu Sans""#));
}

/// Points of each subpath of path data made of `M`, space-separated pairs and `Z`.
fn subpaths(d: &str) -> Vec<Vec<(f64, f64)>> {
    d.split('M')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let numbers: Vec<f64> = s
                .trim_end_matches('Z')
                .split([' ', 'Z'])
                .filter(|t| !t.is_empty())
                .map(|t| t.parse().expect("a number"))
                .collect();
            numbers.chunks(2).map(|p| (p[0], p[1])).collect()
        })
        .collect()
}

#[test]
fn a_choropleth_is_accessible_and_every_country_has_a_title() {
    let (svg, _) = choropleth(&sample());
    let doc = parse(&svg);
    check_accessible(&doc, "refugees");
    check_clean(&svg);
    let drawn = countries(&doc);
    assert!(drawn.len() >= 230, "{} countries", drawn.len());
    assert_eq!(drawn.len(), base_map_codes().len());
    for c in &drawn {
        assert!(
            title_of(*c).is_some_and(|t| !t.is_empty()),
            "{:?}",
            c.attribute("data-iso3")
        );
    }
    assert_eq!(
        title_of(country(&doc, "TUR")),
        Some("Türkiye: 3,112,683 persons")
    );
    let tur = country(&doc, "TUR");
    assert_eq!(
        tur.parent().and_then(|a| a.attribute("href")),
        Some("/countries/TUR")
    );
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .expect("a desc");
    assert!(desc.contains("Highest: Iran (3,441,584 persons)"), "{desc}");
    assert!(desc.contains("Lowest: Holy See (0 persons)"), "{desc}");
    assert!(desc.contains("not on the base map"), "{desc}");
}

#[test]
fn no_data_is_hatched_and_said() {
    let (svg, legend) = choropleth(&sample());
    let doc = parse(&svg);
    let pattern = doc
        .descendants()
        .find(|n| n.has_tag_name("pattern") && n.attribute("id") == Some("refugees-nodata"))
        .expect("the hatch is defined in the SVG");
    assert!(pattern.ancestors().any(|a| a.has_tag_name("defs")));
    assert!(pattern
        .descendants()
        .any(|n| n.attribute("fill") == Some("#d9d9d9")));
    let chad = country(&doc, "TCD");
    assert_eq!(chad.attribute("fill"), Some("url(#refugees-nodata)"));
    assert_eq!(title_of(chad), Some("Chad: no data"));
    // Not listed at all is no data too, under the base map's name.
    let niger = country(&doc, "NER");
    assert_eq!(niger.attribute("fill"), Some("url(#refugees-nodata)"));
    assert!(title_of(niger).is_some_and(|t| t.ends_with(": no data")));
    assert!(niger.parent().is_some_and(|p| !p.has_tag_name("a")));
    let last = legend.last().expect("a legend");
    assert_eq!((last.label.as_str(), last.from), ("No data", None));
    // The legend drawn in the SVG carries its words, not colour alone.
    let legend_text: Vec<&str> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("text")
                && n.ancestors()
                    .any(|a| a.attribute("class") == Some("legend"))
        })
        .filter_map(|n| n.text())
        .collect();
    for class in &legend {
        assert!(
            legend_text.contains(&class.label.as_str()),
            "{}",
            class.label
        );
    }
}

#[test]
fn legend_classes_increase_and_count_the_values() {
    let c = sample();
    let (svg, legend) = choropleth(&c);
    let with_values = c.areas.iter().filter(|a| a.value.is_some()).count();
    let valued: Vec<_> = legend.iter().filter(|l| l.from.is_some()).collect();
    assert!(!valued.is_empty() && valued.len() <= 6);
    assert_eq!(valued.iter().map(|l| l.count).sum::<usize>(), with_values);
    for pair in valued.windows(2) {
        assert!(pair[0].from < pair[1].from);
        assert_eq!(pair[0].to, pair[1].from);
    }
    assert!(valued.last().is_some_and(|l| l.label.starts_with("≥ ")));
    let doc = parse(&svg);
    // Each country is filled with the colour of the class its value falls in.
    let tur = country(&doc, "TUR");
    let class = valued
        .iter()
        .rev()
        .find(|l| l.from.is_some_and(|f| 3_112_683.0 >= f))
        .expect("a class");
    assert_eq!(tur.attribute("fill"), Some(class.colour.as_str()));
    // The highest value is in the top class, which includes its upper bound.
    let top = valued.last().expect("a top class");
    assert_eq!(
        country(&doc, "IRN").attribute("fill"),
        Some(top.colour.as_str())
    );
    for a in c
        .areas
        .iter()
        .filter(|a| a.value.is_some() && base_map_codes().contains(&a.iso3.as_str()))
    {
        let fill = country(&doc, &a.iso3).attribute("fill").unwrap_or("");
        assert!(
            fill.starts_with('#'),
            "{} has a value but is filled {fill}",
            a.iso3
        );
    }
}

#[test]
fn small_and_unmapped_states_get_a_dot_with_a_title() {
    let (svg, _) = choropleth(&sample());
    let doc = parse(&svg);
    let dots: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("data-iso3").is_some())
        .collect();
    let codes: Vec<&str> = dots
        .iter()
        .filter_map(|n| n.attribute("data-iso3"))
        .collect();
    for code in ["BHR", "MLT", "VAT", "FJI"] {
        assert!(codes.contains(&code), "{code} has a dot: {codes:?}");
    }
    assert!(
        !codes.contains(&"ZZZ"),
        "an unknown code is not placed anywhere"
    );
    assert!(!codes.contains(&"TUR"));
    let vat = dots
        .iter()
        .find(|n| n.attribute("data-iso3") == Some("VAT"))
        .expect("a dot");
    assert_eq!(title_of(*vat), Some("Holy See: 0 persons"));
}

#[test]
fn no_subpath_jumps_across_the_map() {
    let (svg, _) = choropleth(&sample());
    let doc = parse(&svg);
    // Paths are drawn in the map plane, 960 units wide whatever the frame.
    let half = 480.0;
    for node in countries(&doc) {
        let code = node.attribute("data-iso3").unwrap_or("");
        let d = node.attribute("d").expect("path data");
        for sub in subpaths(d) {
            for pair in sub.windows(2) {
                let dx = (pair[1].0 - pair[0].0).abs();
                assert!(dx < half, "{code}: a jump of {dx} in {d:.80}");
            }
        }
    }
    for code in ["FJI", "RUS", "ATA", "USA", "KIR"] {
        let n = subpaths(country(&doc, code).attribute("d").unwrap_or("")).len();
        assert!(n >= 1, "{code} is drawn");
    }
    // Fiji and Russia reach both edges of the map: cut, not wrapped around.
    for code in ["FJI", "RUS"] {
        let xs: Vec<f64> = subpaths(country(&doc, code).attribute("d").unwrap_or(""))
            .into_iter()
            .flatten()
            .map(|p| p.0)
            .collect();
        let (lo, hi) = xs
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), &x| (l.min(x), h.max(x)));
        assert!(lo < 200.0 && hi > 760.0, "{code} spans {lo}..{hi}");
    }
}

#[test]
fn output_is_deterministic_whatever_the_input_order() {
    let c = sample();
    let (a, la) = choropleth(&c);
    let mut reversed = c.clone();
    reversed.areas.reverse();
    let (b, lb) = choropleth(&reversed);
    assert_eq!(a, b);
    assert_eq!(la, lb);
    let p = spots();
    assert_eq!(point_map(&p), point_map(&p));
}

#[test]
fn an_empty_choropleth_is_all_no_data() {
    let c = Choropleth {
        frame: Frame {
            unit: String::new(),
            width: 480,
            height: 300,
            ..frame("empty")
        },
        areas: Vec::new(),
    };
    let (svg, legend) = choropleth(&c);
    let doc = parse(&svg);
    check_accessible(&doc, "empty");
    check_clean(&svg);
    assert_eq!(legend.len(), 1);
    assert_eq!(legend[0].count, base_map_codes().len());
    for c in countries(&doc) {
        assert_eq!(c.attribute("fill"), Some("url(#empty-nodata)"));
        assert!(title_of(c).is_some_and(|t| t.ends_with(": no data")));
    }
    assert_eq!(doc.root_element().attribute("viewBox"), Some("0 0 480 300"));
}

#[test]
fn degenerate_values_classify() {
    for values in [
        vec![7.0; 5],
        vec![42.0],
        vec![-3.0, 0.0, 0.0, 5.0, 1e9],
        vec![0.0; 3],
    ] {
        let areas = ["TUR", "IRN", "COL", "DEU", "UGA"]
            .iter()
            .zip(&values)
            .map(|(c, v)| area(c, c, Some(*v)))
            .collect();
        let (svg, legend) = choropleth(&Choropleth {
            frame: frame("d"),
            areas,
        });
        parse(&svg);
        check_clean(&svg);
        let valued: Vec<_> = legend.iter().filter(|l| l.from.is_some()).collect();
        assert_eq!(
            valued.iter().map(|l| l.count).sum::<usize>(),
            values.len(),
            "{legend:?}"
        );
        assert!(
            valued.windows(2).all(|p| p[0].from < p[1].from),
            "{legend:?}"
        );
    }
}

fn spots() -> PointMap {
    let spot = |lat: f64, lon: f64, value: f64, label: &str| Spot {
        lat,
        lon,
        value,
        label: label.into(),
    };
    PointMap {
        frame: Frame {
            unit: "dead and missing".into(),
            ..frame("deaths")
        },
        spots: vec![
            spot(35.5, 12.6, 120.0, "Central Mediterranean"),
            spot(36.0, 14.5, 3.0, "Off Malta"),
            spot(32.5, -117.0, 45.0, "US–Mexico border"),
            spot(f64::NAN, 10.0, 50.0, "Bad latitude"),
            spot(10.0, f64::INFINITY, 50.0, "Bad longitude"),
            spot(10.0, 10.0, f64::NAN, "Bad value"),
            spot(120.0, 10.0, 5.0, "Off the globe"),
            spot(-8.5, 115.0, 0.0, "Zero"),
        ],
    }
}

#[test]
fn a_point_map_sizes_and_skips() {
    let svg = point_map(&spots());
    let doc = parse(&svg);
    check_accessible(&doc, "deaths");
    check_clean(&svg);
    let circles: Vec<_> = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("circle") && n.ancestors().any(|a| a.attribute("class") == Some("spots"))
        })
        .collect();
    let titles: Vec<&str> = circles.iter().filter_map(|c| title_of(*c)).collect();
    assert_eq!(
        titles,
        [
            "Central Mediterranean: 120 dead and missing",
            "US–Mexico border: 45 dead and missing",
            "Off Malta: 3 dead and missing",
            "Zero: 0 dead and missing",
        ],
        "largest first, invalid ones left out"
    );
    let r: Vec<f64> = circles
        .iter()
        .map(|c| {
            c.attribute("r")
                .and_then(|r| r.parse().ok())
                .expect("a radius")
        })
        .collect();
    assert!(r.windows(2).all(|w| w[0] >= w[1]));
    // Area proportional to the value: the radius goes with its square root.
    assert!(
        (r[0] / r[1] - (120.0f64 / 45.0).sqrt()).abs() < 0.05,
        "{r:?}"
    );
    assert!(r[3] > 0.0, "a zero still shows");
    for c in &circles {
        let (x, y): (f64, f64) = (
            c.attribute("cx").and_then(|v| v.parse().ok()).expect("cx"),
            c.attribute("cy").and_then(|v| v.parse().ok()).expect("cy"),
        );
        assert!(x > 0.0 && y > 0.0);
    }
    let desc = doc
        .descendants()
        .find(|n| n.has_tag_name("desc"))
        .and_then(|n| n.text())
        .expect("a desc");
    assert!(desc.contains("4 points"), "{desc}");
    assert!(desc.contains("Total: 168 dead and missing"), "{desc}");
    assert!(
        desc.contains("Largest: Central Mediterranean (120 dead and missing)"),
        "{desc}"
    );
    assert!(
        desc.contains("4 without a valid position or value are not drawn"),
        "{desc}"
    );
    let legend_circles = doc
        .descendants()
        .filter(|n| {
            n.has_tag_name("circle")
                && n.ancestors()
                    .any(|a| a.attribute("class") == Some("legend"))
        })
        .count();
    assert!((2..=3).contains(&legend_circles));
}

#[test]
fn an_empty_point_map_is_valid() {
    let svg = point_map(&PointMap {
        frame: frame("none"),
        spots: Vec::new(),
    });
    let doc = parse(&svg);
    check_accessible(&doc, "none");
    check_clean(&svg);
}

#[test]
fn rendering_is_fast() {
    let c = sample();
    let p = spots();
    // The first call decodes and projects the base map once for the process.
    let start = Instant::now();
    let _ = choropleth(&c);
    let first = start.elapsed();
    let runs: u32 = 20;
    let start = Instant::now();
    let mut bytes = 0;
    for _ in 0..runs {
        bytes = choropleth(&c).0.len();
    }
    let each = start.elapsed() / runs;
    let start = Instant::now();
    for _ in 0..runs {
        let _ = point_map(&p);
    }
    let points = start.elapsed() / runs;
    eprintln!(
        "map: first choropleth {first:?} (decoding and projecting), then {each:?} each ({bytes} bytes); point map {points:?}"
    );
}

/// Writes the sample maps to the folder named by `PASSAGE_MAP_DUMP`, to look at them in a browser.
#[test]
fn dump_samples_when_asked() {
    let Some(dir) = std::env::var_os("PASSAGE_MAP_DUMP") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    let narrow = Choropleth {
        frame: Frame {
            width: 480,
            height: 320,
            ..sample().frame
        },
        ..sample()
    };
    let full = Choropleth {
        areas: base_map_codes()
            .into_iter()
            .enumerate()
            .map(|(i, code)| {
                area(
                    code,
                    code,
                    (i % 9 != 0).then(|| ((i * 7919) % 1000) as f64 * 3_000.0),
                )
            })
            .collect(),
        ..sample()
    };
    for (name, svg) in [
        ("choropleth-full.svg", choropleth(&full).0),
        ("choropleth.svg", choropleth(&sample()).0),
        ("choropleth-narrow.svg", choropleth(&narrow).0),
        ("points.svg", point_map(&spots())),
    ] {
        std::fs::write(dir.join(name), svg).expect("the dump folder is writable");
    }
}

#[test]
fn odd_frames_still_give_a_clean_map() {
    for (width, height) in [(0, 0), (100, 40), (1, 1), (2000, 400)] {
        let mut c = sample();
        c.frame.width = width;
        c.frame.height = height;
        let (svg, _) = choropleth(&c);
        let doc = parse(&svg);
        check_accessible(&doc, "refugees");
        check_clean(&svg);
        let p = PointMap {
            frame: c.frame.clone(),
            ..spots()
        };
        let svg = point_map(&p);
        parse(&svg);
        check_clean(&svg);
    }
}

#[test]
fn text_is_escaped() {
    let mut c = sample();
    c.frame.title = "A <b>bold</b> & \"quoted\" title".into();
    c.areas.push(area("CIV", "Côte d'Ivoire <&>", Some(1.0)));
    let (svg, _) = choropleth(&c);
    let doc = parse(&svg);
    assert_eq!(
        doc.descendants()
            .find(|n| n.has_tag_name("title"))
            .and_then(|n| n.text()),
        Some("A <b>bold</b> & \"quoted\" title")
    );
    assert_eq!(
        title_of(country(&doc, "CIV")),
        Some("Côte d'Ivoire <&>: 1 persons")
    );
}
