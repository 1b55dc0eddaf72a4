//! Writing SVG by hand: escaping text and attributes, and coordinates with fixed rounding so the
//! same input always gives the same bytes.

/// Text escaped for an element's content or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text);
    out
}

/// [`escape`], appending to `out`.
pub fn push_escaped(out: &mut String, text: &str) {
    // Slices between the few characters to replace are copied whole: escaping labels one
    // character at a time was a tenth of drawing a map of incidents.
    let mut last = 0;
    for (i, b) in text.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&text[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&text[last..]);
}

/// A coordinate rounded to a tenth, written without a trailing `.0`: `12`, `12.1`, `-0.3`; not
/// a number is written as `0`.
pub fn coord(v: f64) -> Coord {
    // Integer arithmetic: formatting floats with a fixed precision was a large part of drawing.
    let tenths = if v.is_finite() && v.abs() < 1e15 {
        (v * 10.0).round() as i64
    } else {
        0
    };
    Coord(tenths)
}

/// A coordinate in tenths, displayed as SVG writes it; written straight into the document it
/// costs no allocation of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Coord(i64);

impl std::fmt::Display for Coord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (whole, tenth) = (self.0 / 10, (self.0 % 10).abs());
        match (tenth, self.0 < 0 && whole == 0) {
            (0, _) => write!(f, "{whole}"),
            (t, true) => write!(f, "-0.{t}"),
            (t, false) => write!(f, "{whole}.{t}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            escape(r#"<a href="x">Côte d'Ivoire & co</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Côte d&#39;Ivoire &amp; co&lt;/a&gt;"
        );
    }

    #[test]
    fn coordinates_are_rounded_and_never_nan() {
        assert_eq!(coord(12.04).to_string(), "12");
        assert_eq!(coord(12.06).to_string(), "12.1");
        assert_eq!(coord(-3.25).to_string(), "-3.3");
        assert_eq!(coord(f64::NAN).to_string(), "0");
        assert_eq!(coord(-0.04).to_string(), "0");
        assert_eq!(coord(-0.26).to_string(), "-0.3");
    }
}
