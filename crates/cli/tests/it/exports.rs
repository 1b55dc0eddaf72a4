//! A release exported as a Frictionless Data Package passes `frictionless validate`; as a ZIP it
//! holds the package and a README with the citation and licences; the CSVs hold the release's
//! figures; bad requests are clear errors that leave nothing behind.

use std::process::Command;

use crate::{passage, run_err, run_ok, shared_data};

#[test]
fn a_release_exports_as_a_valid_data_package_and_a_zip_with_its_citation() {
    let store = tempfile::tempdir().unwrap();
    run_ok(
        passage(store.path())
            .args(["sync", "--source-version", "unhcr=2025.12.1", "--from"])
            .arg(shared_data()),
    );
    let out = tempfile::tempdir().unwrap();
    let pkg = out.path().join("package");
    run_ok(
        passage(store.path())
            .args(["export", "release", "--format", "datapackage", "--out"])
            .arg(&pkg),
    );
    let validate = Command::new("frictionless")
        .args(["validate", "--json"])
        .arg(pkg.join("datapackage.json"))
        .output()
        .expect("frictionless (PyPI) is installed by .ci/run");
    let report = String::from_utf8_lossy(&validate.stdout);
    assert!(
        validate.status.success(),
        "frictionless found errors: {report}"
    );
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["valid"], true, "{report}");
    // The CSV holds the release's figures: refugees of 2024 summed here equal the store's total.
    let csv = std::fs::read_to_string(pkg.join("data/population.csv")).unwrap();
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (y, r) = (
        header.iter().position(|h| *h == "year").unwrap(),
        header.iter().position(|h| *h == "refugees").unwrap(),
    );
    let mut total = 0i64;
    let mut reader = csv::Reader::from_path(pkg.join("data/population.csv")).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        if &row[y] == "2024" {
            total += row[r].parse::<i64>().unwrap_or(0);
        }
    }
    let answer = run_ok(passage(store.path()).args([
        "query",
        "population",
        "--year",
        "2024",
        "--measures",
        "refugees",
        "--format",
        "json",
    ]));
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(
        answer["rows"][0]["refugees"].as_i64(),
        Some(total),
        "{answer}"
    );
    let zip = out.path().join("release.zip");
    run_ok(
        passage(store.path())
            .args(["export", "release", "--out"])
            .arg(&zip),
    );
    let listing = Command::new("python3")
        .args(["-c", "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; n = z.namelist(); print('\\n'.join(n)); r = [x for x in n if x.endswith('README.md')][0]; print(z.read(r).decode())"])
        .arg(&zip)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&listing.stdout);
    assert!(
        listing.status.success(),
        "{}",
        String::from_utf8_lossy(&listing.stderr)
    );
    assert!(
        text.contains("/datapackage.json") && text.contains("/data/population.csv"),
        "{text}"
    );
    for needle in [
        "How to cite",
        "UNHCR Refugee Data Finder",
        "CC BY 4.0",
        "IOM Missing Migrants Project",
    ] {
        assert!(text.contains(needle), "README names {needle}");
    }
    let e = run_err(
        passage(store.path())
            .args(["export", "release", "--out"])
            .arg(&zip),
    );
    assert!(String::from_utf8_lossy(&e.stderr).contains("exists already"));
    let e = run_err(
        passage(store.path())
            .args(["export", "release", "rffffffffffff", "--out"])
            .arg(out.path().join("x.zip")),
    );
    assert_eq!(
        e.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&e.stderr)
    );
    let e = run_err(
        passage(store.path())
            .args(["export", "release", "--out"])
            .arg(out.path().join("missing/x.zip")),
    );
    assert!(String::from_utf8_lossy(&e.stderr).contains("cannot write"));
    let left: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 2, "nothing half-written: {left:?}");
}
