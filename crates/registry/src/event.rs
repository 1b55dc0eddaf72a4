//! The history: every change is an event (sequence number, time, actor, action, object, the
//! object's document before and after), and each event's hash covers its content and the hash of
//! the event before it. Editing, deleting or reordering any event breaks the chain from there on.

use serde::{Deserialize, Serialize};

use crate::token::sha256_hex;

/// The `prev_hash` of the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One write of the registry's history, chained to the one before by its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    /// The sequence number, from 1, without gaps.
    pub seq: i64,
    /// When the write happened, in RFC 3339 (UTC).
    pub at: String,
    /// Who wrote: a token's id, or `local-administrator`.
    pub actor: String,
    /// The action's name, such as `create_pledge`.
    pub action: String,
    /// The table of the object written, such as `pledges`.
    pub kind: String,
    /// The id of the object written.
    pub object_id: String,
    /// The stored document before the change, as stored; none for a creation.
    pub before: Option<String>,
    /// The stored document after the change.
    pub after: Option<String>,
    /// The hash of the event before (`GENESIS` for the first).
    pub prev_hash: String,
    /// The sha256 of this event's content and `prev_hash`, in hex.
    pub hash: String,
}

impl Event {
    /// The hash this event's content and predecessor give.
    pub fn compute_hash(&self) -> String {
        let content = serde_json::json!([
            self.seq,
            self.at,
            self.actor,
            self.action,
            self.kind,
            self.object_id,
            self.before,
            self.after,
            self.prev_hash
        ]);
        sha256_hex(&content.to_string())
    }

    /// A sealed event following `prev_hash`.
    #[allow(clippy::too_many_arguments)]
    pub fn seal(
        seq: i64,
        at: String,
        actor: &str,
        action: &str,
        kind: &str,
        object_id: &str,
        before: Option<String>,
        after: Option<String>,
        prev_hash: String,
    ) -> Event {
        let mut e = Event {
            seq,
            at,
            actor: actor.into(),
            action: action.into(),
            kind: kind.into(),
            object_id: object_id.into(),
            before,
            after,
            prev_hash,
            hash: String::new(),
        };
        e.hash = e.compute_hash();
        e
    }
}

/// What the public feed shows in place of a token's record.
pub const REDACTED: &str = r#"{"redacted":"token records are not public"}"#;

impl Event {
    /// The event as the public feed shows it: a token's record (its secret's hash, role, entity
    /// and label) is replaced by [`REDACTED`]. The event keeps its hash and predecessor, so the
    /// order stays visible; `verify` checks the full events where they are stored.
    pub fn public(&self) -> Event {
        if self.kind != crate::Kind::Token.table() {
            return self.clone();
        }
        let hide = |doc: &Option<String>| doc.as_ref().map(|_| REDACTED.to_string());
        Event {
            before: hide(&self.before),
            after: hide(&self.after),
            ..self.clone()
        }
    }
}

/// The first place a sequence of events, read in stored order, stops being an intact chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Break {
    /// The sequence number expected at the break.
    pub seq: i64,
    /// What is wrong there: a missing, reordered or edited event.
    pub reason: String,
}

/// Checks events in the order the database returns them by sequence number.
pub fn check_chain<'a>(
    events: impl IntoIterator<Item = &'a Event>,
) -> Result<(i64, String), Break> {
    let (mut seq, mut prev) = (0i64, GENESIS.to_string());
    for e in events {
        let expected = seq + 1;
        if e.seq != expected {
            return Err(Break {
                seq: expected,
                reason: format!(
                    "event {expected} is missing (found {} next): deleted or renumbered",
                    e.seq
                ),
            });
        }
        if e.prev_hash != prev {
            return Err(Break {
                seq: e.seq,
                reason:
                    "does not follow the event before it: reordered, or the one before was replaced"
                        .into(),
            });
        }
        if e.compute_hash() != e.hash {
            return Err(Break {
                seq: e.seq,
                reason: "its content does not match its hash: edited".into(),
            });
        }
        seq = e.seq;
        prev = e.hash.clone();
    }
    Ok((seq, prev))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Event> {
        let mut out: Vec<Event> = Vec::new();
        for seq in 1..=n {
            let prev = out.last().map_or(GENESIS.to_string(), |e| e.hash.clone());
            out.push(Event::seal(
                seq,
                "2026-01-01T00:00:00Z".into(),
                "a",
                "create_pledge",
                "pledge",
                &format!("p{seq}"),
                None,
                Some(format!("{{\"n\":{seq}}}")),
                prev,
            ));
        }
        out
    }

    #[test]
    fn edits_deletions_and_reorders_break_the_chain_where_they_are() {
        let good = chain(5);
        assert_eq!(check_chain(&good).unwrap().0, 5);
        let mut edited = good.clone();
        edited[2].after = Some("{\"n\":99}".into());
        assert_eq!(check_chain(&edited).unwrap_err().seq, 3);
        let mut deleted = good.clone();
        deleted.remove(1);
        assert_eq!(check_chain(&deleted).unwrap_err().seq, 2);
        let mut swapped = good.clone();
        swapped.swap(1, 3);
        let (a, b) = (swapped[1].seq, swapped[3].seq);
        swapped[1].seq = b;
        swapped[3].seq = a;
        assert_eq!(check_chain(&swapped).unwrap_err().seq, 2);
    }
}
