//! The Equal Earth projection and the projected base map: rings cut at the antimeridian (and closed
//! through the pole for Antarctica) so no line crosses the map, projected once into a fixed
//! `MAP_WIDTH`-wide plane as SVG path data that every chart reuses, whatever its size.

use std::fmt::Write as _;
use std::sync::OnceLock;

use super::topojson::world;
use crate::svg::{coord, Coord};

/// Width of the plane the base map is projected into; charts scale it to their frame.
pub(crate) const MAP_WIDTH: f64 = 960.0;

const A1: f64 = 1.340264;
const A2: f64 = -0.081106;
const A3: f64 = 0.000893;
const A4: f64 = 0.003796;

/// Equal Earth (Šavrič, Patterson and Jenny, 2018) in radians-based units.
fn equal_earth(lon: f64, lat: f64) -> (f64, f64) {
    let m = 3f64.sqrt() / 2.0;
    let l = (m * lat.to_radians().sin()).asin();
    let l2 = l * l;
    let l6 = l2 * l2 * l2;
    let x =
        lon.to_radians() * l.cos() / (m * (A1 + 3.0 * A2 * l2 + l6 * (7.0 * A3 + 9.0 * A4 * l2)));
    let y = l * (A1 + A2 * l2 + l6 * (A3 + A4 * l2));
    (x, y)
}

/// Map units per projection unit, so that the map spans exactly `MAP_WIDTH`.
fn scale() -> f64 {
    MAP_WIDTH / (2.0 * equal_earth(180.0, 0.0).0)
}

/// Height of the projected plane (the pole lines are its top and bottom edges).
pub(crate) fn map_height() -> f64 {
    2.0 * equal_earth(0.0, 90.0).1 * scale()
}

/// A longitude/latitude in map units, y downwards; `None` off the globe or not finite.
pub(crate) fn project(lon: f64, lat: f64) -> Option<[f64; 2]> {
    // NaN and the infinities are outside both ranges.
    if !((-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat)) {
        return None;
    }
    let (x, y) = equal_earth(lon, lat);
    let k = scale();
    Some([MAP_WIDTH / 2.0 + x * k, map_height() / 2.0 - y * k])
}

/// Meridian segments longer than this (degrees of latitude) get intermediate points, because the
/// map's edge meridians are curves in Equal Earth and a chord would cut into the map.
const MERIDIAN_STEP: f64 = 2.0;
/// Longitude step along a pole line.
const POLE_STEP: f64 = 10.0;

/// A ring of lon/lat cut into rings that each stay within [-180°, 180°], so none draws a line
/// across the whole map. A ring that goes once around a pole (Antarctica) is closed through it.
pub(crate) fn split_ring(ring: &[[f64; 2]]) -> Vec<Vec<[f64; 2]>> {
    let finite: Vec<[f64; 2]> = ring
        .iter()
        .copied()
        .filter(|[a, b]| a.is_finite() && b.is_finite())
        .collect();
    if finite.len() < 3 {
        return Vec::new();
    }
    // Unwrap longitudes so a step across ±180° becomes a small step past it.
    let mut unwrapped = Vec::with_capacity(finite.len() + 4);
    let mut lon = finite[0][0];
    unwrapped.push([lon, finite[0][1]]);
    for pair in finite.windows(2) {
        let mut delta = pair[1][0] - pair[0][0];
        if delta > 180.0 {
            delta -= 360.0;
        } else if delta < -180.0 {
            delta += 360.0;
        }
        lon += delta;
        unwrapped.push([lon, pair[1][1]]);
    }
    let first = unwrapped[0];
    let last = unwrapped[unwrapped.len() - 1];
    if (last[0] - first[0]).abs() > 180.0 {
        // Around the pole: the unwrapped ring ends a full turn from where it began; close it
        // along the pole line of the hemisphere it lies in.
        let mean_lat = finite.iter().map(|p| p[1]).sum::<f64>() / finite.len() as f64;
        let pole = if mean_lat < 0.0 { -90.0 } else { 90.0 };
        unwrapped.push([last[0], pole]);
        unwrapped.push([first[0], pole]);
        unwrapped.push(first);
    } else if first != last {
        unwrapped.push(first);
    }

    let (min, max) = unwrapped
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), p| {
            (lo.min(p[0]), hi.max(p[0]))
        });
    let mut out = Vec::new();
    if min >= -180.0 && max <= 180.0 {
        out.push(densify(&unwrapped));
        return out;
    }
    // A ring reaching past ±180° is drawn as its parts in each copy of the world it overlaps.
    for shift in [-720.0, -360.0, 0.0, 360.0, 720.0] {
        let (lo, hi) = (min + shift, max + shift);
        if hi.min(180.0) - lo.max(-180.0) <= 1e-9 {
            continue;
        }
        let moved: Vec<[f64; 2]> = unwrapped.iter().map(|p| [p[0] + shift, p[1]]).collect();
        let clipped = clip(&clip(&moved, 180.0, true), -180.0, false);
        if clipped.len() >= 3 {
            out.push(densify(&clipped));
        }
    }
    out
}

/// Sutherland–Hodgman against one meridian: keeps `lon <= edge` when `below`, else `lon >= edge`.
/// Parts joined along the edge stay one ring: their bridge runs along the map's border.
fn clip(ring: &[[f64; 2]], edge: f64, below: bool) -> Vec<[f64; 2]> {
    let inside = |p: &[f64; 2]| if below { p[0] <= edge } else { p[0] >= edge };
    let cross = |p: &[f64; 2], q: &[f64; 2]| {
        let t = (edge - p[0]) / (q[0] - p[0]);
        [edge, p[1] + t * (q[1] - p[1])]
    };
    let mut out = Vec::with_capacity(ring.len() + 4);
    for (i, q) in ring.iter().enumerate() {
        let p = &ring[(i + ring.len() - 1) % ring.len()];
        match (inside(p), inside(q)) {
            (true, true) => out.push(*q),
            (true, false) => out.push(cross(p, q)),
            (false, true) => {
                out.push(cross(p, q));
                out.push(*q);
            }
            (false, false) => {}
        }
    }
    out.dedup();
    out
}

fn densify(ring: &[[f64; 2]]) -> Vec<[f64; 2]> {
    let mut out = Vec::with_capacity(ring.len());
    for (i, p) in ring.iter().enumerate() {
        if let Some(q) = ring.get(i + 1) {
            out.push(*p);
            let dlat = q[1] - p[1];
            let dlon = q[0] - p[0];
            let steps = if p[0] == q[0] {
                (dlat.abs() / MERIDIAN_STEP).ceil() as usize
            } else if p[1] == q[1] && p[1].abs() == 90.0 {
                // The pole line is straight in Equal Earth, but points along it keep every
                // segment of a path short, which is what tells a real edge from a wrap-around.
                (dlon.abs() / POLE_STEP).ceil() as usize
            } else {
                1
            };
            for s in 1..steps {
                let t = s as f64 / steps as f64;
                out.push([p[0] + dlon * t, p[1] + dlat * t]);
            }
        } else {
            out.push(*p);
        }
    }
    out
}

/// One country of the base map, projected.
#[derive(Debug)]
pub(crate) struct Shape {
    pub iso3: &'static str,
    pub name: &'static str,
    /// SVG path data in map units.
    pub d: String,
    /// The largest bounding-box area of one of its parts, in square map units: what tells a
    /// small state, even one whose islands lie on both edges of the map.
    pub part_area: f64,
    /// Where a dot stands for the country: the centroid of its largest ring.
    pub anchor: [f64; 2],
}

/// The base map projected once per process, sorted by ISO3; shapes lost to simplification are
/// left out.
pub(crate) fn shapes() -> &'static [Shape] {
    static SHAPES: OnceLock<Vec<Shape>> = OnceLock::new();
    SHAPES.get_or_init(|| {
        world()
            .iter()
            .filter_map(|c| shape(&c.iso3, &c.name, &c.rings))
            .collect()
    })
}

fn shape(iso3: &'static str, name: &'static str, rings: &[Vec<[f64; 2]>]) -> Option<Shape> {
    let mut d = String::new();
    let mut part_area: f64 = 0.0;
    let mut largest: Option<(f64, [f64; 2])> = None;
    for ring in rings {
        for part in split_ring(ring) {
            let points: Vec<[f64; 2]> = part.iter().filter_map(|p| project(p[0], p[1])).collect();
            if !write_ring(&mut d, &points) {
                continue;
            }
            let bbox = points.iter().fold(
                [
                    f64::INFINITY,
                    f64::INFINITY,
                    f64::NEG_INFINITY,
                    f64::NEG_INFINITY,
                ],
                |b, p| {
                    [
                        b[0].min(p[0]),
                        b[1].min(p[1]),
                        b[2].max(p[0]),
                        b[3].max(p[1]),
                    ]
                },
            );
            part_area = part_area.max((bbox[2] - bbox[0]) * (bbox[3] - bbox[1]));
            let (area, centroid) = area_centroid(&points);
            if largest.is_none_or(|(a, _)| area > a) {
                largest = Some((area, centroid));
            }
        }
    }
    let (_, anchor) = largest?;
    Some(Shape {
        iso3,
        name,
        d,
        part_area,
        anchor,
    })
}

/// Appends one closed subpath at the output's precision; false when it rounds to less than a
/// triangle and was not written.
fn write_ring(d: &mut String, points: &[[f64; 2]]) -> bool {
    let mut texts: Vec<(Coord, Coord)> = Vec::with_capacity(points.len());
    for p in points {
        let t = (coord(p[0]), coord(p[1]));
        if texts.last() != Some(&t) {
            texts.push(t);
        }
    }
    // The closing point is implied by Z.
    if texts.len() > 1 && texts.first() == texts.last() {
        texts.pop();
    }
    if texts.len() < 3 {
        return false;
    }
    for (i, (x, y)) in texts.iter().enumerate() {
        let _ = write!(d, "{}{x} {y}", if i == 0 { "M" } else { " " });
    }
    d.push('Z');
    true
}

/// Absolute area and centroid of a ring (shoelace); the mean of its points when it is flat.
fn area_centroid(points: &[[f64; 2]]) -> (f64, [f64; 2]) {
    let n = points.len();
    let (mut a, mut cx, mut cy) = (0.0, 0.0, 0.0);
    for i in 0..n {
        let p = points[i];
        let q = points[(i + 1) % n];
        let cross = p[0] * q[1] - q[0] * p[1];
        a += cross;
        cx += (p[0] + q[0]) * cross;
        cy += (p[1] + q[1]) * cross;
    }
    if a.abs() < 1e-9 {
        let mean = points.iter().fold([0.0, 0.0], |s, p| {
            [s[0] + p[0] / n as f64, s[1] + p[1] / n as f64]
        });
        return (0.0, mean);
    }
    (a.abs() / 2.0, [cx / (3.0 * a), cy / (3.0 * a)])
}

/// The outline of the globe (the sphere) as path data in map units.
pub(crate) fn outline() -> &'static str {
    static OUTLINE: OnceLock<String> = OnceLock::new();
    OUTLINE.get_or_init(|| {
        let ring = densify(&[
            [-180.0, -90.0],
            [-180.0, 90.0],
            [180.0, 90.0],
            [180.0, -90.0],
            [-180.0, -90.0],
        ]);
        let points: Vec<[f64; 2]> = ring.iter().filter_map(|p| project(p[0], p[1])).collect();
        let mut d = String::new();
        write_ring(&mut d, &points);
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_earth_spans_the_plane() {
        let w = project(180.0, 0.0).expect("on the globe");
        assert!((w[0] - MAP_WIDTH).abs() < 1e-9);
        let west = project(-180.0, 0.0).expect("on the globe");
        assert!(west[0].abs() < 1e-9);
        let north = project(0.0, 90.0).expect("on the globe");
        assert!(north[1].abs() < 1e-9 && (north[0] - MAP_WIDTH / 2.0).abs() < 1e-9);
        // The published aspect ratio of Equal Earth is about 2.05.
        assert!((MAP_WIDTH / map_height() - 2.05).abs() < 0.01);
        assert!(project(f64::NAN, 0.0).is_none());
        assert!(project(0.0, 91.0).is_none());
    }

    #[test]
    fn a_ring_across_the_antimeridian_is_cut_in_two() {
        let ring = [
            [179.0, 0.0],
            [-179.0, 0.0],
            [-179.0, 1.0],
            [179.0, 1.0],
            [179.0, 0.0],
        ];
        let parts = split_ring(&ring);
        assert_eq!(parts.len(), 2);
        for part in &parts {
            let lons: Vec<f64> = part.iter().map(|p| p[0]).collect();
            let spread = lons.iter().cloned().fold(f64::NEG_INFINITY, f64::max)
                - lons.iter().cloned().fold(f64::INFINITY, f64::min);
            assert!(spread <= 1.0 + 1e-9, "{part:?}");
        }
    }

    #[test]
    fn a_ring_around_the_pole_is_closed_through_it() {
        let ring: Vec<[f64; 2]> = (0..=36)
            .map(|i| [-180.0 + (i % 36) as f64 * 10.0, -70.0])
            .chain([[-180.0, -70.0]])
            .collect();
        let parts = split_ring(&ring);
        assert_eq!(parts.len(), 1);
        assert!(parts[0].iter().any(|p| p[1] == -90.0));
        assert!(parts[0].iter().all(|p| (-180.0..=180.0).contains(&p[0])));
    }

    #[test]
    fn the_base_map_projects_with_its_small_states() {
        let s = shapes();
        assert!(s.len() >= 240, "{}", s.len());
        for code in ["MLT", "BHR", "SGP", "MDV", "TUV"] {
            assert!(s.iter().any(|c| c.iso3 == code), "{code}");
        }
        assert!(outline().starts_with('M'));
    }
}
