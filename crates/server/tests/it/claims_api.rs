//! The claim routes over HTTP: verdicts and timelines, checking a definition, and registering one
//! only with a registry token whose role may (or the server's configured claims token).

use passage_registry::{Entity, EntityKind, Principal, Role};
use serde_json::{json, Value};

use crate::{get_json, request, shared, start_with};

fn claim(id: &str) -> Value {
    json!({
        "id": id,
        "text": "Türkiye hosts more refugees than Germany.",
        "context": "test",
        "test": {"kind": "compare", "op": ">",
                 "left": {"indicator": "refugees", "country": "TUR", "role": "host"},
                 "right": {"indicator": "refugees", "country": "DEU", "role": "host"}}
    })
}

/// Sources with two hosts of Syrians, Türkiye and Germany.
fn two_hosts() -> tempfile::TempDir {
    let src = tempfile::tempdir().unwrap();
    std::fs::write(
        src.path().join("population.csv"),
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n\
         2024,Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,2940735,0,0,0,0,0,0,,0\n\
         2024,Syrian Arab Rep.,SYR,SYR,Germany,GFR,DEU,700000,0,0,0,0,0,0,,0\n",
    )
    .unwrap();
    src
}

fn post(addr: std::net::SocketAddr, path: &str, headers: &str, body: &Value) -> (u16, Value) {
    let (status, _, text) = request(addr, "POST", path, headers, &body.to_string());
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[test]
fn claims_carry_verdicts_and_timelines() {
    let s = shared();
    let doc = get_json(s.addr, "/api/v1/claims");
    let claims = doc["claims"].as_array().unwrap();
    assert!(claims.len() >= 20);
    assert!(claims
        .iter()
        .all(|c| ["true", "false"].contains(&c["verdict"]["outcome"].as_str().unwrap())));
    let one = get_json(s.addr, "/api/v1/claims/turkiye-hosts-most-refugees");
    assert_eq!(one["evaluation"]["verdict"]["outcome"], "false");
    assert!(!one["turning_points"].as_array().unwrap().is_empty());

    let (status, body) = post(s.addr, "/api/v1/claims/check", "", &claim("ad-hoc"));
    assert_eq!(status, 200, "{body}");
    let parsed: passage_claims::Claim = serde_json::from_value(claim("ad-hoc")).unwrap();
    let expected = passage_claims::evaluate(s.state.engine(), &s.state.release().unwrap(), &parsed);
    assert_eq!(
        body["evaluation"]["verdict"]["outcome"],
        expected.verdict.outcome.name()
    );
    assert_eq!(body["evaluation"]["verdict"]["year"], 2025);
    let mut bad = claim("ad-hoc");
    bad["test"]["left"]["indicator"] = "nothing".into();
    let (status, body) = post(s.addr, "/api/v1/claims/check", "", &bad);
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("invalid_claim"))
    );
    // Without a token, or with one the registry does not know, nothing is registered.
    let (status, body) = post(s.addr, "/api/v1/claims", "", &claim("x"));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
    let auth = "Authorization: Bearer 0123456789abcdef0123\r\n";
    let (status, body) = post(s.addr, "/api/v1/claims", auth, &claim("x"));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (401, Some("unauthorized"))
    );
}

#[test]
fn registering_a_claim_is_authorised_by_the_registrys_tokens_and_roles() {
    let src = two_hosts();
    // No claims token is configured: the registry's tokens decide.
    let s = start_with(src.path(), None);
    let r = s.state.registry();
    let local = Principal::local();
    r.create_entity(
        &local,
        Entity {
            id: "canada".into(),
            kind: EntityKind::State,
            name: "Canada".into(),
            country: Some("CAN".into()),
            example: true,
        },
    )
    .unwrap();
    let token =
        |role, entity: Option<&str>| r.issue_token(&local, role, entity, "t", None).unwrap();
    let cases = [
        (token(Role::Administrator, None), 201, "admin-registers"),
        (
            token(Role::ClaimsEditor, None),
            201,
            "claims-editor-registers",
        ),
        (token(Role::Reviewer, None), 403, "reviewer-does-not"),
        (
            token(Role::EntityEditor, Some("canada")),
            403,
            "editor-does-not",
        ),
    ];
    for ((_, secret), expected, id) in &cases {
        let auth = format!("Authorization: Bearer {secret}\r\n");
        let (status, body) = post(s.addr, "/api/v1/claims", &auth, &claim(id));
        assert_eq!(status, *expected, "{id}: {body}");
        if *expected == 403 {
            assert_eq!(body["error"]["code"], "forbidden", "{body}");
        }
    }
    assert_eq!(
        get_json(s.addr, "/api/v1/claims/admin-registers")["claim"]["id"],
        "admin-registers"
    );
    // A revoked token, and a forged secret of a real token's id, are refused.
    let (record, secret) = &cases[1].0;
    r.revoke_token(&local, &record.id).unwrap();
    let forged = format!("pst_{}_{}", record.id, "0".repeat(48));
    for bad in [secret.as_str(), forged.as_str()] {
        let auth = format!("Authorization: Bearer {bad}\r\n");
        let (status, body) = post(s.addr, "/api/v1/claims", &auth, &claim("late"));
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("unauthorized"))
        );
    }
    // Failed attempts are charged to the client's address, as registry writes are: a flood of
    // forged secrets is cut off with Retry-After, and the real administrator keeps its budget.
    let auth = format!("Authorization: Bearer {forged}\r\n");
    let body = claim("flood").to_string();
    let limited = (0..500).find_map(|_| {
        let (status, head, _) = request(s.addr, "POST", "/api/v1/claims", &auth, &body);
        (status == 429).then_some(head)
    });
    let head = limited.expect("a flood of forged secrets is rate-limited");
    assert!(head.to_ascii_lowercase().contains("retry-after:"), "{head}");
    let admin = format!("Authorization: Bearer {}\r\n", cases[0].0 .1);
    let (status, body) = post(s.addr, "/api/v1/claims", &admin, &claim("after-flood"));
    assert_eq!(status, 201, "{body}");
}

#[test]
fn registering_needs_the_token_and_a_new_id() {
    let src = two_hosts();
    let token = "0123456789abcdef0123";
    let s = start_with(src.path(), Some(token));
    let id = "tur-more-than-deu";
    for headers in ["", "Authorization: Bearer wrong-token-wrong-token\r\n"] {
        let (status, body) = post(s.addr, "/api/v1/claims", headers, &claim(id));
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("unauthorized"))
        );
    }
    let auth = format!("Authorization: Bearer {token}\r\n");
    let (status, body) = post(s.addr, "/api/v1/claims", &auth, &claim(id));
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["evaluation"]["verdict"]["outcome"], "true");
    let (status, body) = post(s.addr, "/api/v1/claims", &auth, &claim(id));
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("claim_exists"))
    );
    let one = get_json(s.addr, &format!("/api/v1/claims/{id}"));
    assert_eq!(
        one["claim"]["text"],
        "Türkiye hosts more refugees than Germany."
    );
}
