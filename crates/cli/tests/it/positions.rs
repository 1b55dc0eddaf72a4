//! Positions from the command line: written with an entity editor's token (and refused with
//! another entity's, or a wrong secret), then listed by `passage negotiation positions` by part and
//! country, and withdrawn, each write an event of the history.

use serde_json::{json, Value};

use crate::{passage, run_err, run_ok};

#[test]
fn a_position_written_with_a_token_is_listed_by_its_part_and_country() {
    let data = tempfile::tempdir().unwrap();
    let dir = data.path();
    for (id, iso) in [("canada", "CAN"), ("chad", "TCD")] {
        let file = dir.join(format!("{id}.json"));
        let entity = json!({"id": id, "kind": "state", "name": id, "country": iso});
        std::fs::write(&file, entity.to_string()).unwrap();
        run_ok(passage(dir).args(["registry", "entity", "add"]).arg(&file));
    }
    let token = |entity: &str| {
        run_ok(passage(dir).args([
            "registry",
            "token",
            "issue",
            "--role",
            "entity_editor",
            "--entity",
            entity,
        ]))
        .trim()
        .to_string()
    };
    let (canada, chad) = (token("canada"), token("chad"));
    let position = dir.join("position.json");
    std::fs::write(
        &position,
        json!({
            "entity": "canada", "document": "gcm", "part": "objective/8/action/b",
            "date": "2018-03-20", "stance": "seeks_amendment",
            "summary": "Asks that search and rescue be named, in round 3.",
            "quote": "=search and rescue", "source": "https://example.org/statements/canada-3",
            "forum": "intergovernmental negotiations, round 3"
        })
        .to_string(),
    )
    .unwrap();
    let add = |secret: &str| {
        let mut c = passage(dir);
        c.env("PASSAGE_REGISTRY_TOKEN", secret)
            .args(["registry", "position", "add"])
            .arg(&position);
        c
    };
    let created: Value = serde_json::from_str(&run_ok(&mut add(&canada))).unwrap();
    assert_eq!(
        (created["id"].as_str(), created["version"].as_i64()),
        (Some("canada-p1"), Some(1))
    );

    // Another entity's token, and a secret that is no token, are refused, and store nothing.
    for (secret, says) in [
        (chad.as_str(), "may not create position"),
        ("pst_000000000000_x", "--token"),
    ] {
        let out = run_err(&mut add(secret));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(says), "{stderr}");
    }

    let list = |args: &[&str]| run_ok(passage(dir).args(["negotiation", "positions"]).args(args));
    let csv = list(&[
        "--part",
        "objective/8",
        "--country",
        "can",
        "--format",
        "csv",
    ]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines,
        [
            "id,entity,country,document,part,date,stance,status,version,forum,summary,quote,source",
            "canada-p1,canada,CAN,gcm,objective/8/action/b,2018-03-20,seeks_amendment,active,1,\
             \"intergovernmental negotiations, round 3\",\"Asks that search and rescue be named, in round 3.\",\
             '=search and rescue,https://example.org/statements/canada-3",
        ],
        "{csv}"
    );
    // A part it is not below, and another state, list nothing.
    assert_eq!(
        list(&["--part", "objective/80", "--format", "csv"])
            .lines()
            .count(),
        1
    );
    assert_eq!(
        list(&["--country", "TCD", "--format", "csv"])
            .lines()
            .count(),
        1
    );
    let json: Value =
        serde_json::from_str(&list(&["--document", "gcm", "--format", "json"])).unwrap();
    assert_eq!(json.as_array().map(Vec::len), Some(1), "{json}");
    let out = run_err(passage(dir).args(["negotiation", "positions", "--part", "Objective/8"]));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.code() == Some(2) && stderr.contains("--part: `Objective/8`"),
        "{stderr}"
    );

    // Withdrawn with the same token: kept, marked, at its next version.
    let mut withdraw = passage(dir);
    withdraw.env("PASSAGE_REGISTRY_TOKEN", &canada).args([
        "registry",
        "position",
        "withdraw",
        "canada-p1",
        "--version",
        "1",
    ]);
    let withdrawn: Value = serde_json::from_str(&run_ok(&mut withdraw)).unwrap();
    assert_eq!(
        (
            withdrawn["withdrawn"].as_bool(),
            withdrawn["version"].as_i64()
        ),
        (Some(true), Some(2))
    );
    let table = list(&["--entity", "canada"]);
    assert!(
        table.contains("canada-p1") && table.contains("withdrawn"),
        "{table}"
    );

    // Both writes are events of the history, by the token's holder, and the history verifies.
    let events: Value =
        serde_json::from_str(&run_ok(passage(dir).args(["registry", "events"]))).unwrap();
    let writes: Vec<(&str, &str)> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "positions")
        .map(|e| (e["action"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    let holder = format!("token:{}", canada.split('_').nth(1).unwrap());
    assert_eq!(
        writes,
        [
            ("create_position", holder.as_str()),
            ("withdraw_position", holder.as_str())
        ]
    );
    assert!(run_ok(passage(dir).args(["registry", "verify"])).contains("history intact"));
}
