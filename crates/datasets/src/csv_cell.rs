//! Writing one CSV cell: quoted only when it holds a comma, a quote or a line break (RFC 4180).

use std::borrow::Cow;

/// The cell as it must appear in a CSV line.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", s.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(s)
    }
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn quotes_only_when_needed() {
        assert_eq!(csv_cell("Syria"), "Syria");
        assert_eq!(csv_cell("China, Hong Kong SAR"), "\"China, Hong Kong SAR\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
