//! The registry over HTTP: every write route × every role × own or other entity gives the
//! expected status from the one authorisation layer; versions, token expiry and revocation, rate
//! limits, a pledge shown beside its indicator's figures, and positions listed by their filters.

use std::net::SocketAddr;

use passage_registry::{
    Entity, EntityKind, Pledge, Position, Principal, ProgressUpdate, Role, Stage,
};
use serde_json::{json, Value};

use crate::{get, get_json, request, start_with_registry, Server};

fn sources() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("population.csv"),
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n\
         2023,Syrian Arab Rep.,SYR,SYR,Canada,CAN,CAN,40000,0,0,0,0,0,0,,0\n\
         2024,Syrian Arab Rep.,SYR,SYR,Canada,CAN,CAN,45000,0,0,0,0,0,0,,0\n",
    )
    .unwrap();
    dir
}

fn pledge_doc(id: &str, entity: &str) -> Value {
    json!({"id": id, "title": "Resettle refugees", "entity": entity, "forum": "grf", "forum_year": 2023,
           "compact": "GCR", "objectives": [3], "contribution": "resettlement_places", "places": 100, "example": true})
}

fn position_doc(entity: &str, part: &str) -> Value {
    json!({"entity": entity, "document": "gcm", "part": part, "date": "2018-07-13",
           "stance": "supports", "summary": "Supports the paragraph as worded.",
           "source": "https://example.org/statements/1", "forum": "intergovernmental negotiations, round 3"})
}

fn send(
    addr: SocketAddr,
    method: &str,
    path: &str,
    secret: Option<&str>,
    extra: &str,
    body: &Value,
) -> (u16, Value) {
    let auth = secret
        .map(|s| format!("Authorization: Bearer {s}\r\n"))
        .unwrap_or_default();
    let text = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let (status, _, out) = request(addr, method, path, &format!("{auth}{extra}"), &text);
    (status, serde_json::from_str(&out).unwrap_or(Value::Null))
}

struct Fixture {
    server: Server,
    _src: tempfile::TempDir,
    admin: String,
    editor: String,
    reviewer: String,
}

/// A fresh PostgreSQL database on the server of `scripts/with-postgres`.
fn postgres_url() -> String {
    let base = std::env::var("PASSAGE_TEST_PG_URL")
        .expect("PASSAGE_TEST_PG_URL is not set: run the tests under scripts/with-postgres");
    let name = format!("http_matrix_{}", std::process::id());
    postgres::Client::connect(&base, postgres::NoTls)
        .unwrap()
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .unwrap();
    format!("{}/{name}", base.rsplit_once('/').unwrap().0)
}

fn fixture() -> Fixture {
    fixture_on(None)
}

fn fixture_on(registry_url: Option<String>) -> Fixture {
    let src = sources();
    let server = start_with_registry(src.path(), None, registry_url);
    let r = server.state.registry().clone();
    let local = Principal::local();
    for (id, iso) in [("canada", "CAN"), ("chad", "TCD")] {
        r.create_entity(
            &local,
            Entity {
                id: id.into(),
                kind: EntityKind::State,
                name: id.into(),
                country: Some(iso.into()),
                example: true,
            },
        )
        .unwrap();
        r.create_pledge(
            &local,
            serde_json::from_value::<Pledge>(pledge_doc(&format!("P-{id}"), id)).unwrap(),
        )
        .unwrap();
    }
    let token =
        |role, entity: Option<&str>| r.issue_token(&local, role, entity, "test", None).unwrap().1;
    Fixture {
        admin: token(Role::Administrator, None),
        editor: token(Role::EntityEditor, Some("canada")),
        reviewer: token(Role::Reviewer, None),
        server,
        _src: src,
    }
}

/// One write route tried once: method, path, extra headers, body; made ready with the library.
fn prepare(
    f: &Fixture,
    route: usize,
    owner: &str,
    n: usize,
) -> (&'static str, String, String, Value) {
    let r = f.server.state.registry();
    let local = Principal::local();
    let pid = format!("P-{owner}");
    let version = |id: &str| r.pledge(id).unwrap().pledge.version;
    match route {
        0 => (
            "POST",
            "/api/v1/registry/entities".into(),
            String::new(),
            json!({"id": format!("ngo-{n}"), "kind": "ngo", "name": "An NGO"}),
        ),
        1 => {
            let e = r.entity(owner).unwrap();
            (
                "PUT",
                format!("/api/v1/registry/entities/{owner}"),
                format!("If-Match: \"{}\"\r\n", e.version),
                json!(e.item),
            )
        }
        2 => (
            "POST",
            "/api/v1/registry/pledges".into(),
            String::new(),
            pledge_doc(&format!("N-{n}"), owner),
        ),
        3 => (
            "PUT",
            format!("/api/v1/registry/pledges/{pid}"),
            format!("If-Match: \"{}\"\r\n", version(&pid)),
            pledge_doc(&pid, owner),
        ),
        4 => {
            let id = format!("W-{n}");
            r.create_pledge(
                &local,
                serde_json::from_value(pledge_doc(&id, owner)).unwrap(),
            )
            .unwrap();
            (
                "DELETE",
                format!("/api/v1/registry/pledges/{id}"),
                "If-Match: \"1\"\r\n".into(),
                Value::Null,
            )
        }
        5 => (
            "POST",
            format!("/api/v1/registry/pledges/{pid}/updates"),
            String::new(),
            json!({"stage": "in_progress", "date": "2024-05-01", "text": "Half done"}),
        ),
        6 => {
            let u = ProgressUpdate {
                id: String::new(),
                pledge: String::new(),
                stage: Stage::Planning,
                date: "2024-01-01".into(),
                text: "Planned".into(),
                evidence: vec![],
                verified_by: None,
            };
            let u = r.add_update(&local, &pid, u).unwrap();
            (
                "POST",
                format!("/api/v1/registry/updates/{}/verify", u.item.id),
                "If-Match: \"1\"\r\n".into(),
                Value::Null,
            )
        }
        7 => (
            "POST",
            format!("/api/v1/registry/pledges/{pid}/links"),
            String::new(),
            json!({"indicator": "refugees", "country": "CAN", "role": "host"}),
        ),
        8 => (
            "POST",
            "/api/v1/registry/tokens".into(),
            String::new(),
            json!({"role": "reviewer", "label": "new"}),
        ),
        9 => {
            let (t, _) = r
                .issue_token(&local, Role::Reviewer, None, "to revoke", None)
                .unwrap();
            (
                "DELETE",
                format!("/api/v1/registry/tokens/{}", t.id),
                String::new(),
                Value::Null,
            )
        }
        11 => {
            let other = if owner == "canada" { "chad" } else { "canada" };
            let id = format!("C-{n}");
            let mut p: Pledge = serde_json::from_value(pledge_doc(&id, other)).unwrap();
            p.co_pledgers = vec![owner.into()];
            r.create_pledge(&local, p).unwrap();
            (
                "POST",
                format!("/api/v1/registry/pledges/{id}/co-pledgers/{owner}/confirm"),
                "If-Match: \"1\"\r\n".into(),
                Value::Null,
            )
        }
        12 => (
            "POST",
            "/api/v1/registry/positions".into(),
            String::new(),
            position_doc(owner, "objective/8"),
        ),
        13 | 14 => {
            let p: Position = serde_json::from_value(position_doc(owner, "para/37")).unwrap();
            let p = r.create_position(&local, p).unwrap().item;
            let path = format!("/api/v1/registry/positions/{}", p.id);
            if route == 13 {
                let mut doc = json!(p);
                doc["stance"] = json!("reservation");
                ("PUT", path, "If-Match: \"1\"\r\n".into(), doc)
            } else {
                ("DELETE", path, "If-Match: \"1\"\r\n".into(), Value::Null)
            }
        }
        _ => (
            "POST",
            "/api/v1/registry/import".into(),
            String::new(),
            json!({"entities": [{"id": format!("imp-{n}"), "kind": "academia", "name": "A university"}]}),
        ),
    }
}

#[test]
fn every_write_route_by_every_role_on_own_and_other_records() {
    matrix(&fixture());
}

#[test]
fn every_write_route_by_every_role_on_postgres() {
    matrix(&fixture_on(Some(postgres_url())));
}

fn matrix(f: &Fixture) {
    // Route index → may an entity editor of `canada` make it on its own records?
    let editorial = [
        false, true, true, true, true, true, false, true, false, false, false, true, true, true,
        true,
    ];
    let route_names = [
        "create entity",
        "update entity",
        "create pledge",
        "update pledge",
        "withdraw pledge",
        "add update",
        "verify update",
        "link indicator",
        "issue token",
        "revoke token",
        "import",
        "confirm co-pledge",
        "create position",
        "update position",
        "withdraw position",
    ];
    let mut n = 0;
    for route in 0..15 {
        for owner in ["canada", "chad"] {
            let roles: [(&str, Option<&str>, bool); 4] = [
                ("administrator", Some(&f.admin), true),
                (
                    "editor of canada",
                    Some(&f.editor),
                    editorial[route] && owner == "canada",
                ),
                ("reviewer", Some(&f.reviewer), route == 6),
                ("public", None, false),
            ];
            for (role, secret, allowed) in roles {
                n += 1;
                let (method, path, extra, body) = prepare(f, route, owner, n);
                let (status, answer) = send(f.server.addr, method, &path, secret, &extra, &body);
                let expected = match (allowed, secret) {
                    (true, _) => status == 200 || status == 201,
                    (false, Some(_)) => status == 403 && answer["error"]["code"] == "forbidden",
                    (false, None) => status == 401 && answer["error"]["code"] == "unauthorized",
                };
                assert!(
                    expected,
                    "{} by {role} on {owner}'s records: {status} {answer}",
                    route_names[route]
                );
            }
        }
    }
    let (status, v) = send(
        f.server.addr,
        "GET",
        "/api/v1/registry/verify",
        None,
        "",
        &Value::Null,
    );
    assert_eq!((status, v["ok"].as_bool()), (200, Some(true)), "{v}");
}

#[test]
fn versions_tokens_limits_and_evidence() {
    let f = fixture();
    let addr = f.server.addr;
    let path = "/api/v1/registry/pledges/P-canada";
    // No If-Match: 428; a stale one: 409; the current one: 200 with the next version as ETag.
    let body = pledge_doc("P-canada", "canada");
    let (s, v) = send(addr, "PUT", path, Some(&f.editor), "", &body);
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (428, Some("version_required"))
    );
    let (s, _) = send(
        addr,
        "PUT",
        path,
        Some(&f.editor),
        "If-Match: \"1\"\r\n",
        &body,
    );
    assert_eq!(s, 200);
    let (s, v) = send(
        addr,
        "PUT",
        path,
        Some(&f.editor),
        "If-Match: \"1\"\r\n",
        &body,
    );
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("version_conflict"))
    );
    // A record that breaks a rule names its field.
    let mut bad = pledge_doc("P-new", "canada");
    bad["places"] = Value::Null;
    let (s, v) = send(
        addr,
        "POST",
        "/api/v1/registry/pledges",
        Some(&f.admin),
        "",
        &bad,
    );
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("invalid_record"))
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("`places`"),
        "{v}"
    );

    // Revoked and expired tokens are refused.
    let r = f.server.state.registry();
    let (t, secret) = r
        .issue_token(
            &Principal::local(),
            Role::Administrator,
            None,
            "short",
            None,
        )
        .unwrap();
    let entity = |n: &str| json!({"id": n, "kind": "ngo", "name": "x"});
    assert_eq!(
        send(
            addr,
            "POST",
            "/api/v1/registry/entities",
            Some(&secret),
            "",
            &entity("ok-1")
        )
        .0,
        201
    );
    r.revoke_token(&Principal::local(), &t.id).unwrap();
    assert_eq!(
        send(
            addr,
            "POST",
            "/api/v1/registry/entities",
            Some(&secret),
            "",
            &entity("ok-2")
        )
        .0,
        401
    );
    let (_, old) = r
        .issue_token(
            &Principal::local(),
            Role::Administrator,
            None,
            "old",
            Some("2001-01-01T00:00:00Z".parse().unwrap()),
        )
        .unwrap();
    assert_eq!(
        send(
            addr,
            "POST",
            "/api/v1/registry/entities",
            Some(&old),
            "",
            &entity("ok-3")
        )
        .0,
        401
    );

    // The pledge beside what the data shows.
    let link = json!({"indicator": "refugees", "country": "CAN", "role": "host"});
    assert_eq!(
        send(
            addr,
            "POST",
            "/api/v1/registry/pledges/P-canada/links",
            Some(&f.editor),
            "",
            &link
        )
        .0,
        201
    );
    let (s, page) = send(
        addr,
        "GET",
        "/api/v1/registry/pledges/P-canada",
        None,
        "",
        &Value::Null,
    );
    assert_eq!(s, 200);
    let points = &page["evidence"][0]["figures"]["points"];
    assert_eq!(points[1]["year"], 2024);
    assert_eq!(points[1]["value"], 45000);

    // Writes without a token share one budget: a flood is cut off with 429.
    let mut limited = false;
    for i in 0..400 {
        let (s, _) = send(
            addr,
            "POST",
            "/api/v1/registry/entities",
            None,
            "",
            &entity(&format!("flood-{i}")),
        );
        if s == 429 {
            limited = true;
            break;
        }
        assert_eq!(s, 401);
    }
    assert!(limited, "no 429 after 400 writes without a token");
}

#[test]
fn an_invalid_expiry_is_refused_and_the_registry_keeps_serving() {
    let f = fixture();
    let addr = f.server.addr;
    let token = json!({"role": "reviewer", "label": "x", "expires_at": "2027-01-0éT0000000Z"});
    let (s, v) = send(
        addr,
        "POST",
        "/api/v1/registry/tokens",
        Some(&f.admin),
        "",
        &token,
    );
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("invalid_record")),
        "{v}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("`expires_at`"),
        "{v}"
    );
    // Every later request is answered as before.
    let (s, _) = send(
        addr,
        "GET",
        "/api/v1/registry/entities",
        None,
        "",
        &Value::Null,
    );
    assert_eq!(s, 200);
    let entity = json!({"id": "after-the-bad-expiry", "kind": "ngo", "name": "x"});
    let (s, v) = send(
        addr,
        "POST",
        "/api/v1/registry/entities",
        Some(&f.admin),
        "",
        &entity,
    );
    assert_eq!(s, 201, "{v}");
}

/// The status line and headers a request's head alone gets, within a few seconds: the body it
/// declares is never sent.
fn head_only(addr: SocketAddr, method: &str, path: &str, headers: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    write!(
        s,
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\n{headers}Content-Type: application/json\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    let mut buf = [0u8; 4096];
    while !String::from_utf8_lossy(&raw).contains("\r\n\r\n") {
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(e) => panic!("{method} {path}: no answer before the body was sent: {e}"),
        }
    }
    let text = String::from_utf8_lossy(&raw).to_string();
    let status = text.split_whitespace().nth(1).unwrap().parse().unwrap();
    (status, text)
}

#[test]
fn the_token_is_checked_and_the_size_refused_before_a_body_is_read() {
    let f = fixture();
    let addr = f.server.addr;
    let forged = "Authorization: Bearer pst_000000000000_wrong\r\n";
    for path in [
        "/api/v1/registry/import",
        "/api/v1/registry/pledges",
        "/api/v1/registry/positions",
    ] {
        let (s, text) = head_only(
            addr,
            "POST",
            path,
            &format!("{forged}Content-Length: 60000\r\n"),
        );
        assert_eq!(s, 401, "{path}: {text}");
    }
    let admin = format!("Authorization: Bearer {}\r\n", f.admin);
    let (s, text) = head_only(
        addr,
        "POST",
        "/api/v1/registry/import",
        &format!("{admin}Content-Length: 3000000\r\n"),
    );
    assert_eq!(s, 413, "{text}");
    for path in ["/api/v1/registry/pledges", "/api/v1/registry/positions"] {
        let (s, text) = head_only(
            addr,
            "POST",
            path,
            &format!("{admin}Content-Length: 70000\r\n"),
        );
        assert_eq!(s, 413, "{path}: {text}");
    }
}

#[test]
fn a_flood_with_a_false_secret_does_not_lock_out_the_real_administrator() {
    let f = fixture();
    let addr = f.server.addr;
    // The forged secret carries the administrator's public id, as anyone who saw it could.
    let id = f.admin.split('_').nth(1).unwrap();
    let forged = format!("pst_{id}_{}", "0".repeat(48));
    let entity = |n: &str| json!({"id": n, "kind": "ngo", "name": "x"});
    let mut refused = None;
    for i in 0..300 {
        let (status, head, _) = request(
            addr,
            "POST",
            "/api/v1/registry/entities",
            &format!("Authorization: Bearer {forged}\r\n"),
            &entity(&format!("forged-{i}")).to_string(),
        );
        match status {
            401 => {}
            429 => {
                refused = Some(head);
                break;
            }
            other => panic!("forged write {i}: {other}"),
        }
    }
    let head = refused.expect("a flood of forged writes was never limited");
    assert!(
        head.to_ascii_lowercase().contains("retry-after: 1"),
        "a 429 without Retry-After: {head}"
    );
    // Invented token ids share the address's budget too: none gets a fresh one.
    let invented = "Authorization: Bearer pst_123456789abc_x\r\n";
    let (s, _, _) = request(addr, "POST", "/api/v1/registry/entities", invented, "{}");
    assert_eq!(s, 429);
    for i in 0..10 {
        let (s, v) = send(
            addr,
            "POST",
            "/api/v1/registry/entities",
            Some(&f.admin),
            "",
            &entity(&format!("real-{i}")),
        );
        assert_eq!(s, 201, "the administrator's write {i}: {v}");
    }
}

#[test]
fn the_public_events_feed_shows_no_token_hash() {
    let f = fixture();
    let tokens = f.server.state.registry().tokens().unwrap();
    assert_eq!(tokens.len(), 3);
    let (s, v) = send(
        f.server.addr,
        "GET",
        "/api/v1/registry/events?limit=10000",
        None,
        "",
        &Value::Null,
    );
    assert_eq!(s, 200);
    let feed = v.to_string();
    assert!(v["events"].as_array().unwrap().len() >= 7, "{v}");
    for t in &tokens {
        assert!(
            !feed.contains(&t.secret_sha256),
            "the feed shows token {}'s hash",
            t.id
        );
    }
    assert!(!feed.contains("secret_sha256"));
}

#[test]
fn a_scope_of_codes_outside_iso_3166_is_refused_naming_the_code() {
    let f = fixture();
    let mut p = pledge_doc("P-scope", "canada");
    p["scope"] = json!(["GFR", "XYZ"]);
    let (s, v) = send(
        f.server.addr,
        "POST",
        "/api/v1/registry/pledges",
        Some(&f.admin),
        "",
        &p,
    );
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("invalid_record")),
        "{v}"
    );
    let message = v["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("`scope`: `GFR` is not an ISO 3166 alpha-3 code"),
        "{message}"
    );
    p["scope"] = json!(["DEU", "syr"]);
    let (s, v) = send(
        f.server.addr,
        "POST",
        "/api/v1/registry/pledges",
        Some(&f.admin),
        "",
        &p,
    );
    assert_eq!(s, 201, "{v}");
    assert_eq!(v["scope"], json!(["DEU", "SYR"]));
}

#[test]
fn positions_are_written_listed_by_their_filters_and_refused_by_name() {
    let f = fixture();
    let addr = f.server.addr;
    let r = f.server.state.registry();
    r.create_entity(
        &Principal::local(),
        Entity {
            id: "african-group".into(),
            kind: EntityKind::GroupOfStates,
            name: "African Group".into(),
            country: None,
            example: true,
        },
    )
    .unwrap();
    let post = |secret: &str, doc: &Value| {
        send(
            addr,
            "POST",
            "/api/v1/registry/positions",
            Some(secret),
            "",
            doc,
        )
    };
    let (s, created) = post(&f.editor, &position_doc("canada", "objective/8"));
    assert_eq!(
        (s, created["id"].as_str()),
        (201, Some("canada-p1")),
        "{created}"
    );
    for (entity, part) in [
        ("canada", "objective/8/action/b"),
        ("canada", "objective/80"),
        ("african-group", "para/37"),
    ] {
        let (s, v) = post(&f.admin, &position_doc(entity, part));
        assert_eq!(s, 201, "{v}");
    }
    let (s, v) = post(&f.admin, &position_doc("chad", "objective/8/action/c"));
    assert_eq!(s, 201, "{v}");
    let ids = |query: &str| -> Vec<String> {
        let (s, v) = send(
            addr,
            "GET",
            &format!("/api/v1/registry/positions{query}"),
            None,
            "",
            &Value::Null,
        );
        assert_eq!(s, 200, "{query}: {v}");
        v["positions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("").len(), 5);
    assert_eq!(
        ids("?part=objective/8"),
        ["canada-p1", "canada-p2", "chad-p1"]
    );
    assert_eq!(
        ids("?part=objective%2F8&country=can"),
        ["canada-p1", "canada-p2"]
    );
    assert_eq!(ids("?country=TCD&document=gcm"), ["chad-p1"]);
    assert_eq!(ids("?entity=african-group"), ["african-group-p1"]);
    assert!(ids("?document=gcr").is_empty());
    // A filter that does not parse is refused, naming the parameter.
    for (query, parameter) in [
        ("?part=Objective/8", "part"),
        ("?part=objective/", "part"),
        ("?country=GFR", "country"),
        ("?document=G%20C%20M", "document"),
    ] {
        let (s, v) = send(
            addr,
            "GET",
            &format!("/api/v1/registry/positions{query}"),
            None,
            "",
            &Value::Null,
        );
        assert_eq!(
            (
                s,
                v["error"]["code"].as_str(),
                v["error"]["parameter"].as_str()
            ),
            (400, Some("invalid_parameter"), Some(parameter)),
            "{query}: {v}"
        );
    }
    let (s, v) = send(
        addr,
        "GET",
        "/api/v1/registry/positions?stance=supports",
        None,
        "",
        &Value::Null,
    );
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (400, Some("unknown_parameter"))
    );

    // One position, its version as the ETag; changed only at the version read.
    let path = "/api/v1/registry/positions/canada-p1";
    let (s, head, body) = request(addr, "GET", path, "", "");
    assert_eq!(s, 200, "{body}");
    assert!(
        head.contains("etag: \"1\"") || head.contains("ETag: \"1\""),
        "{head}"
    );
    let mut changed = position_doc("canada", "objective/8");
    changed["stance"] = json!("seeks_amendment");
    changed["quote"] = json!("We propose \"voluntary\" before \"return\".");
    let (s, v) = send(addr, "PUT", path, Some(&f.editor), "", &changed);
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (428, Some("version_required"))
    );
    let (s, v) = send(
        addr,
        "PUT",
        path,
        Some(&f.editor),
        "If-Match: \"1\"\r\n",
        &changed,
    );
    assert_eq!(
        (s, v["version"].as_i64(), v["stance"].as_str()),
        (200, Some(2), Some("seeks_amendment")),
        "{v}"
    );
    let (s, v) = send(
        addr,
        "PUT",
        path,
        Some(&f.editor),
        "If-Match: \"1\"\r\n",
        &changed,
    );
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (409, Some("version_conflict"))
    );
    // Handed to another entity: refused by name.
    let mut moved = changed.clone();
    moved["entity"] = json!("chad");
    let (s, v) = send(
        addr,
        "PUT",
        path,
        Some(&f.admin),
        "If-Match: \"2\"\r\n",
        &moved,
    );
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("invalid_record")),
        "{v}"
    );
    assert!(
        v["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("`entity`"),
        "{v}"
    );
    // Withdrawn: kept, marked, and no longer changed.
    let (s, v) = send(
        addr,
        "DELETE",
        path,
        Some(&f.editor),
        "If-Match: \"2\"\r\n",
        &Value::Null,
    );
    assert_eq!(
        (s, v["withdrawn"].as_bool(), v["version"].as_i64()),
        (200, Some(true), Some(3)),
        "{v}"
    );
    let (s, v) = send(
        addr,
        "PUT",
        path,
        Some(&f.editor),
        "If-Match: \"3\"\r\n",
        &changed,
    );
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (422, Some("invalid_record")),
        "{v}"
    );
    let (s, v) = send(
        addr,
        "GET",
        "/api/v1/registry/positions/canada-p9",
        None,
        "",
        &Value::Null,
    );
    assert_eq!((s, v["error"]["code"].as_str()), (404, Some("not_found")));

    // A body that does not parse is refused naming the field, and nothing is stored.
    for (field, value) in [
        ("part", json!("objective/8/action")),
        ("source", json!("undocs.org/A/73/L.66")),
        ("date", json!("2018-13-01")),
        ("stance", json!("abstains")),
    ] {
        let mut doc = position_doc("canada", "objective/8");
        doc[field] = value;
        let (s, v) = post(&f.admin, &doc);
        assert_eq!(
            (s, v["error"]["code"].as_str()),
            (422, Some("invalid_record")),
            "{field}: {v}"
        );
        let message = v["error"]["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("`{field}`: ")),
            "{field}: {message}"
        );
    }
    let (s, v) = post(&f.editor, &position_doc("an-unknown-state", "para/1"));
    assert_eq!(
        (s, v["error"]["code"].as_str()),
        (403, Some("forbidden")),
        "{v}"
    );
    assert_eq!(ids("").len(), 5);

    // Every write an event of the public feed, and the history verifies.
    let (_, feed) = send(
        addr,
        "GET",
        "/api/v1/registry/events?limit=10000",
        None,
        "",
        &Value::Null,
    );
    let actions: Vec<&str> = feed["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["object_id"] == "canada-p1")
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["create_position", "update_position", "withdraw_position"]
    );
    let (_, v) = send(
        addr,
        "GET",
        "/api/v1/registry/verify",
        None,
        "",
        &Value::Null,
    );
    assert_eq!(v["ok"], true, "{v}");

    // Position writes draw on the same write budget as every registry write.
    let mut limited = false;
    for i in 0..400 {
        let (s, _) = send(
            addr,
            "POST",
            "/api/v1/registry/positions",
            None,
            "",
            &position_doc("canada", &format!("para/{i}")),
        );
        if s == 429 {
            limited = true;
            break;
        }
        assert_eq!(s, 401);
    }
    assert!(limited, "no 429 after 400 position writes without a token");
}

#[test]
fn a_registry_write_shows_on_the_pages_at_once() {
    let f = fixture();
    let addr = f.server.addr;
    let rows = |doc: &Value| doc["tables"][0]["rows"].as_array().unwrap().len();
    let before = get_json(addr, "/pledges.json");
    let (status, body) = send(
        addr,
        "POST",
        "/api/v1/registry/pledges",
        Some(&f.admin),
        "Content-Type: application/json\r\n",
        &pledge_doc("P-fresh", "canada"),
    );
    assert_eq!(status, 201, "{body}");
    // The page rendered before the write is not served again as if nothing happened.
    let after = get_json(addr, "/pledges.json");
    assert_eq!(rows(&after), rows(&before) + 1, "{after}");
    let (_, html) = get(addr, "/pledges/P-fresh");
    assert!(html.contains("P-fresh"), "{html}");
}
