//! The colours every chart and map draws with: a categorical palette for lines and bands that
//! stays distinct under the common colour-vision deficiencies (Okabe–Ito), a light-to-dark
//! sequential ramp for choropleths, and the fill of "no data".

/// Lines and bands, in the order series are given. Okabe–Ito without its yellow, which has a
/// contrast of about 1.2:1 against a white page and vanishes as a thin line.
pub const PALETTE: [&str; 7] = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#000000",
];

/// Choropleth classes, light (low values) to dark (high values), a blue ramp that reads the same
/// in greyscale and for red–green deficiencies.
pub const SEQUENTIAL: [&str; 6] = [
    "#c6dbef", "#9ecae1", "#6baed6", "#4292c6", "#2171b5", "#084594",
];

/// The text colour with enough contrast on each `SEQUENTIAL` class (dark on the light ones, white
/// on the dark ones), for labels drawn on a filled shape.
pub const SEQUENTIAL_TEXT: [&str; 6] = [
    "#1a1a1a", "#1a1a1a", "#1a1a1a", "#1a1a1a", "#ffffff", "#ffffff",
];

/// The fill of a country or class without data: a neutral grey no class of `SEQUENTIAL` uses.
pub const NO_DATA: &str = "#d9d9d9";

/// Text and axes: near-black rather than black, softer on a white page yet above 15:1.
pub(crate) const INK: &str = "#1a1a1a";

/// Secondary text and axis lines, still above 7:1 on white.
pub(crate) const MUTED: &str = "#595959";

/// The page behind the chart, and the halo that separates touching marks.
pub(crate) const WHITE: &str = "#ffffff";

/// Grid lines.
pub(crate) const GRID: &str = "#e0e0e0";

/// The colour of the `i`-th series, cycling when there are more series than colours.
pub(crate) fn series_colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn channel(hex: &str, i: usize) -> f64 {
        let v = u8::from_str_radix(&hex[1 + 2 * i..3 + 2 * i], 16).unwrap_or(0) as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    }

    fn luminance(hex: &str) -> f64 {
        0.2126 * channel(hex, 0) + 0.7152 * channel(hex, 1) + 0.0722 * channel(hex, 2)
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn sequential_goes_from_light_to_dark() {
        for pair in SEQUENTIAL.windows(2) {
            assert!(luminance(pair[0]) > luminance(pair[1]), "{pair:?}");
        }
    }

    #[test]
    fn text_on_each_class_is_readable() {
        for (fill, text) in SEQUENTIAL.iter().zip(SEQUENTIAL_TEXT) {
            assert!(contrast(fill, text) >= 4.5, "{fill} {text}");
        }
        assert!(contrast(NO_DATA, INK) >= 4.5);
        assert!(contrast(MUTED, "#ffffff") >= 4.5);
    }

    #[test]
    fn lines_are_visible_on_white() {
        // Graphical objects need 3:1 (WCAG 1.4.11); a few Okabe–Ito hues fall short, which is
        // why labels are drawn in ink and not in the line's colour.
        for c in PALETTE {
            assert!(contrast(c, "#ffffff") >= 1.9, "{c}");
        }
    }

    #[test]
    fn no_data_is_not_a_class() {
        assert!(!SEQUENTIAL.contains(&NO_DATA));
    }
}
