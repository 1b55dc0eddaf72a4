//! Writing SVG by hand: escaping text and attributes, and coordinates with fixed rounding so the
//! same input always gives the same bytes.

/// Text escaped for an element's content or a double-quoted attribute.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
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
