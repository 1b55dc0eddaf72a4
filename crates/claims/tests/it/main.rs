//! The starter claims on the real data, some decided again here from the CSV files, and the claim
//! store's history on disk.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use passage_claims::{evaluate, starter, ClaimStore, Outcome};
use passage_indicators::Engine;
use passage_store::Release;

fn shared_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let imported =
            passage_datasets::import_dir(&shared_data(), &Default::default(), &|_| {}).unwrap();
        Release::from_import(imported)
    })
}

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::builtin().unwrap())
}

/// Refugees and others in need of international protection per host, per year, from the CSV.
fn hosted() -> HashMap<(i32, String), f64> {
    let mut out = HashMap::new();
    let mut reader = csv::Reader::from_path(shared_data().join("unhcr/population.csv")).unwrap();
    let h = reader.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (year, coa, refugees, oip) = (col("year"), col("coa_iso"), col("refugees"), col("oip"));
    for r in reader.records() {
        let r = r.unwrap();
        let n = |i: usize| r[i].parse::<f64>().unwrap_or(0.0);
        *out.entry((r[year].parse().unwrap(), r[coa].to_string()))
            .or_insert(0.0) += n(refugees) + n(oip);
    }
    out
}

fn top_host(hosted: &HashMap<(i32, String), f64>, year: i32) -> String {
    hosted
        .iter()
        .filter(|((y, c), _)| *y == year && c != "UNK")
        .max_by(|a, b| a.1.partial_cmp(b.1).unwrap())
        .map(|((_, c), _)| c.clone())
        .unwrap()
}

#[test]
fn every_starter_claim_is_decided_on_the_real_data() {
    let claims = starter(engine()).unwrap();
    assert!(claims.len() >= 20);
    for c in &claims {
        let e = evaluate(engine(), release(), c);
        assert_ne!(
            e.verdict.outcome,
            Outcome::Undetermined,
            "{}: {}",
            c.id,
            e.verdict.explanation
        );
        assert!(!e.verdict.observations.is_empty(), "{}", c.id);
    }
}

#[test]
fn turkiye_was_the_top_host_and_no_longer_is_as_the_csv_says() {
    let claims = starter(engine()).unwrap();
    let claim = claims
        .iter()
        .find(|c| c.id == "turkiye-hosts-most-refugees")
        .unwrap();
    let e = evaluate(engine(), release(), claim);
    let hosted = hosted();
    let latest = e.verdict.year.unwrap();
    assert_eq!(latest, 2025);
    let expected = |y: i32| {
        if top_host(&hosted, y) == "TUR" {
            Outcome::True
        } else {
            Outcome::False
        }
    };
    assert_eq!(e.verdict.outcome, expected(2025));
    for (year, outcome) in e.timeline.iter().filter(|(y, _)| *y >= 2000) {
        assert_eq!(*outcome, expected(i32::from(*year)), "{year}");
    }
    // In 2015 it held, in 2025 it does not: the change is in the timeline.
    assert_eq!(expected(2015), Outcome::True);
    assert_eq!(e.verdict.outcome, Outcome::False);
}

#[test]
fn most_displaced_never_crossed_a_border_as_the_csv_says() {
    let claims = starter(engine()).unwrap();
    let claim = claims
        .iter()
        .find(|c| c.id == "most-displaced-never-cross-a-border")
        .unwrap();
    let e = evaluate(engine(), release(), claim);
    let sum = |file: &str, cols: &[&str]| -> f64 {
        let mut reader = csv::Reader::from_path(shared_data().join(file)).unwrap();
        let h = reader.headers().unwrap().clone();
        let idx: Vec<usize> = cols
            .iter()
            .map(|c| h.iter().position(|x| x == *c).unwrap())
            .collect();
        reader
            .records()
            .map(|r| r.unwrap())
            .filter(|r| &r[0] == "2025")
            .map(|r| {
                idx.iter()
                    .map(|&i| r[i].parse::<f64>().unwrap_or(0.0))
                    .sum::<f64>()
            })
            .sum()
    };
    let idps = sum("unhcr/idmc.csv", &["total"]);
    let all = idps
        + sum("unhcr/unrwa.csv", &["total"])
        + sum(
            "unhcr/population.csv",
            &["refugees", "asylum_seekers", "oip"],
        );
    let share = idps / all * 100.0;
    assert_eq!(e.verdict.year, Some(2025));
    assert_eq!(e.verdict.outcome == Outcome::True, share > 50.0);
    let observed = e.verdict.observations[0].value.unwrap();
    assert!((observed - share).abs() < 0.05, "{observed} vs {share}");
}

#[test]
fn the_store_keeps_history_and_cuts_a_torn_line() {
    let dir = tempfile::tempdir().unwrap();
    let store = ClaimStore::open(dir.path()).unwrap();
    let first = store
        .record_release(engine(), release(), "2026-01-01T00:00:00Z")
        .unwrap();
    assert_eq!(first.added, starter(engine()).unwrap().len());
    assert!(first.changed.is_empty());
    let again = store
        .record_release(engine(), release(), "2026-01-02T00:00:00Z")
        .unwrap();
    assert_eq!(again.added, 0);

    // A crash mid-append leaves a line without its newline: it is not data, and the next append
    // starts on a clean line.
    let path = dir.path().join("verdicts.jsonl");
    let before = std::fs::read(&path).unwrap();
    let mut torn = before.clone();
    torn.extend_from_slice(b"{\"evaluated_at\":\"2026");
    std::fs::write(&path, &torn).unwrap();
    assert_eq!(store.history().unwrap().len(), first.added);
    let claim = passage_claims::parse_claims(
        r#"[[claim]]
id = "a-new-claim"
text = "Refugees are more than 30 million."
context = "test"
test = { kind = "threshold", op = ">", value = 30000000, operand = { indicator = "refugees" } }
"#,
        "new.toml",
        engine(),
    )
    .unwrap()
    .remove(0);
    store.add(engine(), &claim, "new.toml").unwrap();
    let added = store
        .record_release(engine(), release(), "2026-01-03T00:00:00Z")
        .unwrap();
    assert_eq!(added.added, 1);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.ends_with('\n') && !text.contains("\"2026{"));
    assert_eq!(store.history().unwrap().len(), first.added + 1);

    // A line edited into nonsense is an error naming the file and line.
    std::fs::write(&path, "{}\n").unwrap();
    let err = store.history().unwrap_err().to_string();
    assert!(err.contains("verdicts.jsonl:1:"), "{err}");
}
