//! The data table: the exact figures of a chart or a list, written once and shown three ways: as
//! an HTML table (with `data-` attributes a test or a script can read), as JSON and as CSV. Not
//! available is an empty cell, `null` in JSON and an empty field in CSV, never 0.

use std::fmt::Write as _;

use maud::{Markup, PreEscaped};
use passage_charts::{push_escaped, push_exact, push_int};
use serde_json::{json, Map, Value};

/// One cell.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text.
    Text(String),
    /// Text linking to a page of this site.
    Link(String, String),
    /// A figure with its decimals; `None` is not available.
    Number(Option<f64>, u8),
    /// A figure column's cell with no figure to have, and why: unlike a figure not available, no
    /// source could fill it (a change since 2018 in 2015). Its decimals are its column's, so a
    /// twin types the column as figures.
    Inapplicable(&'static str, u8),
}

impl Cell {
    /// A figure rounded as the API rounds it, so a page and the API show the same number.
    pub(crate) fn rounded(&self) -> Value {
        match self {
            Cell::Number(v, d) => passage_indicators::number(v.filter(|v| v.is_finite()), *d),
            Cell::Text(t) | Cell::Link(t, _) => json!(t),
            Cell::Inapplicable(..) => Value::Null,
        }
    }

    fn plain(&self) -> String {
        let mut out = String::new();
        self.push_plain(&mut out);
        out
    }

    /// [`Cell::plain`], appending to `out`: a table writes thousands of figures, and a string
    /// for each was a good part of the incidents map's table.
    fn push_plain(&self, out: &mut String) {
        match self {
            Cell::Text(t) | Cell::Link(t, _) => out.push_str(t),
            Cell::Inapplicable(..) => {}
            // Whole figures, nearly all of them, and short decimals (coordinates, rates) without
            // the detour through a JSON value; the test below holds both to the JSON's text.
            Cell::Number(Some(v), 0) if v.is_finite() => push_int(out, v.round() as i64),
            // Scaled to a whole number below 2^53, the rounded figure is that number's digits
            // with the point put back: the shortest text that reads back as the same float,
            // which the JSON writes.
            Cell::Number(Some(v), d @ 1..=4)
                if v.is_finite() && v.abs() * 10f64.powi(i32::from(*d)) < 9.0e15 =>
            {
                let scale = 10i64.pow(u32::from(*d));
                let scaled = (v * scale as f64).round();
                // The JSON of a figure rounded to zero from below is `-0.0`.
                if scaled.is_sign_negative() {
                    out.push('-');
                }
                let n = scaled.abs() as i64;
                push_int(out, n / scale);
                out.push('.');
                let (mut frac, mut width) = (n % scale, u32::from(*d));
                if frac == 0 {
                    out.push('0');
                } else {
                    while frac % 10 == 0 {
                        frac /= 10;
                        width -= 1;
                    }
                    let digits = frac.ilog10() + 1;
                    for _ in digits..width {
                        out.push('0');
                    }
                    push_int(out, frac);
                }
            }
            Cell::Number(..) => match self.rounded() {
                Value::Null => {}
                v => {
                    let _ = write!(out, "{v}");
                }
            },
        }
    }
}

/// One row, with the year and country it is about, when it is about one.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// The cells, one per column.
    pub cells: Vec<Cell>,
    /// The reference year of the row's figure.
    pub year: Option<i16>,
    /// The ISO3 code of the row's country.
    pub country: Option<String>,
}

/// A table of figures.
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// Unique within its page; also the `?table=` of the page's CSV twin.
    pub id: String,
    /// The caption.
    pub caption: String,
    /// Machine names of the columns (JSON keys, CSV header).
    pub keys: Vec<String>,
    /// Column headers as shown.
    pub labels: Vec<String>,
    /// The rows.
    pub rows: Vec<Row>,
    /// The native API request answering with the same figures, when there is one.
    pub api: Option<String>,
    /// The column holding the figure the API answers (`data-value`); other figures carry
    /// `data-number`.
    pub value_key: Option<String>,
}

impl DataTable {
    /// A table with these columns (machine name, header) and no rows.
    pub fn new(id: &str, caption: &str, columns: &[(&str, &str)]) -> DataTable {
        DataTable {
            id: id.into(),
            caption: caption.into(),
            keys: columns.iter().map(|c| c.0.to_string()).collect(),
            labels: columns.iter().map(|c| c.1.to_string()).collect(),
            rows: Vec::new(),
            api: None,
            value_key: None,
        }
    }

    /// Adds a row.
    pub fn push(&mut self, cells: Vec<Cell>, year: Option<i16>, country: Option<&str>) {
        self.rows.push(Row {
            cells,
            year,
            country: country.map(str::to_string),
        });
    }

    /// The table as HTML.
    pub fn html(&self) -> Markup {
        self.html_of(&self.rows, &self.caption)
    }

    /// Some of the table's rows as HTML under `caption`: a page that shows a long table a
    /// window at a time, while its twins carry every row.
    pub fn html_of(&self, rows: &[Row], caption: &str) -> Markup {
        // Written straight into one buffer: a country page holds some 40 tables of 75 rows, and
        // building each cell through the template engine was a fifth of the page's time.
        // Sized from the cells' text, so that a table of thousands of incidents is not copied
        // as its buffer doubles.
        let text: usize = rows
            .iter()
            .flat_map(|r| &r.cells)
            .map(|c| match c {
                Cell::Text(t) => t.len() + 12,
                Cell::Link(t, href) => t.len() + href.len() + 28,
                Cell::Number(..) => 56,
                Cell::Inapplicable(why, _) => why.len() + 40,
            })
            .sum();
        let mut out = String::with_capacity(512 + caption.len() * 2 + rows.len() * 48 + text);
        out.push_str(r#"<div class="table-scroll" role="region" tabindex="0" aria-label=""#);
        push_escaped(&mut out, caption);
        out.push_str(r#""><table class="data" id="table-"#);
        push_escaped(&mut out, &self.id);
        out.push('"');
        if let Some(api) = &self.api {
            out.push_str(r#" data-api=""#);
            push_escaped(&mut out, api);
            out.push('"');
        }
        out.push_str("><caption>");
        push_escaped(&mut out, caption);
        out.push_str("</caption><thead><tr>");
        for l in &self.labels {
            out.push_str(r#"<th scope="col">"#);
            push_escaped(&mut out, l);
            out.push_str("</th>");
        }
        out.push_str("</tr></thead><tbody>");
        let value_column = self
            .value_key
            .as_deref()
            .and_then(|k| self.keys.iter().position(|c| c == k));
        for row in rows {
            out.push_str("<tr");
            if let Some(y) = row.year {
                out.push_str(r#" data-year=""#);
                push_int(&mut out, y.into());
                out.push('"');
            }
            if let Some(c) = &row.country {
                out.push_str(r#" data-country=""#);
                push_escaped(&mut out, c);
                out.push('"');
            }
            out.push('>');
            for (i, cell) in row.cells.iter().enumerate() {
                let (open, close) = if i == 0 {
                    (r#"<th scope="row">"#, "</th>")
                } else {
                    ("<td>", "</td>")
                };
                match cell {
                    Cell::Text(t) => {
                        out.push_str(open);
                        push_escaped(&mut out, t);
                        out.push_str(close);
                    }
                    Cell::Link(t, href) => {
                        out.push_str(open);
                        out.push_str(r#"<a href=""#);
                        push_escaped(&mut out, href);
                        out.push_str(r#"">"#);
                        push_escaped(&mut out, t);
                        out.push_str("</a>");
                        out.push_str(close);
                    }
                    Cell::Number(v, d) => {
                        let shown = v.filter(|v| v.is_finite());
                        let attribute = if value_column == Some(i) {
                            "data-value"
                        } else {
                            "data-number"
                        };
                        out.push_str(r#"<td class="num" "#);
                        out.push_str(attribute);
                        out.push_str(r#"=""#);
                        // A number's plain form is digits, a point and a sign: nothing to escape.
                        cell.push_plain(&mut out);
                        out.push('"');
                        match shown {
                            Some(v) => {
                                out.push('>');
                                push_exact(&mut out, v, *d);
                            }
                            None => out.push_str(r#" title="not available">"#),
                        }
                        out.push_str("</td>");
                    }
                    Cell::Inapplicable(why, _) => {
                        out.push_str(r#"<td class="num" data-number="" title=""#);
                        push_escaped(&mut out, why);
                        out.push_str(r#""></td>"#);
                    }
                }
            }
            out.push_str("</tr>");
        }
        out.push_str("</tbody></table></div>");
        PreEscaped(out)
    }

    /// The table as JSON: its caption, the API request behind it, and one object per row.
    pub fn json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                let mut m = Map::new();
                for (k, c) in self.keys.iter().zip(&r.cells) {
                    m.insert(k.clone(), c.rounded());
                }
                Value::Object(m)
            })
            .collect();
        json!({"id": self.id, "caption": self.caption, "api": self.api, "columns": self.keys, "rows": rows})
    }

    /// The table as CSV, with a header row, then the HXL hashtag row unless `options` leave it out.
    pub fn csv(&self, options: passage_downloads::CsvOptions) -> String {
        let mut out = options.preamble().to_string();
        let line = |out: &mut String, fields: &mut dyn Iterator<Item = String>| {
            let fields: Vec<String> = fields.map(|f| csv_field(&f)).collect();
            out.push_str(&fields.join(","));
            out.push_str("\r\n");
        };
        line(&mut out, &mut self.keys.iter().cloned());
        if options.hxl {
            line(
                &mut out,
                &mut self.keys.iter().map(|k| passage_downloads::hxl_tag(k)),
            );
        }
        for r in &self.rows {
            line(&mut out, &mut r.cells.iter().map(Cell::plain));
        }
        out
    }
}

/// A CSV field, quoted when it must be, and with a leading `'` before `=`, `+`, `-` or `@` text
/// so a spreadsheet does not run it as a formula.
fn csv_field(text: &str) -> String {
    let guarded = match text.chars().next() {
        Some('=' | '+' | '@') => format!("'{text}"),
        Some('-') if text.parse::<f64>().is_err() => format!("'{text}"),
        _ => text.to_string(),
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> DataTable {
        let mut t = DataTable::new("t", "Refugees", &[("year", "Year"), ("value", "Refugees")]);
        t.value_key = Some("value".into());
        t.push(
            vec![Cell::Text("2023".into()), Cell::Number(Some(1234.0), 0)],
            Some(2023),
            None,
        );
        t.push(
            vec![Cell::Text("2024".into()), Cell::Number(None, 0)],
            Some(2024),
            None,
        );
        t.push(
            vec![
                Cell::Text("=cmd, \"x\"".into()),
                Cell::Number(Some(-2.5), 1),
            ],
            None,
            Some("SYR"),
        );
        t
    }

    #[test]
    fn not_available_is_empty_never_zero() {
        let t = sample();
        let html = t.html().into_string();
        assert!(
            html.contains(r#"data-value="" title="not available"></td>"#),
            "{html}"
        );
        assert_eq!(t.json()["rows"][1]["value"], Value::Null);
        assert!(t.csv(Default::default()).contains("2024,\r\n"));
    }

    #[test]
    fn an_inapplicable_cell_is_empty_and_says_why_not_that_it_is_missing() {
        let mut t = DataTable::new("t", "Change", &[("year", "Year"), ("change", "Change")]);
        t.push(
            vec![
                Cell::Text("2015".into()),
                Cell::Inapplicable("before 2018 & after", 0),
            ],
            Some(2015),
            None,
        );
        let html = t.html().into_string();
        assert!(
            html.contains(
                r#"<td class="num" data-number="" title="before 2018 &amp; after"></td>"#
            ),
            "{html}"
        );
        assert!(!html.contains("not available"), "{html}");
        assert_eq!(t.json()["rows"][0]["change"], Value::Null);
        assert!(t.csv(Default::default()).ends_with("2015,\r\n"));
    }

    #[test]
    fn csv_quotes_and_guards_formulas() {
        let plain = passage_downloads::CsvOptions {
            hxl: false,
            bom: false,
        };
        let csv = sample().csv(plain);
        assert!(csv.starts_with("year,value\r\n2023,1234\r\n"), "{csv}");
        let tagged = sample().csv(Default::default());
        assert!(
            tagged.starts_with("year,value\r\n#date+year,#indicator+value\r\n2023,"),
            "{tagged}"
        );
        assert!(csv.contains("\"'=cmd, \"\"x\"\"\",-2.5"), "{csv}");
    }

    #[test]
    fn plain_numbers_are_the_json_twins_text() {
        let mut v = 0.000_123_f64;
        for i in 0..20_000 {
            // A spread of magnitudes and signs, from 1e-7 to 1e7.
            v = -((v * 1.618_033_9 + f64::from(i) * 0.37) % 1.0e7);
            for d in 0..=6u8 {
                for x in [v, v / 1e4, v / 1e14, v.trunc(), -0.0, 0.0, 0.05, 2.675] {
                    let cell = Cell::Number(Some(x), d);
                    let json = match cell.rounded() {
                        Value::Null => String::new(),
                        j => j.to_string(),
                    };
                    assert_eq!(cell.plain(), json, "{x} with {d} decimals");
                }
            }
        }
    }

    #[test]
    fn html_rows_carry_year_country_and_exact_value() {
        let html = sample().html().into_string();
        assert!(html.contains(r#"<tr data-year="2023"><th scope="row">2023</th><td class="num" data-value="1234">1,234</td>"#), "{html}");
        assert!(html.contains(r#"data-country="SYR""#));
    }
}
