//! The indicator routes over HTTP: the catalogue, series equal to the library's, rankings,
//! profiles, and errors from the one error table.

use passage_indicators::{Place, Request};
use serde_json::Value;

use crate::{get, get_json, shared};

fn error(path: &str) -> (u16, Value) {
    let (status, body) = get(shared().addr, path);
    (status, serde_json::from_str(&body).unwrap())
}

#[test]
fn the_catalogue_names_objectives_and_sources() {
    let doc = get_json(shared().addr, "/api/v1/indicators");
    let list = doc["indicators"].as_array().unwrap();
    assert!(list.len() >= 20);
    for i in list {
        assert!(!i["objectives"].as_array().unwrap().is_empty(), "{i}");
        assert!(!i["sources"].as_array().unwrap().is_empty(), "{i}");
    }
    assert_eq!(doc["income_classification"], "World Bank FY2025");
}

#[test]
fn a_series_over_http_is_the_librarys_with_sources_and_changes() {
    let s = shared();
    let doc = get_json(
        s.addr,
        "/api/v1/indicators/forcibly_displaced?years=2014..2025&base_year=2018",
    );
    let points = doc["points"].as_array().unwrap();
    assert_eq!(points.len(), 12);
    let release = s.state.release().unwrap();
    let mut request = Request::new("forcibly_displaced", Place::World, None);
    request.years = passage_store::YearFilter::Range("2014..2025".parse().unwrap());
    let series = s.state.engine().evaluate(&release, &request).unwrap();
    for (p, expected) in points.iter().zip(&series.points) {
        assert_eq!(p["year"], i64::from(expected.year));
        assert_eq!(p["value"].as_f64(), expected.value.map(f64::round));
        assert_eq!(
            p["parts"]["idps_conflict"].as_f64(),
            expected.parts[4].map(f64::round)
        );
    }
    assert_eq!(doc["release"], release.manifest.id.to_string());
    assert!(doc["sources"]["population"][0]["sha256"].is_string());
    let y2024 = points.iter().find(|p| p["year"] == 2024).unwrap();
    let y2018 = points.iter().find(|p| p["year"] == 2018).unwrap();
    assert_eq!(
        y2024["change_since_2018"].as_f64().unwrap(),
        y2024["value"].as_f64().unwrap() - y2018["value"].as_f64().unwrap()
    );
    // Before the base year there is no change since it: not a difference read as a fall.
    let y2015 = points.iter().find(|p| p["year"] == 2015).unwrap();
    assert!(y2015["value"].is_number());
    assert!(y2015["change_since_2018"].is_null(), "{y2015}");

    // A country as origin, with breakdown filters of the indicator as parameters.
    let doc = get_json(
        s.addr,
        "/api/v1/indicators/refugee_recognition_rate?country=DEU&role=host&year=2024&dec_pc=P",
    );
    assert_eq!(doc["points"].as_array().unwrap().len(), 1);
    assert_eq!(doc["points"][0]["dec_pc"], "P");
}

#[test]
fn rankings_and_profiles() {
    let s = shared();
    let doc = get_json(
        s.addr,
        "/api/v1/indicators/refugees/ranking?year=2024&role=host&top=3",
    );
    let ranking = doc["ranking"].as_array().unwrap();
    assert_eq!(ranking.len(), 3);
    let values: Vec<f64> = ranking
        .iter()
        .map(|r| r["value"].as_f64().unwrap())
        .collect();
    assert!(values.windows(2).all(|w| w[0] >= w[1]));
    assert_eq!(ranking[0]["rank"], 1);

    let profile = get_json(s.addr, "/api/v1/countries/SYR/profile?years=2020..2024");
    assert_eq!(profile["name"], "Syrian Arab Rep.");
    let sections = profile["indicators"].as_array().unwrap();
    assert!(sections
        .iter()
        .any(|x| x["indicator"] == "sdg_10_7_4" && x["role"] == "origin"));
    assert!(sections
        .iter()
        .all(|x| x["points"].as_array().unwrap().iter().all(|p| {
            let y = p["year"].as_i64().unwrap();
            (2020..=2024).contains(&y)
        })));
}

#[test]
fn errors_come_from_the_error_table() {
    for (path, status, code, parameter) in [
        (
            "/api/v1/indicators/nothing",
            404,
            "unknown_indicator",
            Value::Null,
        ),
        (
            "/api/v1/indicators/sdg_10_7_4?country=SYR&role=host",
            400,
            "invalid_parameter",
            "role".into(),
        ),
        (
            "/api/v1/indicators/refugees?country=SYR&region=Europe&role=host",
            400,
            "conflicting_parameters",
            "country".into(),
        ),
        (
            "/api/v1/indicators/refugees?colour=red",
            400,
            "unknown_parameter",
            "colour".into(),
        ),
        (
            "/api/v1/indicators/refugees/ranking",
            400,
            "invalid_parameter",
            "year".into(),
        ),
        (
            "/api/v1/countries/QQQ/profile",
            400,
            "invalid_parameter",
            "country".into(),
        ),
    ] {
        let (s, body) = error(path);
        assert_eq!(s, status, "{path}: {body}");
        assert_eq!(body["error"]["code"], code, "{path}");
        assert_eq!(body["error"]["parameter"], parameter, "{path}");
    }
}
