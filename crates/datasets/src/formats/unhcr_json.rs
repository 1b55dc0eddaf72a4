//! The population API's paged JSON (`{"page":…,"maxPages":…,"items":[…]}`), one page per file or an
//! array of pages, with its mixed cells: integers, `"0"` for zero and `"-"` for not available.

use serde_json::Value as Json;

use crate::formats::unhcr_row::{push_row, Flags, Identity};
use crate::{Dataset, Findings, LoadError, Table, NULL_INT};

fn bad(file: &str, item: usize, field: &str, message: String) -> LoadError {
    LoadError::Unusable {
        file: file.to_string(),
        message: format!("item {item}, field `{field}`: {message}"),
    }
}

/// Whether `data` looks like pages of the API (an object with `items`, or an array of them).
pub fn looks_like_pages(data: &[u8]) -> bool {
    let head = &data[..data.len().min(4096)];
    let text = String::from_utf8_lossy(head);
    text.trim_start().starts_with(['{', '[']) && text.contains("\"items\"")
}

/// Whole floats below this magnitude convert to `i64` exactly; larger ones would saturate.
const WHOLE_FLOAT_LIMIT: f64 = 9.0e18;

fn cell_count(v: Option<&Json>) -> Result<Option<i64>, String> {
    // `NULL_INT` is the table's marker of "not available": a cell holding it would read as empty.
    let count = |v: i64| (v != NULL_INT).then_some(v);
    match v {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => n
            .as_i64()
            .and_then(count)
            .or_else(|| {
                n.as_f64()
                    .filter(|f| f.fract() == 0.0 && f.abs() < WHOLE_FLOAT_LIMIT)
                    .map(|f| f as i64)
            })
            .map(Some)
            .ok_or_else(|| format!("expected a whole number within 64 bits, found {n}")),
        Some(Json::String(s)) if s == "-" || s.is_empty() => Ok(None),
        Some(Json::String(s)) => s
            .trim()
            .parse()
            .ok()
            .and_then(count)
            .map(Some)
            .ok_or_else(|| format!("expected a number, \"0\" or \"-\", found \"{s}\"")),
        Some(other) => Err(format!("expected a number, \"0\" or \"-\", found {other}")),
    }
}

fn cell_text(v: Option<&Json>) -> String {
    match v {
        Some(Json::String(s)) => s.trim().to_string(),
        Some(Json::Number(n)) => n.to_string(),
        _ => String::new(),
    }
}

pub fn load(
    file: &str,
    data: &[u8],
    dataset: Dataset,
    findings: &mut Findings,
) -> Result<Table, LoadError> {
    let doc: Json = serde_json::from_slice(data).map_err(|e| {
        LoadError::at(
            file,
            e.line() as u64,
            Some(e.column()),
            None,
            format!("invalid JSON: {e}"),
        )
    })?;
    let pages: Vec<&Json> = match &doc {
        Json::Array(pages) => pages.iter().collect(),
        page => vec![page],
    };
    let schema = dataset.schema();
    let extras = schema.dims.len() - 7;
    let mut b = dataset.builder();
    let mut measures = vec![None; schema.measures.len()];
    let mut n = 0usize;
    for page in pages {
        let Some(items) = page.get("items").and_then(Json::as_array) else {
            return Err(LoadError::Unusable {
                file: file.to_string(),
                message: "expected a page object with an `items` array (or an array of such pages)"
                    .into(),
            });
        };
        for item in items {
            n += 1;
            let year = match item.get("year") {
                Some(Json::Number(y)) => y.to_string(),
                Some(Json::String(y)) => y.clone(),
                _ => return Err(bad(file, n, "year", "expected a year".into())),
            };
            let year = year
                .parse::<passage_domain::Year>()
                .map_err(|e| bad(file, n, "year", e.to_string()))?
                .get() as i16;
            let texts: Vec<String> = ["coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso"]
                .iter()
                .map(|f| cell_text(item.get(*f)))
                .collect();
            for (m, (name, _)) in measures.iter_mut().zip(schema.measures) {
                *m = cell_count(item.get(*name)).map_err(|e| bad(file, n, name, e))?;
            }
            let mut flags = Flags::default();
            if texts[2] == "-" || texts[5] == "-" {
                findings.record(
                    "summed_dimension",
                    "a row of a query that summed over origin or asylum (`-` codes); it overlaps other rows",
                    n as u64,
                );
                flags.add("summed_dimension");
            }
            let id = Identity {
                coo_name: &texts[0],
                coo: &texts[1],
                coo_iso: &texts[2],
                coa_name: &texts[3],
                coa: &texts[4],
                coa_iso: &texts[5],
            };
            let extra: Vec<String> = schema.dims[6..6 + extras]
                .iter()
                .map(|name| cell_text(item.get(*name)))
                .collect();
            let extra: Vec<&str> = extra.iter().map(String::as_str).collect();
            push_row(
                &mut b, dataset, year, &id, &extra, &measures, flags, findings, n as u64,
            );
        }
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refugees(cell: &str) -> Result<Table, LoadError> {
        let page = format!(
            r#"{{"items": [{{"year": 2024, "coo_iso": "SYR", "coa_iso": "TUR", "refugees": {cell}}}]}}"#
        );
        load(
            "p.json",
            page.as_bytes(),
            Dataset::Population,
            &mut Findings::default(),
        )
    }

    #[test]
    fn a_count_beyond_64_bits_or_equal_to_the_null_marker_is_refused_not_read_as_empty() {
        for cell in [
            "-9223372036854775808",
            "\"-9223372036854775808\"",
            "1e300",
            "-1e19",
            "18446744073709551615",
        ] {
            let err = refugees(cell)
                .map(|t| t.measures[0].value(0))
                .unwrap_err()
                .to_string();
            assert!(err.contains("field `refugees`"), "{cell}: {err}");
        }
        let t = refugees("-9223372036854775807").unwrap();
        assert_eq!(t.measures[0].value(0), crate::Value::Int(-i64::MAX));
        assert_eq!(
            refugees("4.0e6").unwrap().measures[0].value(0),
            crate::Value::Int(4_000_000)
        );
    }
}
