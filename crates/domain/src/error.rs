//! The one error type of the domain crate: what was being parsed and why it was refused.

/// A value that could not be parsed into a domain type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// A code of the wrong shape for its system (wrong length or characters).
    #[error("`{value}` is not a country code ({system}): expected {expected}")]
    BadCode {
        /// The text as given.
        value: String,
        /// The code system it was read in.
        system: &'static str,
        /// The shape the system requires, with an example.
        expected: &'static str,
    },
    /// A well-formed code the country reference does not know in the system named (`system`).
    #[error("`{value}` is not a known {system} code")]
    UnknownCode {
        /// The code as given.
        value: String,
        /// The code system it was looked up in.
        system: &'static str,
    },
    /// A year that is not a whole number from `min` to `max`.
    #[error("`{value}` is not a year: expected a whole number from {min} to {max}")]
    BadYear {
        /// The text as given.
        value: String,
        /// The earliest year accepted.
        min: i32,
        /// The latest year accepted.
        max: i32,
    },
    /// A year range that is not `A..B` with years `A <= B`.
    #[error("`{value}` is not a year range: expected A..B with A <= B, such as 2015..2024")]
    BadYearRange {
        /// The text as given.
        value: String,
    },
    /// A release id not in its canonical form, `r` and 12 lower-case hex digits.
    #[error("`{value}` is not a release id: expected `r` followed by 12 lower-case hex digits")]
    BadReleaseId {
        /// The text as given.
        value: String,
    },
    /// A code system name other than `iso` or `unhcr`.
    #[error("`{value}` is not a code system: expected `iso` or `unhcr`")]
    BadCodeSystem {
        /// The text as given.
        value: String,
    },
}
