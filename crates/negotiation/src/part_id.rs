//! Stable identifiers of the parts of a text (`objective/8`, `objective/8/action/b`, `para/37`) and of
//! documents (`gcm`). Built only by parsing, so a value in hand always has its canonical form.

use std::fmt;
use std::str::FromStr;

use crate::NegotiationError;

/// A part's id: one or more `kind/label` steps from the root, such as `objective/8/action/b`. Kinds are
/// lower-case ASCII words; labels are lower-case ASCII letters or digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PartId(String);

fn is_kind(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_lowercase())
}

fn is_label(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

impl PartId {
    /// Parses `objective/8/action/b`; refuses empty steps, an odd number of steps, upper case and
    /// anything outside ASCII letters and digits.
    pub fn parse(value: &str) -> Result<Self, NegotiationError> {
        let steps: Vec<&str> = value.split('/').collect();
        let well_formed = steps.len().is_multiple_of(2)
            && steps
                .chunks(2)
                .all(|pair| is_kind(pair[0]) && is_label(pair[1]));
        if !well_formed {
            return Err(NegotiationError::BadValue {
                value: value.to_string(),
                expected: "a part id such as `objective/8/action/b` (kind/label pairs, lower case)",
            });
        }
        Ok(PartId(value.to_string()))
    }

    /// A top-level id of one step, such as `para/37`. The label is folded to lower case.
    pub fn root(kind: &str, label: &str) -> Result<Self, NegotiationError> {
        PartId::parse(&format!("{kind}/{}", label.to_ascii_lowercase()))
    }

    /// The id of a child of this part, such as `objective/8` → `objective/8/action/b`.
    pub fn child(&self, kind: &str, label: &str) -> Result<Self, NegotiationError> {
        PartId::parse(&format!("{}/{kind}/{}", self.0, label.to_ascii_lowercase()))
    }

    /// The `(kind, label)` steps from the root.
    pub fn steps(&self) -> impl Iterator<Item = (&str, &str)> {
        let parts: Vec<&str> = self.0.split('/').collect();
        (0..parts.len() / 2).map(move |i| (parts[2 * i], parts[2 * i + 1]))
    }

    /// The last step's kind (`action` in `objective/8/action/b`).
    pub fn kind(&self) -> &str {
        let mut it = self.0.rsplit('/');
        it.next();
        it.next().unwrap_or("")
    }

    /// The last step's label (`b` in `objective/8/action/b`).
    pub fn label(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or("")
    }

    /// The id of the top-level part this one belongs to (itself when it is top-level): the section its
    /// changes are counted under.
    pub fn section(&self) -> PartId {
        let end = self
            .0
            .match_indices('/')
            .nth(1)
            .map_or(self.0.len(), |(i, _)| i);
        PartId(self.0[..end].to_string())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for PartId {
    type Err = NegotiationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        PartId::parse(s)
    }
}

impl fmt::Display for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PartId({})", self.0)
    }
}

impl serde::Serialize for PartId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A document's id: lower-case ASCII letters, digits and hyphens, such as `gcm` or `gcr`.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocumentId(String);

impl DocumentId {
    /// Parses `gcm`; refuses empty ids, upper case and characters other than letters, digits and `-`.
    pub fn parse(value: &str) -> Result<Self, NegotiationError> {
        let ok = !value.is_empty()
            && value
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !ok {
            return Err(NegotiationError::BadValue {
                value: value.to_string(),
                expected: "a document id such as `gcm` (lower-case letters, digits, `-`)",
            });
        }
        Ok(DocumentId(value.to_string()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for DocumentId {
    type Err = NegotiationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocumentId::parse(s)
    }
}

impl fmt::Display for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for DocumentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocumentId({})", self.0)
    }
}

impl serde::Serialize for DocumentId {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

/// A version's date, `YYYY-MM-DD`, checked for shape and calendar range (month 1–12, day 1–31).
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct VersionDate(String);

impl VersionDate {
    /// Parses `2018-07-13`.
    pub fn parse(value: &str) -> Result<Self, NegotiationError> {
        let b = value.as_bytes();
        let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
        let shaped = b.len() == 10 && b[4] == b'-' && b[7] == b'-' && digits(0..4);
        let shaped = shaped && digits(5..7) && digits(8..10);
        let month: u32 = if shaped {
            value[5..7].parse().unwrap_or(0)
        } else {
            0
        };
        let day: u32 = if shaped {
            value[8..10].parse().unwrap_or(0)
        } else {
            0
        };
        if !(shaped && (1..=12).contains(&month) && (1..=31).contains(&day)) {
            return Err(NegotiationError::BadValue {
                value: value.to_string(),
                expected: "a date such as 2018-07-13",
            });
        }
        Ok(VersionDate(value.to_string()))
    }

    /// The date as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for VersionDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl serde::Serialize for VersionDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_ids_parse_and_navigate() {
        let id = PartId::parse("objective/8/action/b").unwrap();
        assert_eq!((id.kind(), id.label()), ("action", "b"));
        assert_eq!(id.section().as_str(), "objective/8");
        assert_eq!(
            PartId::root("para", "37").unwrap().section().as_str(),
            "para/37"
        );
        let steps: Vec<_> = id.steps().collect();
        assert_eq!(steps, vec![("objective", "8"), ("action", "b")]);
        for bad in [
            "",
            "objective",
            "objective/",
            "Objective/8",
            "objective/8/action",
            "a//b",
            "para/3 7",
        ] {
            assert!(PartId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn dates_and_documents() {
        assert!(VersionDate::parse("2018-07-13").is_ok());
        for bad in ["2018-13-01", "2018-7-13", "18-07-13", "2018-07-00"] {
            assert!(VersionDate::parse(bad).is_err(), "{bad}");
        }
        assert!(DocumentId::parse("gcm").is_ok());
        assert!(DocumentId::parse("GCM").is_err());
    }
}
