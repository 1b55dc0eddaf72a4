//! Health, readiness, and a newly activated release picked up without a restart.

use crate::{get, get_json, start};

const POPULATION: &str = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n\
2024,Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,100,0,0,0,0,0,0,,0\n";

#[test]
fn health_readiness_and_hot_reload() {
    let first = tempfile::tempdir().unwrap();
    std::fs::write(first.path().join("population.csv"), POPULATION).unwrap();
    let server = start(first.path());
    assert_eq!(get(server.addr, "/healthz"), (200, "ok".to_string()));
    let ready = get_json(server.addr, "/readyz");
    let old = ready["release"].as_str().unwrap().to_string();
    let total = |s: &crate::Server| {
        get_json(s.addr, "/population/v1/population/?year=2024")["items"][0]["refugees"].clone()
    };
    assert_eq!(total(&server), 100);

    // A sync activates a new release; the server swaps it in without a restart.
    let second = tempfile::tempdir().unwrap();
    std::fs::write(
        second.path().join("population.csv"),
        POPULATION.replace(",100,", ",250,"),
    )
    .unwrap();
    let imported =
        passage_datasets::import_dir(second.path(), &Default::default(), &|_| {}).unwrap();
    let outcome = server.store.sync(&imported, &|_| {}).unwrap();
    assert!(server.state.reload_if_changed().unwrap());
    assert_eq!(
        get_json(server.addr, "/readyz")["release"],
        outcome.id.as_str()
    );
    assert_ne!(outcome.id.as_str(), old);
    assert_eq!(total(&server), 250);
}
