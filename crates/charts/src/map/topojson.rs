//! Reading the vendored TopoJSON base map into countries: an ISO3 code, a name and rings of
//! longitude/latitude. Owns the decoding of quantized, delta-encoded arcs and nothing about
//! projection or drawing.

use std::sync::OnceLock;

use serde_json::Value;

/// The base map, compiled in so a chart never depends on a file at run time.
const WORLD: &str = include_str!("../../data/world.topojson.json");

/// One country or territory of the base map.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Country {
    /// `properties.a3`.
    pub iso3: String,
    /// `properties.name`, or the code when the map has none.
    pub name: String,
    /// Closed rings (outer rings and holes alike) of `[lon, lat]` in degrees; empty when the
    /// shape collapsed under simplification.
    pub rings: Vec<Vec<[f64; 2]>>,
}

/// The embedded base map, decoded once per process, sorted by ISO3.
pub(crate) fn world() -> &'static [Country] {
    static WORLD_MAP: OnceLock<Vec<Country>> = OnceLock::new();
    WORLD_MAP.get_or_init(|| {
        // The file is compiled in and a unit test decodes it, so a failure here is a build defect.
        decode(WORLD, "countries").expect("the embedded base map is valid TopoJSON")
    })
}

/// Decodes the geometries of `object` of a TopoJSON topology, sorted by ISO3, duplicates merged.
pub(crate) fn decode(text: &str, object: &str) -> Result<Vec<Country>, String> {
    let topo: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if topo.get("type").and_then(Value::as_str) != Some("Topology") {
        return Err("not a TopoJSON Topology".into());
    }
    let transform = match topo.get("transform") {
        Some(t) => Some(Transform::from_json(t)?),
        None => None,
    };
    let arcs = topo
        .get("arcs")
        .and_then(Value::as_array)
        .ok_or("no arcs")?
        .iter()
        .map(|arc| decode_arc(arc, transform.as_ref()))
        .collect::<Result<Vec<_>, _>>()?;
    let geometries = topo
        .get("objects")
        .and_then(|o| o.get(object))
        .and_then(|o| o.get("geometries"))
        .and_then(Value::as_array)
        .ok_or_else(|| format!("no object {object:?} with geometries"))?;

    let mut countries: Vec<Country> = Vec::with_capacity(geometries.len());
    for geometry in geometries {
        let properties = geometry.get("properties");
        let Some(iso3) = properties
            .and_then(|p| p.get("a3"))
            .and_then(Value::as_str)
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        let name = properties
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str)
            .unwrap_or(iso3);
        let rings = match geometry.get("type").and_then(Value::as_str) {
            Some("Polygon") => polygon(geometry.get("arcs"), &arcs)?,
            Some("MultiPolygon") => {
                let mut rings = Vec::new();
                for p in geometry
                    .get("arcs")
                    .and_then(Value::as_array)
                    .ok_or("a MultiPolygon without arcs")?
                {
                    rings.extend(polygon(Some(p), &arcs)?);
                }
                rings
            }
            // A shape lost to simplification is still a country of the map, without rings.
            _ => Vec::new(),
        };
        countries.push(Country {
            iso3: iso3.to_string(),
            name: name.to_string(),
            rings,
        });
    }
    countries.sort_by(|a, b| a.iso3.cmp(&b.iso3));
    // A code split over two geometries is one country on a chart.
    countries.dedup_by(|later, first| {
        if later.iso3 == first.iso3 {
            first.rings.append(&mut later.rings);
            true
        } else {
            false
        }
    });
    Ok(countries)
}

struct Transform {
    scale: [f64; 2],
    translate: [f64; 2],
}

impl Transform {
    fn from_json(t: &Value) -> Result<Self, String> {
        let pair = |key: &str| -> Result<[f64; 2], String> {
            let v = t
                .get(key)
                .and_then(Value::as_array)
                .ok_or_else(|| format!("transform without {key}"))?;
            match (
                v.first().and_then(Value::as_f64),
                v.get(1).and_then(Value::as_f64),
            ) {
                (Some(a), Some(b)) => Ok([a, b]),
                _ => Err(format!("transform {key} is not two numbers")),
            }
        };
        Ok(Self {
            scale: pair("scale")?,
            translate: pair("translate")?,
        })
    }
}

fn decode_arc(arc: &Value, transform: Option<&Transform>) -> Result<Vec<[f64; 2]>, String> {
    let positions = arc.as_array().ok_or("an arc is not an array")?;
    let mut out = Vec::with_capacity(positions.len());
    // Quantized arcs are delta-encoded integers; summing in f64 is exact for these magnitudes.
    let (mut x, mut y) = (0.0, 0.0);
    for p in positions {
        let (a, b) = match p.as_array().map(|v| v.as_slice()) {
            Some([a, b, ..]) => match (a.as_f64(), b.as_f64()) {
                (Some(a), Some(b)) => (a, b),
                _ => return Err("a position is not numbers".into()),
            },
            _ => return Err("a position is not a pair".into()),
        };
        match transform {
            Some(t) => {
                x += a;
                y += b;
                out.push([
                    x * t.scale[0] + t.translate[0],
                    y * t.scale[1] + t.translate[1],
                ]);
            }
            None => out.push([a, b]),
        }
    }
    Ok(out)
}

fn polygon(rings: Option<&Value>, arcs: &[Vec<[f64; 2]>]) -> Result<Vec<Vec<[f64; 2]>>, String> {
    let rings = rings
        .and_then(Value::as_array)
        .ok_or("a Polygon without rings")?;
    let mut out = Vec::with_capacity(rings.len());
    for ring in rings {
        let mut points: Vec<[f64; 2]> = Vec::new();
        for index in ring.as_array().ok_or("a ring is not an array")? {
            let i = index.as_i64().ok_or("an arc index is not an integer")?;
            // A negative index is the one's complement of an arc walked backwards.
            let (arc, reversed) = if i < 0 { (!i, true) } else { (i, false) };
            let arc = usize::try_from(arc)
                .ok()
                .and_then(|a| arcs.get(a))
                .ok_or_else(|| format!("arc {i} out of range"))?;
            let walk: Box<dyn Iterator<Item = &[f64; 2]>> = if reversed {
                Box::new(arc.iter().rev())
            } else {
                Box::new(arc.iter())
            };
            // Consecutive arcs share their joining point.
            let skip = usize::from(!points.is_empty());
            points.extend(walk.skip(skip).copied());
        }
        if points.len() >= 4 {
            out.push(points);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_map_decodes_with_its_codes() {
        let world = decode(WORLD, "countries").expect("decodes");
        assert_eq!(world.len(), 242);
        let drawn = world.iter().filter(|c| !c.rings.is_empty()).count();
        assert!(drawn >= 240, "{drawn} countries with shapes");
        for code in [
            "TUR", "FJI", "RUS", "ATA", "XKX", "CYN", "SOL", "MLT", "BHR", "SGP",
        ] {
            assert!(world.iter().any(|c| c.iso3 == code), "{code} missing");
        }
        let tur = world.iter().find(|c| c.iso3 == "TUR").expect("Turkey");
        for ring in &tur.rings {
            assert_eq!(ring.first(), ring.last(), "rings are closed");
            for [lon, lat] in ring {
                assert!((25.0..46.0).contains(lon) && (35.0..43.0).contains(lat));
            }
        }
    }

    #[test]
    fn arcs_are_delta_decoded_and_reversed() {
        let text = r#"{"type":"Topology",
            "transform":{"scale":[1,1],"translate":[10,20]},
            "arcs":[[[0,0],[2,0],[0,2]],[[2,2],[-2,0],[0,-2]]],
            "objects":{"countries":{"type":"GeometryCollection","geometries":[
              {"type":"Polygon","arcs":[[0,1]],"properties":{"a3":"AAA","name":"A"}},
              {"type":"Polygon","arcs":[[-2,-1]],"properties":{"a3":"BBB"}},
              {"type":null,"properties":{"a3":"CCC"}}]}}}"#;
        let c = decode(text, "countries").expect("decodes");
        assert_eq!(c.len(), 3);
        assert_eq!(
            c[0].rings[0],
            vec![
                [10.0, 20.0],
                [12.0, 20.0],
                [12.0, 22.0],
                [10.0, 22.0],
                [10.0, 20.0]
            ]
        );
        assert_eq!(c[1].name, "BBB");
        assert_eq!(
            c[1].rings[0],
            vec![
                [10.0, 20.0],
                [10.0, 22.0],
                [12.0, 22.0],
                [12.0, 20.0],
                [10.0, 20.0]
            ]
        );
        assert!(c[2].rings.is_empty());
    }

    #[test]
    fn malformed_topologies_are_errors_not_panics() {
        assert!(decode("{", "countries").is_err());
        assert!(decode(r#"{"type":"Topology","arcs":[]}"#, "countries").is_err());
        let bad_index = r#"{"type":"Topology","arcs":[[[0,0],[1,1]]],"objects":{"countries":
            {"geometries":[{"type":"Polygon","arcs":[[7]],"properties":{"a3":"X"}}]}}}"#;
        assert!(decode(bad_index, "countries").is_err());
    }
}
