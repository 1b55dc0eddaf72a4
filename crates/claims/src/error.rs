//! The errors of defining, storing and evaluating claims.

use passage_indicators::IndicatorError;

/// A claim that cannot be defined, stored or evaluated.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
    /// A definition that does not parse or names what the catalogue lacks.
    #[error("{source_name}: claim `{claim}`: {message}")]
    Invalid {
        /// The file or request the definition came from.
        source_name: String,
        /// The claim's id.
        claim: String,
        /// What is wrong with it.
        message: String,
    },
    /// A claims file that is not valid TOML: its source, then the parser's message.
    #[error("{0}: {1}")]
    Syntax(String, String),
    /// A new claim takes an id already in use.
    #[error("a claim `{0}` exists already; give the new one another id")]
    Duplicate(String),
    /// No claim has this id.
    #[error("no claim `{0}`; `passage claims list` shows them")]
    Unknown(String),
    /// A line of the claims store that does not parse, or a record that cannot be written.
    #[error("{file}:{line}: {message}")]
    Corrupt {
        /// The store file, such as its `verdicts.jsonl`.
        file: String,
        /// The line number, from 1; 0 when a record could not be written.
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// Reading or writing the claims store failed.
    #[error("claims store {path}: {source}")]
    Io {
        /// The file or directory.
        path: String,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// An operand's indicator could not be computed.
    #[error(transparent)]
    Indicator(#[from] IndicatorError),
}

impl ClaimError {
    /// Whether the user can fix it (a bad definition, an unknown id), rather than a failure.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, ClaimError::Io { .. } | ClaimError::Corrupt { .. })
    }
}
