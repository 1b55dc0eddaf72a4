//! Maps of the world: a choropleth by ISO3 code and a point map, on the vendored base map in the
//! Equal Earth projection. This module owns what both share: the frame's layout (map, legend,
//! the UN disclaimer), the SVG's opening with its title and description, and text wrapping.

mod choropleth;
mod classes;
mod points;
mod projection;
mod topojson;

pub use choropleth::choropleth;
pub use points::point_map;

use std::fmt::Write as _;

use crate::spec::Frame;
use crate::svg::{coord, escape};

/// The ISO3 codes the base map draws a shape for, sorted.
pub fn base_map_codes() -> Vec<&'static str> {
    projection::shapes().iter().map(|s| s.iso3).collect()
}

const DISCLAIMER: &str = "The boundaries and names shown and the designations used on this map do \
not imply official endorsement or acceptance by the United Nations.";

const PAD: f64 = 8.0;
const GAP: f64 = 8.0;
const FONT: f64 = 11.0;
const SMALL_FONT: f64 = 10.0;
const SMALL_LINE: f64 = 12.0;
const TEXT: &str = "#333333";

/// Where the parts of a map go within its frame.
struct Layout {
    width: f64,
    height: f64,
    /// Screen pixels per map unit.
    scale: f64,
    map_x: f64,
    map_y: f64,
    legend_y: f64,
    disclaimer: Vec<String>,
    disclaimer_y: f64,
}

impl Layout {
    /// Lays out a frame whose legend is `legend_height` tall at `width`; a zero height is the
    /// natural one, a zero width 960.
    fn new(frame: &Frame, legend_height: impl Fn(f64) -> f64) -> Self {
        let width = if frame.width == 0 {
            960.0
        } else {
            f64::from(frame.width)
        };
        let inner = (width - 2.0 * PAD).max(1.0);
        let legend = legend_height(width);
        let disclaimer = wrap(DISCLAIMER, inner, SMALL_FONT);
        let disclaimer_h = disclaimer.len() as f64 * SMALL_LINE;
        let chrome = PAD + GAP + legend + GAP + disclaimer_h + PAD;
        let map_h = projection::map_height();
        let height = if frame.height == 0 {
            // Whole pixels, so a page can size its container from the attributes.
            (chrome + inner / projection::MAP_WIDTH * map_h).ceil()
        } else {
            f64::from(frame.height)
        };
        // A frame too small for its chrome still gets a (tiny) map rather than a negative one.
        let scale = (inner / projection::MAP_WIDTH)
            .min((height - chrome) / map_h)
            .max(0.01);
        let map_x = (width - projection::MAP_WIDTH * scale) / 2.0;
        let map_y = PAD;
        Self {
            width,
            height,
            scale,
            map_x,
            map_y,
            legend_y: map_y + map_h * scale + GAP,
            disclaimer_y: height - PAD - disclaimer_h + SMALL_FONT,
            disclaimer,
        }
    }

    /// A point of the map plane in screen pixels.
    fn screen(&self, p: [f64; 2]) -> [f64; 2] {
        [
            self.map_x + p[0] * self.scale,
            self.map_y + p[1] * self.scale,
        ]
    }

    /// The `<g>` that places map-plane paths, with borders of `border` screen pixels.
    fn open_map_group(&self, out: &mut String, class: &str, stroke: &str, border: f64) {
        let _ = write!(
            out,
            r#"<g class="{class}" transform="translate({} {}) scale({:.5})" stroke="{stroke}" stroke-width="{:.3}" stroke-linejoin="round">"#,
            coord(self.map_x),
            coord(self.map_y),
            self.scale,
            border / self.scale,
        );
    }

    fn write_disclaimer(&self, out: &mut String) {
        let _ = write!(
            out,
            r##"<text class="disclaimer" font-size="{}" fill="#555555">"##,
            coord(SMALL_FONT)
        );
        for (i, line) in self.disclaimer.iter().enumerate() {
            let _ = write!(
                out,
                r#"<tspan x="{}" y="{}">{}</tspan>"#,
                coord(PAD),
                coord(self.disclaimer_y + i as f64 * SMALL_LINE),
                escape(line)
            );
        }
        out.push_str("</text>");
    }
}

/// Opens the `<svg>` with its accessible name and description.
fn open_svg(out: &mut String, frame: &Frame, layout: &Layout, desc: &str) {
    let id = escape(&frame.id);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" class="chart map" font-family="DejaVu Sans"><title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>"#,
        w = coord(layout.width),
        h = coord(layout.height),
        title = escape(&frame.title),
        desc = escape(desc),
    );
}

/// "Türkiye: 3,112,683 persons", or without a unit when there is none.
fn with_unit(text: String, unit: &str) -> String {
    if unit.is_empty() {
        text
    } else {
        format!("{text} {unit}")
    }
}

use crate::font::text_width;

/// Greedy word wrap to `width` pixels.
fn wrap(text: &str, width: f64, size: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if !line.is_empty() && text_width(&candidate, size) > width {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_disclaimer_wraps_to_the_frame() {
        assert_eq!(wrap(DISCLAIMER, 944.0, SMALL_FONT).len(), 1);
        assert_eq!(wrap(DISCLAIMER, 600.0, SMALL_FONT).len(), 2);
        let narrow = wrap(DISCLAIMER, 300.0, SMALL_FONT);
        assert!(narrow.len() >= 3);
        assert_eq!(narrow.join(" "), DISCLAIMER);
    }

    #[test]
    fn base_map_codes_are_sorted_iso3() {
        let codes = base_map_codes();
        assert!(codes.len() >= 230);
        assert!(codes.windows(2).all(|w| w[0] < w[1]));
        assert!(codes.iter().all(|c| c.len() == 3));
    }
}
