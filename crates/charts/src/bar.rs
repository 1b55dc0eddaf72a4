//! Horizontal bar rankings: labels at the left cut to fit by their measured width, the readable
//! value at each bar's end, "not available" in words where there is no value, and links on
//! label and bar together.

use std::fmt::Write;

use crate::doc::{self, finite, local_href, with_unit, NORMAL};
use crate::font::{text_width, truncate};
use crate::number::{exact, readable};
use crate::palette::{series_colour, MUTED};
use crate::spec::BarChart;
use crate::svg::{coord, escape};

const DEFAULT_WIDTH: f64 = 640.0;
/// The height of a row when the chart grows with its bars.
const ROW: f64 = 24.0;
/// Rows are never squeezed below this, whatever height was asked.
const MIN_ROW: f64 = 16.0;
const MAX_ROW: f64 = 36.0;
const PAD: f64 = 8.0;
const NOT_AVAILABLE: &str = "not available";
/// How many bars the description names.
const DESCRIBED: usize = 5;

/// A horizontal bar chart of `c.bars` in the order given, as one SVG document.
pub fn bar_chart(c: &BarChart) -> String {
    let width = doc::side(c.frame.width, DEFAULT_WIDTH);
    let n = c.bars.len();
    let desc = describe(c);
    let values: Vec<Option<f64>> = c.bars.iter().map(|b| finite(b.value)).collect();
    if n == 0 {
        let height = doc::side(c.frame.height, 120.0);
        return doc::no_data(&c.frame, width, height, &desc);
    }
    let (row, height) = if c.frame.height == 0 {
        (ROW, doc::clamp_side(2.0 * PAD + n as f64 * ROW))
    } else {
        let asked = doc::side(c.frame.height, ROW);
        let row = ((asked - 2.0 * PAD) / n as f64).clamp(MIN_ROW, MAX_ROW);
        // Too many bars for the height asked: the chart grows rather than overlap its rows.
        (row, doc::clamp_side(asked.max(2.0 * PAD + n as f64 * row)))
    };
    let row = row.min((height - 2.0 * PAD) / n as f64);

    let label_room = width * 0.35;
    let label_w = c
        .bars
        .iter()
        .map(|b| text_width(&b.label, NORMAL))
        .fold(0.0, f64::max)
        .min(label_room);
    let x0 = PAD + label_w + 8.0;
    let value_w = values
        .iter()
        .map(|v| text_width(&v.map_or(NOT_AVAILABLE.into(), readable), NORMAL))
        .fold(0.0, f64::max);
    let bar_room = (width - x0 - value_w - 2.0 * PAD).max(20.0);

    let present = values.iter().flatten().copied();
    let lo = present.clone().fold(0.0, f64::min);
    let hi = present.fold(0.0, f64::max);
    let span = if hi - lo > 0.0 && (hi - lo).is_finite() {
        hi - lo
    } else {
        1.0
    };
    let x_of = |v: f64| x0 + ((v - lo) / span).clamp(0.0, 1.0) * bar_room;
    let zero = x_of(0.0);
    let colour = series_colour(0);
    let unit = c.frame.unit.as_str();

    let mut out = doc::open(&c.frame, width, height, &desc);
    for (i, (bar, value)) in c.bars.iter().zip(&values).enumerate() {
        let top = PAD + i as f64 * row;
        let mid = top + row / 2.0;
        let baseline = coord(mid + NORMAL * 0.35);
        let words = match value {
            Some(v) => with_unit(&exact(*v, c.frame.decimals), unit),
            None => NOT_AVAILABLE.to_string(),
        };
        let title = escape(&format!("{}: {words}", bar.label));
        let href = local_href(bar.href.as_deref());
        match href {
            Some(h) => {
                let _ = write!(out, r#"<a href="{}">"#, escape(h));
            }
            None => out.push_str("<g>"),
        }
        // The bar is the mark, and its title is the bar's; a bar not available has none to
        // carry it, so its group does. Both at once, a screen reader read each bar twice.
        if value.is_none() {
            let _ = write!(out, "<title>{title}</title>");
        }
        let _ = write!(
            out,
            r#"<text x="{}" y="{baseline}" text-anchor="end">{}</text>"#,
            coord(PAD + label_w),
            escape(&truncate(&bar.label, NORMAL, label_room)),
        );
        match value {
            Some(v) => {
                let end = x_of(*v);
                let (x, w) = (zero.min(end), (end - zero).abs());
                // A small but non-zero value still shows as a sliver, unlike a zero.
                let w = if *v != 0.0 { w.max(1.0) } else { w };
                let thickness = row * 0.66;
                let _ = write!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{colour}"><title>{title}</title></rect><text x="{}" y="{baseline}">{}</text>"#,
                    coord(x),
                    coord(mid - thickness / 2.0),
                    coord(w),
                    coord(thickness),
                    coord(zero.max(end) + 4.0),
                    escape(&readable(*v)),
                );
            }
            None => {
                let _ = write!(
                    out,
                    r#"<text x="{}" y="{baseline}" fill="{MUTED}">{NOT_AVAILABLE}</text>"#,
                    coord(zero + 4.0),
                );
            }
        }
        out.push_str(if href.is_some() { "</a>" } else { "</g>" });
    }
    if lo < 0.0 {
        let _ = write!(
            out,
            r#"<line x1="{x}" y1="{}" x2="{x}" y2="{}" stroke="{MUTED}" stroke-width="1"/>"#,
            coord(PAD),
            coord(height - PAD),
            x = coord(zero),
        );
    }
    doc::close(out)
}

fn describe(c: &BarChart) -> String {
    let n = c.bars.len();
    if n == 0 {
        return "Bar chart: no data.".into();
    }
    let mut text = format!(
        "Bar chart of {n} {}",
        if n == 1 { "entry" } else { "entries" }
    );
    if !c.frame.unit.trim().is_empty() {
        let _ = write!(text, ", in {}", c.frame.unit.trim());
    }
    text.push('.');
    let mut known: Vec<(&str, f64)> = c
        .bars
        .iter()
        .filter_map(|b| finite(b.value).map(|v| (b.label.as_str(), v)))
        .collect();
    known.sort_by(|a, b| b.1.total_cmp(&a.1));
    if !known.is_empty() {
        let top: Vec<String> = known
            .iter()
            .take(DESCRIBED)
            .map(|(l, v)| format!("{l} {}", exact(*v, c.frame.decimals)))
            .collect();
        let _ = write!(text, " Largest: {}.", top.join("; "));
    }
    let missing: Vec<&str> = c
        .bars
        .iter()
        .filter(|b| finite(b.value).is_none())
        .map(|b| b.label.as_str())
        .collect();
    match missing.len() {
        0 => {}
        m if m <= DESCRIBED => {
            let _ = write!(text, " Not available: {}.", missing.join("; "));
        }
        m => {
            let _ = write!(text, " Not available for {m} entries.");
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::{Bar, Frame};

    fn chart(bars: Vec<Bar>, height: u32) -> BarChart {
        BarChart {
            frame: Frame {
                id: "b".into(),
                title: "Bars".into(),
                unit: "persons".into(),
                decimals: 0,
                width: 0,
                height,
            },
            bars,
        }
    }

    fn bar(label: &str, value: Option<f64>) -> Bar {
        Bar {
            label: label.into(),
            value,
            href: None,
        }
    }

    #[test]
    fn the_height_grows_with_the_bars() {
        let few = bar_chart(&chart(vec![bar("A", Some(1.0)); 3], 0));
        let many = bar_chart(&chart(vec![bar("A", Some(1.0)); 30], 0));
        assert!(few.contains(r#"height="88""#), "{few}");
        assert!(many.contains(r#"height="736""#));
        // A fixed height too small for the rows grows too, instead of overlapping them.
        let squeezed = bar_chart(&chart(vec![bar("A", Some(1.0)); 30], 200));
        assert!(squeezed.contains(r#"height="496""#));
    }

    #[test]
    fn missing_values_are_said_not_drawn() {
        let svg = bar_chart(&chart(vec![bar("Syria", Some(5.0)), bar("Chad", None)], 0));
        assert_eq!(svg.matches("<rect").count(), 1);
        assert!(svg.contains(">not available</text>"));
        assert!(svg.contains("<title>Chad: not available</title>"));
    }

    #[test]
    fn descriptions_name_the_largest_first() {
        let c = chart(
            vec![
                bar("Chad", Some(10.0)),
                bar("Syria", Some(6_355_797.0)),
                bar("Mali", None),
            ],
            0,
        );
        assert_eq!(
            describe(&c),
            "Bar chart of 3 entries, in persons. Largest: Syria 6,355,797; Chad 10. Not available: Mali."
        );
    }

    #[test]
    fn negative_values_extend_left_of_zero() {
        let svg = bar_chart(&chart(
            vec![bar("Up", Some(10.0)), bar("Down", Some(-10.0))],
            0,
        ));
        assert!(svg.contains("<line"));
        assert!(svg.contains(">-10</text>"));
    }
}
