//! A release exported as a Frictionless Data Package passes `frictionless validate`; as a ZIP it
//! holds the package and a README with the citation and licences; the CSVs hold the release's
//! figures; bad requests are clear errors that leave nothing behind; synced again, the package
//! gives a release with the same tables, and a damaged one is refused without harm.

use std::process::Command;

use passage_datasets::Value;

use crate::{passage, run_err, run_ok};

#[test]
fn a_release_exports_as_a_valid_data_package_and_a_zip_with_its_citation() {
    let store = crate::synced_store();
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

/// Every table of the active releases of two stores holds the same values, row by row.
fn assert_same_tables(original: &std::path::Path, reimported: &std::path::Path) {
    use passage_datasets::Dataset;
    let a = passage_store::Store::open(original)
        .unwrap()
        .load_active()
        .unwrap();
    let b = passage_store::Store::open(reimported)
        .unwrap()
        .load_active()
        .unwrap();
    let names =
        |r: &passage_store::Release| r.tables().map(|t| t.dataset).collect::<Vec<Dataset>>();
    assert_eq!(names(&a), names(&b), "the same datasets");
    assert!(names(&a).len() >= 10, "the real release: {:?}", names(&a));
    for ta in a.tables() {
        let d = ta.dataset.name();
        let (x, y) = (&ta.table, &b.table(ta.dataset).unwrap().table);
        assert_eq!((x.len, &x.years), (y.len, &y.years), "{d}: rows and years");
        assert_eq!(x.dims.len(), y.dims.len(), "{d}: dimensions");
        for (da, db) in x.dims.iter().zip(&y.dims) {
            assert_eq!(da.name, db.name, "{d}");
            if let Some(row) = (0..x.len).find(|&r| da.value(r) != db.value(r)) {
                panic!(
                    "{d}: row {row}, `{}`: {:?} became {:?}",
                    da.name,
                    da.value(row),
                    db.value(row)
                );
            }
        }
        assert_eq!(x.measures.len(), y.measures.len(), "{d}: measures");
        for (ma, mb) in x.measures.iter().zip(&y.measures) {
            assert_eq!((&ma.name, ma.is_int()), (&mb.name, mb.is_int()), "{d}");
            // Bit for bit: a float that printed and parsed back must be the same number.
            let same = |r: usize| match (ma.value(r), mb.value(r)) {
                (Value::Float(p), Value::Float(q)) => p.to_bits() == q.to_bits(),
                (p, q) => p == q,
            };
            if let Some(row) = (0..x.len).find(|&r| !same(r)) {
                panic!(
                    "{d}: row {row}, `{}`: {:?} became {:?}",
                    ma.name,
                    ma.value(row),
                    mb.value(row)
                );
            }
        }
    }
}

#[test]
fn an_exported_package_synced_again_gives_a_release_with_the_same_tables() {
    let store = crate::synced_store();
    let original = passage_store::Store::open(store.path())
        .unwrap()
        .active_id()
        .unwrap()
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let pkg = out.path().join("package");
    let started = std::time::Instant::now();
    run_ok(
        passage(store.path())
            .args(["export", "release", "--format", "datapackage", "--out"])
            .arg(&pkg),
    );
    let exported = started.elapsed();
    let fresh = tempfile::tempdir().unwrap();
    let said = run_ok(passage(fresh.path()).args(["sync", "--from"]).arg(&pkg));
    eprintln!(
        "round trip: export {} ms, sync {} ms",
        exported.as_millis(),
        (started.elapsed() - exported).as_millis()
    );
    assert!(
        said.contains(&format!("data package of release {original}")),
        "{said}"
    );
    assert_same_tables(store.path(), fresh.path());

    let manifest = passage_store::Store::open(fresh.path())
        .unwrap()
        .load_active()
        .unwrap()
        .manifest;
    assert_ne!(manifest.id, original, "a new release, of other sources");
    for s in &manifest.sources {
        assert_eq!(s.exported_from.as_ref(), Some(&original), "{}", s.file);
        assert!(
            s.format.starts_with("Passage data package ("),
            "{}",
            s.format
        );
    }
    let population = manifest
        .sources
        .iter()
        .find(|s| s.datasets == ["population"])
        .unwrap();
    assert_eq!(population.source_version.as_deref(), Some("2025.12.1"));
    assert_eq!(manifest.skipped, ["README.md"]);

    // Synced again, the same package is the same release.
    let again = run_ok(passage(fresh.path()).args(["sync", "--from"]).arg(&pkg));
    assert!(again.contains("unchanged"), "{again}");

    // A damaged package is refused by name, line and column, and the store keeps its release.
    let csv = pkg.join("data/flows.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let (header, rest) = text.split_once('\n').unwrap();
    // Same size, so that the parser, not the size check, finds it.
    let damaged = format!("{header}\nx{}", &rest[1..]);
    std::fs::write(&csv, damaged).unwrap();
    let e = run_err(passage(fresh.path()).args(["sync", "--from"]).arg(&pkg));
    let stderr = String::from_utf8_lossy(&e.stderr);
    assert_eq!(e.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("data/flows.csv:2:1 (column `year`)"),
        "{stderr}"
    );
    std::fs::remove_file(&csv).unwrap();
    let e = run_err(passage(fresh.path()).args(["sync", "--from"]).arg(&pkg));
    let stderr = String::from_utf8_lossy(&e.stderr);
    assert!(
        stderr.contains("data/flows.csv: resource `flows` of the data package cannot be read"),
        "{stderr}"
    );
    let after = passage_store::Store::open(fresh.path()).unwrap();
    assert_eq!(after.active_id().unwrap(), Some(manifest.id.clone()));
    assert_eq!(after.releases().unwrap().len(), 1, "nothing half-made");
}

#[test]
fn a_release_exports_as_parquet_that_pyarrow_reads_with_its_values_and_provenance() {
    let store = crate::synced_store();
    let out = tempfile::tempdir().unwrap();
    let dir = out.path().join("parquet");
    run_ok(
        passage(store.path())
            .args(["export", "release", "--format", "parquet", "--out"])
            .arg(&dir),
    );
    let readme = std::fs::read_to_string(dir.join("README.md")).unwrap();
    assert!(readme.contains("population.parquet") && readme.contains("How to cite"));
    // pyarrow: the rows, the 2024 refugees summed, nulls kept apart from zeros, and the metadata.
    let script = r#"
import sys, pyarrow.parquet as pq, pyarrow.compute as pc
t = pq.read_table(sys.argv[1])
md = {k.decode(): v.decode() for k, v in pq.ParquetFile(sys.argv[1]).metadata.metadata.items()}
y = t.filter(pc.equal(t['year'], 2024))
print(t.num_rows, pc.sum(y['refugees']).as_py(), t['refugees'].null_count, t.schema.field('refugees').type, md['passage.release'], md['passage.dataset'], 'UNHCR' in md['passage.attribution'])
"#;
    let read = Command::new("python3")
        .args(["-c", script])
        .arg(dir.join("population.parquet"))
        .output()
        .expect("python3 with pyarrow (PyPI) is installed by .ci/run");
    assert!(
        read.status.success(),
        "{}",
        String::from_utf8_lossy(&read.stderr)
    );
    let got = String::from_utf8_lossy(&read.stdout);
    let fields: Vec<&str> = got.split_whitespace().collect();
    let release = run_ok(passage(store.path()).args(["releases"]));
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
    let total = answer["rows"][0]["refugees"].as_i64().unwrap();
    assert_eq!(fields[1], total.to_string(), "{got}");
    assert_eq!(fields[3], "int64", "{got}");
    assert!(release.contains(fields[4]), "{got} {release}");
    assert_eq!(&fields[5..], ["population", "True"], "{got}");
    let null_count: usize = fields[2].parse().unwrap();
    assert!(null_count < fields[0].parse::<usize>().unwrap(), "{got}");
}
