//! Answers that are right or refused: codes of the wrong system, sums that would add unlike
//! figures, mid-year figures labelled, empty selections, and output to a reader that went away.

use std::io::Read;
use std::process::Stdio;
use std::sync::OnceLock;

use crate::{passage, run_err, run_ok, shared_data};

/// One store of the shared data, synced once with UNHCR's version, for every test here.
fn store() -> &'static std::path::Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = crate::lasting_tempdir();
        run_ok(
            passage(dir.path())
                .args(["sync", "--from"])
                .arg(shared_data())
                .args(["--source-version", "unhcr=2025.12.1"]),
        );
        dir
    })
    .path()
}

fn stderr_of(args: &[&str]) -> String {
    let out = run_err(passage(store()).args(args));
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_code_of_the_other_system_is_refused_with_its_meaning() {
    let e = stderr_of(&["query", "population", "--asylum", "GFR", "--year", "2024"]);
    assert!(
        e.contains("`GFR` is UNHCR's code for Germany; its ISO3 is DEU"),
        "{e}"
    );
    assert!(e.contains("asylum"), "the parameter is named: {e}");
    let e = stderr_of(&["query", "population", "--origin", "ZZZ"]);
    assert!(e.contains("`ZZZ` is not a country code"), "{e}");
    // A real country without rows is a real, empty selection.
    let out = run_ok(passage(store()).args([
        "query",
        "population",
        "--origin",
        "ATA",
        "--format",
        "csv",
    ]));
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn stocks_are_not_summed_across_years() {
    let e = stderr_of(&[
        "query",
        "population",
        "--years",
        "2015..2025",
        "--by",
        "origin",
        "--measures",
        "refugees",
    ]);
    assert!(e.contains("counts the same people again"), "{e}");
    // Grouped by year, each row is one year's stock, and no total adds them.
    let out = run_ok(passage(store()).args([
        "query",
        "population",
        "--years",
        "2015..2025",
        "--measures",
        "refugees",
    ]));
    assert!(!out.lines().any(|l| l.starts_with("total")), "{out}");
    assert!(out.contains("no total"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&run_ok(passage(store()).args([
        "query",
        "population",
        "--years",
        "2015..2025",
        "--measures",
        "refugees",
        "--format",
        "json",
    ])))
    .unwrap();
    assert!(json["total"].is_null(), "{json}");
    // Flows add across years: their total stays.
    let out = run_ok(passage(store()).args([
        "query",
        "solutions",
        "--years",
        "2015..2024",
        "--measures",
        "resettlement",
    ]));
    assert!(out.lines().any(|l| l.starts_with("total")), "{out}");
}

#[test]
fn asylum_cases_and_persons_are_never_added() {
    let out = run_ok(passage(store()).args([
        "query",
        "asylum_applications",
        "--year",
        "2024",
        "--asylum",
        "DEU",
        "--by",
        "year",
        "--format",
        "csv",
    ]));
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("year,app_pc,applied"), "{out}");
    let units: Vec<&str> = lines.map(|l| l.split(',').nth(1).unwrap()).collect();
    let mut sorted = units.clone();
    sorted.dedup();
    assert_eq!(units.len(), sorted.len(), "one row per unit: {out}");
    // Filtered to one unit, there is nothing to split.
    let out = run_ok(passage(store()).args([
        "query",
        "asylum_applications",
        "--year",
        "2024",
        "--where",
        "app_pc=P",
        "--format",
        "csv",
    ]));
    assert!(out.starts_with("year,applied\n"), "{out}");
}

#[test]
fn mid_year_figures_are_labelled() {
    let out = run_ok(passage(store()).args([
        "query",
        "population",
        "--years",
        "2024..2025",
        "--measures",
        "refugees",
        "--format",
        "csv",
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "year,refugees,reference_period", "{out}");
    assert!(
        lines[1].starts_with("2024,") && lines[1].ends_with(','),
        "{out}"
    );
    assert!(
        lines[2].starts_with("2025,") && lines[2].ends_with(",mid-year"),
        "{out}"
    );
    let table = run_ok(passage(store()).args([
        "query",
        "population",
        "--year",
        "2025",
        "--measures",
        "refugees",
    ]));
    assert!(
        table.contains("2025: mid-year figures (as at 30 June)"),
        "{table}"
    );
}

#[test]
fn the_missing_migrants_year_under_way_is_labelled_to_date() {
    // A year not ended when the release was made is counted to date; earlier years are whole.
    let made: i32 = run_ok(passage(store()).args(["releases"]))
        .split_whitespace()
        .find_map(|w| {
            let dated = w.len() >= 10 && w.as_bytes().get(4) == Some(&b'-');
            w.get(..4).filter(|_| dated)?.parse().ok()
        })
        .expect("the release's creation date is listed");
    let out = run_ok(passage(store()).args([
        "query",
        "missing_migrants",
        "--years",
        &format!("{}..{made}", made - 3),
        "--measures",
        "dead_and_missing",
        "--format",
        "csv",
    ]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines[0], "year,dead_and_missing,reference_period", "{out}");
    assert!(lines.len() > 1, "{out}");
    for line in &lines[1..] {
        let year: i32 = line.split(',').next().unwrap().parse().unwrap();
        let expected = if year >= made { ",to date" } else { "," };
        assert!(line.ends_with(expected), "{year}: {out}");
    }
}

#[test]
fn a_grouped_query_over_no_rows_prints_no_rows() {
    let out = run_ok(passage(store()).args([
        "query",
        "population",
        "--year",
        "1974",
        "--origin",
        "HUN,UNK",
        "--asylum",
        "CZE,ZAF",
        "--by",
        "year,origin,asylum",
        "--format",
        "csv",
    ]));
    assert_eq!(out.lines().count(), 1, "{out}");
}

#[test]
fn a_reader_that_goes_away_ends_the_command_quietly() {
    let mut child = passage(store())
        .args([
            "query",
            "population",
            "--by",
            "year,origin,asylum",
            "--format",
            "csv",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 64];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(status.code(), Some(0), "{stderr}");
}

#[test]
fn indicator_csv_has_unique_columns_and_the_figure_is_the_sum_of_its_parts() {
    let out = run_ok(passage(store()).args([
        "indicator",
        "show",
        "refugees",
        "--year",
        "2024",
        "--format",
        "csv",
    ]));
    let mut lines = out.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let mut unique = header.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), header.len(), "{header:?}");
    let row: Vec<f64> = lines
        .next()
        .unwrap()
        .split(',')
        .map(|c| c.parse().unwrap_or(f64::NAN))
        .collect();
    let col = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    assert_eq!(
        col("refugees"),
        col("refugees_part") + col("other_in_need_of_protection"),
        "{out}"
    );
}

#[test]
fn indicators_and_claims_say_when_they_read_mid_year_figures() {
    let json: serde_json::Value = serde_json::from_str(&run_ok(passage(store()).args([
        "indicator",
        "show",
        "refugees",
        "--years",
        "2024..2025",
        "--format",
        "json",
    ])))
    .unwrap();
    let points = json["points"].as_array().unwrap();
    let period = |y: i64| {
        points
            .iter()
            .find(|p| p["year"] == y)
            .map(|p| p["reference_period"].clone())
    };
    assert_eq!(period(2025), Some(serde_json::json!("mid-year")), "{json}");
    assert_eq!(period(2024), Some(serde_json::Value::Null), "{json}");
    let claim = run_ok(passage(store()).args(["claims", "show", "turkiye-hosts-most-refugees"]));
    assert!(claim.contains("2025, mid-year"), "{claim}");
}

#[test]
fn an_error_printed_to_a_closed_stderr_still_exits_with_its_code() {
    let mut child = passage(store())
        .args(["query", "population", "--origin", "ZZZ"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Closing the reader before the command writes its error: a panic would exit 101.
    drop(child.stderr.take());
    assert_eq!(child.wait().unwrap().code(), Some(2));
}
