//! What one request may cost: the compatible API's page cache is bounded by its option, down to
//! keeping nothing, and pages are the same whatever it keeps.

use crate::{get_json, shared, shared_data, start_with_options};

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
