//! A position: a dated statement by a state or a group of states on one part of a compact's text
//! (its stance, a summary, the words quoted, where it can be read, and the forum or round), kept in
//! the registry as an accountability record, like a pledge. Every field is parsed as it is read,
//! and a value that does not parse is refused with the field's name.

use passage_negotiation::{DocumentId, PartId};
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};

use crate::{CalendarDate, RegistryError, SourceLink, Stance};

/// A statement of a state or group on a part of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Position {
    /// `ENTITY-pN` (`eu-p3`), given by the registry: empty in a submission. An import keeps the
    /// id it carries, so an exported position keeps its id and its withdrawal.
    #[serde(default)]
    pub id: String,
    /// The entity that stated it: a state or a group of states of the registry.
    pub entity: String,
    /// The document the part belongs to, such as `gcm`.
    #[serde(deserialize_with = "document")]
    pub document: DocumentId,
    /// The part the statement is about, such as `objective/8/action/b` or `para/37`.
    #[serde(deserialize_with = "part")]
    pub part: PartId,
    /// The day the statement was made.
    #[serde(deserialize_with = "date")]
    pub date: CalendarDate,
    /// Where it stands on the part.
    #[serde(deserialize_with = "stance")]
    pub stance: Stance,
    /// What was said, in the recorder's words.
    pub summary: String,
    /// The statement's own words, when quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Where the statement can be read: an http(s) link.
    #[serde(deserialize_with = "source")]
    pub source: SourceLink,
    /// The forum or round it was made at, such as "intergovernmental negotiations, round 3".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forum: Option<String>,
}

fn named<'de, D: Deserializer<'de>, T, E: std::fmt::Display>(
    d: D,
    field: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> Result<T, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).map_err(|e| {
        let message = e.to_string();
        // The registry's own errors name the field already; the negotiation crate's do not.
        if message.starts_with(&format!("`{field}`")) {
            D::Error::custom(message)
        } else {
            D::Error::custom(format!("`{field}`: {message}"))
        }
    })
}

fn document<'de, D: Deserializer<'de>>(d: D) -> Result<DocumentId, D::Error> {
    named(d, "document", DocumentId::parse)
}

fn part<'de, D: Deserializer<'de>>(d: D) -> Result<PartId, D::Error> {
    named(d, "part", PartId::parse)
}

fn date<'de, D: Deserializer<'de>>(d: D) -> Result<CalendarDate, D::Error> {
    named(d, "date", |t| CalendarDate::parse("date", t))
}

fn stance<'de, D: Deserializer<'de>>(d: D) -> Result<Stance, D::Error> {
    named(d, "stance", |t| Stance::parse("stance", t))
}

fn source<'de, D: Deserializer<'de>>(d: D) -> Result<SourceLink, D::Error> {
    named(d, "source", |t| SourceLink::parse("source", t))
}

fn not_blank(field: &str, text: Option<&str>) -> Result<(), RegistryError> {
    match text {
        Some(t) if t.trim().is_empty() => Err(RegistryError::invalid(field, "must not be empty")),
        _ => Ok(()),
    }
}

impl Position {
    /// The id of `entity`'s `n`th position.
    pub fn id_for(entity: &str, n: u64) -> String {
        format!("{entity}-p{n}")
    }

    /// The `n` of an id `ENTITY-pN` of this position's entity; `None` for any other id. `N` has
    /// at most nine digits, so the registry's next number can never overflow.
    pub fn number(&self) -> Option<u64> {
        let n = self
            .id
            .strip_prefix(self.entity.as_str())?
            .strip_prefix("-p")?;
        let digits = (1..=9).contains(&n.len())
            && n.bytes().all(|b| b.is_ascii_digit())
            && !n.starts_with('0');
        digits.then(|| n.parse().ok()).flatten()
    }

    /// Checks the rules of the position's text fields and of its id, when it has one; that its
    /// entity exists and is a state or a group is checked by the registry.
    pub fn check(&self) -> Result<(), RegistryError> {
        crate::model::slug("entity", &self.entity, &[])?;
        if !self.id.is_empty() && self.number().is_none() {
            return Err(RegistryError::invalid(
                "id",
                format!(
                    "`{}` is not an id of a position of `{}` (`{}`); leave it empty and the registry gives one",
                    self.id,
                    self.entity,
                    Position::id_for(&self.entity, 1)
                ),
            ));
        }
        not_blank("summary", Some(&self.summary))?;
        not_blank("quote", self.quote.as_deref())?;
        not_blank("forum", self.forum.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> serde_json::Value {
        serde_json::json!({
            "entity": "eu", "document": "gcm", "part": "objective/8/action/b",
            "date": "2018-03-20", "stance": "seeks_amendment",
            "summary": "Asks that search and rescue be named.",
            "source": "https://example.org/statements/eu-round-3"
        })
    }

    fn refusal(field: &str, value: serde_json::Value) -> String {
        let mut d = doc();
        d[field] = value;
        serde_json::from_value::<Position>(d)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn a_position_reads_and_writes_back_the_same() {
        let p: Position = serde_json::from_value(doc()).unwrap();
        p.check().unwrap();
        assert_eq!(p.part.as_str(), "objective/8/action/b");
        let back: Position = serde_json::from_value(serde_json::to_value(&p).unwrap()).unwrap();
        assert_eq!(back, p);
    }

    #[test]
    fn a_value_that_does_not_parse_is_refused_naming_its_field() {
        let cases = [
            ("part", serde_json::json!("Objective/8")),
            ("part", serde_json::json!("objective/8/action")),
            ("document", serde_json::json!("GCM")),
            ("date", serde_json::json!("2018-02-30")),
            ("stance", serde_json::json!("abstains")),
            ("source", serde_json::json!("ftp://example.org/x")),
        ];
        for (field, value) in cases {
            let err = refusal(field, value.clone());
            assert!(
                err.starts_with(&format!("`{field}`: ")),
                "{field} {value}: {err}"
            );
        }
        let mut d = doc();
        d.as_object_mut().unwrap().remove("source");
        let err = serde_json::from_value::<Position>(d)
            .unwrap_err()
            .to_string();
        assert!(err.contains("missing field `source`"), "{err}");
    }

    #[test]
    fn ids_belong_to_the_entity_and_texts_are_not_blank() {
        let mut p: Position = serde_json::from_value(doc()).unwrap();
        for (id, n) in [
            ("eu-p1", Some(1)),
            ("eu-p12", Some(12)),
            ("eu-p999999999", Some(999_999_999)),
            ("eu-p1000000000", None),
            ("eu-p18446744073709551616", None),
            ("eu-p01", None),
            ("us-p1", None),
            ("eu-p", None),
        ] {
            p.id = id.into();
            assert_eq!(p.number(), n, "{id}");
        }
        p.id = "us-p1".into();
        assert!(p.check().unwrap_err().to_string().starts_with("`id`"));
        p.id.clear();
        p.summary = "  ".into();
        assert!(p.check().unwrap_err().to_string().starts_with("`summary`"));
        p.summary = "s".into();
        p.quote = Some(String::new());
        assert!(p.check().unwrap_err().to_string().starts_with("`quote`"));
    }
}
