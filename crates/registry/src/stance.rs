//! Where a statement stands on a part of a compact's text: a small closed set, so positions of
//! different states on the same paragraph can be counted and compared.

use std::fmt;

use serde::Serialize;

use crate::RegistryError;

/// The stance a position takes on a part of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    /// Backs the part as it is worded.
    Supports,
    /// Rejects the part: asks for its deletion, or will not join the text because of it.
    Opposes,
    /// Accepts what the part is about but asks for its wording to change (an amendment proposed).
    SeeksAmendment,
    /// Joins the text but states that it does not consider itself bound by the part, or
    /// dissociates itself from it.
    Reservation,
    /// States how it understands the part (an interpretative statement or explanation of
    /// position) without opposing it.
    Interprets,
}

impl Stance {
    /// Every stance, in the order above.
    pub const ALL: [Stance; 5] = [
        Stance::Supports,
        Stance::Opposes,
        Stance::SeeksAmendment,
        Stance::Reservation,
        Stance::Interprets,
    ];

    /// The stance's name, as read and written (`seeks_amendment`).
    pub fn name(self) -> &'static str {
        match self {
            Stance::Supports => "supports",
            Stance::Opposes => "opposes",
            Stance::SeeksAmendment => "seeks_amendment",
            Stance::Reservation => "reservation",
            Stance::Interprets => "interprets",
        }
    }

    /// Reads a stance's name; the error names `field` and lists the stances.
    pub fn parse(field: &str, text: &str) -> Result<Stance, RegistryError> {
        Stance::ALL
            .into_iter()
            .find(|s| s.name() == text.trim())
            .ok_or_else(|| {
                let names: Vec<&str> = Stance::ALL.iter().map(|s| s.name()).collect();
                RegistryError::invalid(
                    field,
                    format!("`{text}` is not a stance: {}", names.join(", ")),
                )
            })
    }
}

impl fmt::Display for Stance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_stance_reads_back_from_its_name_and_serialises_as_it() {
        for s in Stance::ALL {
            assert_eq!(Stance::parse("stance", s.name()).unwrap(), s);
            assert_eq!(serde_json::to_value(s).unwrap(), s.name());
        }
        let err = Stance::parse("stance", "abstains").unwrap_err().to_string();
        assert_eq!(
            err,
            "`stance`: `abstains` is not a stance: supports, opposes, seeks_amendment, reservation, interprets"
        );
    }
}
