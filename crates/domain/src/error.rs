//! The one error type of the domain crate: what was being parsed and why it was refused.

/// A value that could not be parsed into a domain type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("`{value}` is not a country code ({system}): expected {expected}")]
    BadCode {
        value: String,
        system: &'static str,
        expected: &'static str,
    },
    #[error("`{value}` is not a known {system} code")]
    UnknownCode { value: String, system: &'static str },
    #[error("`{value}` is not a year: expected a whole number from {min} to {max}")]
    BadYear { value: String, min: i32, max: i32 },
    #[error("`{value}` is not a year range: expected A..B with A <= B, such as 2015..2024")]
    BadYearRange { value: String },
    #[error("`{value}` is not a release id: expected `r` followed by 12 lower-case hex digits")]
    BadReleaseId { value: String },
    #[error("`{value}` is not a code system: expected `iso` or `unhcr`")]
    BadCodeSystem { value: String },
}
