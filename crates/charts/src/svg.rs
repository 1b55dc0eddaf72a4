//! Writing SVG by hand: escaping text and attributes, and coordinates with fixed rounding so the
//! same input always gives the same bytes.

use crate::number::Digits;

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

impl Coord {
    /// The sign, the whole part's digits and the tenth (`None` when it is 0).
    fn parts(self) -> (&'static str, Digits, Option<char>) {
        let n = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        let tenth = (n % 10) as u8;
        (
            sign,
            Digits::of(n / 10),
            (tenth != 0).then(|| char::from(b'0' + tenth)),
        )
    }

    /// Appends the coordinate as [`Display`](std::fmt::Display) writes it, without the
    /// formatting machinery, which was a fifth of drawing a country page's charts.
    pub fn push_to(self, out: &mut String) {
        let (sign, whole, tenth) = self.parts();
        out.push_str(sign);
        out.push_str(&whole);
        if let Some(t) = tenth {
            out.push('.');
            out.push(t);
        }
    }
}

impl std::fmt::Display for Coord {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use std::fmt::Write as _;
        let (sign, whole, tenth) = self.parts();
        f.write_str(sign)?;
        f.write_str(&whole)?;
        if let Some(t) = tenth {
            f.write_char('.')?;
            f.write_char(t)?;
        }
        Ok(())
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
        for v in [
            0.0,
            12.04,
            12.06,
            -3.25,
            -0.04,
            -0.26,
            -30.0,
            1e14,
            f64::NAN,
        ] {
            let mut pushed = String::new();
            coord(v).push_to(&mut pushed);
            assert_eq!(pushed, coord(v).to_string(), "{v}");
        }
    }
}
