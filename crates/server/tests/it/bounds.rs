//! What one request may cost: a page over the answer budget is refused with the limit that fits,
//! and the compatible API's page cache is bounded by its option, down to keeping nothing.

use serde_json::Value;

use crate::{get, get_json, shared, shared_data, start_with_options};

#[test]
fn a_page_over_the_cell_budget_is_refused_naming_the_limit_that_fits() {
    let s = shared();
    let heavy = "/api/v1/datasets/population?by=year,origin,asylum&limit=100000";
    let (status, body) = get(s.addr, heavy);
    assert_eq!(status, 413, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["error"]["code"], "answer_too_large");
    assert_eq!(v["error"]["parameter"], "limit");
    let message = v["error"]["message"].as_str().unwrap();
    let fits: usize = message
        .split("limit=")
        .nth(1)
        .and_then(|m| m.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("the message names a limit: {message}"));
    assert!((1..100_000).contains(&fits), "{message}");
    let page = get_json(
        s.addr,
        &format!("/api/v1/datasets/population?by=year,origin,asylum&limit={fits}"),
    );
    assert_eq!(page["rows"].as_array().unwrap().len(), fits);
    assert!(page["next_offset"].is_u64(), "the rest is paged on");
}

#[test]
fn a_page_through_is_the_same_whatever_the_page_cache_keeps() {
    let uncached = start_with_options(
        &shared_data(),
        passage_server::Options {
            page_cache_bytes: 0,
            ..Default::default()
        },
    );
    let path =
        "/population/v1/population/?coo_all=true&coa_all=true&limit=2000&yearFrom=2023&yearTo=2024";
    let first = get_json(shared().addr, &format!("{path}&page=1"));
    let pages = first["maxPages"].as_u64().unwrap();
    assert!(pages > 2, "the query spans several pages");
    for page in [1, 2, pages] {
        let path = format!("{path}&page={page}");
        assert_eq!(
            get_json(shared().addr, &path),
            get_json(uncached.addr, &path),
            "{path}"
        );
    }
}
