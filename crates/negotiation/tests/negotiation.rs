//! The negotiation crate against the real files of `../shared/data/negotiation` and the derived fixtures
//! of `tests/fixtures` (see its README: derived from the adopted text, not drafts). One test binary for
//! the crate keeps builds short.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use passage_negotiation::{
    diff_versions, read_akoma_ntoso, read_recorded_vote, read_version_file, write_akoma_ntoso,
    ChangeClass, DocumentId, Finding, NegotiationError, Part, PartId, Version, VersionMeta,
    VoteCast,
};
use proptest::prelude::*;

fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/negotiation")
        .join(name)
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn meta(label: &str) -> VersionMeta {
    VersionMeta {
        document: DocumentId::parse("gcm").unwrap(),
        label: label.into(),
        date: None,
        source: Some("A/RES/73/195".into()),
        licence: None,
    }
}

const GCM_MD: &str = "gcm_objectives_actions_2018.md";

fn adopted() -> Version {
    read_version_file(&shared(GCM_MD), meta("adopted"))
        .unwrap()
        .version
}

#[test]
fn the_gcm_file_reads_23_objectives_190_actions_and_flags_the_repeated_block() {
    let imported = read_version_file(&shared(GCM_MD), meta("adopted")).unwrap();
    let v = &imported.version;
    assert_eq!(v.count_kind("objective"), 23);
    assert_eq!(v.count_kind("action"), 190);
    assert_eq!(imported.findings.len(), 1, "{:?}", imported.findings);
    let Finding::RepeatedBlock {
        part,
        repeats,
        line,
    } = &imported.findings[0];
    assert_eq!(
        (part.as_str(), repeats.as_str()),
        ("objective/20", "objective/2")
    );
    assert!(*line > 0);
    // Not repaired: the copy keeps Objective 2's title under Objective 20.
    let o20 = v.find(&PartId::parse("objective/20").unwrap()).unwrap();
    let o2 = v.find(&PartId::parse("objective/2").unwrap()).unwrap();
    assert_eq!(o20.heading, o2.heading);
    assert_eq!(v.corrections.len(), 1);
    let c = &v.corrections[0];
    assert_eq!(
        (c.part.as_str(), c.field.as_str(), c.source.as_str()),
        ("objective/20", "heading", "A/RES/73/195")
    );
    assert_eq!(
        c.adopted,
        "Promote faster, safer and cheaper transfer of remittances and foster financial inclusion of migrants"
    );
    assert_eq!(Some(&c.found), o2.heading.as_ref());
}

#[test]
fn a_clean_copy_gets_no_correction() {
    let imported = read_version_file(&fixture("derived_objectives_base.md"), meta("base")).unwrap();
    assert!(imported.findings.is_empty());
    assert!(imported.version.corrections.is_empty());
}

#[test]
fn akoma_ntoso_round_trip_gives_back_the_same_version() {
    let mut v = adopted();
    v.meta.date = Some(passage_negotiation::VersionDate::parse("2018-07-13").unwrap());
    v.meta.licence = Some("Apache-2.0 (reformatted copy) & UN terms".into());
    let xml = write_akoma_ntoso(&v);
    let back = read_akoma_ntoso(Path::new("gcm.xml"), &xml, meta("ignored")).unwrap();
    assert_eq!(back.version, v);
    assert_eq!(write_akoma_ntoso(&back.version), xml);
    // The repeated block is found again in the written file, where a new import would meet it.
    assert_eq!(back.findings.len(), 1);

    let paras = read_version_file(&fixture("derived_paragraphs_base.txt"), meta("paras"))
        .unwrap()
        .version;
    let back = read_akoma_ntoso(Path::new("p.xml"), &write_akoma_ntoso(&paras), meta("x")).unwrap();
    assert_eq!(back.version, paras);
}

#[test]
fn foreign_akoma_ntoso_sections_paragraphs_and_lists_are_read() {
    let xml = r#"<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/3.0"><doc name="x"><mainBody>
      <section><num>I.</num><heading>Preamble</heading>
        <paragraph><num>1.</num><content><p>We, the Heads of <i>State</i>,</p></content></paragraph>
        <paragraph><num>2.</num><list><intro><p>We commit to:</p></intro>
          <point><num>(a)</num><content><p>first</p></content></point>
          <point><num>(b)</num><content><p>second</p></content></point></list></paragraph>
      </section></mainBody></doc></akomaNtoso>"#;
    let v = read_akoma_ntoso(Path::new("f.xml"), xml, meta("foreign"))
        .unwrap()
        .version;
    let ids: Vec<&str> = v.flatten().iter().map(|(p, _)| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "section/i",
            "section/i/para/1",
            "section/i/para/2",
            "section/i/para/2/item/a",
            "section/i/para/2/item/b"
        ]
    );
    assert_eq!(
        v.find(&PartId::parse("section/i/para/1").unwrap())
            .unwrap()
            .text,
        "We, the Heads of State,"
    );
    assert_eq!(
        v.find(&PartId::parse("section/i/para/2").unwrap())
            .unwrap()
            .text,
        "We commit to:"
    );
}

#[test]
fn malformed_input_is_an_error_naming_file_and_line() {
    let e = read_version_file(&fixture("malformed_duplicate_id.md"), meta("x")).unwrap_err();
    assert!(
        matches!(
            e,
            NegotiationError::DuplicateId {
                line: 10,
                first_line: 6,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("malformed_duplicate_id.md:10:"),
        "{e}"
    );

    let xml = write_akoma_ntoso(&adopted());
    let cut = &xml[..xml.len() / 2];
    let e = read_akoma_ntoso(Path::new("truncated.xml"), cut, meta("x")).unwrap_err();
    let NegotiationError::Syntax { line, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(*line > 1, "{e}");
    assert!(e.to_string().starts_with("truncated.xml:"), "{e}");

    let e = read_akoma_ntoso(Path::new("other.xml"), "<html/>", meta("x")).unwrap_err();
    assert!(e.to_string().starts_with("other.xml:1:"), "{e}");
    let e = passage_negotiation::read_markdown(
        Path::new("m.md"),
        "# Objective 1\nstray line\n",
        meta("x"),
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("m.md:2:"), "{e}");
    let e =
        passage_negotiation::read_plain_text(Path::new("t.txt"), "1. a\n2. b\n1. c\n", meta("x"))
            .unwrap_err();
    assert!(e.to_string().starts_with("t.txt:3:"), "{e}");
}

/// `(class, old id, new id)` lines of an `.expected` fixture.
fn expected(name: &str) -> BTreeSet<(String, String, String)> {
    std::fs::read_to_string(fixture(name))
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[0].to_string(), f[1].to_string(), f[2].to_string())
        })
        .collect()
}

fn classified(a: &Version, b: &Version) -> BTreeSet<(String, String, String)> {
    let id = |p: &Option<PartId>| p.as_ref().map_or("-".to_string(), |p| p.to_string());
    diff_versions(a, b)
        .changes
        .iter()
        .map(|c| (c.class.name().to_string(), id(&c.old_id), id(&c.new_id)))
        .collect()
}

#[test]
fn derived_objectives_moved_reworded_removed_added() {
    let a = read_version_file(&fixture("derived_objectives_base.md"), meta("base"))
        .unwrap()
        .version;
    let b = read_version_file(&fixture("derived_objectives_edited.md"), meta("edited"))
        .unwrap()
        .version;
    assert_eq!(classified(&a, &b), expected("derived_objectives.expected"));
    let d = diff_versions(&a, &b);
    assert_eq!(
        (
            d.summary.changed,
            d.summary.moved,
            d.summary.added,
            d.summary.removed
        ),
        (1, 1, 1, 1)
    );
    let changed = d
        .changes
        .iter()
        .find(|c| c.class == ChangeClass::Changed)
        .unwrap();
    assert!(changed.similarity.unwrap() > 0.9 && changed.similarity.unwrap() < 1.0);
    let deleted: String = changed
        .words
        .iter()
        .filter_map(|w| match w {
            passage_negotiation::WordEdit::Delete(s) => Some(s.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(deleted, "a criminal offence,");
    let o9 = d
        .sections
        .iter()
        .find(|s| s.section.as_str() == "objective/9")
        .unwrap();
    assert_eq!(
        (
            o9.counts.changed,
            o9.counts.moved,
            o9.counts.added,
            o9.counts.removed
        ),
        (1, 1, 1, 1)
    );
    let json = serde_json::to_value(&d).unwrap();
    assert_eq!(json["summary"]["moved"], 1);
}

#[test]
fn derived_paragraphs_renumbered() {
    let a = read_version_file(&fixture("derived_paragraphs_base.txt"), meta("base"))
        .unwrap()
        .version;
    let b = read_version_file(&fixture("derived_paragraphs_edited.txt"), meta("edited"))
        .unwrap()
        .version;
    assert_eq!(classified(&a, &b), expected("derived_paragraphs.expected"));
}

#[test]
fn the_real_text_diffed_with_itself_has_no_change() {
    let v = adopted();
    let d = diff_versions(&v, &v);
    assert!(!d.summary.has_changes());
    assert_eq!(d.summary.unchanged, 23 + 190);
}

#[test]
fn recorded_votes_on_the_real_files() {
    let gcm = read_recorded_vote(&shared("gcm_vote_a_res_73_195_2018-12-19.csv")).unwrap();
    let t = gcm.totals();
    assert_eq!((t.yes, t.no, t.abstention, t.non_voting), (152, 5, 12, 24));
    assert_eq!(gcm.resolution, "A/RES/73/195");
    let no: Vec<&str> = gcm.with(VoteCast::No).map(|v| v.iso3.as_str()).collect();
    assert_eq!(no, ["CZE", "HUN", "ISR", "POL", "USA"]);

    let gcr = read_recorded_vote(&shared("gcr_vote_a_res_73_151_2018-12-17.csv")).unwrap();
    let t = gcr.totals();
    assert_eq!((t.yes, t.no, t.abstention, t.non_voting), (181, 2, 3, 7));
    let no: Vec<&str> = gcr.with(VoteCast::No).map(|v| v.iso3.as_str()).collect();
    assert_eq!(no, ["HUN", "USA"]);
    // The UNDL record, not the press release: Dominican Republic abstained, Liberia voted yes.
    let abstained: Vec<&str> = gcr
        .with(VoteCast::Abstention)
        .map(|v| v.iso3.as_str())
        .collect();
    assert_eq!(abstained, ["DOM", "ERI", "LBY"]);

    for vote in [&gcm, &gcr] {
        assert_eq!(vote.votes.len(), 193);
        let codes: BTreeSet<&str> = vote.votes.iter().map(|v| v.iso3.as_str()).collect();
        assert_eq!(codes.len(), 193, "193 distinct states");
    }
    let iso = |name: &str| {
        gcm.votes
            .iter()
            .find(|v| v.member_state == name)
            .map(|v| v.iso3.as_str())
    };
    assert_eq!(
        iso("THE FORMER YUGOSLAV REPUBLIC OF MACEDONIA"),
        Some("MKD")
    );
    assert_eq!(iso("TURKEY"), Some("TUR"));
    assert_eq!(iso("ESWATINI"), Some("SWZ"));
}

/// An edit the property tests make to the adopted text.
#[derive(Debug, Clone)]
enum Edit {
    Remove,
    Reword(usize),
    MoveTo(usize),
    Add,
}

fn edit_strategy() -> impl Strategy<Value = Vec<(usize, Edit)>> {
    let edit = prop_oneof![
        Just(Edit::Remove),
        (0usize..40).prop_map(Edit::Reword),
        (0usize..23).prop_map(Edit::MoveTo),
        Just(Edit::Add),
    ];
    proptest::collection::vec((0usize..190, edit), 0..8)
}

/// Applies the edits to distinct actions; returns the edited version.
fn apply(base: &Version, edits: &[(usize, Edit)]) -> Version {
    let mut v = base.clone();
    v.meta.label = "edited".into();
    let actions: Vec<PartId> = base
        .flatten()
        .iter()
        .filter(|(p, _)| p.id.kind() == "action")
        .map(|(p, _)| p.id.clone())
        .collect();
    let mut used = BTreeSet::new();
    let locate = |v: &Version, id: &PartId| -> Option<(usize, usize)> {
        v.parts
            .iter()
            .enumerate()
            .find_map(|(o, p)| p.children.iter().position(|c| &c.id == id).map(|a| (o, a)))
    };
    for (n, (target, edit)) in edits.iter().enumerate() {
        let id = &actions[*target];
        if !used.insert(id.clone()) {
            continue;
        }
        let Some((o, a)) = locate(&v, id) else {
            continue;
        };
        match edit {
            Edit::Remove => {
                v.parts[o].children.remove(a);
            }
            Edit::Reword(w) => {
                let text = &mut v.parts[o].children[a].text;
                let mut words: Vec<String> = text.split(' ').map(str::to_string).collect();
                let k = w % words.len();
                words[k] = format!("reworded{n}");
                *text = words.join(" ");
            }
            Edit::MoveTo(to) if *to != o => {
                let mut part = v.parts[o].children.remove(a);
                part.id = v.parts[*to].id.child("action", &format!("z{n}")).unwrap();
                v.parts[*to].children.push(part);
            }
            Edit::MoveTo(_) => {}
            Edit::Add => {
                let id = v.parts[o].id.child("action", &format!("y{n}")).unwrap();
                let text = format!(
                    "Proptest addition {n}: quarterly harmonised telemetry of oceanographic buoys."
                );
                v.parts[o].children.insert(
                    a,
                    Part {
                        id,
                        num: format!("y{n}"),
                        heading: None,
                        text,
                        children: vec![],
                    },
                );
            }
        }
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn diffs_mirror_and_a_version_has_no_change_against_itself(edits in edit_strategy()) {
        let a = adopted();
        let b = apply(&a, &edits);
        prop_assert!(!diff_versions(&b, &b).summary.has_changes());
        let forward = classified(&a, &b);
        let backward: BTreeSet<(String, String, String)> = classified(&b, &a)
            .into_iter()
            .map(|(class, old, new)| {
                let class = match class.as_str() { "added" => "removed", "removed" => "added", c => c }.to_string();
                (class, new, old)
            })
            .collect();
        prop_assert_eq!(&forward, &backward);
        let d = diff_versions(&a, &b);
        let ab = diff_versions(&b, &a);
        prop_assert_eq!(d.summary.added, ab.summary.removed);
        prop_assert_eq!(d.summary.changed, ab.summary.changed);
        let count = |class: &str| forward.iter().filter(|(c, _, _)| c == class).count();
        let removals = edits_of(&edits, |e| matches!(e, Edit::Remove));
        let additions = edits_of(&edits, |e| matches!(e, Edit::Add));
        prop_assert_eq!(count("removed"), removals);
        prop_assert_eq!(count("added"), additions);
    }
}

/// How many distinct actions got an edit of this sort (the first edit of an action wins, as in `apply`).
fn edits_of(edits: &[(usize, Edit)], which: impl Fn(&Edit) -> bool) -> usize {
    let mut seen = BTreeSet::new();
    edits
        .iter()
        .filter(|(t, e)| seen.insert(*t) && which(e))
        .count()
}
