//! Checks of the registry's import files. A JSON bundle survives being written back as JSON, and,
//! for the records that pass the model's rules, being exported as CSV and imported again. A CSV
//! file read once is a fixed point of export then import.

use std::sync::OnceLock;

use passage_registry::{bundle_from_csv, bundle_from_json, to_csv, Bundle, CsvKind};

use super::choice::Choices;

const KINDS: [CsvKind; 5] = [
    CsvKind::Entities,
    CsvKind::Pledges,
    CsvKind::Updates,
    CsvKind::Links,
    CsvKind::Positions,
];

/// The catalogue's indicator ids, which links are checked against.
pub fn indicator_ids() -> &'static [String] {
    static IDS: OnceLock<Vec<String>> = OnceLock::new();
    IDS.get_or_init(|| {
        passage_indicators::Catalogue::builtin()
            .expect("the built-in catalogue parses")
            .indicators
            .into_iter()
            .map(|i| i.id)
            .collect()
    })
}

fn count(kind: CsvKind, b: &Bundle) -> usize {
    match kind {
        CsvKind::Entities => b.entities.len(),
        CsvKind::Pledges => b.pledges.len(),
        CsvKind::Updates => b.updates.len(),
        CsvKind::Links => b.links.len(),
        CsvKind::Positions => b.positions.len(),
    }
}

/// The records of `b` that pass the model's rules, as the registry would store them.
fn checked(b: &Bundle) -> Bundle {
    let mut out = Bundle::default();
    for mut e in b.entities.clone() {
        if e.check().is_ok() {
            out.entities.push(e);
        }
    }
    for mut p in b.pledges.clone() {
        if p.check().is_ok() {
            out.pledges.push(p);
        }
    }
    out.updates = b
        .updates
        .iter()
        .filter(|u| u.check().is_ok())
        .cloned()
        .collect();
    for mut l in b.links.clone() {
        if l.check(indicator_ids()).is_ok() {
            out.links.push(l);
        }
    }
    out.positions = b
        .positions
        .iter()
        .filter(|p| p.check().is_ok())
        .cloned()
        .collect();
    out
}

pub fn json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(bundle) = bundle_from_json(text, "bundle.json") else {
        return;
    };
    let written = serde_json::to_string(&bundle).expect("a bundle serialises");
    let again = bundle_from_json(&written, "again.json")
        .unwrap_or_else(|e| panic!("a written bundle is refused: {e}\n{written}"));
    assert_eq!(
        serde_json::to_string(&again).expect("a bundle serialises"),
        written,
        "JSON round trip"
    );
    let stored = checked(&bundle);
    for kind in KINDS {
        let csv = to_csv(kind, &stored).unwrap_or_else(|e| panic!("export of {kind:?}: {e}"));
        let (back, _) = bundle_from_csv(kind, &csv, "export.csv")
            .unwrap_or_else(|e| panic!("the export of valid {kind:?} is refused: {e}\n{csv}"));
        assert_eq!(
            count(kind, &back),
            count(kind, &stored),
            "{kind:?} through CSV"
        );
        assert_eq!(
            count(kind, &checked(&back)),
            count(kind, &stored),
            "valid {kind:?} stay valid through CSV:\n{csv}"
        );
    }
}

pub fn csv(data: &[u8]) {
    let mut c = Choices::new(data);
    let kind = c.pick(&KINDS);
    let Ok(text) = std::str::from_utf8(c.rest()) else {
        return;
    };
    let Ok((bundle, lines)) = bundle_from_csv(kind, text, "import.csv") else {
        return;
    };
    assert_eq!(lines.len(), count(kind, &bundle), "one line per record");
    let csv = to_csv(kind, &bundle).unwrap_or_else(|e| panic!("export of {kind:?}: {e}"));
    let (again, _) = bundle_from_csv(kind, &csv, "export.csv")
        .unwrap_or_else(|e| panic!("an export is refused: {e}\n{csv}"));
    assert_eq!(
        serde_json::to_value(&again).expect("a bundle serialises"),
        serde_json::to_value(&bundle).expect("a bundle serialises"),
        "CSV round trip of\n{text}\nthrough\n{csv}"
    );
}
