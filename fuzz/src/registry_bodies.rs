//! Checks of the registry's request bodies (entity, pledge, progress update, link, position):
//! whatever JSON is sent, reading it and applying the model's rules never panics, the rules are
//! idempotent, and an accepted record reads back from its own JSON unchanged.

use passage_registry::{Entity, IndicatorLink, Pledge, Position, ProgressUpdate};
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::choice::Choices;
use super::registry_files::indicator_ids;

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(record: &T) {
    let text = serde_json::to_string(record).expect("a record serialises");
    let back: T = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("a written record is refused: {e}\n{text}"));
    assert_eq!(
        serde_json::to_string(&back).expect("a record serialises"),
        text,
        "JSON round trip"
    );
}

/// Applies `check` twice: an accepted record must be accepted again, unchanged.
fn idempotent<T: Clone + PartialEq + std::fmt::Debug + Serialize + DeserializeOwned>(
    data: &[u8],
    check: impl Fn(&mut T) -> bool,
) {
    let Ok(mut record) = serde_json::from_slice::<T>(data) else {
        return;
    };
    if check(&mut record) {
        let first = record.clone();
        assert!(
            check(&mut record),
            "an accepted record is refused on a second check"
        );
        assert_eq!(record, first, "a second check changed the record");
        round_trip(&record);
    }
}

pub fn bodies(data: &[u8]) {
    let mut c = Choices::new(data);
    let kind = c.pick(&[0u8, 1, 2, 3, 4]);
    let data = c.rest();
    match kind {
        0 => idempotent::<Entity>(data, |e| e.check().is_ok()),
        1 => idempotent::<Pledge>(data, |p| p.check().is_ok()),
        2 => idempotent::<ProgressUpdate>(data, |u| u.check().is_ok()),
        3 => idempotent::<IndicatorLink>(data, |l| l.check(indicator_ids()).is_ok()),
        _ => idempotent::<Position>(data, |p| p.check().is_ok()),
    }
}
