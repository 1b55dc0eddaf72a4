//! Pages of the compatible API, written as UNHCR writes them: the identity block with `"-"` for a
//! summed dimension, `"0"` for zero and `"-"` for not available, `maxPages`, and a `total` that is
//! `[]` or the column sums of the whole query. JSON is written directly into one buffer: a
//! whole-dataset page-through is the heaviest thing clients do.

use std::fmt::Write;

use passage_datasets::Value;
use passage_domain::{CodeSystem, CountryCode, Year};
use passage_store::{run, Filter, IndexedTable, Query, Release, YearFilter};
use rustc_hash::FxHashMap;

use super::endpoint::Endpoint;
use super::params::CompatParams;

fn push_json_str(buf: &mut String, s: &str) {
    buf.push('"');
    for c in s.chars() {
        match c {
            '"' => buf.push_str("\\\""),
            '\\' => buf.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(buf, "\\u{:04x}", c as u32);
            }
            c => buf.push(c),
        }
    }
    buf.push('"');
}

/// A value cell: an integer, `"0"` for zero, `"-"` for not available.
fn push_cell(buf: &mut String, v: &Value) {
    match v {
        Value::Int(0) => buf.push_str("\"0\""),
        Value::Int(n) => {
            let _ = write!(buf, "{n}");
        }
        Value::Float(f) if *f == 0.0 => buf.push_str("\"0\""),
        Value::Float(f) => {
            let _ = write!(buf, "{f}");
        }
        Value::Null => buf.push_str("\"-\""),
    }
}

/// A stable short id of the query, in the place of UNHCR's `short-url`.
pub fn short_url(query: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in query.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..6)
        .map(|i| ALPHABET[((h >> (i * 10)) % ALPHABET.len() as u64) as usize] as char)
        .collect()
}

/// The published name and ISO code, and an id, of each UNHCR code on one side.
struct Labels<'r> {
    by_code: FxHashMap<&'r str, (&'r str, &'r str, String)>,
}

impl<'r> Labels<'r> {
    fn new(
        release: &'r Release,
        t: &'r IndexedTable,
        code_dim: &str,
        name_dim: &str,
        iso_dim: &str,
    ) -> Labels<'r> {
        let mut by_code = FxHashMap::default();
        let (Some(c), Some(n), Some(i)) = (
            t.dim_index(code_dim),
            t.dim_index(name_dim),
            t.dim_index(iso_dim),
        ) else {
            return Labels { by_code };
        };
        let Some(first) = t.first_rows[c].as_ref() else {
            return Labels { by_code };
        };
        let dims = &t.table.dims;
        for (code, &row) in dims[c].dict.iter().zip(first) {
            if row == u32::MAX {
                continue;
            }
            let row = row as usize;
            // Clients drop `coo_id`/`coa_id` but expect them; Passage gives the M49 code.
            let id = CountryCode::parse(CodeSystem::Unhcr, code)
                .ok()
                .and_then(|cc| release.countries().get(cc))
                .and_then(|country| country.m49)
                .map_or_else(|| "\"-\"".to_string(), |m| m.to_string());
            by_code.insert(code.as_str(), (dims[n].value(row), dims[i].value(row), id));
        }
        Labels { by_code }
    }

    fn push(&self, buf: &mut String, side: &str, code: Option<&str>) {
        match code.and_then(|c| self.by_code.get(c).map(|l| (c, l))) {
            Some((code, (name, iso, id))) => {
                let _ = write!(buf, ",\"{side}_id\":{id},\"{side}_name\":");
                push_json_str(buf, name);
                let _ = write!(buf, ",\"{side}\":");
                push_json_str(buf, code);
                let _ = write!(buf, ",\"{side}_iso\":");
                push_json_str(buf, iso);
            }
            None => {
                let _ = write!(buf, ",\"{side}_id\":\"-\",\"{side}_name\":\"-\",\"{side}\":\"-\",\"{side}_iso\":\"-\"");
            }
        }
    }
}

fn side_filter(p: &CompatParams, side: &str, codes: &[String]) -> Filter {
    let (dim, values) = if p.iso {
        // A malformed ISO code matches nothing, as an unknown one does.
        let valid = codes
            .iter()
            .filter(|c| CountryCode::parse(CodeSystem::Iso, c).is_ok())
            .cloned()
            .collect();
        (format!("{side}_iso"), valid)
    } else {
        (side.to_string(), codes.to_vec())
    };
    Filter {
        parameter: side.into(),
        dim,
        values,
    }
}

/// One page of a data endpoint.
pub fn data_page(release: &Release, ep: Endpoint, p: &CompatParams, raw_query: &str) -> String {
    let mut buf = String::with_capacity(256 + p.limit.min(100_000) * 320);
    let Some(t) = release.table(ep.dataset) else {
        return empty_page(p, raw_query, ep.total_sums);
    };
    let mut by = vec!["year".to_string()];
    let mut filters = Vec::new();
    let grouped_coo = p.coo_all || !p.coo.is_empty();
    let grouped_coa = p.coa_all || !p.coa.is_empty();
    if !p.coo_all && !p.coo.is_empty() {
        filters.push(side_filter(p, "coo", &p.coo));
    }
    if !p.coa_all && !p.coa.is_empty() {
        filters.push(side_filter(p, "coa", &p.coa));
    }
    if grouped_coo {
        by.push("coo".into());
    }
    if grouped_coa {
        by.push("coa".into());
    }
    let categories = ep.shown_categories(p);
    by.extend(categories.iter().map(|c| c.to_string()));
    let years = match p.year_set(t.years().map(i32::from)) {
        None => YearFilter::All,
        Some(list) => {
            YearFilter::List(list.into_iter().filter_map(|y| Year::new(y).ok()).collect())
        }
    };
    let query = Query {
        dataset: ep.dataset.name().into(),
        years,
        filters,
        by,
        measures: Vec::new(),
    };
    let answer = match run(release, &query) {
        Ok(a) => a,
        Err(e) => {
            tracing::warn!(error = %e, "compatible API query failed");
            return empty_page(p, raw_query, ep.total_sums);
        }
    };
    let shown: Vec<usize> = match &p.columns {
        None => (0..answer.measures.len()).collect(),
        Some(cols) => (0..answer.measures.len())
            .filter(|&i| cols.iter().any(|c| c == answer.measures[i]))
            .collect(),
    };
    let coo_labels = grouped_coo.then(|| Labels::new(release, t, "coo", "coo_name", "coo_iso"));
    let coa_labels = grouped_coa.then(|| Labels::new(release, t, "coa", "coa_name", "coa_iso"));
    let none = Labels {
        by_code: FxHashMap::default(),
    };

    let rows = answer.len();
    let max_pages = rows.div_ceil(p.limit);
    let start = (p.page - 1).saturating_mul(p.limit).min(rows);
    let end = start.saturating_add(p.limit).min(rows);
    let _ = write!(
        buf,
        "{{\"page\":{},\"short-url\":\"{}\",\"maxPages\":{max_pages},\"total\":",
        p.page,
        short_url(raw_query)
    );
    if ep.total_sums {
        buf.push('{');
        for (k, &i) in shown.iter().enumerate() {
            if k > 0 {
                buf.push(',');
            }
            push_json_str(&mut buf, answer.measures[i]);
            buf.push(':');
            push_cell(&mut buf, &answer.total[i]);
        }
        buf.push('}');
    } else {
        buf.push_str("[]");
    }
    buf.push_str(",\"items\":[");
    for r in start..end {
        let row = answer.row(r);
        if r > start {
            buf.push(',');
        }
        let _ = write!(buf, "{{\"year\":{}", row.keys[0]);
        let mut k = 1;
        let coo = grouped_coo.then(|| {
            k += 1;
            row.keys[k - 1]
        });
        let coa = grouped_coa.then(|| {
            k += 1;
            row.keys[k - 1]
        });
        coo_labels
            .as_ref()
            .unwrap_or(&none)
            .push(&mut buf, "coo", coo);
        coa_labels
            .as_ref()
            .unwrap_or(&none)
            .push(&mut buf, "coa", coa);
        for (c, name) in categories.iter().enumerate() {
            buf.push(',');
            push_json_str(&mut buf, name);
            buf.push(':');
            push_json_str(&mut buf, row.keys[k + c]);
        }
        for &i in &shown {
            buf.push(',');
            push_json_str(&mut buf, answer.measures[i]);
            buf.push(':');
            push_cell(&mut buf, &row.values[i]);
        }
        buf.push('}');
    }
    buf.push_str("]}");
    buf
}

/// A well-formed page with no rows.
pub fn empty_page(p: &CompatParams, raw_query: &str, total_sums: bool) -> String {
    format!(
        "{{\"page\":{},\"short-url\":\"{}\",\"maxPages\":0,\"total\":{},\"items\":[]}}",
        p.page,
        short_url(raw_query),
        if total_sums { "{}" } else { "[]" }
    )
}
