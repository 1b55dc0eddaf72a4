//! The tests, each against a fresh database of either backend.

use std::sync::Arc;

use passage_registry::{
    Action, Bundle, CsvKind, Entity, EntityKind, IndicatorLink, Pledge, PledgeRecord, Position,
    Principal, ProgressUpdate, Registry, RegistryError, Role, Stage, Timestamp,
};
use serde_json::json;

use crate::fresh::Fresh;

fn admin() -> Principal {
    Principal::local()
}

fn entity(id: &str, kind: EntityKind, country: Option<&str>) -> Entity {
    Entity {
        id: id.into(),
        kind,
        name: format!("Example {id}"),
        country: country.map(String::from),
        example: true,
    }
}

fn pledge(id: &str, entity: &str) -> Pledge {
    serde_json::from_value(json!({
        "id": id, "title": "Resettle 5,000 refugees", "entity": entity,
        "forum": "grf", "forum_year": 2023, "compact": "GCR", "objectives": [3],
        "contribution": "resettlement_places", "places": 5000, "example": true
    }))
    .unwrap()
}

fn update(text: &str) -> ProgressUpdate {
    ProgressUpdate {
        id: String::new(),
        pledge: String::new(),
        stage: Stage::InProgress,
        date: "2024-06-30".into(),
        text: text.into(),
        evidence: vec!["https://example.org/report".into()],
        verified_by: None,
    }
}

fn link() -> IndicatorLink {
    IndicatorLink {
        id: String::new(),
        pledge: String::new(),
        indicator: "resettlement_arrivals".into(),
        country: Some("CAN".into()),
        role: Some("host".into()),
        note: None,
    }
}

/// A position of `entity` on a part of the GCM.
fn position(entity: &str, part: &str) -> Position {
    serde_json::from_value(json!({
        "entity": entity, "document": "gcm", "part": part, "date": "2018-07-13",
        "stance": "supports", "summary": "Supports the paragraph as worded.",
        "source": "https://example.org/statements/1",
        "forum": "intergovernmental negotiations, round 3"
    }))
    .unwrap()
}

/// Two states, one pledge each.
fn seeded(f: &Fresh) -> Registry {
    let r = f.open();
    let a = admin();
    r.create_entity(&a, entity("canada", EntityKind::State, Some("CAN")))
        .unwrap();
    r.create_entity(&a, entity("chad", EntityKind::State, Some("TCD")))
        .unwrap();
    r.create_pledge(&a, pledge("EX-1", "canada")).unwrap();
    r.create_pledge(&a, pledge("EX-2", "chad")).unwrap();
    r
}

pub fn migrations_apply_once(f: &Fresh) {
    let r = seeded(f);
    assert!(r.verify().unwrap().ok());
    drop(r);
    // Reopening applies no migration twice, and keeps the data.
    let again = f.open();
    assert_eq!(again.pledges(None).unwrap().len(), 2);
    assert_eq!(
        f.count("SELECT count(*) FROM schema_migrations"),
        passage_registry::MIGRATIONS.len() as i64
    );
    assert_eq!(
        f.count("SELECT count(*) FROM schema_migrations WHERE version = 1"),
        1
    );
    assert!(again.verify().unwrap().ok());
}

pub fn model_rules_and_references(f: &Fresh) {
    let r = seeded(f);
    let a = admin();
    let err = |e: RegistryError| e.to_string();
    // References must exist.
    let mut p = pledge("EX-3", "nowhere");
    assert_eq!(
        err(r.create_pledge(&a, p.clone()).unwrap_err()),
        "`entity`: no entity `nowhere`"
    );
    p.entity = "canada".into();
    p.co_pledgers = vec!["ghost".into()];
    assert_eq!(
        err(r.create_pledge(&a, p.clone()).unwrap_err()),
        "`co_pledgers`: no entity `ghost`"
    );
    p.co_pledgers = vec!["chad".into()];
    p.matched = vec!["EX-2".into()];
    r.create_pledge(&a, p.clone()).unwrap();
    assert!(matches!(
        r.create_pledge(&a, p).unwrap_err(),
        RegistryError::Exists { .. }
    ));
    // A co-pledger sees the pledge among its own.
    let chads: Vec<String> = r
        .pledges(Some("chad"))
        .unwrap()
        .into_iter()
        .map(|p| p.item.id)
        .collect();
    assert_eq!(chads, vec!["EX-2", "EX-3"]);
    // Updates and links get ids in order; a bad link is refused.
    let u1 = r.add_update(&a, "EX-1", update("Planning done")).unwrap();
    let u2 = r.add_update(&a, "EX-1", update("Half resettled")).unwrap();
    assert_eq!(
        (u1.item.id.as_str(), u2.item.id.as_str()),
        ("EX-1-u1", "EX-1-u2")
    );
    r.link_indicator(&a, "EX-1", link()).unwrap();
    let mut bad = link();
    bad.indicator = "happiness".into();
    assert!(err(r.link_indicator(&a, "EX-1", bad).unwrap_err()).starts_with("`indicator`"));
    let record = r.pledge("EX-1").unwrap();
    assert_eq!((record.updates.len(), record.links.len()), (2, 1));
    // Updates need the version that was read; a stale one is a conflict.
    let mut changed = pledge("EX-1", "canada");
    changed.places = Some(6000);
    assert!(matches!(
        r.update_pledge(&a, changed.clone(), None).unwrap_err(),
        RegistryError::VersionRequired { .. }
    ));
    let v2 = r.update_pledge(&a, changed.clone(), Some(1)).unwrap();
    assert_eq!(v2.version, 2);
    assert!(matches!(
        r.update_pledge(&a, changed, Some(1)).unwrap_err(),
        RegistryError::Conflict {
            expected: 1,
            current: 2,
            ..
        }
    ));
    // Withdrawal keeps the pledge, marked, and refuses new updates.
    let w = r.withdraw_pledge(&a, "EX-1", Some(2)).unwrap();
    assert!(w.withdrawn);
    assert!(r.pledge("EX-1").unwrap().pledge.withdrawn);
    assert!(err(r.add_update(&a, "EX-1", update("late")).unwrap_err()).contains("withdrawn"));
    // Export and import into a new registry give the same records.
    let exported = r.export().unwrap();
    assert_eq!(exported.pledges.len(), 3);
    // Without the history, the records are created anew, and withdrawn pledges withdrawn.
    let other = f.sibling();
    let copy = other.open();
    let mut bundle = exported.clone();
    bundle.events.clear();
    for u in &mut bundle.updates {
        u.id.clear();
    }
    for l in &mut bundle.links {
        l.id.clear();
    }
    copy.import(&a, &bundle, &|k, i| format!("{k}[{i}]"))
        .unwrap();
    let again = copy.export().unwrap();
    assert_eq!(again.pledges, exported.pledges);
    assert_eq!(again.withdrawn, vec!["EX-1"]);
    assert!(copy.pledge("EX-1").unwrap().pledge.withdrawn);
    assert!(copy.verify().unwrap().ok());
    assert!(r.verify().unwrap().ok());
}

/// Whether `who` may do `action` on the records of `owner`, through the registry's own calls.
fn attempt(
    r: &Registry,
    who: Option<&Principal>,
    action: Action,
    owner: &str,
    n: usize,
) -> Result<(), RegistryError> {
    let Some(who) = who else {
        return passage_registry::authorize(None, action, Some(owner));
    };
    let pid = format!("EX-{}", if owner == "canada" { 1 } else { 2 });
    let version = |r: &Registry| r.pledge(&pid).map(|p| p.pledge.version).ok();
    match action {
        Action::CreateEntity => r
            .create_entity(who, entity(&format!("new-{n}"), EntityKind::Ngo, None))
            .map(drop),
        Action::UpdateEntity => {
            let e = r.entity(owner)?;
            r.update_entity(who, e.item, Some(e.version)).map(drop)
        }
        Action::CreatePledge => r
            .create_pledge(who, pledge(&format!("NEW-{n}"), owner))
            .map(drop),
        Action::UpdatePledge => r
            .update_pledge(who, r.pledge(&pid)?.pledge.item, version(r))
            .map(drop),
        Action::WithdrawPledge => {
            // Withdraw a pledge made for the purpose, so the others stay usable.
            let id = format!("W-{n}");
            r.create_pledge(&admin(), pledge(&id, owner))?;
            r.withdraw_pledge(who, &id, Some(1)).map(drop)
        }
        Action::AddUpdate => r.add_update(who, &pid, update("progress")).map(drop),
        Action::VerifyUpdate => {
            let u = r.add_update(&admin(), &pid, update("to verify"))?;
            r.verify_update(who, &u.item.id, Some(1)).map(drop)
        }
        Action::LinkIndicator => r.link_indicator(who, &pid, link()).map(drop),
        Action::IssueToken => r
            .issue_token(who, Role::Reviewer, None, "t", None)
            .map(drop),
        Action::RevokeToken => {
            let (t, _) = r.issue_token(&admin(), Role::Reviewer, None, "t", None)?;
            r.revoke_token(who, &t.id).map(drop)
        }
        Action::ConfirmCoPledge => {
            let other = if owner == "canada" { "chad" } else { "canada" };
            let id = format!("C-{n}");
            let mut p = pledge(&id, other);
            p.co_pledgers = vec![owner.into()];
            r.create_pledge(&admin(), p)?;
            r.confirm_co_pledger(who, &id, owner, Some(1)).map(drop)
        }
        Action::ChangeExample => {
            let e = r.entity(owner)?;
            let mut item = e.item;
            item.example = !item.example;
            r.update_entity(who, item, Some(e.version)).map(drop)
        }
        Action::RegisterClaim => passage_registry::authorize(Some(who), action, None),
        Action::CreatePosition => r
            .create_position(who, position(owner, "objective/8"))
            .map(drop),
        Action::UpdatePosition => {
            let p = r.create_position(&admin(), position(owner, "objective/8"))?;
            let mut item = p.item;
            item.stance = passage_registry::Stance::Reservation;
            r.update_position(who, item, Some(1)).map(drop)
        }
        Action::WithdrawPosition => {
            let p = r.create_position(&admin(), position(owner, "objective/8"))?;
            r.withdraw_position(who, &p.item.id, Some(1)).map(drop)
        }
        Action::Import => {
            let bundle = Bundle {
                entities: vec![entity(&format!("imp-{n}"), EntityKind::Academia, None)],
                ..Bundle::default()
            };
            r.import(who, &bundle, &|k, i| format!("{k}[{i}]"))
                .map(drop)
        }
    }
}

pub fn authorisation_matrix(f: &Fresh) {
    let r = seeded(f);
    let principal = |role: Role, entity: Option<&str>| {
        let (t, secret) = r
            .issue_token(&admin(), role, entity, "matrix", None)
            .unwrap();
        assert_eq!(t.role, role);
        r.authenticate(&secret).unwrap()
    };
    let admin_p = principal(Role::Administrator, None);
    let editor = principal(Role::EntityEditor, Some("canada"));
    let reviewer = principal(Role::Reviewer, None);
    let claims_editor = principal(Role::ClaimsEditor, None);
    let mut n = 0;
    for action in Action::ALL {
        for owner in ["canada", "chad"] {
            let cases: [(&str, Option<&Principal>, bool); 5] = [
                ("administrator", Some(&admin_p), true),
                (
                    "claims editor",
                    Some(&claims_editor),
                    action == Action::RegisterClaim,
                ),
                (
                    "editor of canada",
                    Some(&editor),
                    owner == "canada"
                        && matches!(
                            action,
                            Action::UpdateEntity
                                | Action::CreatePledge
                                | Action::UpdatePledge
                                | Action::WithdrawPledge
                                | Action::AddUpdate
                                | Action::LinkIndicator
                                | Action::ConfirmCoPledge
                                | Action::CreatePosition
                                | Action::UpdatePosition
                                | Action::WithdrawPosition
                        ),
                ),
                ("reviewer", Some(&reviewer), action == Action::VerifyUpdate),
                ("public", None, false),
            ];
            for (name, who, allowed) in cases {
                n += 1;
                let result = attempt(&r, who, action, owner, n);
                match (allowed, &result, who) {
                    (true, Ok(()), _) => {}
                    (false, Err(RegistryError::Forbidden(_)), Some(_)) => {}
                    (false, Err(RegistryError::Unauthenticated), None) => {}
                    _ => panic!(
                        "{} by {name} on {owner}'s records: {result:?}",
                        action.name()
                    ),
                }
            }
        }
    }
    assert!(r.verify().unwrap().ok());
}

pub fn tokens_expire_and_are_revoked(f: &Fresh) {
    let r = seeded(f);
    let a = admin();
    let (live, secret) = r
        .issue_token(
            &a,
            Role::Reviewer,
            None,
            "live",
            Some("2999-01-01T00:00:00Z".parse().unwrap()),
        )
        .unwrap();
    assert_eq!(
        r.authenticate(&secret).unwrap().actor,
        format!("token:{}", live.id)
    );
    // Only the hash is stored.
    let exported = serde_json::to_string(&r.tokens().unwrap()).unwrap();
    assert!(!exported.contains(&secret) && exported.contains(&live.secret_sha256));
    let (_, expired) = r
        .issue_token(
            &a,
            Role::Reviewer,
            None,
            "old",
            Some("2020-01-01T00:00:00Z".parse().unwrap()),
        )
        .unwrap();
    assert!(matches!(
        r.authenticate(&expired),
        Err(RegistryError::Unauthenticated)
    ));
    r.revoke_token(&a, &live.id).unwrap();
    assert!(matches!(
        r.authenticate(&secret),
        Err(RegistryError::Unauthenticated)
    ));
    // A forged secret of the right shape, a wrong secret for a real id, and garbage.
    let forged = format!("pst_{}_{}", live.id, "0".repeat(48));
    for bad in [forged.as_str(), "pst_000000000000_abc", "hello"] {
        assert!(
            matches!(r.authenticate(bad), Err(RegistryError::Unauthenticated)),
            "{bad}"
        );
    }
    assert!(r
        .issue_token(&a, Role::EntityEditor, None, "x", None)
        .is_err());
    assert!(r
        .issue_token(&a, Role::EntityEditor, Some("ghost"), "x", None)
        .is_err());
    assert!(Timestamp::parse("expires_at", "tomorrow").is_err());
}

pub fn imports_are_all_or_nothing_with_precise_errors(f: &Fresh) {
    let r = seeded(f);
    let a = admin();
    let events_before = r.events(0, 1000).unwrap().len();
    // The third row breaks a rule: nothing of the file is stored.
    let csv =
        "id,title,entity,forum,forum_year,compact,objectives,contribution,places,amount,currency\n\
               CSV-1,Jobs,canada,grf,2023,GCR,2,policy,,,\n\
               CSV-2,Schools,chad,grf,2023,GCR,2;3,financial,,1000000,USD\n\
               CSV-3,Places,chad,grf,2023,GCR,3,resettlement_places,,,\n";
    let (bundle, lines) =
        passage_registry::bundle_from_csv(CsvKind::Pledges, csv, "pledges.csv").unwrap();
    let place = |_: &str, i: usize| format!("pledges.csv:{}", lines[i]);
    let err = r.import(&a, &bundle, &place).unwrap_err().to_string();
    assert!(err.starts_with("pledges.csv:4: `places`"), "{err}");
    assert_eq!(r.pledges(None).unwrap().len(), 2);
    assert_eq!(r.events(0, 1000).unwrap().len(), events_before);
    // Cell errors name line and column at parse time.
    let bad_cell =
        "id,title,entity,forum,forum_year,compact,contribution\nX,T,canada,grf,twenty,GCR,policy\n";
    let err = passage_registry::bundle_from_csv(CsvKind::Pledges, bad_cell, "p.csv")
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "p.csv:2: column `forum_year`: `twenty` is not a whole number"
    );
    let unknown = "id,colour\nx,red\n";
    let err = passage_registry::bundle_from_csv(CsvKind::Entities, unknown, "e.csv")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("e.csv:1: unknown column `colour`"), "{err}");
    let err = passage_registry::bundle_from_json("{\"pledges\": [{\"id\": 3}]}", "b.json")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("b.json:1:"), "{err}");
    // A good file goes in whole.
    let good = csv.replace(
        "CSV-3,Places,chad,grf,2023,GCR,3,resettlement_places,,,",
        "CSV-3,Places,chad,grf,2023,GCR,3,resettlement_places,800,,",
    );
    let (bundle, _) =
        passage_registry::bundle_from_csv(CsvKind::Pledges, &good, "pledges.csv").unwrap();
    assert_eq!(
        r.import(&a, &bundle, &|k, i| format!("{k}[{i}]")).unwrap(),
        3
    );
    assert_eq!(r.pledges(None).unwrap().len(), 5);
    let csv_out = passage_registry::to_csv(CsvKind::Pledges, &r.export().unwrap()).unwrap();
    assert!(
        csv_out
            .lines()
            .any(|l| l.starts_with("CSV-2,Schools,,chad,,,grf,2023,GCR,2;3,")),
        "{csv_out}"
    );
    assert!(r.verify().unwrap().ok());
}

pub fn concurrent_writers_lose_no_update(f: &Fresh) {
    let r = Arc::new(seeded(f));
    let writers = 8;
    let rounds = 5;
    let handles: Vec<_> = (0..writers)
        .map(|w| {
            let r = Arc::clone(&r);
            std::thread::spawn(move || {
                let (mut ok, mut conflicts) = (0, 0);
                for round in 0..rounds {
                    let read = r.pledge("EX-1").unwrap().pledge;
                    let mut p = read.item.clone();
                    p.description = format!("writer {w} round {round}");
                    match r.update_pledge(&admin(), p, Some(read.version)) {
                        Ok(_) => ok += 1,
                        Err(RegistryError::Conflict { .. }) => conflicts += 1,
                        Err(e) => panic!("{e}"),
                    }
                }
                (ok, conflicts)
            })
        })
        .collect();
    let (mut ok, mut conflicts) = (0, 0);
    for h in handles {
        let (o, c) = h.join().unwrap();
        ok += o;
        conflicts += c;
    }
    assert_eq!(ok + conflicts, writers * rounds);
    assert!(ok >= 1);
    let final_version = r.pledge("EX-1").unwrap().pledge.version;
    assert_eq!(
        final_version,
        1 + ok as i64,
        "every acknowledged update is one version"
    );
    let updates = r
        .events(0, 10_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.object_id == "EX-1" && e.action == "update_pledge")
        .count();
    assert_eq!(updates, ok);
    assert!(r.verify().unwrap().ok());
}

pub fn tampering_is_found_and_named(f: &Fresh) {
    // Each case starts again from the same history of 6 events.
    let cases: [(&str, &str, i64); 6] = [
        ("edit an event", "UPDATE events SET actor = 'someone-else' WHERE seq = 3", 3),
        ("delete an event", "DELETE FROM events WHERE seq = 2", 2),
        ("reorder events", "UPDATE events SET seq = 100 WHERE seq = 2; UPDATE events SET seq = 2 WHERE seq = 4; UPDATE events SET seq = 4 WHERE seq = 100", 2),
        ("delete the last event and rewind the head", "DELETE FROM events WHERE seq = 6; UPDATE chain_head SET seq = 5", 6),
        ("edit a pledge, not its events", "UPDATE pledges SET doc = replace(doc, '5000', '50000') WHERE id = 'EX-2'", 4),
        ("delete a pledge outside Passage", "DELETE FROM pledges WHERE id = 'EX-1'", 6),
    ];
    for (name, sql, first_bad) in cases {
        let fresh = f.sibling();
        let r = seeded(&fresh);
        r.add_update(&admin(), "EX-2", update("done")).unwrap();
        let mut p = pledge("EX-1", "canada");
        p.places = Some(7000);
        r.update_pledge(&admin(), p, Some(1)).unwrap();
        assert!(r.verify().unwrap().ok());
        assert_eq!(r.verify().unwrap().events, 6);
        drop(r);
        if sql.contains("events") {
            fresh.drop_event_guards();
        }
        fresh.sql(sql);
        let v = fresh.open().verify().unwrap();
        let bad = v.first_bad.unwrap_or_else(|| panic!("{name}: not found"));
        assert_eq!(bad.seq, first_bad, "{name}: {}", bad.reason);
    }
}

pub fn the_seed_file_imports_whole_and_is_marked_as_examples(f: &Fresh) {
    let r = f.open();
    let bundle = passage_registry::bundle_from_json(passage_registry::SEED, "seed.json").unwrap();
    let n = r
        .import(&admin(), &bundle, &|k, i| format!("{k}[{i}]"))
        .unwrap();
    assert_eq!(
        n,
        bundle.entities.len() + bundle.pledges.len() + bundle.updates.len() + bundle.links.len()
    );
    assert!(bundle
        .entities
        .iter()
        .all(|e| e.example && e.name.contains("xample")));
    assert!(bundle
        .pledges
        .iter()
        .all(|p| p.example && p.id.starts_with("EXAMPLE-")));
    assert!(bundle
        .updates
        .iter()
        .all(|u| u.text.starts_with("Example record")));
    let gcm = r
        .pledges(None)
        .unwrap()
        .into_iter()
        .filter(|p| p.item.compact == passage_registry::Compact::Gcm)
        .count();
    assert!(gcm >= 3);
    assert!(r.verify().unwrap().ok());
}

pub fn the_public_feed_shows_no_token_hash(f: &Fresh) {
    let r = seeded(f);
    let (editor, _) = r
        .issue_token(
            &admin(),
            Role::EntityEditor,
            Some("canada"),
            "secret label",
            None,
        )
        .unwrap();
    let revoked = r.revoke_token(&admin(), &editor.id).unwrap();
    let feed = serde_json::to_string(&r.public_events(0, 1000).unwrap()).unwrap();
    for hidden in [
        &editor.secret_sha256,
        "secret_sha256",
        "secret label",
        "entity_editor",
    ] {
        assert!(!feed.contains(hidden), "the public feed shows `{hidden}`");
    }
    assert!(revoked.revoked_at.is_some());
    // The full events still hold them, and the history verifies.
    let full = serde_json::to_string(&r.events(0, 1000).unwrap()).unwrap();
    assert!(full.contains(&editor.secret_sha256));
    assert_eq!(r.public_events(0, 1000).unwrap().len(), 6);
    assert!(r.verify().unwrap().ok());
}

pub fn co_pledging_needs_the_co_pledgers_consent(f: &Fresh) {
    let r = seeded(f);
    let editor = |entity: &str| {
        let (_, secret) = r
            .issue_token(&admin(), Role::EntityEditor, Some(entity), "e", None)
            .unwrap();
        r.authenticate(&secret).unwrap()
    };
    let (canada, chad) = (editor("canada"), editor("chad"));
    let ids = |r: &Registry, e: &str| -> Vec<String> {
        r.pledges(Some(e))
            .unwrap()
            .into_iter()
            .map(|p| p.item.id)
            .collect()
    };
    // Canada's editor names Chad, and claims Chad's consent: Chad is pending all the same.
    let mut p = pledge("CO-1", "canada");
    p.co_pledgers = vec!["chad".into()];
    p.co_pledgers_confirmed = vec!["chad".into()];
    let created = r.create_pledge(&canada, p.clone()).unwrap();
    assert!(created.item.co_pledgers_confirmed.is_empty());
    assert_eq!(ids(&r, "chad"), vec!["EX-2"]);
    // Nor can Canada confirm for Chad; Chad's editor can.
    assert!(matches!(
        r.confirm_co_pledger(&canada, "CO-1", "chad", Some(1)),
        Err(RegistryError::Forbidden(_))
    ));
    let confirmed = r
        .confirm_co_pledger(&chad, "CO-1", "chad", Some(1))
        .unwrap();
    assert_eq!(confirmed.item.co_pledgers_confirmed, vec!["chad"]);
    assert_eq!(ids(&r, "chad"), vec!["CO-1", "EX-2"]);
    // Chad's consent holds while Chad stays listed, and lapses when Canada drops Chad.
    let mut edited = confirmed.item.clone();
    edited.description = "more".into();
    let v3 = r.update_pledge(&canada, edited.clone(), Some(2)).unwrap();
    assert_eq!(v3.item.co_pledgers_confirmed, vec!["chad"]);
    edited.co_pledgers.clear();
    r.update_pledge(&canada, edited.clone(), Some(3)).unwrap();
    edited.co_pledgers = vec!["chad".into()];
    let v5 = r.update_pledge(&canada, edited, Some(4)).unwrap();
    assert!(v5.item.co_pledgers_confirmed.is_empty());
    assert_eq!(ids(&r, "chad"), vec!["EX-2"]);
    // Only listed co-pledgers are confirmed.
    let err = r
        .confirm_co_pledger(&admin(), "EX-1", "chad", Some(1))
        .unwrap_err();
    assert!(err.to_string().starts_with("`co_pledgers`"), "{err}");
    // An administrator enters what the entities agreed: the co-pledgers it names are confirmed.
    let mut q = pledge("CO-2", "canada");
    q.co_pledgers = vec!["chad".into()];
    let q = r.create_pledge(&admin(), q).unwrap();
    assert_eq!(q.item.co_pledgers_confirmed, vec!["chad"]);
    assert!(r.verify().unwrap().ok());
}

pub fn only_an_administrator_changes_the_example_mark(f: &Fresh) {
    let r = seeded(f);
    let (_, secret) = r
        .issue_token(&admin(), Role::EntityEditor, Some("canada"), "e", None)
        .unwrap();
    let canada = r.authenticate(&secret).unwrap();
    let e = r.entity("canada").unwrap();
    assert!(e.item.example);
    let mut cleared = e.item.clone();
    cleared.example = false;
    assert!(matches!(
        r.update_entity(&canada, cleared.clone(), Some(e.version)),
        Err(RegistryError::Forbidden(_))
    ));
    let p = r.pledge("EX-1").unwrap().pledge;
    let mut real = p.item.clone();
    real.example = false;
    assert!(matches!(
        r.update_pledge(&canada, real.clone(), Some(p.version)),
        Err(RegistryError::Forbidden(_))
    ));
    // The editor may change the rest; the administrator may change the mark.
    let mut renamed = e.item.clone();
    renamed.name = "Canada (example)".into();
    let v2 = r.update_entity(&canada, renamed, Some(e.version)).unwrap();
    assert!(v2.item.example);
    r.update_pledge(&admin(), real, Some(p.version)).unwrap();
    assert!(!r.pledge("EX-1").unwrap().pledge.item.example);
    cleared.name = "Canada (example)".into();
    assert!(
        !r.update_entity(&admin(), cleared, Some(2))
            .unwrap()
            .item
            .example
    );
}

pub fn an_export_imported_into_an_empty_registry_is_the_same_registry(f: &Fresh) {
    let r = seeded(f);
    let a = admin();
    // A history with every kind of change: versions, a withdrawal, a verified update, a link,
    // a revoked token, a confirmed co-pledge.
    let mut p = pledge("EX-1", "canada");
    p.places = Some(6000);
    p.co_pledgers = vec!["chad".into()];
    r.update_pledge(&a, p, Some(1)).unwrap();
    let u = r.add_update(&a, "EX-2", update("half")).unwrap();
    r.verify_update(&a, &u.item.id, Some(1)).unwrap();
    r.link_indicator(&a, "EX-2", link()).unwrap();
    r.withdraw_pledge(&a, "EX-1", Some(2)).unwrap();
    let (kept, secret) = r
        .issue_token(&a, Role::EntityEditor, Some("chad"), "kept", None)
        .unwrap();
    let (gone, _) = r
        .issue_token(&a, Role::Reviewer, None, "gone", None)
        .unwrap();
    r.revoke_token(&a, &gone.id).unwrap();
    let exported = r.export().unwrap();
    assert!(!exported.events.is_empty());
    // Through its file, as `registry export` writes it.
    let text = serde_json::to_string_pretty(&exported).unwrap();
    let bundle = passage_registry::bundle_from_json(&text, "export.json").unwrap();
    let fresh = f.sibling();
    let copy = fresh.open();
    copy.import(&a, &bundle, &|k, i| format!("{k}[{i}]"))
        .unwrap();
    assert_eq!(copy.export().unwrap(), exported);
    assert_eq!(copy.pledges(None).unwrap(), r.pledges(None).unwrap());
    assert_eq!(copy.pledge("EX-2").unwrap(), r.pledge("EX-2").unwrap());
    assert!(copy.pledge("EX-1").unwrap().pledge.withdrawn);
    assert_eq!(copy.pledge("EX-1").unwrap().pledge.version, 3);
    assert_eq!(copy.tokens().unwrap(), r.tokens().unwrap());
    assert_eq!(
        copy.authenticate(&secret).unwrap().actor,
        format!("token:{}", kept.id)
    );
    let (v, original) = (copy.verify().unwrap(), r.verify().unwrap());
    assert!(v.ok(), "{:?}", v.first_bad);
    assert_eq!((v.events, v.head), (original.events, original.head));
    // Only into an empty registry; and records edited apart from their events are refused.
    let err = copy
        .import(&a, &bundle, &|k, i| format!("{k}[{i}]"))
        .unwrap_err();
    assert!(err.to_string().starts_with("`events`"), "{err}");
    let mut edited = bundle.clone();
    edited.withdrawn.clear();
    let err = f
        .sibling()
        .open()
        .import(&a, &edited, &|k, i| format!("{k}[{i}]"))
        .unwrap_err();
    assert!(err.to_string().starts_with("withdrawn:"), "{err}");
    let mut forged = bundle;
    forged.events[2].actor = "someone-else".into();
    let err = f
        .sibling()
        .open()
        .import(&a, &forged, &|k, i| format!("{k}[{i}]"))
        .unwrap_err();
    assert!(err.to_string().starts_with("events[seq 3]"), "{err}");
}

pub fn the_database_refuses_to_change_or_delete_events(f: &Fresh) {
    let r = seeded(f);
    assert_eq!(r.verify().unwrap().events, 4);
    for sql in [
        "UPDATE events SET actor = 'someone-else' WHERE seq = 2",
        "DELETE FROM events WHERE seq = 4",
        "DELETE FROM events",
    ] {
        let err = f.try_sql(sql).expect_err(sql);
        assert!(err.contains("append-only"), "{sql}: {err}");
    }
    if f.url.starts_with("postgres") {
        let err = f.try_sql("TRUNCATE events").unwrap_err();
        assert!(err.contains("append-only"), "{err}");
    }
    // Appending goes on, and nothing was changed.
    r.add_update(&admin(), "EX-1", update("later")).unwrap();
    let v = r.verify().unwrap();
    assert!(v.ok() && v.events == 5, "{v:?}");
}

pub fn a_backup_restores_into_an_empty_registry_and_verifies(f: &Fresh) {
    let r = seeded(f);
    let a = admin();
    r.withdraw_pledge(&a, "EX-2", Some(1)).unwrap();
    let (_, secret) = r
        .issue_token(&a, Role::Reviewer, None, "kept", None)
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("registry.backup");
    let taken = r.backup(&file).unwrap();
    assert!(taken.ok() && taken.events == 6, "{taken:?}");
    let head = std::fs::read(&file).unwrap();
    let sqlite = f.url.starts_with("sqlite:");
    assert_eq!(head.starts_with(b"SQLite format 3"), sqlite);
    // Writes after the backup are not in it; a second backup never overwrites the first.
    r.add_update(&a, "EX-1", update("after the backup"))
        .unwrap();
    let err = r.backup(&file).unwrap_err().to_string();
    assert!(err.contains("exists already"), "{err}");
    let fresh = f.sibling();
    let copy = fresh.open();
    let restored = copy.restore(&file).unwrap();
    assert_eq!(
        (restored.events, &restored.head),
        (taken.events, &taken.head)
    );
    assert!(copy.pledge("EX-2").unwrap().pledge.withdrawn);
    assert!(copy.pledge("EX-1").unwrap().updates.is_empty());
    assert!(copy.authenticate(&secret).is_ok());
    // Only into an empty registry.
    let err = r.restore(&file).unwrap_err().to_string();
    assert!(err.contains("empty registry"), "{err}");
    // A backup of one backend restores into the other's kind too: here into SQLite.
    let other = Fresh::sqlite();
    assert_eq!(other.open().restore(&file).unwrap().head, taken.head);
}

pub fn a_connecting_role_that_owns_nothing_cannot_lift_the_guard_of_the_events(f: &Fresh) {
    // The owner (the test server's superuser) applies the migrations and grants the server's
    // role what writing needs, and no more.
    drop(seeded(f));
    let role = format!("registry_app_{}", std::process::id());
    f.sql(&format!(
        "CREATE ROLE {role} LOGIN; \
         GRANT USAGE ON SCHEMA public TO {role}; \
         GRANT SELECT, INSERT, UPDATE ON entities, pledges, updates, links, positions, tokens, chain_head TO {role}; \
         GRANT SELECT, INSERT ON events TO {role}; \
         GRANT SELECT ON schema_migrations TO {role};"
    ));
    let (server, db) = f.url.rsplit_once('/').unwrap();
    let server = server.replace("://passage@", &format!("://{role}@"));
    let url = format!("{server}/{db}");
    let r = Registry::open(&url, crate::fresh::indicators()).unwrap();
    r.add_update(&admin(), "EX-1", update("written by the server's role"))
        .unwrap();
    assert!(r.verify().unwrap().ok());
    let mut app = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    for sql in [
        "DROP TRIGGER events_no_update_or_delete ON events",
        "ALTER TABLE events DISABLE TRIGGER ALL",
        "UPDATE events SET actor = 'someone-else' WHERE seq = 1",
        "DELETE FROM events",
        "TRUNCATE events",
    ] {
        let err = app.batch_execute(sql).expect_err(sql);
        let message = err
            .as_db_error()
            .map_or(err.to_string(), |d| d.message().into());
        assert!(
            message.contains("must be owner")
                || message.contains("permission denied")
                || message.contains("append-only"),
            "{sql}: {message}"
        );
    }
    assert_eq!(r.verify().unwrap().events, 5);
}

pub fn every_pledge_record_read_at_once_equals_each_read_alone(f: &Fresh) {
    let r = f.open();
    let bundle = passage_registry::bundle_from_json(passage_registry::SEED, "seed.json").unwrap();
    r.import(&admin(), &bundle, &|k, i| format!("{k}[{i}]"))
        .unwrap();
    let all = r.pledge_records().unwrap();
    let alone: Vec<PledgeRecord> = r
        .pledges(None)
        .unwrap()
        .iter()
        .map(|p| r.pledge(&p.item.id).unwrap())
        .collect();
    assert_eq!(all, alone);
    assert!(all.iter().any(|p| !p.updates.is_empty()) && all.iter().any(|p| !p.links.is_empty()));
}

pub fn a_snapshot_is_the_registry_as_read_and_follows_each_write(f: &Fresh) {
    let r = with_groups(f);
    let a = admin();
    r.create_position(&a, position("canada", "objective/8"))
        .unwrap();
    r.create_position(&a, position("chad", "objective/8/action/b"))
        .unwrap();
    let first = r.snapshot().unwrap();
    // What it holds is what each read gives.
    assert_eq!(first.pledges, r.pledge_records().unwrap());
    assert_eq!(first.entities, r.entities().unwrap());
    assert_eq!(first.head, r.head_seq().unwrap());
    let in_chad = passage_registry::PositionFilter::default()
        .country("TCD")
        .unwrap();
    let listed: Vec<_> = first.positions(&in_chad).cloned().collect();
    assert_eq!(listed, r.positions(&in_chad).unwrap());
    assert_eq!(listed.len(), 1);
    assert_eq!(first.country_of("chad"), Some("TCD"));
    assert_eq!(first.country_of("african-group"), None);
    assert_eq!(first.verification(&r).unwrap(), &r.verify().unwrap());
    let history = first.history(&r).unwrap().to_vec();
    assert_eq!(history, r.public_events(0, 10_000).unwrap());
    // Unchanged registry: the same snapshot, not parsed again.
    assert!(Arc::ptr_eq(&first, &r.snapshot().unwrap()));
    // A write moves the head: the next snapshot has it, the old one is as it was.
    r.create_pledge(&a, pledge("EX-3", "chad")).unwrap();
    let next = r.snapshot().unwrap();
    assert!(next.head > first.head);
    assert_eq!(next.pledges.len(), first.pledges.len() + 1);
    assert!(next.pledges.iter().any(|p| p.pledge.item.id == "EX-3"));
    assert!(!first.pledges.iter().any(|p| p.pledge.item.id == "EX-3"));
    assert_eq!(next.history(&r).unwrap().len(), history.len() + 1);
    // A snapshot's history, read after a later write, stops at its own head.
    let taken = r.snapshot().unwrap();
    r.create_pledge(&a, pledge("EX-4", "chad")).unwrap();
    let read_late = taken.history(&r).unwrap();
    assert_eq!(read_late.last().map(|e| e.seq), Some(taken.head));
    assert_eq!(read_late.len(), history.len() + 1);
}

/// Canada and Chad (states), the African Group (a group of states) and an NGO.
fn with_groups(f: &Fresh) -> Registry {
    let r = seeded(f);
    r.create_entity(
        &admin(),
        entity("african-group", EntityKind::GroupOfStates, None),
    )
    .unwrap();
    r.create_entity(&admin(), entity("an-ngo", EntityKind::Ngo, Some("KEN")))
        .unwrap();
    r
}

pub fn positions_refused_to_the_wrong_role_entity_or_secret_leave_nothing_stored(f: &Fresh) {
    let r = with_groups(f);
    let token = |role: Role, entity: Option<&str>| {
        let (t, secret) = r.issue_token(&admin(), role, entity, "t", None).unwrap();
        (t.id, secret)
    };
    let login = |secret: &str| r.authenticate(secret).unwrap();
    let (_, canada) = token(Role::EntityEditor, Some("canada"));
    let (_, chad) = token(Role::EntityEditor, Some("chad"));
    let (_, reviewer) = token(Role::Reviewer, None);
    let (_, claims) = token(Role::ClaimsEditor, None);
    let (revoked_id, revoked) = token(Role::EntityEditor, Some("canada"));
    let held = r
        .create_position(&login(&canada), position("canada", "objective/8"))
        .unwrap();
    assert_eq!(held.item.id, "canada-p1");
    r.revoke_token(&admin(), &revoked_id).unwrap();
    let stored = || {
        (
            f.count("SELECT count(*) FROM positions"),
            r.events(0, 10_000).unwrap().len(),
        )
    };
    let before = stored();
    assert_eq!(before.0, 1);
    let mut moved = held.item.clone();
    moved.entity = "chad".into();
    let forbidden: Vec<(&str, Result<_, RegistryError>)> = vec![
        (
            "chad's editor for canada",
            r.create_position(&login(&chad), position("canada", "para/37")),
        ),
        (
            "canada's editor for the group",
            r.create_position(&login(&canada), position("african-group", "para/37")),
        ),
        (
            "a reviewer",
            r.create_position(&login(&reviewer), position("canada", "para/37")),
        ),
        (
            "a claims editor",
            r.create_position(&login(&claims), position("canada", "para/37")),
        ),
        (
            "chad's editor changing canada's",
            r.update_position(&login(&chad), held.item.clone(), Some(1)),
        ),
        (
            "chad's editor withdrawing canada's",
            r.withdraw_position(&login(&chad), "canada-p1", Some(1)),
        ),
        (
            "a reviewer withdrawing",
            r.withdraw_position(&login(&reviewer), "canada-p1", Some(1)),
        ),
    ];
    for (case, result) in forbidden {
        assert!(
            matches!(result, Err(RegistryError::Forbidden(_))),
            "{case}: {result:?}"
        );
    }
    // Handing a position to another entity is refused, to its own editor and to an administrator.
    for who in [login(&canada), admin()] {
        let err = r.update_position(&who, moved.clone(), Some(1)).unwrap_err();
        assert!(err.to_string().starts_with("`entity`"), "{err}");
    }
    // A wrong, forged or revoked secret admits no one.
    let forged = format!("pst_{}_{}", revoked_id, "0".repeat(48));
    for secret in [
        revoked.as_str(),
        forged.as_str(),
        "pst_000000000000_x",
        "canada",
    ] {
        assert!(
            matches!(r.authenticate(secret), Err(RegistryError::Unauthenticated)),
            "{secret}"
        );
    }
    assert!(matches!(
        passage_registry::authorize(None, Action::CreatePosition, Some("canada")),
        Err(RegistryError::Unauthenticated)
    ));
    assert_eq!(stored(), before, "a refused write stored something");
    let p = r.position("canada-p1").unwrap();
    assert_eq!((p.version, p.withdrawn), (1, false));
    assert!(r.verify().unwrap().ok());
}

pub fn every_position_write_is_an_event_in_order(f: &Fresh) {
    let r = with_groups(f);
    let (token, secret) = r
        .issue_token(&admin(), Role::EntityEditor, Some("chad"), "chad", None)
        .unwrap();
    let chad = r.authenticate(&secret).unwrap();
    let start = r.verify().unwrap().events;
    let created = r
        .create_position(&chad, position("chad", "objective/21"))
        .unwrap();
    assert_eq!((created.item.id.as_str(), created.version), ("chad-p1", 1));
    let mut changed = created.item.clone();
    changed.stance = passage_registry::Stance::SeeksAmendment;
    changed.quote = Some("We propose to add \"voluntary\" before \"return\".".into());
    // Without the version read, and with a stale one, nothing changes.
    assert!(matches!(
        r.update_position(&chad, changed.clone(), None),
        Err(RegistryError::VersionRequired { .. })
    ));
    let updated = r.update_position(&chad, changed.clone(), Some(1)).unwrap();
    assert_eq!(updated.version, 2);
    assert!(matches!(
        r.update_position(&chad, changed.clone(), Some(1)),
        Err(RegistryError::Conflict {
            expected: 1,
            current: 2,
            ..
        })
    ));
    assert!(matches!(
        r.withdraw_position(&chad, "chad-p1", None),
        Err(RegistryError::VersionRequired { .. })
    ));
    let withdrawn = r.withdraw_position(&chad, "chad-p1", Some(2)).unwrap();
    assert!(withdrawn.withdrawn && withdrawn.version == 3);
    assert_eq!(
        withdrawn.item.stance,
        passage_registry::Stance::SeeksAmendment
    );
    // A withdrawn position is kept, and neither changes nor is withdrawn again.
    let err = r.update_position(&chad, changed, Some(3)).unwrap_err();
    assert!(err.to_string().contains("withdrawn"), "{err}");
    let err = r.withdraw_position(&chad, "chad-p1", Some(3)).unwrap_err();
    assert!(err.to_string().contains("withdrawn already"), "{err}");
    let second = r
        .create_position(&chad, position("chad", "para/37"))
        .unwrap();
    assert_eq!(second.item.id, "chad-p2");
    let events: Vec<_> = r
        .events(start, 100)
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "positions")
        .collect();
    let seen: Vec<(&str, &str)> = events
        .iter()
        .map(|e| (e.action.as_str(), e.object_id.as_str()))
        .collect();
    assert_eq!(
        seen,
        [
            ("create_position", "chad-p1"),
            ("update_position", "chad-p1"),
            ("withdraw_position", "chad-p1"),
            ("create_position", "chad-p2"),
        ]
    );
    assert!(events.windows(2).all(|w| w[0].seq + 1 == w[1].seq));
    assert!(events
        .iter()
        .all(|e| e.actor == format!("token:{}", token.id)));
    // Each event's before is the one before's after: the history is every state in turn.
    assert_eq!(events[0].before, None);
    assert_eq!(events[1].before, events[0].after);
    assert_eq!(events[2].before, events[1].after);
    let after: serde_json::Value =
        serde_json::from_str(events[2].after.as_deref().unwrap()).unwrap();
    assert_eq!(
        (
            &after["version"],
            &after["deleted"],
            &after["doc"]["stance"]
        ),
        (&json!(3), &json!(true), &json!("seeks_amendment"))
    );
    assert!(r.verify().unwrap().ok());
}

pub fn a_position_changed_outside_passage_is_found(f: &Fresh) {
    // Each case starts again from the same history: events 1-4 of `seeded`, then event 5 records
    // canada-p1, event 6 its withdrawal, event 7 chad-p1.
    let cases: [(&str, &str, i64, &str); 5] = [
        (
            "a stance edited",
            "UPDATE positions SET doc = replace(doc, 'opposes', 'supports') WHERE id = 'chad-p1'",
            7,
            "position `chad-p1` differs from what event 7 recorded",
        ),
        (
            "a withdrawal undone",
            "UPDATE positions SET deleted = false WHERE id = 'canada-p1'",
            6,
            "position `canada-p1` differs from what event 6 recorded",
        ),
        (
            "a version rewound",
            "UPDATE positions SET version = 1 WHERE id = 'canada-p1'",
            6,
            "position `canada-p1` differs",
        ),
        (
            "a position deleted",
            "DELETE FROM positions WHERE id = 'chad-p1'",
            7,
            "positions `chad-p1` recorded by event 7 is gone",
        ),
        (
            "a position inserted",
            "INSERT INTO positions (id, owner, parent, version, deleted, doc) \
             SELECT 'chad-p9', owner, parent, version, deleted, doc FROM positions WHERE id = 'chad-p1'",
            8,
            "position `chad-p9` has no event",
        ),
    ];
    for (name, sql, first_bad, reason) in cases {
        let fresh = f.sibling();
        let r = seeded(&fresh);
        r.create_position(&admin(), position("canada", "objective/8"))
            .unwrap();
        r.withdraw_position(&admin(), "canada-p1", Some(1)).unwrap();
        let mut p = position("chad", "objective/8/action/b");
        p.stance = passage_registry::Stance::Opposes;
        r.create_position(&admin(), p).unwrap();
        let v = r.verify().unwrap();
        assert!(v.ok() && v.events == 7, "{v:?}");
        drop(r);
        fresh.sql(sql);
        let v = fresh.open().verify().unwrap();
        let bad = v.first_bad.unwrap_or_else(|| panic!("{name}: not found"));
        assert_eq!(bad.seq, first_bad, "{name}: {}", bad.reason);
        assert!(bad.reason.contains(reason), "{name}: {}", bad.reason);
    }
}

pub fn position_values_are_refused_naming_the_field(f: &Fresh) {
    let r = with_groups(f);
    let a = admin();
    let base = json!({
        "entity": "canada", "document": "gcm", "part": "objective/8", "date": "2018-07-13",
        "stance": "supports", "summary": "s", "source": "https://example.org/s"
    });
    // What does not parse never becomes a position: the JSON reader names the field.
    for (field, value) in [
        ("part", json!("Objective/8")),
        ("part", json!("objective/8/")),
        ("source", json!("example.org/statement")),
        ("source", json!("mailto:someone@example.org")),
        ("date", json!("2018-02-30")),
        ("date", json!("13/07/2018")),
        ("stance", json!("abstains")),
        ("document", json!("G C M")),
    ] {
        let mut doc = base.clone();
        doc[field] = value.clone();
        let text = json!({"positions": [doc]}).to_string();
        let err = passage_registry::bundle_from_json(&text, "b.json")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("b.json:1:") && err.contains(&format!("`{field}`: ")),
            "{field} = {value}: {err}"
        );
    }
    // The CSV reader names the line too.
    let csv = "entity,document,part,date,stance,summary,source\n\
               canada,gcm,objective/8,2018-07-13,supports,s,https://example.org/s\n\
               chad,gcm,objective/8,2018-07-13,welcomes,s,https://example.org/s\n";
    let err = passage_registry::bundle_from_csv(CsvKind::Positions, csv, "positions.csv")
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("positions.csv:3: `stance`: `welcomes` is not a stance"),
        "{err}"
    );
    // Rules the registry checks name their field, and leave nothing stored.
    let mut blank = position("canada", "para/37");
    blank.summary = " ".into();
    let mut ngo = position("an-ngo", "para/37");
    ngo.entity = "an-ngo".into();
    let mut foreign_id = position("canada", "para/37");
    foreign_id.id = "chad-p7".into();
    for (field, p) in [
        ("summary", blank),
        ("entity", position("nowhere", "para/37")),
        ("entity", ngo),
        ("id", foreign_id),
    ] {
        let err = r.create_position(&a, p).unwrap_err().to_string();
        assert!(err.starts_with(&format!("`{field}`")), "{field}: {err}");
    }
    let err = r
        .create_entity(&a, entity("eu", EntityKind::GroupOfStates, Some("BEL")))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("`country`"), "{err}");
    // One bad row refuses the whole import, named by its line.
    let csv = "entity,document,part,date,stance,summary,source\n\
               canada,gcm,objective/8,2018-07-13,supports,s,https://example.org/s\n\
               an-ngo,gcm,objective/8,2018-07-13,supports,s,https://example.org/s\n";
    let (bundle, lines) =
        passage_registry::bundle_from_csv(CsvKind::Positions, csv, "positions.csv").unwrap();
    let err = r
        .import(&a, &bundle, &|_, i| format!("positions.csv:{}", lines[i]))
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("positions.csv:3: `entity`"), "{err}");
    assert_eq!(f.count("SELECT count(*) FROM positions"), 0);
    assert!(r.verify().unwrap().ok());
}

pub fn positions_are_listed_by_entity_country_document_and_part(f: &Fresh) {
    let r = with_groups(f);
    let a = admin();
    let mut on_gcr = position("chad", "para/37");
    on_gcr.document = "gcr".parse().unwrap();
    for p in [
        position("canada", "objective/8"),
        position("canada", "objective/8/action/b"),
        position("chad", "objective/80"),
        position("african-group", "objective/8/action/c"),
        on_gcr,
    ] {
        r.create_position(&a, p).unwrap();
    }
    r.withdraw_position(&a, "canada-p1", Some(1)).unwrap();
    let ids = |filter: passage_registry::PositionFilter| -> Vec<String> {
        r.positions(&filter)
            .unwrap()
            .into_iter()
            .map(|p| p.item.id)
            .collect()
    };
    let all = passage_registry::PositionFilter::default;
    assert_eq!(
        ids(all()),
        [
            "african-group-p1",
            "canada-p1",
            "canada-p2",
            "chad-p1",
            "chad-p2"
        ]
    );
    assert_eq!(
        ids(all().part("objective/8").unwrap()),
        ["african-group-p1", "canada-p1", "canada-p2"]
    );
    assert_eq!(
        ids(all().part("objective/8/action/b").unwrap()),
        ["canada-p2"]
    );
    assert_eq!(
        ids(all().country("can").unwrap()),
        ["canada-p1", "canada-p2"]
    );
    assert_eq!(ids(all().country("TCD").unwrap()), ["chad-p1", "chad-p2"]);
    assert!(ids(all().country("DEU").unwrap()).is_empty());
    assert_eq!(
        ids(all().entity("african-group").unwrap()),
        ["african-group-p1"]
    );
    assert_eq!(ids(all().document("gcr").unwrap()), ["chad-p2"]);
    assert_eq!(
        ids(all()
            .document("gcm")
            .unwrap()
            .country("TCD")
            .unwrap()
            .part("objective/80")
            .unwrap()),
        ["chad-p1"]
    );
    // Withdrawn positions are listed, marked.
    let listed = r.positions(&all().entity("canada").unwrap()).unwrap();
    assert_eq!(
        listed.iter().map(|p| p.withdrawn).collect::<Vec<_>>(),
        [true, false]
    );
    assert!(matches!(
        r.position("canada-p9"),
        Err(RegistryError::NotFound {
            what: "position",
            ..
        })
    ));
}

pub fn positions_survive_export_and_import_withdrawn_and_at_their_versions(f: &Fresh) {
    let r = with_groups(f);
    let a = admin();
    r.create_position(&a, position("canada", "objective/8"))
        .unwrap();
    let mut p = r
        .create_position(&a, position("african-group", "para/37"))
        .unwrap()
        .item;
    p.stance = passage_registry::Stance::Interprets;
    r.update_position(&a, p, Some(1)).unwrap();
    r.withdraw_position(&a, "canada-p1", Some(1)).unwrap();
    let exported = r.export().unwrap();
    assert_eq!(exported.positions.len(), 2);
    assert_eq!(exported.positions_withdrawn, ["canada-p1"]);
    // With its history, through the file `registry export` writes: the same registry.
    let text = serde_json::to_string_pretty(&exported).unwrap();
    let bundle = passage_registry::bundle_from_json(&text, "export.json").unwrap();
    let copy = f.sibling().open();
    copy.import(&a, &bundle, &|k, i| format!("{k}[{i}]"))
        .unwrap();
    assert_eq!(copy.export().unwrap(), exported);
    let withdrawn = copy.position("canada-p1").unwrap();
    assert_eq!((withdrawn.withdrawn, withdrawn.version), (true, 2));
    assert_eq!(copy.position("african-group-p1").unwrap().version, 2);
    assert_eq!(copy.verify().unwrap().head, r.verify().unwrap().head);
    // A withdrawal dropped from a bundle whose history records it is refused.
    let mut edited = bundle.clone();
    edited.positions_withdrawn.clear();
    let err = f
        .sibling()
        .open()
        .import(&a, &edited, &|k, i| format!("{k}[{i}]"))
        .unwrap_err();
    assert!(err.to_string().starts_with("positions_withdrawn:"), "{err}");
    // Without the history, the records are made anew: same ids, the withdrawn one withdrawn.
    let mut records = exported.clone();
    records.events.clear();
    records.updates.iter_mut().for_each(|u| u.id.clear());
    records.links.iter_mut().for_each(|l| l.id.clear());
    let anew = f.sibling().open();
    anew.import(&a, &records, &|k, i| format!("{k}[{i}]"))
        .unwrap();
    let again = anew.export().unwrap();
    assert_eq!(again.positions, exported.positions);
    assert_eq!(again.positions_withdrawn, ["canada-p1"]);
    assert!(anew.position("canada-p1").unwrap().withdrawn);
    // The next position of an entity is numbered after the imported ones.
    let next = anew
        .create_position(&a, position("canada", "para/2"))
        .unwrap();
    assert_eq!(next.item.id, "canada-p2");
    assert!(anew.verify().unwrap().ok());
    // And through CSV, one kind at a time.
    let csv = passage_registry::to_csv(CsvKind::Positions, &exported).unwrap();
    let (back, _) =
        passage_registry::bundle_from_csv(CsvKind::Positions, &csv, "positions.csv").unwrap();
    assert_eq!(back.positions, exported.positions, "{csv}");
}
