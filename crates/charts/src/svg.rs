//! Writing SVG by hand: escaping text and attributes, and coordinates with fixed rounding so the
//! same input always gives the same bytes.

/// Text escaped for an element's content or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    // Slices between the few characters to replace are copied whole: escaping labels one
    // character at a time was a tenth of drawing a map of incidents.
    let mut out = String::with_capacity(text.len() + 8);
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
    out
}

/// A coordinate with one decimal (a tenth of a CSS pixel), without a trailing `.0`, never NaN.
pub fn coord(v: f64) -> String {
    // Integer arithmetic: formatting floats with a fixed precision was a large part of drawing.
    let tenths = if v.is_finite() && v.abs() < 1e15 {
        (v * 10.0).round() as i64
    } else {
        0
    };
    let (whole, tenth) = (tenths / 10, (tenths % 10).abs());
    match (tenth, tenths < 0 && whole == 0) {
        (0, _) => whole.to_string(),
        (t, true) => format!("-0.{t}"),
        (t, false) => format!("{whole}.{t}"),
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
        assert_eq!(coord(12.04), "12");
        assert_eq!(coord(12.06), "12.1");
        assert_eq!(coord(-3.25), "-3.3");
        assert_eq!(coord(f64::NAN), "0");
    }
}
