//! Reading a CSV source with positions: exact header checks, per-row field counts, and typed cells
//! whose errors name file, line, column and what was expected.

use csv::{ByteRecord, ReaderBuilder};

use crate::{Findings, LoadError};

/// A CSV source held in memory, positioned after any preamble.
pub struct CsvInput<'a> {
    file: &'a str,
    data: &'a [u8],
    /// Lines before `data` starts (a preamble), added to every reported line.
    line_offset: u64,
    header: Vec<String>,
    /// The reader, past the header. Building one is costly (a state table), so there is one per
    /// file, used up by [`CsvInput::for_each_row`].
    reader: csv::Reader<&'a [u8]>,
}

/// One record, with what is needed to report a bad cell.
pub struct Row<'r> {
    pub file: &'r str,
    pub line: u64,
    pub record: &'r ByteRecord,
    header: &'r [String],
}

fn strip_bom(data: &[u8]) -> &[u8] {
    data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data)
}

impl<'a> CsvInput<'a> {
    /// Reads the header line of `data` after skipping `skip_lines` lines of preamble.
    pub fn new(file: &'a str, data: &'a [u8], skip_lines: usize) -> Result<Self, LoadError> {
        let mut rest = strip_bom(data);
        for _ in 0..skip_lines {
            match rest.iter().position(|&b| b == b'\n') {
                Some(i) => rest = &rest[i + 1..],
                None => rest = &[],
            }
        }
        let line_offset = skip_lines as u64;
        if rest.iter().all(u8::is_ascii_whitespace) {
            return Err(LoadError::at(
                file,
                line_offset + 1,
                None,
                None,
                "the file is empty: expected a header line",
            ));
        }
        let mut reader = ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(rest);
        let mut rec = ByteRecord::new();
        reader.read_byte_record(&mut rec).map_err(|e| {
            LoadError::at(
                file,
                line_offset + 1,
                None,
                None,
                format!("cannot read the header: {e}"),
            )
        })?;
        let header = rec
            .iter()
            .map(|f| String::from_utf8_lossy(f).trim().to_string())
            .collect();
        Ok(CsvInput {
            file,
            data: rest,
            line_offset,
            header,
            reader,
        })
    }

    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// Refuses a header that is not exactly `expected`, naming the first column that differs.
    pub fn expect_header(&self, expected: &[&str]) -> Result<(), LoadError> {
        for (i, want) in expected.iter().enumerate() {
            match self.header.get(i) {
                Some(got) if got == want => {}
                Some(got) => {
                    return Err(LoadError::at(
                        self.file,
                        self.line_offset + 1,
                        Some(i + 1),
                        None,
                        format!(
                            "unexpected header: expected column {} to be `{want}`, found `{got}`",
                            i + 1
                        ),
                    ))
                }
                None => {
                    return Err(LoadError::at(
                        self.file,
                        self.line_offset + 1,
                        Some(i + 1),
                        None,
                        format!(
                            "unexpected header: expected {} columns ({}), found {}",
                            expected.len(),
                            expected.join(","),
                            self.header.len()
                        ),
                    ))
                }
            }
        }
        if self.header.len() > expected.len() {
            return Err(LoadError::at(
                self.file,
                self.line_offset + 1,
                Some(expected.len() + 1),
                None,
                format!(
                    "unexpected header: expected {} columns, found extra column `{}`",
                    expected.len(),
                    self.header[expected.len()]
                ),
            ));
        }
        Ok(())
    }

    /// Calls `each` on every data record. A record with the wrong number of fields is an error (a
    /// truncated file ends in one); a last line without a line break is recorded as a finding.
    pub fn for_each_row(
        self,
        findings: &mut Findings,
        mut each: impl FnMut(&Row<'_>, &mut Findings) -> Result<(), LoadError>,
    ) -> Result<u64, LoadError> {
        let mut reader = self.reader;
        let mut rec = ByteRecord::new();
        let mut rows = 0u64;
        let width = self.header.len();
        loop {
            match reader.read_byte_record(&mut rec) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line()) + self.line_offset;
                    return Err(LoadError::at(
                        self.file,
                        line,
                        None,
                        None,
                        format!("cannot read the record: {e}"),
                    ));
                }
            }
            let line = rec.position().map_or(0, |p| p.line()) + self.line_offset;
            if rec.len() == 1 && rec.get(0).is_some_and(|f| f.is_empty()) {
                continue;
            }
            if rec.len() != width {
                let truncated = rec.len() < width && is_last_line(self.data, &rec);
                return Err(LoadError::at(
                    self.file,
                    line,
                    Some(rec.len().min(width) + 1),
                    None,
                    format!(
                        "expected {width} fields, found {}{}",
                        rec.len(),
                        if truncated {
                            " (the file looks truncated)"
                        } else {
                            ""
                        }
                    ),
                ));
            }
            rows += 1;
            each(
                &Row {
                    file: self.file,
                    line,
                    record: &rec,
                    header: &self.header,
                },
                findings,
            )?;
        }
        if !self.data.ends_with(b"\n") {
            findings.record(
                "no_final_line_break",
                "the last line has no line break: check that the file is complete",
                rows + self.line_offset + 1,
            );
        }
        Ok(rows)
    }
}

/// Whether `rec` starts on the last line of `data`.
fn is_last_line(data: &[u8], rec: &ByteRecord) -> bool {
    rec.position()
        .map(|p| p.byte() as usize)
        .and_then(|start| data.get(start..))
        .is_some_and(|rest| rest.iter().filter(|&&b| b == b'\n').count() <= 1)
}

impl Row<'_> {
    pub fn error(&self, col: usize, message: impl Into<String>) -> LoadError {
        LoadError::at(
            self.file,
            self.line,
            Some(col + 1),
            self.header.get(col).map(String::as_str),
            message,
        )
    }

    /// The text of a cell, trimmed of ASCII blanks.
    pub fn text(&self, col: usize) -> Result<&str, LoadError> {
        let raw = self.record.get(col).unwrap_or_default().trim_ascii();
        std::str::from_utf8(raw).map_err(|_| self.error(col, "expected UTF-8 text"))
    }

    /// A whole number, or `None` for an empty cell (not available).
    pub fn int(&self, col: usize) -> Result<Option<i64>, LoadError> {
        let raw = self.record.get(col).unwrap_or_default();
        parse_int(raw).map_err(|NotAWholeNumber| {
            self.error(
                col,
                format!(
                    "expected a whole number or an empty cell, found `{}`",
                    String::from_utf8_lossy(raw)
                ),
            )
        })
    }

    /// A decimal number, or `None` for an empty cell.
    pub fn float(&self, col: usize) -> Result<Option<f64>, LoadError> {
        let text = self.text(col)?;
        if text.is_empty() {
            return Ok(None);
        }
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(Some(v)),
            _ => Err(self.error(
                col,
                format!("expected a number or an empty cell, found `{text}`"),
            )),
        }
    }

    /// A required year.
    pub fn year(&self, col: usize) -> Result<i16, LoadError> {
        let text = self.text(col)?;
        text.parse::<passage_domain::Year>()
            .map(|y| y.get() as i16)
            .map_err(|e| self.error(col, e.to_string()))
    }
}

/// A cell that is not a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAWholeNumber;

/// Parses a whole number from bytes: optional sign, digits, and an optional all-zero fraction
/// (`12.0`), since some exports write counts as floats. Empty means not available.
pub fn parse_int(raw: &[u8]) -> Result<Option<i64>, NotAWholeNumber> {
    let mut s = raw;
    while let [b' ' | b'\t', rest @ ..] = s {
        s = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = s {
        s = rest;
    }
    if s.is_empty() {
        return Ok(None);
    }
    let (neg, digits) = match s {
        [b'-', rest @ ..] => (true, rest),
        [b'+', rest @ ..] => (false, rest),
        _ => (false, s),
    };
    let (int_part, frac) = match digits.iter().position(|&b| b == b'.') {
        Some(i) => (&digits[..i], &digits[i + 1..]),
        None => (digits, &[][..]),
    };
    if int_part.is_empty() || !frac.iter().all(|&b| b == b'0') {
        return Err(NotAWholeNumber);
    }
    let mut v: i64 = 0;
    for &b in int_part {
        if !b.is_ascii_digit() {
            return Err(NotAWholeNumber);
        }
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(NotAWholeNumber)?;
    }
    Ok(Some(if neg { -v } else { v }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ints() {
        assert_eq!(parse_int(b""), Ok(None));
        assert_eq!(parse_int(b"0"), Ok(Some(0)));
        assert_eq!(parse_int(b"-5"), Ok(Some(-5)));
        assert_eq!(parse_int(b"12.00"), Ok(Some(12)));
        assert!(parse_int(b"12.5").is_err());
        assert!(parse_int(b"1,200").is_err());
        assert!(parse_int(b"-").is_err());
        assert!(parse_int(b"99999999999999999999").is_err());
    }

    proptest! {
        #[test]
        fn ints_round_trip(v in proptest::num::i64::ANY.prop_filter("not MIN", |v| *v != i64::MIN)) {
            prop_assert_eq!(parse_int(v.to_string().as_bytes()), Ok(Some(v)));
        }

        #[test]
        fn int_parser_never_panics(s in proptest::collection::vec(any::<u8>(), 0..24)) {
            let _ = parse_int(&s);
        }
    }

    #[test]
    fn header_and_field_errors_name_their_place() {
        let mut findings = Findings::default();
        let data = b"year,refugees\n2020,5\n2021,x\n";
        let input = CsvInput::new("f.csv", data, 0).unwrap();
        assert!(input.expect_header(&["year", "refugees"]).is_ok());
        let err = input
            .expect_header(&["year", "asylum_seekers"])
            .unwrap_err()
            .to_string();
        assert_eq!(err, "f.csv:1:2: unexpected header: expected column 2 to be `asylum_seekers`, found `refugees`");
        let err = input
            .for_each_row(&mut findings, |r, _| r.int(1).map(|_| ()))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "f.csv:3:2 (column `refugees`): expected a whole number or an empty cell, found `x`"
        );
        let truncated = CsvInput::new("t.csv", b"year,refugees\n2020,5\n2021", 0).unwrap();
        let err = truncated
            .for_each_row(&mut findings, |_, _| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.csv:3:2: expected 2 fields, found 1"),
            "{err}"
        );
    }
}
