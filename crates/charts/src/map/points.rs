//! The point map: the base map in neutral grey and one circle per spot, its area proportional to
//! the value, with a legend of reference circles. Spots without a valid position or value are
//! left out, never drawn at 0°, 0°.

use std::fmt::Write as _;

use super::projection::{outline, project, shapes};
use super::{open_svg, text_width, with_unit, Layout, FONT, PAD, TEXT};
use crate::number::{exact, push_exact, readable};
use crate::spec::{PointMap, Spot};
use crate::svg::{coord, escape, push_escaped};

const LAND: &str = "#e3e3e3";
const SPOT: &str = "#d94801";
const SPOT_EDGE: &str = "#7f2704";
/// The smallest circle drawn, in pixels, so a spot of a tiny value is still seen.
const MIN_RADIUS: f64 = 1.5;

/// The largest circle for a frame `width` pixels wide.
fn max_radius(width: f64) -> f64 {
    (width / 960.0 * 20.0).clamp(8.0, 28.0)
}

/// A point map of `c.spots` on the world base map.
pub fn point_map(c: &PointMap) -> String {
    let frame = &c.frame;
    let mut spots: Vec<(&Spot, [f64; 2])> = c
        .spots
        .iter()
        .filter(|s| s.value.is_finite() && s.value >= 0.0)
        .filter_map(|s| project(s.lon, s.lat).map(|p| (s, p)))
        .collect();
    // Largest first so small circles stay on top; the rest of the key only makes the order
    // total. Most incidents tie on their count, and the place breaks the tie far more cheaply
    // than the label.
    spots.sort_unstable_by(|(a, _), (b, _)| {
        b.value
            .total_cmp(&a.value)
            .then_with(|| a.lat.total_cmp(&b.lat))
            .then_with(|| a.lon.total_cmp(&b.lon))
            .then_with(|| a.label.cmp(&b.label))
    });
    let skipped = c.spots.len() - spots.len();
    let largest = spots.first().map_or(0.0, |(s, _)| s.value);

    let layout = Layout::new(frame, |width| 2.0 * max_radius(width) + 4.0);
    let r_max = max_radius(layout.width);
    let radius = |v: f64| {
        if largest > 0.0 {
            (r_max * (v / largest).sqrt()).max(MIN_RADIUS)
        } else {
            MIN_RADIUS
        }
    };

    let desc = describe(c, &spots, skipped);
    // The base map is about 140 kB; each circle about 80 bytes besides its label.
    let labels: usize = spots.iter().map(|(s, _)| s.label.len() + 80).sum();
    let mut out = String::with_capacity(140_000 + labels + desc.len());
    open_svg(&mut out, frame, &layout, &desc);
    layout.open_map_group(&mut out, "land", "#ffffff", 0.5);
    let _ = write!(
        out,
        r##"<path class="sphere" d="{}" fill="#f4f7fa" stroke="#bdbdbd"/><path d=""##,
        outline()
    );
    for s in shapes() {
        out.push_str(&s.d);
    }
    let _ = write!(out, r#"" fill="{LAND}"/></g>"#);

    let _ = write!(
        out,
        r#"<g class="spots" fill="{SPOT}" fill-opacity="0.55" stroke="{SPOT_EDGE}" stroke-width="0.6">"#
    );
    for (s, p) in &spots {
        let [x, y] = layout.screen(*p);
        // Written piece by piece: a year of incidents is some 3,000 circles, and building each
        // title as its own strings was a fifth of drawing the map.
        let _ = write!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}"><title>"#,
            coord(x),
            coord(y),
            coord(radius(s.value)),
        );
        push_escaped(&mut out, &s.label);
        out.push_str(": ");
        push_exact(&mut out, s.value, frame.decimals);
        if !frame.unit.is_empty() {
            out.push(' ');
            push_escaped(&mut out, &frame.unit);
        }
        out.push_str("</title></circle>");
    }
    out.push_str("</g>");
    write_legend(
        &mut out,
        &frame.unit,
        &references(largest),
        &radius,
        &layout,
    );
    layout.write_disclaimer(&mut out);
    out.push_str("</svg>");
    out
}

/// Reference values for the size legend: round numbers (1, 2 or 5 times a power of ten) at
/// about the largest value, a quarter and a twentieth of it.
fn references(largest: f64) -> Vec<f64> {
    let mut refs: Vec<f64> = [1.0, 0.25, 0.05]
        .iter()
        .filter_map(|f| round_below(largest * f))
        .collect();
    refs.dedup();
    refs
}

/// The largest of 1, 2 or 5 times a power of ten not above `v`.
fn round_below(v: f64) -> Option<f64> {
    if !(v.is_finite() && v > 0.0) {
        return None;
    }
    let e = v.log10().floor() as i32;
    let base = |m: f64| {
        if e >= 0 {
            m * 10f64.powi(e)
        } else {
            m / 10f64.powi(-e)
        }
    };
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(base)
        .find(|&b| b <= v * (1.0 + 1e-12))
}

fn write_legend(
    out: &mut String,
    unit: &str,
    refs: &[f64],
    radius: &dyn Fn(f64) -> f64,
    layout: &Layout,
) {
    if refs.is_empty() {
        return;
    }
    let r_max = max_radius(layout.width);
    let centre_y = layout.legend_y + r_max + 2.0;
    let _ = write!(
        out,
        r#"<g class="legend" font-size="{}" fill="{TEXT}">"#,
        coord(FONT)
    );
    let mut x = PAD;
    if !unit.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{}" y="{}">{}</text>"#,
            coord(x),
            coord(centre_y + FONT / 2.0 - 1.0),
            escape(unit)
        );
        x += text_width(unit, FONT) + 10.0;
    }
    for &v in refs {
        let r = radius(v);
        let label = readable(v);
        let _ = write!(
            out,
            r#"<circle cx="{}" cy="{}" r="{}" fill="{SPOT}" fill-opacity="0.55" stroke="{SPOT_EDGE}" stroke-width="0.6"/><text x="{}" y="{}">{}</text>"#,
            coord(x + r),
            coord(centre_y),
            coord(r),
            coord(x + 2.0 * r + 4.0),
            coord(centre_y + FONT / 2.0 - 1.0),
            escape(&label)
        );
        x += 2.0 * r + 4.0 + text_width(&label, FONT) + 12.0;
    }
    out.push_str("</g>");
}

fn describe(c: &PointMap, spots: &[(&Spot, [f64; 2])], skipped: usize) -> String {
    let f = &c.frame;
    let mut text = String::new();
    match spots.first() {
        Some((big, _)) => {
            let total: f64 = spots.iter().map(|(s, _)| s.value).sum();
            let _ = write!(
                text,
                "World map of {} {}. Total: {}. Largest: {} ({}).",
                spots.len(),
                if spots.len() == 1 { "point" } else { "points" },
                with_unit(exact(total, f.decimals), &f.unit),
                big.label,
                with_unit(exact(big.value, f.decimals), &f.unit),
            );
        }
        None => text.push_str("World map with no points."),
    }
    if skipped > 0 {
        let _ = write!(
            text,
            " {skipped} without a valid position or value {} not drawn.",
            if skipped == 1 { "is" } else { "are" }
        );
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_values_are_round_and_descending() {
        assert_eq!(references(12_345.0), vec![10_000.0, 2_000.0, 500.0]);
        assert_eq!(references(1.0), vec![1.0, 0.2, 0.05]);
        assert!(references(0.0).is_empty());
        assert_eq!(round_below(0.07), Some(0.05));
    }
}
