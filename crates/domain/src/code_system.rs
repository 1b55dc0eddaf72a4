//! The code systems a country code can be written in. UNHCR's and ISO's collide (`AUS` is Austria in
//! one and Australia in the other), so no code is ever parsed without naming its system.

use std::fmt;
use std::str::FromStr;

use crate::DomainError;

/// A system of three-letter country codes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum CodeSystem {
    /// ISO 3166-1 alpha-3, extended with the special codes UNHCR uses in its ISO columns.
    Iso,
    /// UNHCR's own country codes (`GFR` for Germany, `AUS` for Austria).
    Unhcr,
}

impl CodeSystem {
    /// The system's name as users read it in messages (`ISO 3166 alpha-3`, `UNHCR`).
    pub fn name(self) -> &'static str {
        match self {
            CodeSystem::Iso => "ISO 3166 alpha-3",
            CodeSystem::Unhcr => "UNHCR",
        }
    }
}

impl fmt::Display for CodeSystem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for CodeSystem {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "iso" | "iso3" => Ok(CodeSystem::Iso),
            "unhcr" => Ok(CodeSystem::Unhcr),
            _ => Err(DomainError::BadCodeSystem {
                value: s.to_string(),
            }),
        }
    }
}
