//! The server under ordinary and hostile use: inputs that once panicked answer, a code of the
//! wrong system is refused naming it, sums of unlike figures are split or withheld, and a client
//! that never finishes its headers is disconnected.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::{get, get_json, shared};

#[test]
fn grouped_queries_over_no_rows_answer_instead_of_dropping_the_connection() {
    let s = shared();
    let (status, body) = get(s.addr, "/population/v1/population/?coo=ZZZ&coa_all=true");
    assert_eq!(status, 200, "{body}");
    let j: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(j["items"].as_array().map(Vec::len), Some(0), "{j}");
    let j = get_json(
        s.addr,
        "/api/v1/datasets/population?origin=ATA&by=year,origin,asylum",
    );
    assert_eq!(j["total_rows"], 0, "{j}");
}

#[test]
fn a_code_of_the_other_system_is_a_400_naming_it() {
    let s = shared();
    let (status, body) = get(s.addr, "/api/v1/datasets/population?asylum=GFR&year=2024");
    assert_eq!(status, 400, "{body}");
    let j: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(j["error"]["code"], "invalid_parameter");
    assert_eq!(j["error"]["parameter"], "asylum");
    let message = j["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("GFR") && message.contains("DEU"),
        "{message}"
    );
    // The compatible API keeps UNHCR's leniency: an unknown code selects nothing.
    let (status, _) = get(s.addr, "/population/v1/population/?year=2024&coa=XYZ");
    assert_eq!(status, 200);
}

#[test]
fn stocks_of_several_years_are_not_added_and_units_are_split() {
    let s = shared();
    let (status, body) = get(
        s.addr,
        "/api/v1/datasets/population?years=2015..2024&by=origin&measures=refugees",
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("counts the same people again"), "{body}");
    let j = get_json(
        s.addr,
        "/api/v1/datasets/population?years=2015..2024&measures=refugees",
    );
    assert!(j["total"].is_null(), "{j}");
    assert!(
        j["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n.as_str().unwrap().starts_with("no total")),
        "{j}"
    );
    let j = get_json(
        s.addr,
        "/api/v1/datasets/asylum_decisions?year=2024&asylum=DEU&by=year",
    );
    assert_eq!(j["columns"][1], "dec_pc", "{j}");
    assert!(j["total"].is_null(), "cases and persons are not added: {j}");
}

#[test]
fn a_client_that_never_finishes_its_headers_is_disconnected() {
    let s = shared();
    let timeout = Duration::from_millis(300);
    let app = passage_server::router(s.state.clone(), passage_server::Limits::default());
    let addr = crate::listen(app, timeout);
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: loc")
        .unwrap();
    let started = Instant::now();
    let mut rest = Vec::new();
    // The server closes the connection (possibly after a 408); a read that timed out instead
    // would be an error here.
    slow.read_to_end(&mut rest).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(20),
        "the connection was held open"
    );
    let text = String::from_utf8_lossy(&rest);
    assert!(
        text.is_empty() || text.starts_with("HTTP/1.1 408"),
        "{text}"
    );
    // A client that sends its headers in time is served on the same server.
    let (status, _) = get(addr, "/healthz");
    assert_eq!(status, 200);
}

#[test]
fn a_year_is_noted_once_whatever_the_order_of_the_grouping() {
    let s = shared();
    let j = get_json(
        s.addr,
        "/api/v1/datasets/population?years=2024..2025&origin=SYR,AFG&by=origin,year&measures=refugees",
    );
    let notes: Vec<&str> = j["notes"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n.as_str())
        .filter(|n| n.starts_with("2025:"))
        .collect();
    assert_eq!(notes.len(), 1, "{j}");
}
