//! The commands as a user runs them: sync of the shared data, re-sync, query output, diff, errors and
//! exit codes.

use crate::{passage, run_err, run_ok, shared_data, small_sources};

#[test]
fn sync_query_resync_and_diff_on_the_shared_data() {
    let data = tempfile::tempdir().unwrap();
    let out = run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(shared_data())
            .args(["--source-version", "unhcr=2025.12.1"]),
    );
    assert!(
        out.contains("negative_survivors") && out.contains("not_disaggregated"),
        "{out}"
    );
    let line = out.lines().find(|l| l.starts_with("release r")).unwrap();
    assert!(
        line.starts_with("release r") && line.contains(" created;") && line.contains("20 tables"),
        "{line}"
    );
    let id = line.split_whitespace().nth(1).unwrap().to_string();

    let again = run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(shared_data())
            .args(["--source-version", "unhcr=2025.12.1"]),
    );
    assert!(
        again.contains(&format!("release {id} unchanged")),
        "{again}"
    );

    let csv = run_ok(passage(data.path()).args([
        "query",
        "population",
        "--year",
        "2024",
        "--origin",
        "SYR,AFG",
        "--by",
        "year,origin,asylum",
        "--measures",
        "refugees,oip",
        "--format",
        "csv",
    ]));
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("year,coo_iso,coa_iso,refugees,oip"));
    assert!(lines.any(|l| l.starts_with("2024,SYR,TUR,")), "{csv}");

    // A figure traced to its rows: the traced rows sum to the figure.
    let figure = run_ok(passage(data.path()).args([
        "query",
        "population",
        "--year",
        "2024",
        "--origin",
        "SYR",
        "--asylum",
        "TUR,LBN",
        "--by",
        "",
        "--measures",
        "refugees",
        "--format",
        "csv",
    ]));
    let figure: i64 = figure.lines().nth(1).unwrap().parse().unwrap();
    let traced = run_ok(passage(data.path()).args([
        "query",
        "population",
        "--year",
        "2024",
        "--origin",
        "SYR",
        "--asylum",
        "TUR,LBN",
        "--trace",
    ]));
    let mut lines = traced.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = header.iter().position(|h| *h == "refugees").unwrap();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 2, "{traced}");
    assert!(rows
        .iter()
        .all(|r| r[1] == "SYR" && (r[2] == "TUR" || r[2] == "LBN")));
    assert_eq!(
        rows.iter()
            .map(|r| r[col].parse::<i64>().unwrap())
            .sum::<i64>(),
        figure
    );

    let json = run_ok(passage(data.path()).args([
        "query",
        "migrant_stock",
        "--year",
        "2024",
        "--measures",
        "migrants",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(doc["release"], id.as_str());
    assert_eq!(doc["rows"][0]["year"], 2024);
    assert_eq!(doc["rows"][0]["migrants"], 304_021_813);

    let json = run_ok(passage(data.path()).args([
        "query",
        "population",
        "--year",
        "2000",
        "--measures",
        "oip",
        "--format",
        "json",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        doc["rows"][0]["oip"].is_null(),
        "not available is null, not 0: {json}"
    );

    let show: serde_json::Value =
        serde_json::from_str(&run_ok(passage(data.path()).args(["show", &id]))).unwrap();
    let sources = show["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 20);
    let pop = sources
        .iter()
        .find(|s| s["file"] == "unhcr/population.csv")
        .unwrap();
    assert_eq!(pop["source_version"], "2025.12.1");
    assert_eq!(pop["licence"], "CC BY 4.0");
    assert_eq!(
        pop["sha256"],
        "3cc9d26b6d6d7a6853ec2036e68a500822e73263c3edb0be33f26654e80835e8"
    );

    // A second, different release of one source alone, then the diff between them.
    let small = small_sources();
    run_ok(
        passage(data.path())
            .args(["sync", "--only-these", "--from"])
            .arg(small.path()),
    );
    let diff = run_ok(passage(data.path()).args(["diff", &id, "active", "--json"]));
    let d: serde_json::Value = serde_json::from_str(&diff).unwrap();
    let removed: Vec<_> = d["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|x| x["presence"] == "removed")
        .collect();
    assert!(removed.iter().any(|x| x["dataset"] == "missing_migrants"));
    let pop = d["datasets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["dataset"] == "population")
        .unwrap();
    let y2024 = pop["years"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["year"] == 2024)
        .unwrap();
    assert_eq!(y2024["added"], 0);
    assert!(y2024["removed"].as_u64().unwrap() > 5_000);
    let releases = run_ok(passage(data.path()).arg("releases"));
    assert_eq!(releases.lines().count(), 2);
}

#[test]
fn user_errors_exit_2_with_the_parameter_named() {
    let data = tempfile::tempdir().unwrap();
    let out = run_err(passage(data.path()).args(["query", "population"]));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("passage sync --from"));

    let small = small_sources();
    run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(small.path()),
    );
    for (args, expected) in [
        (
            vec!["query", "population", "--origin", "SYRIA"],
            "parameter `origin`",
        ),
        (
            vec!["query", "population", "--years", "2024..2020"],
            "--years",
        ),
        (
            vec!["query", "population", "--by", "planet"],
            "parameter `by`",
        ),
        (vec!["query", "refugees"], "unknown dataset `refugees`"),
        (
            vec!["query", "population", "--where", "pop_type"],
            "--where",
        ),
        (vec!["activate", "rffffffffffff"], "no release matches"),
    ] {
        let out = run_err(passage(data.path()).args(&args));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }

    let broken = tempfile::tempdir().unwrap();
    std::fs::write(
        broken.path().join("population.csv"),
        "year,coo_name\n2024,Syria\n",
    )
    .unwrap();
    let out = run_err(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(broken.path()),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("population.csv:1:3") && stderr.contains("expected 16 columns"),
        "{stderr}"
    );
    // Nothing was replaced: the small release is still active and answers as before.
    let csv = run_ok(passage(data.path()).args([
        "query",
        "population",
        "--measures",
        "refugees",
        "--format",
        "csv",
    ]));
    assert_eq!(csv, "year,refugees\n2024,2980735\n");
}

#[test]
fn sync_without_from_offline_names_each_source_and_suggests_from() {
    let data = tempfile::tempdir().unwrap();
    let out = run_err(
        passage(data.path())
            .arg("sync")
            .env("PATH", "/nonexistent")
            .env("https_proxy", "http://127.0.0.1:9"),
    );
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for source in [
        "/population/",
        "/asylum-decisions/",
        "IOM Missing Migrants Project",
        "UN DESA",
        "World Bank",
        "IDMC",
    ] {
        assert!(stderr.contains(source), "{source} missing from: {stderr}");
    }
    assert!(stderr.contains("passage sync --from DIR"), "{stderr}");
    assert!(!data.path().join("ACTIVE").exists());
}

#[test]
fn config_file_and_environment_layers() {
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("passage.toml");
    let from_file = data.path().join("from-file");
    std::fs::write(
        &config,
        format!("data_dir = {:?}\n", from_file.to_str().unwrap()),
    )
    .unwrap();
    let small = small_sources();
    run_ok(
        passage(data.path())
            .env_remove("PASSAGE_DATA_DIR")
            .args(["--config"])
            .arg(&config)
            .args(["sync", "--from"])
            .arg(small.path()),
    );
    assert!(
        from_file.join("ACTIVE").exists(),
        "the file layer chose the data directory"
    );
    std::fs::write(&config, "data_dir = 3\n").unwrap();
    let out = run_err(
        passage(data.path())
            .args(["--config"])
            .arg(&config)
            .arg("releases"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("passage.toml"));
}
