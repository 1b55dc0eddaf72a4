//! The negotiation record over HTTP on the real data: the API's votes and groups equal what the
//! pages show, a version diffed with itself has no change, an unknown resolution or version is a
//! 404 naming what the record holds, and a country's page and a GCM objective's page carry the
//! record beside their data.

use crate::{get, get_json, shared};

#[test]
fn the_votes_api_gives_every_state_and_the_totals_the_pages_show() {
    let s = shared();
    let list = get_json(s.addr, "/api/v1/negotiation/votes");
    let totals: Vec<(String, [u64; 4])> = list["votes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let t = &v["totals"];
            (
                v["resolution"].as_str().unwrap().to_string(),
                [
                    t["yes"].as_u64().unwrap(),
                    t["no"].as_u64().unwrap(),
                    t["abstention"].as_u64().unwrap(),
                    t["non_voting"].as_u64().unwrap(),
                ],
            )
        })
        .collect();
    assert!(totals.contains(&("A/RES/73/195".into(), [152, 5, 12, 24])));
    assert!(totals.contains(&("A/RES/73/151".into(), [181, 2, 3, 7])));
    assert!(list["sources"]
        .to_string()
        .contains("United Nations Digital Library"));

    let gcr = get_json(s.addr, "/api/v1/negotiation/votes/a-res-73-151");
    let votes = gcr["votes"].as_array().unwrap();
    assert_eq!(votes.len(), 193);
    let mut no: Vec<&str> = votes
        .iter()
        .filter(|v| v["vote"] == "no")
        .map(|v| v["iso3"].as_str().unwrap())
        .collect();
    no.sort_unstable();
    assert_eq!(no, ["HUN", "USA"]);
    // The page's table of states, through its JSON twin, agrees state by state.
    let page = get_json(s.addr, "/negotiation/votes/a-res-73-151.json");
    let states = page["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "states")
        .unwrap();
    assert_eq!(states["rows"].as_array().unwrap().len(), 193);

    let (status, body) = get(s.addr, "/api/v1/negotiation/votes/a-res-1");
    assert_eq!(status, 404, "{body}");
    assert!(
        body.contains("unknown_record") && body.contains("A/RES/73/195"),
        "{body}"
    );
}

#[test]
fn the_groups_api_and_the_vote_page_give_the_same_figures() {
    let s = shared();
    let api = get_json(
        s.addr,
        "/api/v1/negotiation/votes/a-res-73-195/groups?year=2024",
    );
    let against = &api["groups"][1];
    assert_eq!(against["vote"], "no");
    assert_eq!(against["members"].as_array().unwrap().len(), 5);
    let refugees = against["figures"][0]["value"].as_f64().unwrap();
    // The same five states as one place, through the indicators API.
    let members: Vec<&str> = against["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let series = get_json(
        s.addr,
        &format!(
            "/api/v1/indicators/refugees?country={}&role=host&year=2024",
            members.join(",")
        ),
    );
    let direct = series["points"][0]["value"].as_f64();
    assert_eq!(direct, Some(refugees), "{series}");
    let page = get_json(s.addr, "/negotiation/votes/a-res-73-195.json?year=2024");
    let groups = page["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "groups")
        .unwrap();
    let row = &groups["rows"][1];
    assert_eq!(row["vote"], "voted no");
    assert_eq!(row["refugees"].as_f64(), Some(refugees), "{row}");
    let (status, html) = get(s.addr, "/negotiation/votes/a-res-73-195");
    assert_eq!(status, 200);
    assert!(html.contains("states that voted against host"), "{html}");
    let (status, body) = get(
        s.addr,
        "/api/v1/negotiation/votes/a-res-73-195/groups?year=12",
    );
    assert_eq!(status, 400, "{body}");
}

#[test]
fn versions_are_listed_read_whole_and_a_self_diff_has_no_change() {
    let s = shared();
    let docs = get_json(s.addr, "/api/v1/negotiation/documents");
    let adopted = docs["versions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["document"] == "gcm" && v["label"] == "adopted")
        .unwrap();
    assert_eq!(adopted["parts"], 213);
    assert_eq!(adopted["findings"], 1);
    let v = get_json(s.addr, "/api/v1/negotiation/documents/gcm/versions/adopted");
    assert_eq!(v["version"]["parts"].as_array().unwrap().len(), 23);
    assert_eq!(v["findings"][0]["part"], "objective/20");
    assert_eq!(v["version"]["corrections"][0]["source"], "A/RES/73/195");
    let d = get_json(
        s.addr,
        "/api/v1/negotiation/documents/gcm/diff?from=adopted&to=adopted",
    );
    assert_eq!(d["summary"]["unchanged"], 213);
    assert_eq!(d["summary"]["changed"], 0);
    let (status, html) = get(s.addr, "/negotiation/gcm/diff?from=adopted&to=adopted");
    assert_eq!(status, 200);
    assert!(html.contains("No change"), "{html}");
    let (status, body) = get(
        s.addr,
        "/api/v1/negotiation/documents/gcm/versions/zero%20draft",
    );
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("gcm@adopted"), "{body}");
    let (status, body) = get(s.addr, "/negotiation/gcm/diff?from=adopted");
    assert_eq!(status, 400, "{body}");
    let openapi = get_json(s.addr, "/api/v1/openapi.json");
    for path in [
        "/api/v1/negotiation/documents",
        "/api/v1/negotiation/documents/{document}/diff",
        "/api/v1/negotiation/votes/{resolution}/groups",
    ] {
        assert!(
            openapi["paths"].get(path).is_some(),
            "{path} not in the OpenAPI document"
        );
    }
}

#[test]
fn country_and_objective_pages_carry_the_record() {
    let s = shared();
    let (_, hun) = get(s.addr, "/countries/HUN");
    assert!(hun.contains("Votes and positions on the compacts"));
    assert!(hun.contains("A/RES/73/195") && hun.contains("voted no"));
    let (_, deu) = get(s.addr, "/countries/DEU");
    assert!(deu.contains("voted yes") && !deu.contains("voted no"));
    let (_, o8) = get(s.addr, "/compacts/gcm/objectives/8");
    assert!(o8.contains("its actions, as adopted"));
    assert!(o8.contains("objective/8/action/a"));
    let (_, o20) = get(s.addr, "/compacts/gcm/objectives/20");
    assert!(
        o20.contains("repeats") && o20.contains("objective/2"),
        "{o20}"
    );
    assert!(o20.contains("Promote faster, safer and cheaper transfer of remittances"));
    let (_, text) = get(s.addr, "/negotiation/gcm/adopted");
    assert!(text.contains("id=\"objective/20\"") && text.contains("Defects of this copy"));
}

#[test]
fn a_groups_pledges_are_its_states_own_and_a_fulfilled_one_is_counted_as_such() {
    use passage_registry::{Entity, EntityKind, Pledge, Principal, ProgressUpdate, Stage};
    let s = crate::start(&crate::shared_data());
    let r = s.state.registry().clone();
    let local = Principal::local();
    // Hungary voted no on the GCM; a pledge of its own, fulfilled, and an example record.
    r.create_entity(
        &local,
        Entity {
            id: "hungary".into(),
            kind: EntityKind::State,
            name: "Hungary".into(),
            country: Some("HUN".into()),
            example: false,
        },
    )
    .unwrap();
    for (id, example) in [("P-hun", false), ("P-hun-example", true)] {
        let pledge: Pledge = serde_json::from_value(serde_json::json!({
            "id": id, "title": "Resettle refugees", "entity": "hungary", "forum": "grf",
            "forum_year": 2023, "compact": "GCR", "objectives": [3],
            "contribution": "resettlement_places", "places": 10, "example": example}))
        .unwrap();
        r.create_pledge(&local, pledge).unwrap();
    }
    let update: ProgressUpdate = serde_json::from_value(serde_json::json!({
        "id": "", "pledge": "P-hun", "date": "2024-06-01", "stage": "fulfilled",
        "text": "Ten places given"}))
    .unwrap();
    assert_eq!(update.stage, Stage::Fulfilled);
    r.add_update(&local, "P-hun", update).unwrap();
    // A position of Hungary's on an action of objective 8, shown where its part and its state are.
    let position: passage_registry::Position = serde_json::from_value(serde_json::json!({
        "id": "", "entity": "hungary", "document": "gcm", "part": "objective/8/action/b",
        "date": "2018-07-13", "stance": "reservation",
        "summary": "Reads the objective as creating no obligation.",
        "source": "https://example.org/statement", "forum": "intergovernmental negotiations"}))
    .unwrap();
    r.create_position(&local, position).unwrap();
    for page in [
        "/countries/HUN",
        "/compacts/gcm/objectives/8",
        "/negotiation/gcm/adopted",
    ] {
        let doc = get_json(s.addr, &format!("{page}.json"));
        let table = doc["tables"]
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["id"] == "positions")
            .unwrap_or_else(|| panic!("{page}: no positions table"));
        let row = &table["rows"][0];
        assert_eq!(row["stance"], "reservation", "{page}: {row}");
        assert_eq!(row["part"], "gcm objective/8/action/b", "{page}: {row}");
        assert_eq!(row["status"], "stands", "{page}: {row}");
    }
    let doc = get_json(s.addr, "/compacts/gcm/objectives/9.json");
    assert!(
        !doc.to_string().contains("Reads the objective"),
        "a position on objective 8 is not one on objective 9"
    );
    let api = get_json(s.addr, "/api/v1/negotiation/votes/a-res-73-195/groups");
    let pledges: Vec<(String, u64, u64)> = api["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["vote"].as_str().unwrap().to_string(),
                g["pledges"]["made"].as_u64().unwrap(),
                g["pledges"]["fulfilled"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        pledges,
        [
            ("yes".to_string(), 0, 0),
            ("no".to_string(), 1, 1),
            ("abstention".to_string(), 0, 0),
            ("non_voting".to_string(), 0, 0),
        ]
    );
}

#[test]
fn a_version_imported_while_the_server_runs_is_in_the_record_at_once() {
    let s = crate::start(&crate::shared_data());
    let labels = |doc: &serde_json::Value| -> Vec<String> {
        doc["versions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["label"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        labels(&get_json(s.addr, "/api/v1/negotiation/documents")),
        ["adopted"]
    );
    let meta = passage_negotiation::VersionMeta {
        document: passage_negotiation::DocumentId::parse("gcm").unwrap(),
        label: "zero draft".into(),
        date: None,
        source: None,
        licence: None,
    };
    let draft = passage_negotiation::read_plain_text(
        std::path::Path::new("draft.txt"),
        "1. One.\n2. Two.\n",
        meta,
    )
    .unwrap();
    passage_negotiation::VersionStore::open(&s.store.root().join("negotiation"))
        .add(&draft.version)
        .unwrap();
    assert_eq!(
        labels(&get_json(s.addr, "/api/v1/negotiation/documents")),
        ["adopted", "zero draft"]
    );
    let (status, html) = get(s.addr, "/negotiation");
    assert_eq!(status, 200);
    assert!(html.contains("gcm@zero draft"));
}
