//! Country codes as values: three (or two) upper-case ASCII characters tagged with their system.

use std::fmt;

use crate::{CodeSystem, DomainError};

/// A three-character country code read in a named system. Equality includes the system, so UNHCR
/// `AUS` (Austria) never equals ISO `AUS` (Australia).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode {
    system: CodeSystem,
    code: [u8; 3],
}

impl CountryCode {
    /// Parses `value` as a code of `system`. Case is folded, surrounding blanks are refused; letters and
    /// digits are allowed because special codes such as Abyei's `AB9` carry a digit.
    pub fn parse(system: CodeSystem, value: &str) -> Result<Self, DomainError> {
        let bytes = value.as_bytes();
        if bytes.len() != 3 || !bytes.iter().all(u8::is_ascii_alphanumeric) {
            return Err(DomainError::BadCode {
                value: value.to_string(),
                system: system.name(),
                expected: "three letters or digits, such as SYR",
            });
        }
        let mut code = [0u8; 3];
        for (slot, b) in code.iter_mut().zip(bytes) {
            *slot = b.to_ascii_uppercase();
        }
        Ok(CountryCode { system, code })
    }

    /// The system the code was read in.
    pub fn system(&self) -> CodeSystem {
        self.system
    }

    /// The code in upper case, such as `SYR`.
    pub fn as_str(&self) -> &str {
        // Only ASCII alphanumerics are ever stored, so this cannot fail.
        std::str::from_utf8(&self.code).unwrap_or("???")
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for CountryCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl serde::Serialize for Iso2 {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}:{}", self.system, self.as_str())
    }
}

/// An ISO 3166-1 alpha-2 code.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Iso2([u8; 2]);

impl Iso2 {
    /// Parses two ASCII letters, case folded.
    pub fn parse(value: &str) -> Result<Self, DomainError> {
        let bytes = value.as_bytes();
        if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_alphabetic) {
            return Err(DomainError::BadCode {
                value: value.to_string(),
                system: "ISO 3166 alpha-2",
                expected: "two letters, such as SY",
            });
        }
        Ok(Iso2([
            bytes[0].to_ascii_uppercase(),
            bytes[1].to_ascii_uppercase(),
        ]))
    }

    /// The code in upper case, such as `SY`.
    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl fmt::Display for Iso2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for Iso2 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Iso2:{}", self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn same_letters_in_two_systems_differ() {
        let unhcr = CountryCode::parse(CodeSystem::Unhcr, "AUS").unwrap();
        let iso = CountryCode::parse(CodeSystem::Iso, "aus").unwrap();
        assert_ne!(unhcr, iso);
        assert_eq!(iso.as_str(), "AUS");
    }

    #[test]
    fn refuses_wrong_shapes() {
        for bad in ["", "SY", "SYRA", " SY", "S-R", "ÄBC"] {
            assert!(CountryCode::parse(CodeSystem::Iso, bad).is_err(), "{bad}");
        }
        assert!(CountryCode::parse(CodeSystem::Iso, "AB9").is_ok());
    }

    proptest! {
        #[test]
        fn parse_round_trips(s in "[A-Za-z0-9]{3}") {
            let code = CountryCode::parse(CodeSystem::Unhcr, &s).unwrap();
            prop_assert_eq!(code.as_str(), s.to_ascii_uppercase());
            prop_assert_eq!(CountryCode::parse(CodeSystem::Unhcr, code.as_str()).unwrap(), code);
        }
    }
}
