//! The choropleth: every base-map country filled by its value's class, "no data" hatched, small
//! or unmapped states as dots, and a legend of labelled swatches drawn in the SVG itself.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::classes::{class_of, classes, no_data_class, HATCH, NO_DATA};
use super::projection::{outline, project, shapes};
use super::{open_svg, text_width, with_unit, Layout, FONT, PAD, TEXT};
use crate::number::exact;
use crate::spec::{Area, Choropleth, LegendClass};
use crate::svg::{coord, escape};

/// Shapes whose largest part's bounding box covers less than this many square pixels as drawn
/// get a dot too,
/// so a small state can be seen and hovered.
const TINY_PX2: f64 = 12.0;
/// Radius of a small state's dot, in pixels.
const DOT: f64 = 3.5;

const SWATCH_W: f64 = 14.0;
const SWATCH_H: f64 = 10.0;
const ROW: f64 = 16.0;

/// Places of codes the base map has no shape for (collapsed under simplification, or drawn as
/// part of another country), as `(iso3, lat, lon)`, for a dot when a chart has them.
const PLACES: &[(&str, f64, f64)] = &[
    ("BES", 12.18, -68.26),
    ("BVT", -54.42, 3.36),
    ("CCK", -12.17, 96.84),
    ("CXR", -10.49, 105.63),
    ("GIB", 36.14, -5.35),
    ("GLP", 16.25, -61.55),
    ("GUF", 4.0, -53.0),
    ("MTQ", 14.65, -61.02),
    ("MYT", -12.82, 45.15),
    ("REU", -21.12, 55.53),
    ("SJM", 78.22, 15.65),
    ("TKL", -9.17, -171.82),
    ("UMI", 19.28, 166.65),
    ("VAT", 41.90, 12.45),
];

/// A small or unmapped state's dot: code, screen position, fill, title, link.
type Dot<'a> = (&'a str, [f64; 2], String, String, Option<&'a str>);

/// A choropleth of `c.areas` on the world base map, and the legend classes it drew (value
/// classes low to high, then "No data" when any country has none). Links that are not relative
/// (with a scheme, or starting `//`) are left out.
pub fn choropleth(c: &Choropleth) -> (String, Vec<LegendClass>) {
    let frame = &c.frame;
    let id = escape(&frame.id);
    // One area per code, the first given; sorted so the output does not depend on input order.
    let mut areas: BTreeMap<&str, &Area> = BTreeMap::new();
    for a in &c.areas {
        areas.entry(a.iso3.as_str()).or_insert(a);
    }
    let value = |a: &Area| a.value.filter(|v| v.is_finite());
    let values: Vec<f64> = areas.values().filter_map(|a| value(a)).collect();
    let mut legend = classes(&values);

    let shapes = shapes();
    let on_map = |code: &str| shapes.binary_search_by(|s| s.iso3.cmp(code)).ok();
    let drawn_without_shape = areas
        .keys()
        .filter(|code| on_map(code).is_none() && place(code).is_some())
        .count();
    let shown = shapes.len() + drawn_without_shape;
    let shown_with_data = areas
        .iter()
        .filter(|(code, a)| value(a).is_some() && (on_map(code).is_some() || place(code).is_some()))
        .count();
    let no_data = shown - shown_with_data;
    if no_data > 0 {
        legend.push(no_data_class(no_data));
    }

    let layout = Layout::new(frame, |width| {
        legend_rows(&legend, &frame.unit, width) as f64 * ROW
    });
    let desc = describe(c, &areas, shown, shown_with_data, no_data);
    let fill = |a: Option<&Area>| -> String {
        match a.and_then(value).and_then(|v| class_of(&legend, v)) {
            Some(i) => legend[i].colour.clone(),
            None => format!("url(#{id}-nodata)"),
        }
    };
    let title = |name: &str, a: Option<&Area>| -> String {
        let name = a.map_or(name, |a| a.name.as_str());
        match a.and_then(value) {
            Some(v) => with_unit(format!("{name}: {}", exact(v, frame.decimals)), &frame.unit),
            None => format!("{name}: no data"),
        }
    };

    let mut out = String::with_capacity(160_000);
    open_svg(&mut out, frame, &layout, &desc);
    write_patterns(&mut out, &id, layout.scale);
    layout.open_map_group(&mut out, "countries", "#ffffff", 0.5);
    let _ = write!(
        out,
        r##"<path class="sphere" d="{}" fill="#f4f7fa" stroke="#bdbdbd"/>"##,
        outline()
    );
    let mut dots: Vec<Dot> = Vec::new();
    for s in shapes {
        let area = areas.get(s.iso3).copied();
        let (fill, title) = (fill(area), title(s.name, area));
        let href = area.and_then(|a| relative(a.href.as_deref()));
        open_link(&mut out, href);
        let _ = write!(
            out,
            r#"<path data-iso3="{}" d="{}" fill="{}"><title>{}</title></path>"#,
            escape(s.iso3),
            s.d,
            fill,
            escape(&title)
        );
        close_link(&mut out, href);
        if area.is_some() && s.part_area * layout.scale * layout.scale < TINY_PX2 {
            dots.push((s.iso3, layout.screen(s.anchor), fill, title, href));
        }
    }
    out.push_str("</g>");
    for (code, a) in &areas {
        if on_map(code).is_some() {
            continue;
        }
        if let Some(p) = place(code) {
            dots.push((
                code,
                layout.screen(p),
                fill(Some(a)),
                title(&a.name, Some(a)),
                relative(a.href.as_deref()),
            ));
        }
    }
    dots.sort_by(|a, b| a.0.cmp(b.0));
    out.push_str(r##"<g class="dots" stroke="#ffffff" stroke-width="0.8">"##);
    for (code, [x, y], fill, title, href) in &dots {
        // The dot's hatch must be at screen scale, unlike the shapes' inside the scaled group.
        let fill = fill.replace("-nodata)", "-nodata-key)");
        open_link(&mut out, *href);
        let _ = write!(
            out,
            r#"<circle data-iso3="{}" cx="{}" cy="{}" r="{}" fill="{}"><title>{}</title></circle>"#,
            escape(code),
            coord(*x),
            coord(*y),
            coord(DOT),
            fill,
            escape(title)
        );
        close_link(&mut out, *href);
    }
    out.push_str("</g>");
    write_legend(&mut out, &id, &legend, &frame.unit, &layout);
    layout.write_disclaimer(&mut out);
    out.push_str("</svg>");
    (out, legend)
}

/// The map-plane position of a code without a shape.
fn place(code: &str) -> Option<[f64; 2]> {
    PLACES
        .iter()
        .find(|(c, _, _)| *c == code)
        .and_then(|&(_, lat, lon)| project(lon, lat))
}

/// Only same-origin links are kept: a map never points elsewhere (nor runs a `javascript:` URL).
fn relative(href: Option<&str>) -> Option<&str> {
    let h = href?;
    let head = h.split(['/', '?', '#']).next().unwrap_or("");
    (!h.is_empty() && !h.starts_with("//") && !head.contains(':')).then_some(h)
}

fn open_link(out: &mut String, href: Option<&str>) {
    if let Some(h) = href {
        let _ = write!(out, r#"<a href="{}">"#, escape(h));
    }
}

fn close_link(out: &mut String, href: Option<&str>) {
    if href.is_some() {
        out.push_str("</a>");
    }
}

/// The hatch of "no data": one at map scale for the shapes, one at screen scale for dots and the
/// legend, both 6 px apart as seen.
fn write_patterns(out: &mut String, id: &str, scale: f64) {
    out.push_str("<defs>");
    for (suffix, size) in [("nodata", 6.0 / scale), ("nodata-key", 6.0)] {
        let _ = write!(
            out,
            r#"<pattern id="{id}-{suffix}" width="{s:.3}" height="{s:.3}" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="{s:.3}" height="{s:.3}" fill="{NO_DATA}"/><path d="M0 0V{s:.3}" stroke="{HATCH}" stroke-width="{w:.3}"/></pattern>"#,
            s = size,
            w = size / 4.0,
        );
    }
    out.push_str("</defs>");
}

fn item_width(label: &str) -> f64 {
    SWATCH_W + 4.0 + text_width(label, FONT) + 14.0
}

/// How the legend flows into rows at `width`: the row of each item (the unit first, if any).
fn legend_positions(legend: &[LegendClass], unit: &str, width: f64) -> Vec<(f64, usize)> {
    let inner = width - 2.0 * PAD;
    let mut items: Vec<f64> = Vec::with_capacity(legend.len() + 1);
    if !unit.is_empty() {
        items.push(text_width(unit, FONT) + 10.0);
    }
    items.extend(legend.iter().map(|c| item_width(&c.label)));
    let (mut x, mut row) = (0.0, 0);
    items
        .into_iter()
        .map(|w| {
            if x > 0.0 && x + w > inner {
                x = 0.0;
                row += 1;
            }
            let at = (x, row);
            x += w;
            at
        })
        .collect()
}

fn legend_rows(legend: &[LegendClass], unit: &str, width: f64) -> usize {
    legend_positions(legend, unit, width)
        .last()
        .map_or(0, |&(_, row)| row + 1)
}

fn write_legend(out: &mut String, id: &str, legend: &[LegendClass], unit: &str, layout: &Layout) {
    let positions = legend_positions(legend, unit, layout.width);
    let _ = write!(
        out,
        r#"<g class="legend" font-size="{}" fill="{TEXT}">"#,
        coord(FONT)
    );
    let mut at = positions.iter();
    let baseline = |row: usize| layout.legend_y + row as f64 * ROW + FONT - 1.0;
    if !unit.is_empty() {
        if let Some(&(x, row)) = at.next() {
            let _ = write!(
                out,
                r#"<text x="{}" y="{}">{}</text>"#,
                coord(PAD + x),
                coord(baseline(row)),
                escape(unit)
            );
        }
    }
    for (class, &(x, row)) in legend.iter().zip(at) {
        let fill = if class.from.is_none() {
            format!("url(#{id}-nodata-key)")
        } else {
            class.colour.clone()
        };
        let _ = write!(
            out,
            r##"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="#999999" stroke-width="0.5"/><text x="{}" y="{}">{}</text>"##,
            coord(PAD + x),
            coord(layout.legend_y + row as f64 * ROW + 1.0),
            coord(SWATCH_W),
            coord(SWATCH_H),
            coord(PAD + x + SWATCH_W + 4.0),
            coord(baseline(row)),
            escape(&class.label)
        );
    }
    out.push_str("</g>");
}

/// The description from the data: how many have data, the highest and lowest, how many not.
fn describe(
    c: &Choropleth,
    areas: &BTreeMap<&str, &Area>,
    shown: usize,
    with_data: usize,
    no_data: usize,
) -> String {
    let f = &c.frame;
    let valued: Vec<(&Area, f64)> = areas
        .values()
        .filter_map(|a| a.value.filter(|v| v.is_finite()).map(|v| (*a, v)))
        .collect();
    let mut text = String::new();
    let what = if f.unit.is_empty() {
        "values".to_string()
    } else {
        f.unit.clone()
    };
    let _ = write!(text, "World map of {what} by country. ");
    // Ties go to the first code, so the sentence is stable.
    let highest = valued
        .iter()
        .fold(None::<(&Area, f64)>, |best, &(a, v)| match best {
            Some((_, b)) if b >= v => best,
            _ => Some((a, v)),
        });
    let lowest = valued
        .iter()
        .fold(None::<(&Area, f64)>, |best, &(a, v)| match best {
            Some((_, b)) if b <= v => best,
            _ => Some((a, v)),
        });
    match (highest, lowest) {
        (Some((h, hv)), Some((l, lv))) => {
            let _ = write!(
                text,
                "{with_data} of {shown} countries and territories have data. Highest: {} ({}). Lowest: {} ({}). ",
                h.name,
                with_unit(exact(hv, f.decimals), &f.unit),
                l.name,
                with_unit(exact(lv, f.decimals), &f.unit),
            );
        }
        _ => text.push_str("No country has data. "),
    }
    let _ = write!(text, "{no_data} have no data.");
    let unmapped = valued.len() - with_data;
    if unmapped > 0 {
        let verb = if unmapped == 1 { "is" } else { "are" };
        let _ = write!(text, " {unmapped} with data {verb} not on the base map.");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_links_are_kept() {
        assert_eq!(relative(Some("/countries/SYR")), Some("/countries/SYR"));
        assert_eq!(
            relative(Some("SYR?year=2024#map")),
            Some("SYR?year=2024#map")
        );
        assert_eq!(relative(Some("/a:b")), Some("/a:b"));
        assert_eq!(relative(Some("https://example.org/")), None);
        assert_eq!(relative(Some("//example.org/")), None);
        assert_eq!(relative(Some("javascript:alert(1)")), None);
        assert_eq!(relative(Some("")), None);
        assert_eq!(relative(None), None);
    }
}
