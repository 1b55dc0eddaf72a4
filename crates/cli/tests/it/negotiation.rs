//! `passage negotiation` on the shared files, as a user runs it: the recorded votes as CSV with
//! every state's ISO3 code, the adopted text with its repeated block reported, a diff of a
//! version with a reworded action, versions kept and refused when their label exists, and
//! damaged input refused with its file and line.

use crate::{passage, run_err, run_ok, shared_data};

fn negotiation(file: &str) -> std::path::PathBuf {
    shared_data().join("negotiation").join(file)
}

#[test]
fn votes_are_written_as_csv_with_every_state_mapped_and_each_vote_kept_apart() {
    let dir = tempfile::tempdir().unwrap();
    let csv = run_ok(
        passage(dir.path())
            .args(["negotiation", "votes", "--format", "csv"])
            .arg(negotiation("gcm_vote_a_res_73_195_2018-12-19.csv")),
    );
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("iso3,member_state,vote"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.splitn(3, ',').collect()).collect();
    assert_eq!(rows.len(), 193);
    let count = |v: &str| rows.iter().filter(|r| r[2] == v).count();
    assert_eq!(
        [count("Y"), count("N"), count("A"), count("X")],
        [152, 5, 12, 24]
    );
    let mut no: Vec<&str> = rows.iter().filter(|r| r[2] == "N").map(|r| r[0]).collect();
    no.sort_unstable();
    assert_eq!(no, ["CZE", "HUN", "ISR", "POL", "USA"]);
    assert!(rows
        .iter()
        .all(|r| r[0].len() == 3 && r[0].bytes().all(|b| b.is_ascii_uppercase())));
}

#[test]
fn the_adopted_text_reports_its_repeated_block_and_diffs_with_a_reworded_copy() {
    let dir = tempfile::tempdir().unwrap();
    let adopted = negotiation("gcm_objectives_actions_2018.md");
    let shown = run_ok(
        passage(dir.path())
            .args(["negotiation", "show"])
            .arg(&adopted),
    );
    assert!(shown.contains("parts: 23 objective, 190 action"), "{shown}");
    assert!(
        shown.contains("objective/20 repeats objective/2"),
        "{shown}"
    );
    // A copy with one action reworded: the diff finds that one change and nothing else.
    let text = std::fs::read_to_string(&adopted).unwrap();
    let needle = "Elaborate and implement a comprehensive strategy";
    assert!(text.contains(needle));
    let edited = dir.path().join("gcm_edited.md");
    std::fs::write(
        &edited,
        text.replacen(needle, "Draw up and carry out a complete strategy", 1),
    )
    .unwrap();
    let json = run_ok(
        passage(dir.path())
            .args(["negotiation", "diff", "--format", "json"])
            .arg(&adopted)
            .arg(&edited),
    );
    let diff: serde_json::Value = serde_json::from_str(&json).unwrap();
    let summary = &diff["summary"];
    assert_eq!(
        [
            &summary["changed"],
            &summary["moved"],
            &summary["added"],
            &summary["removed"]
        ],
        [1, 0, 0, 0],
        "{summary}"
    );
    assert_eq!(summary["unchanged"], 212, "{summary}");
    assert!(
        diff["changes"].to_string().contains("objective/1/action/a"),
        "{diff}"
    );
    let same = run_ok(
        passage(dir.path())
            .args(["negotiation", "diff", "--format", "json"])
            .arg(&adopted)
            .arg(&adopted),
    );
    let same: serde_json::Value = serde_json::from_str(&same).unwrap();
    assert_eq!(same["summary"]["unchanged"], 213, "{same}");
    assert_eq!(same["summary"]["changed"], 0, "{same}");
}

#[test]
fn imported_versions_are_kept_and_a_label_is_never_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let adopted = negotiation("gcm_objectives_actions_2018.md");
    let import = |label: &str| {
        let mut c = passage(dir.path());
        c.args(["negotiation", "import"]).arg(&adopted).args([
            "--document",
            "gcm",
            "--version",
            label,
            "--date",
            "2018-07-13",
        ]);
        c
    };
    run_ok(&mut import("adopted"));
    let listed = run_ok(passage(dir.path()).args(["negotiation", "versions", "gcm"]));
    assert!(listed.contains("adopted"), "{listed}");
    let again = run_err(&mut import("adopted"));
    assert_eq!(again.status.code(), Some(2));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("adopted"), "{err}");
}

#[test]
fn damaged_input_is_refused_with_its_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let truncated = dir.path().join("cut.xml");
    let xml = run_ok(
        passage(dir.path())
            .args([
                "negotiation",
                "show",
                "--format",
                "akn",
                "--document",
                "gcm",
            ])
            .arg(negotiation("gcm_objectives_actions_2018.md")),
    );
    std::fs::write(&truncated, &xml[..xml.len() / 2]).unwrap();
    let out = run_err(
        passage(dir.path())
            .args(["negotiation", "show"])
            .arg(&truncated),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    // `FILE:LINE: what is wrong`.
    let at = err.find("cut.xml:").map(|i| &err[i + "cut.xml:".len()..]);
    assert!(
        at.is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit())),
        "{err}"
    );
    let votes = dir.path().join("votes.csv");
    std::fs::write(
        &votes,
        "resolution,date,undl_record,member_state,vote\nA/RES/73/195,2018-12-19,1656414,ATLANTIS,Y\n",
    )
    .unwrap();
    let out = run_err(
        passage(dir.path())
            .args(["negotiation", "votes"])
            .arg(&votes),
    );
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("votes.csv") && err.contains("ATLANTIS"),
        "{err}"
    );
}

#[test]
fn each_group_of_a_vote_is_joined_to_what_its_members_host() {
    let dir = crate::synced_store();
    let json = run_ok(
        passage(dir.path())
            .args([
                "negotiation",
                "groups",
                "--format",
                "json",
                "--year",
                "2024",
            ])
            .arg(negotiation("gcm_vote_a_res_73_195_2018-12-19.csv")),
    );
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let groups = doc["groups"].as_array().unwrap();
    let sizes: Vec<usize> = groups
        .iter()
        .map(|g| g["members"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [152, 5, 12, 24]);
    let against = &groups[1];
    assert_eq!(against["vote"], "no");
    let refugees = &against["figures"][0];
    assert_eq!(refugees["indicator"], "refugees");
    // The same states' refugees and others in need of protection, from the dataset itself.
    let answer = run_ok(passage(dir.path()).args([
        "query",
        "population",
        "--year",
        "2024",
        "--asylum",
        "CZE,HUN,ISR,POL,USA",
        "--measures",
        "refugees,oip",
        "--format",
        "json",
    ]));
    let answer: serde_json::Value = serde_json::from_str(&answer).unwrap();
    let total = answer["total"]["refugees"].as_f64().unwrap_or(0.0)
        + answer["total"]["oip"].as_f64().unwrap_or(0.0);
    assert_eq!(refugees["value"].as_f64(), Some(total), "{refugees}");
    let share = refugees["share_of_world"].as_f64().unwrap();
    let world = refugees["world"].as_f64().unwrap();
    assert!((share - 100.0 * total / world).abs() < 1e-9, "{refugees}");
    // Not voting is its own group, never folded into abstention.
    assert_eq!(groups[3]["vote"], "non_voting");
    let sum: f64 = groups
        .iter()
        .map(|g| g["figures"][0]["value"].as_f64().unwrap_or(0.0))
        .sum();
    assert!(sum <= world, "{sum} > {world}");
}

#[test]
fn a_sync_keeps_the_record_as_release_sources_read_back_by_resolution_and_version() {
    let dir = crate::synced_store();
    // The negotiation files are sources of the release, with provenance like any other.
    let releases = std::fs::read_dir(dir.path().join("releases")).unwrap();
    let manifest = releases
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("manifest.json"))
        .find(|p| p.exists())
        .unwrap();
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(manifest).unwrap()).unwrap();
    let source = |file: &str| {
        manifest["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["file"] == file)
            .unwrap_or_else(|| panic!("no source {file}"))
            .clone()
    };
    let text = source("negotiation/gcm_objectives_actions_2018.md");
    assert_eq!(text["rows"], 213);
    assert_eq!(text["findings"][0]["code"], "repeated_block");
    let vote = source("negotiation/gcr_vote_a_res_73_151_2018-12-17.csv");
    assert_eq!(vote["rows"], 193);
    assert!(vote["attribution"]
        .as_str()
        .unwrap()
        .contains("United Nations Digital Library"));

    // The GCR vote, by its resolution, from the release: 181 / 2 / 3 / 7, the two noes named.
    let csv = run_ok(passage(dir.path()).args([
        "negotiation",
        "votes",
        "A/RES/73/151",
        "--format",
        "csv",
    ]));
    let rows: Vec<Vec<&str>> = csv
        .lines()
        .skip(1)
        .map(|l| l.splitn(3, ',').collect())
        .collect();
    let count = |v: &str| rows.iter().filter(|r| r[2] == v).count();
    assert_eq!(
        [count("Y"), count("N"), count("A"), count("X")],
        [181, 2, 3, 7]
    );
    let mut no: Vec<&str> = rows.iter().filter(|r| r[2] == "N").map(|r| r[0]).collect();
    no.sort_unstable();
    assert_eq!(no, ["HUN", "USA"]);
    let out = run_err(passage(dir.path()).args(["negotiation", "votes", "A/RES/1"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("A/RES/1") && err.contains("A/RES/73/195"),
        "{err}"
    );

    // A draft a user has, imported, then diffed with the release's text by DOCUMENT@LABEL.
    let adopted = std::fs::read_to_string(negotiation("gcm_objectives_actions_2018.md")).unwrap();
    let needle = "Elaborate and implement a comprehensive strategy";
    let draft = dir.path().join("draft.md");
    std::fs::write(&draft, adopted.replacen(needle, "Draw up a strategy", 1)).unwrap();
    run_ok(
        passage(dir.path())
            .args([
                "negotiation",
                "import",
                "--document",
                "gcm",
                "--version",
                "revision 1",
            ])
            .arg(&draft),
    );
    let versions = run_ok(passage(dir.path()).args(["negotiation", "versions", "gcm"]));
    assert!(
        versions.contains("gcm@adopted") && versions.contains("gcm@revision 1"),
        "{versions}"
    );
    let diff = run_ok(passage(dir.path()).args([
        "negotiation",
        "diff",
        "gcm@revision 1",
        "gcm@adopted",
        "--format",
        "json",
    ]));
    let diff: serde_json::Value = serde_json::from_str(&diff).unwrap();
    assert_eq!(diff["summary"]["changed"], 1, "{}", diff["summary"]);
    assert_eq!(diff["summary"]["unchanged"], 212);
    let html = run_ok(passage(dir.path()).args([
        "negotiation",
        "diff",
        "gcm@revision 1",
        "gcm@adopted",
        "--format",
        "html",
    ]));
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        html.contains("<del>Draw up</del> <ins>Elaborate and implement</ins> a <ins>comprehensive</ins> strategy"),
        "{html}"
    );
    let out = run_err(passage(dir.path()).args(["negotiation", "show", "gcm@zero draft"]));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("gcm@adopted") && err.contains("gcm@revision 1"),
        "{err}"
    );
}

#[test]
fn a_groups_ratio_is_its_total_over_its_total_not_a_sum_of_ratios() {
    let dir = crate::synced_store();
    let json = run_ok(passage(dir.path()).args([
        "negotiation",
        "groups",
        "A/RES/73/195",
        "--format",
        "json",
        "--year",
        "2023",
    ]));
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let against = &doc["groups"][1];
    let per_1000 = against["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["indicator"] == "refugees_per_1000_inhabitants")
        .unwrap();
    let query = |dataset: &str, dim: &str, measures: &str| -> serde_json::Value {
        let out = run_ok(passage(dir.path()).args([
            "query",
            dataset,
            "--year",
            "2023",
            dim,
            "CZE,HUN,ISR,POL,USA",
            "--measures",
            measures,
            "--format",
            "json",
        ]));
        serde_json::from_str(&out).unwrap()
    };
    let hosted = query("population", "--asylum", "refugees,oip");
    let people = hosted["total"]["refugees"].as_f64().unwrap_or(0.0)
        + hosted["total"]["oip"].as_f64().unwrap_or(0.0);
    let population = query("wb_population", "--country", "population")["total"]["population"]
        .as_f64()
        .unwrap();
    let expected = 1000.0 * people / population;
    let found = per_1000["value"].as_f64().unwrap();
    assert!((found - expected).abs() < 1e-9, "{found} vs {expected}");
    // Not the mean or sum of the members' own ratios.
    let own: Vec<f64> = per_1000["by_member"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|v| v.as_f64())
        .collect();
    assert_eq!(own.len(), 5);
    assert!((own.iter().sum::<f64>() - found).abs() > 1e-6);
}
