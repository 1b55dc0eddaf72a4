//! Checks of both APIs' query-string parsers. Inputs are either raw query strings or lists of pairs
//! whose names are drawn from the real parameter names, so that mutations get past the name lookup;
//! pairs are percent-encoded here and the parsers must read back exactly what was encoded.

use std::collections::BTreeMap;

use passage_datasets::Dataset;
use passage_server::parsers::{list, read, years_of, CompatParams, QUERY_PARAMS};
use passage_store::YearFilter;

use super::choice::Choices;

/// Percent-encodes every byte but the unreserved ones, so `+`, `&`, `=` and `%` survive.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~[]".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Pairs read from `payload`: chunks separated by NUL, each naming a parameter by its first byte
/// (one of `names`, or for the last choice, a free name up to the first `=`) and giving its value.
fn pairs(payload: &[u8], names: &[&str]) -> Vec<(String, String)> {
    payload
        .split(|&b| b == 0)
        .filter(|chunk| !chunk.is_empty())
        .map(|chunk| {
            let (&pick, rest) = chunk.split_first().unwrap_or((&0, &[]));
            match names.get(usize::from(pick) % (names.len() + 1)) {
                Some(name) => (name.to_string(), String::from_utf8_lossy(rest).into_owned()),
                None => {
                    let text = String::from_utf8_lossy(rest);
                    let (k, v) = text.split_once('=').unwrap_or((&text, ""));
                    (k.to_string(), v.to_string())
                }
            }
        })
        .collect()
}

fn query_of(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// The native API's reader: with structured pairs, the map or the error it gives must be the one an
/// independent pass over the pairs gives (first unknown or repeated name wins).
pub fn native(data: &[u8]) {
    let mut c = Choices::new(data);
    let structured = c.pick(&[true, false]);
    let dataset = c.pick(&Dataset::ALL);
    let payload = c.rest();
    let dims = dataset.schema().dims;
    let declared: Vec<&str> = QUERY_PARAMS.iter().map(|p| p.name).collect();
    let query = if structured {
        let names: Vec<&str> = declared.iter().chain(dims).copied().collect();
        let pairs = pairs(payload, &names);
        let query = query_of(&pairs);
        let mut expected = BTreeMap::new();
        let mut refusal = None;
        for (k, v) in &pairs {
            if !declared.contains(&k.as_str()) && !dims.contains(&k.as_str()) {
                refusal = Some(format!("UnknownParameter({k:?})"));
                break;
            }
            if expected.insert(k.clone(), v.clone()).is_some() {
                refusal = Some(format!("ConflictingParameters {{ parameter: {k:?},"));
                break;
            }
        }
        match (read(&query, &QUERY_PARAMS, dims), refusal) {
            (Ok(map), None) => assert_eq!(map, expected, "query {query}"),
            (Err(e), Some(want)) => {
                let got = format!("{e:?}");
                assert!(
                    got.starts_with(&want),
                    "query {query}: {got}, expected {want}"
                );
            }
            (got, want) => panic!("query {query}: got {got:?}, expected a refusal {want:?}"),
        }
        query
    } else {
        String::from_utf8_lossy(payload).into_owned()
    };
    let Ok(map) = read(&query, &QUERY_PARAMS, dims) else {
        return;
    };
    for v in map.values() {
        assert!(
            list(v)
                .iter()
                .all(|item| !item.is_empty() && item.trim() == item),
            "list items are trimmed and not empty"
        );
    }
    match years_of(&map) {
        Ok(YearFilter::Range(r)) => assert!(r.first <= r.last, "range {r:?}"),
        Ok(YearFilter::List(years)) => assert!(
            map.contains_key("year") && years.len() <= list(&map["year"]).len(),
            "years {years:?}"
        ),
        Ok(YearFilter::All) => assert!(!map.contains_key("year") && !map.contains_key("years")),
        Err(_) => {}
    }
}

const COMPAT_NAMES: [&str; 18] = [
    "coo",
    "coo[]",
    "coa",
    "coa[]",
    "coo_all",
    "coa_all",
    "cf_type",
    "year",
    "year[]",
    "yearFrom",
    "yearTo",
    "limit",
    "page",
    "columns[]",
    "ptype_show",
    "locationDescription_show",
    "download",
    "locationUR_show",
];

/// The compatible API's reader never refuses; what it reads must still make sense: a positive
/// page and limit, codes upper-case without separators, years within the range asked for, and the
/// codes of `coo`/`coo[]` pairs in the order given.
pub fn compat(data: &[u8]) {
    let mut c = Choices::new(data);
    let structured = c.pick(&[true, false]);
    let payload = c.rest();
    let (query, pairs) = if structured {
        let pairs = pairs(payload, &COMPAT_NAMES);
        (query_of(&pairs), Some(pairs))
    } else {
        (String::from_utf8_lossy(payload).into_owned(), None)
    };
    let p = CompatParams::parse(&query);
    assert!(
        p.limit >= 1 && p.page >= 1,
        "limit {} page {}",
        p.limit,
        p.page
    );
    for code in p.coo.iter().chain(&p.coa) {
        assert!(
            !code.is_empty() && !code.contains(',') && *code == code.to_ascii_uppercase(),
            "code {code:?}"
        );
    }
    let data_years = [1951, 1990, 2000, 2020, 2024];
    if let (Some(set), Some((a, b))) = (p.year_set(data_years.into_iter()), p.year_range) {
        assert!(
            set.iter().all(|y| (a..=b).contains(y)),
            "{set:?} outside {a}..{b}"
        );
    }
    if let Some(pairs) = pairs {
        let coo: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| k == "coo" || k == "coo[]")
            .flat_map(|(_, v)| v.split(',').map(|c| c.trim().to_ascii_uppercase()))
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(p.coo, coo, "query {query}");
    }
}
