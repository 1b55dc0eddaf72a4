//! A registry rebuilt from its history: an export's events, checked as a chain, replayed into the
//! rows they leave (each object as its last event recorded it, version and withdrawal included),
//! so an export imported into an empty registry is the same registry and verifies.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::backend::{Kind, Stored};
use crate::event::{check_chain, Event};
use crate::model::{Entity, IndicatorLink, Pledge, ProgressUpdate};
use crate::token::TokenRecord;
use crate::{Position, RegistryError};

/// What an event records of an object (see `envelope` in the registry).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Envelope {
    owner: String,
    parent: String,
    version: i64,
    deleted: bool,
    doc: serde_json::Value,
}

fn at(seq: i64, message: impl std::fmt::Display) -> RegistryError {
    RegistryError::Import {
        place: format!("events[seq {seq}]"),
        message: message.to_string(),
    }
}

/// Checks that a document reads as its kind's record.
fn readable(kind: Kind, doc: &str) -> Result<(), String> {
    let e = match kind {
        Kind::Entity => serde_json::from_str::<Entity>(doc).err(),
        Kind::Pledge => serde_json::from_str::<Pledge>(doc).err(),
        Kind::Update => serde_json::from_str::<ProgressUpdate>(doc).err(),
        Kind::Link => serde_json::from_str::<IndicatorLink>(doc).err(),
        Kind::Position => serde_json::from_str::<Position>(doc).err(),
        Kind::Token => serde_json::from_str::<TokenRecord>(doc).err(),
    };
    e.map_or(Ok(()), |e| Err(format!("not a {}: {e}", kind.what())))
}

/// The rows `events` leave, by kind and id. The events must be a whole chain from the first.
pub fn replay(events: &[Event]) -> Result<BTreeMap<(Kind, String), Stored>, RegistryError> {
    check_chain(events).map_err(|b| at(b.seq, b.reason))?;
    let mut rows = BTreeMap::new();
    for e in events {
        let kind = Kind::from_table(&e.kind)
            .ok_or_else(|| at(e.seq, format!("unknown kind `{}`", e.kind)))?;
        let after = e
            .after
            .as_deref()
            .ok_or_else(|| at(e.seq, "records no object after the change"))?;
        let env: Envelope = serde_json::from_str(after).map_err(|err| at(e.seq, err))?;
        let doc = env.doc.to_string();
        readable(kind, &doc).map_err(|m| at(e.seq, m))?;
        rows.insert(
            (kind, e.object_id.clone()),
            Stored {
                id: e.object_id.clone(),
                owner: env.owner,
                parent: env.parent,
                version: env.version,
                deleted: env.deleted,
                doc,
            },
        );
    }
    Ok(rows)
}
