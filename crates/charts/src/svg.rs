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
    // The next of each kind of character to replace is found with vector instructions, and
    // the slices between them copied whole: a map of incidents escapes half a megabyte of
    // labels, and a test of every byte was a sixth of its time.
    let bytes = text.as_bytes();
    let markup = |from: usize| {
        bytes
            .get(from..)
            .and_then(|rest| memchr::memchr3(b'&', b'<', b'>', rest))
            .map(|at| at + from)
    };
    let quotes = |from: usize| {
        bytes
            .get(from..)
            .and_then(|rest| memchr::memchr2(b'"', b'\'', rest))
            .map(|at| at + from)
    };
    let (mut next_markup, mut next_quote) = (markup(0), quotes(0));
    let mut last = 0;
    loop {
        let at = match (next_markup, next_quote) {
            (Some(m), Some(q)) => m.min(q),
            (Some(at), None) | (None, Some(at)) => at,
            (None, None) => break,
        };
        let entity = match bytes.get(at) {
            Some(b'&') => "&amp;",
            Some(b'<') => "&lt;",
            Some(b'>') => "&gt;",
            Some(b'"') => "&quot;",
            _ => "&#39;",
        };
        // Each replaced character is ASCII, so both ends of the slice are boundaries.
        out.push_str(text.get(last..at).unwrap_or(""));
        out.push_str(entity);
        last = at + 1;
        if next_markup == Some(at) {
            next_markup = markup(last);
        } else {
            next_quote = quotes(last);
        }
    }
    out.push_str(text.get(last..).unwrap_or(""));
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
    fn parts(self) -> (&'static str, u64, Option<char>) {
        let n = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        let tenth = (n % 10) as u8;
        (sign, n / 10, (tenth != 0).then(|| char::from(b'0' + tenth)))
    }

    /// Appends the coordinate as [`Display`](std::fmt::Display) writes it, without the
    /// formatting machinery, which was a fifth of drawing a country page's charts.
    pub fn push_to(self, out: &mut String) {
        let (sign, whole, tenth) = self.parts();
        out.push_str(sign);
        out.push_str(itoa::Buffer::new().format(whole));
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
        f.write_str(itoa::Buffer::new().format(whole))?;
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
    fn escaping_by_blocks_replaces_every_special_byte_wherever_it_falls() {
        // Every position of each special character in texts around a block's length, beside
        // non-ASCII letters, against a byte-at-a-time escaper.
        let reference = |t: &str| -> String {
            t.chars()
                .map(|c| match c {
                    '&' => "&amp;".to_string(),
                    '<' => "&lt;".to_string(),
                    '>' => "&gt;".to_string(),
                    '"' => "&quot;".to_string(),
                    '\'' => "&#39;".to_string(),
                    c => c.to_string(),
                })
                .collect()
        };
        for len in 0..40 {
            for at in 0..len {
                for special in ['&', '<', '>', '"', '\''] {
                    let text: String = (0..len)
                        .map(|i| match i {
                            i if i == at => special,
                            i if i % 7 == 3 => 'é',
                            _ => 'a',
                        })
                        .collect();
                    assert_eq!(escape(&text), reference(&text), "{text:?}");
                }
            }
            let plain = "ô".repeat(len);
            assert_eq!(escape(&plain), plain);
        }
    }

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
