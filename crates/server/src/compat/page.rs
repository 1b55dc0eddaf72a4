//! Pages of the compatible API, written as UNHCR writes them: the identity block with `"-"` for a
//! summed dimension, `"0"` for zero and `"-"` for not available, `maxPages`, and a `total` that is
//! `[]` or the column sums of the whole query. JSON is written directly into one buffer: a
//! whole-dataset page-through is the heaviest thing clients do.

use std::fmt::Write;
use std::ops::Range;

use passage_datasets::Value;
use passage_domain::{CodeSystem, CountryCode, Year};
use passage_store::{run_window, Answer, Filter, IndexedTable, Query, Release, YearFilter};
use rustc_hash::FxHashMap;

use std::sync::Arc;

use super::cache::{PageCache, Rendered};
use super::endpoint::Endpoint;
use super::params::CompatParams;

fn push_json_str(buf: &mut String, s: &str) {
    buf.push('"');
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        buf.push_str(s);
    } else {
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
    }
    buf.push('"');
}

/// Appends an integer without the formatting machinery: the hot path of a page-through.
fn push_int(buf: &mut String, n: i64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut v = n.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        buf.push('-');
    }
    // Only ASCII digits were written.
    buf.push_str(std::str::from_utf8(&digits[i..]).unwrap_or("0"));
}

/// A value cell: an integer, `"0"` for zero, `"-"` for not available.
fn push_cell(buf: &mut String, v: &Value) {
    match v {
        Value::Int(0) => buf.push_str("\"0\""),
        Value::Int(n) => push_int(buf, *n),
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

/// The identity fields of every UNHCR code on one side (`coo` or `coa`) of a table, rendered once
/// per release: `,"coo_id":…,"coo_name":…,"coo":…,"coo_iso":…`.
pub type Fragments = FxHashMap<String, String>;

pub fn fragments(release: &Release, t: &IndexedTable, side: &str) -> Fragments {
    let mut out = Fragments::default();
    let (Some(c), Some(n), Some(i)) = (
        t.dim_index(side),
        t.dim_index(&format!("{side}_name")),
        t.dim_index(&format!("{side}_iso")),
    ) else {
        return out;
    };
    let Some(first) = t.first_rows[c].as_ref() else {
        return out;
    };
    let d = &t.table.dims;
    for (code, &row) in d[c].dict.iter().zip(first) {
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
        let mut f = format!(",\"{side}_id\":{id},\"{side}_name\":");
        push_json_str(&mut f, d[n].value(row));
        let _ = write!(f, ",\"{side}\":");
        push_json_str(&mut f, code);
        let _ = write!(f, ",\"{side}_iso\":");
        push_json_str(&mut f, d[i].value(row));
        out.insert(code.clone(), f);
    }
    out
}

fn summed(side: &str) -> String {
    format!(",\"{side}_id\":\"-\",\"{side}_name\":\"-\",\"{side}\":\"-\",\"{side}_iso\":\"-\"")
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

/// What a compatible query groups by, beside the year.
pub struct Shape {
    pub grouped_coo: bool,
    pub grouped_coa: bool,
    pub categories: Vec<&'static str>,
}

/// Runs the query a compatible request stands for: one row per year, per listed or `_all` country
/// on each side, and per category column; a side without codes is summed. Only the rows of
/// `window` are held.
pub fn answer_of<'r>(
    release: &'r Release,
    t: &IndexedTable,
    ep: Endpoint,
    p: &CompatParams,
    window: Range<usize>,
) -> Option<(Answer<'r>, Shape)> {
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
    match run_window(release, &query, window) {
        Ok(a) => Some((
            a,
            Shape {
                grouped_coo,
                grouped_coa,
                categories,
            },
        )),
        Err(e) => {
            tracing::warn!(error = %e, "compatible API query failed");
            None
        }
    }
}

/// About how many bytes a rendered row takes (an identity block on both sides and the measures).
const ROW_BYTES: usize = 330;

/// One page of a data endpoint.
pub fn data_page(
    release: &Release,
    ep: Endpoint,
    p: &CompatParams,
    raw_query: &str,
    cache: &PageCache,
) -> String {
    let key = format!(
        "{}|{}|{:?}",
        release.manifest.id,
        ep.path,
        CompatParams {
            page: 1,
            ..p.clone()
        }
    );
    if let Some(r) = cache.get(&key) {
        return page_of(&r, p, raw_query);
    }
    let Some(t) = release.table(ep.dataset) else {
        return empty_page(p, raw_query, ep.total_sums);
    };
    // The page's rows first: a query too large for the cache never holds all its rows at once.
    let page_rows = (p.page - 1).saturating_mul(p.limit);
    let window = page_rows..page_rows.saturating_add(p.limit);
    let Some((mut answer, mut shape)) = answer_of(release, t, ep, p, window) else {
        return empty_page(p, raw_query, ep.total_sums);
    };
    let rows = answer.len();
    // A query of several pages is rendered whole once, for the cache, when the cache would keep
    // it; rendering a whole query that is then dropped would cost every page of a page-through
    // the whole query's rendering and memory.
    let whole = rows.div_ceil(p.limit) > 1 && cache.would_keep(rows.saturating_mul(ROW_BYTES));
    if whole {
        let Some(all) = answer_of(release, t, ep, p, 0..usize::MAX) else {
            return empty_page(p, raw_query, ep.total_sums);
        };
        (answer, shape) = all;
    }
    let Shape {
        grouped_coo,
        grouped_coa,
        categories,
    } = shape;
    let shown: Vec<usize> = match &p.columns {
        None => (0..answer.measures.len()).collect(),
        Some(cols) => (0..answer.measures.len())
            .filter(|&i| cols.iter().any(|c| c == answer.measures[i]))
            .collect(),
    };
    let (coo_summed, coa_summed) = (summed("coo"), summed("coa"));
    let coo_frags = if grouped_coo {
        cache.fragments(release, ep.dataset, t, "coo")
    } else {
        Default::default()
    };
    let coa_frags = if grouped_coa {
        cache.fragments(release, ep.dataset, t, "coa")
    } else {
        Default::default()
    };
    let key_of = |name: &str| {
        let mut k = String::from(",");
        push_json_str(&mut k, name);
        k.push(':');
        k
    };
    let measure_keys: Vec<String> = answer.measures.iter().map(|m| key_of(m)).collect();
    let category_keys: Vec<String> = categories.iter().map(|c| key_of(c)).collect();

    let max_pages = rows.div_ceil(p.limit);
    let start = (p.page - 1).saturating_mul(p.limit).min(rows);
    let end = start.saturating_add(p.limit).min(rows);
    let (from, to) = if whole { (0, rows) } else { (start, end) };
    let mut r = Rendered {
        total: String::new(),
        items: String::with_capacity((to - from) * ROW_BYTES),
        starts: Vec::with_capacity(to - from + 1),
    };
    if ep.total_sums {
        r.total.push('{');
        for (k, &i) in shown.iter().enumerate() {
            if k > 0 {
                r.total.push(',');
            }
            push_json_str(&mut r.total, answer.measures[i]);
            r.total.push(':');
            push_cell(&mut r.total, &answer.total[i]);
        }
        r.total.push('}');
    } else {
        r.total.push_str("[]");
    }
    let buf = &mut r.items;
    for row_index in from..to {
        let row = answer.row(row_index);
        r.starts.push(buf.len());
        if row_index > from {
            buf.push(',');
        }
        buf.push_str("{\"year\":");
        buf.push_str(row.keys[0]);
        let mut k = 1;
        let coo = grouped_coo.then(|| {
            k += 1;
            row.keys[k - 1]
        });
        let coa = grouped_coa.then(|| {
            k += 1;
            row.keys[k - 1]
        });
        match coo.and_then(|c| coo_frags.get(c)) {
            Some(f) => buf.push_str(f),
            None => buf.push_str(&coo_summed),
        }
        match coa.and_then(|c| coa_frags.get(c)) {
            Some(f) => buf.push_str(f),
            None => buf.push_str(&coa_summed),
        }
        for (c, key) in category_keys.iter().enumerate() {
            buf.push_str(key);
            push_json_str(buf, row.keys[k + c]);
        }
        for &i in &shown {
            buf.push_str(&measure_keys[i]);
            push_cell(buf, &row.values[i]);
        }
        buf.push('}');
    }
    r.starts.push(r.items.len());
    let rendered = Arc::new(r);
    if whole {
        cache.insert(key, rendered.clone());
        page_of(&rendered, p, raw_query)
    } else {
        wrap(
            p,
            raw_query,
            max_pages,
            &rendered.total,
            rendered.slice(0, rendered.len()),
        )
    }
}

/// The page `p.page` of a rendered multi-page query.
fn page_of(r: &Rendered, p: &CompatParams, raw_query: &str) -> String {
    let rows = r.len();
    let start = (p.page - 1).saturating_mul(p.limit).min(rows);
    let end = start.saturating_add(p.limit).min(rows);
    wrap(
        p,
        raw_query,
        rows.div_ceil(p.limit),
        &r.total,
        r.slice(start, end),
    )
}

fn wrap(p: &CompatParams, raw_query: &str, max_pages: usize, total: &str, items: &str) -> String {
    let mut out = String::with_capacity(items.len() + 128);
    let _ = write!(
        out,
        "{{\"page\":{},\"short-url\":\"{}\",\"maxPages\":{max_pages},\"total\":{total},\"items\":[{items}]}}",
        p.page,
        short_url(raw_query)
    );
    out
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
