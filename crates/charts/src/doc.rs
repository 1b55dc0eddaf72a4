//! The parts every chart's SVG shares: the root element with its accessible name and generated
//! description, safe ids, the size of the drawing, the font, and the "No data" picture drawn
//! when there is nothing to show.

use std::fmt::Write;

use crate::font::FONT_FAMILY;
use crate::palette::{INK, MUTED};
use crate::spec::Frame;
use crate::svg::{coord, escape};

/// Axis ticks and secondary labels.
pub(crate) const SMALL: f64 = 11.0;
/// Labels of lines, bars and cells.
pub(crate) const NORMAL: f64 = 12.0;
/// Emphasised text ("No data").
pub(crate) const LARGE: f64 = 13.0;

/// The widest and tallest drawing accepted; larger frames are shrunk to it.
const MAX_SIDE: f64 = 4000.0;
/// The smallest side that still fits axis labels.
const MIN_SIDE: f64 = 120.0;
/// The smallest height of a chart that grows with its content (one bar).
const MIN_GROWN: f64 = 40.0;

/// The frame's id reduced to letters, digits, `-` and `_` (it becomes part of XML ids and of the
/// `aria-labelledby` list, where a space or quote would break the reference).
pub(crate) fn safe_id(id: &str) -> String {
    let cleaned: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    match cleaned.chars().next() {
        None => "chart".into(),
        // An XML id must not start with a digit or `-`.
        Some(c) if !c.is_ascii_alphabetic() && c != '_' => format!("c{cleaned}"),
        Some(_) => cleaned,
    }
}

/// A side of the drawing: the frame's if set and sane, else the chart's default.
pub(crate) fn side(asked: u32, default: f64) -> f64 {
    if asked == 0 {
        default
    } else {
        f64::from(asked).clamp(MIN_SIDE, MAX_SIDE)
    }
}

/// A computed side (a height that grows with the content) kept within bounds: a single bar may
/// be short, a long ranking may be taller than any asked frame.
pub(crate) fn clamp_side(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(MIN_GROWN, MAX_SIDE * 4.0)
    } else {
        MIN_GROWN
    }
}

/// The opening of a chart: the root element, `<title>`, `<desc>` and the group that sets the font.
/// Close with [`close`].
pub(crate) fn open(frame: &Frame, width: f64, height: f64, desc: &str) -> String {
    let id = safe_id(&frame.id);
    let (w, h) = (coord(width), coord(height));
    let mut out = String::with_capacity(4096);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title {id}-desc" class="chart">"#
    );
    let title = if frame.title.trim().is_empty() {
        "Chart"
    } else {
        frame.title.as_str()
    };
    let _ = write!(
        out,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    // The generic family keeps browsers without DejaVu Sans on a sans-serif (their default is
    // often a serif); the PNG maps it to the bundled font.
    let _ = write!(
        out,
        r#"<g font-family="{FONT_FAMILY}, sans-serif" font-size="{}" fill="{INK}">"#,
        coord(NORMAL)
    );
    out
}

/// The end of what [`open`] began.
pub(crate) fn close(mut out: String) -> String {
    out.push_str("</g></svg>");
    out
}

/// A chart with nothing to draw: the same accessible frame, and the words "No data".
pub(crate) fn no_data(frame: &Frame, width: f64, height: f64, desc: &str) -> String {
    let mut out = open(frame, width, height, desc);
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{MUTED}">No data</text>"#,
        coord(width / 2.0),
        coord(height / 2.0),
        coord(LARGE)
    );
    close(out)
}

/// The unit as it follows a number in words: " persons", or nothing.
pub(crate) fn with_unit(number: &str, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        number.to_string()
    } else {
        format!("{number} {unit}")
    }
}

/// Non-finite values are treated as not available, never drawn.
pub(crate) fn finite(v: Option<f64>) -> Option<f64> {
    v.filter(|x| x.is_finite())
}

/// A link the charts may draw: a path on the same site. Anything with a scheme (`https:`,
/// `javascript:`) or a host (`//…`) is dropped, so a chart never points off the site.
pub(crate) fn local_href(href: Option<&str>) -> Option<&str> {
    let h = href?.trim();
    if h.is_empty() || h.starts_with("//") || h.starts_with("\\\\") {
        return None;
    }
    let before_path = h.split(['/', '?', '#']).next().unwrap_or("");
    if before_path.contains(':') {
        return None;
    }
    if h.chars().any(|c| c.is_control()) {
        return None;
    }
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_safe_in_xml_and_aria() {
        assert_eq!(safe_id("refugees-syr"), "refugees-syr");
        assert_eq!(safe_id("a b\"c"), "a-b-c");
        assert_eq!(safe_id(""), "chart");
        assert_eq!(safe_id("2024"), "c2024");
    }

    #[test]
    fn only_same_site_links_are_kept() {
        assert_eq!(local_href(Some("/countries/SYR")), Some("/countries/SYR"));
        assert_eq!(local_href(Some("SYR?x=a:b")), Some("SYR?x=a:b"));
        assert_eq!(local_href(Some("https://example.org/")), None);
        assert_eq!(local_href(Some("javascript:alert(1)")), None);
        assert_eq!(local_href(Some("//example.org/")), None);
        assert_eq!(local_href(Some("")), None);
        assert_eq!(local_href(None), None);
    }

    #[test]
    fn sides_are_bounded() {
        assert_eq!(side(0, 640.0), 640.0);
        assert_eq!(side(10, 640.0), MIN_SIDE);
        assert_eq!(side(u32::MAX, 640.0), MAX_SIDE);
        assert_eq!(clamp_side(f64::NAN), MIN_GROWN);
    }
}
