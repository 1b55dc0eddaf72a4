//! The errors of defining, storing and evaluating claims.

use passage_indicators::IndicatorError;

#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// A definition that does not parse or names what the catalogue lacks.
    #[error("{source_name}: claim `{claim}`: {message}")]
    Invalid {
        source_name: String,
        claim: String,
        message: String,
    },
    #[error("{0}: {1}")]
    Syntax(String, String),
    #[error("a claim `{0}` exists already; give the new one another id")]
    Duplicate(String),
    #[error("no claim `{0}`; `passage claims list` shows them")]
    Unknown(String),
    #[error("{file}:{line}: {message}")]
    Corrupt {
        file: String,
        line: usize,
        message: String,
    },
    #[error("claims store {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Indicator(#[from] IndicatorError),
}

impl ClaimError {
    /// Whether the user can fix it (a bad definition, an unknown id), rather than a failure.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ClaimError::Io { .. } | ClaimError::Corrupt { .. })
    }
}
