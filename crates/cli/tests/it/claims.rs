//! Claims end to end: register a claim, evaluate it on a release, import a modified release that
//! flips its verdict, and find the change in the history and in the timeline over data years.

use std::path::Path;

use crate::{passage, run_err, run_ok};

const HEADER: &str = "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n";

/// A population file where Türkiye and Germany host the given refugees in 2023 and 2024.
fn sources(dir: &Path, tur: [u32; 2], deu: [u32; 2]) {
    let mut text = HEADER.to_string();
    for (i, year) in [2023, 2024].iter().enumerate() {
        text.push_str(&format!(
            "{year},Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,{},0,0,0,0,0,0,,0\n",
            tur[i]
        ));
        text.push_str(&format!(
            "{year},Syrian Arab Rep.,SYR,SYR,Germany,GFR,DEU,{},0,0,0,0,0,0,,0\n",
            deu[i]
        ));
    }
    std::fs::write(dir.join("population.csv"), text).unwrap();
}

const CLAIM: &str = r#"
[[claim]]
id = "turkiye-hosts-more-than-germany"
text = "Türkiye hosts more refugees than Germany."
context = "A test claim."
test = { kind = "compare", op = ">", left = { indicator = "refugees", country = "TUR", role = "host" }, right = { indicator = "refugees", country = "DEU", role = "host" } }
"#;

const ID: &str = "turkiye-hosts-more-than-germany";

#[test]
fn a_modified_release_flips_a_verdict_and_the_history_records_it() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    sources(src.path(), [3_000_000, 3_100_000], [2_000_000, 2_500_000]);
    run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(src.path()),
    );

    let file = src.path().join("claims.toml");
    std::fs::write(&file, CLAIM).unwrap();
    let out = run_ok(passage(data.path()).args(["claims", "add"]).arg(&file));
    assert!(out.contains(&format!("claim {ID} added")), "{out}");
    let out = run_ok(passage(data.path()).args(["claims", "check"]));
    assert!(out.contains("1 verdicts recorded"), "{out}");
    // Checking the same release again records nothing new.
    let out = run_ok(passage(data.path()).args(["claims", "check"]));
    assert!(out.contains("0 verdicts recorded"), "{out}");

    // The new release: Germany overtakes Türkiye in 2024.
    std::fs::remove_file(&file).unwrap();
    sources(src.path(), [3_000_000, 3_100_000], [2_000_000, 3_200_000]);
    let out = run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(src.path()),
    );
    assert!(out.contains(&format!("{ID}: true → false")), "{out}");

    let history: serde_json::Value = serde_json::from_str(&run_ok(
        passage(data.path()).args(["claims", "history", ID, "--format", "json"]),
    ))
    .unwrap();
    let records = history.as_array().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["verdict"]["outcome"], "true");
    assert_eq!(records[1]["verdict"]["outcome"], "false");
    assert_ne!(records[0]["release"], records[1]["release"]);
    let obs = &records[1]["verdict"]["observations"];
    assert_eq!(obs[0]["value"], 3_100_000.0);
    assert_eq!(obs[1]["value"], 3_200_000.0);

    // On the new release, the timeline shows the claim held in 2023 and stopped in 2024.
    let show: serde_json::Value = serde_json::from_str(&run_ok(
        passage(data.path()).args(["claims", "show", ID, "--format", "json"]),
    ))
    .unwrap();
    assert_eq!(
        show["evaluation"]["timeline"],
        serde_json::json!([[2023, "true"], [2024, "false"]])
    );
    assert_eq!(show["turning_points"], serde_json::json!([[2024, "false"]]));

    // Rolling back to the first release records nothing new: its verdicts are known.
    let first = records[0]["release"].as_str().unwrap();
    let out = run_ok(passage(data.path()).args(["activate", first]));
    assert!(out.contains("0 verdicts recorded"), "{out}");
}

#[test]
fn bad_or_duplicate_claims_are_refused_whole() {
    let data = tempfile::tempdir().unwrap();
    let src = tempfile::tempdir().unwrap();
    sources(src.path(), [1, 1], [1, 1]);
    run_ok(
        passage(data.path())
            .args(["sync", "--from"])
            .arg(src.path()),
    );
    let file = src.path().join("claims.toml");

    // The second claim is bad, so neither is added.
    let bad = format!(
        "{CLAIM}\n{}",
        CLAIM.replace(ID, "second").replace(
            "indicator = \"refugees\", country = \"DEU\"",
            "indicator = \"nothing\", country = \"DEU\""
        )
    );
    std::fs::write(&file, bad).unwrap();
    let out = run_err(passage(data.path()).args(["claims", "add"]).arg(&file));
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("claims.toml: claim `second`") && err.contains("unknown indicator `nothing`"),
        "{err}"
    );
    let out = run_err(passage(data.path()).args(["claims", "show", ID]));
    assert_eq!(out.status.code(), Some(2));

    // A starter claim's id is taken.
    std::fs::write(&file, CLAIM.replace(ID, "over-100-million-displaced")).unwrap();
    let out = run_err(passage(data.path()).args(["claims", "add"]).arg(&file));
    assert!(String::from_utf8_lossy(&out.stderr).contains("exists already"));
}
