//! Errors of the parsers: every one names the file, and where it can, the line, the column and what
//! was expected there.

use std::fmt;

/// A place in a source file: 1-based line and column (column = field number in CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    pub file: String,
    pub line: u64,
    pub column: Option<usize>,
    pub field: Option<String>,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)?;
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        if let Some(name) = &self.field {
            write!(f, " (column `{name}`)")?;
        }
        Ok(())
    }
}

/// Why a source could not be loaded. Loading is all or nothing: any of these stops the import.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{at}: {message}")]
    Malformed { at: Position, message: String },
    #[error("{file}: {message}")]
    Unusable { file: String, message: String },
    #[error("two files provide dataset `{dataset}`: {first} and {second}; keep one of them")]
    DuplicateSource {
        dataset: String,
        first: String,
        second: String,
    },
    #[error("{file}: checksum mismatch with {sums_file}: expected {expected}, found {found}")]
    Checksum {
        file: String,
        sums_file: String,
        expected: String,
        found: String,
    },
}

impl LoadError {
    pub fn at(
        file: &str,
        line: u64,
        column: Option<usize>,
        field: Option<&str>,
        message: impl Into<String>,
    ) -> Self {
        LoadError::Malformed {
            at: Position {
                file: file.to_string(),
                line,
                column,
                field: field.map(str::to_string),
            },
            message: message.into(),
        }
    }

    /// The position of a malformed-input error, for callers that report it structurally.
    pub fn position(&self) -> Option<&Position> {
        match self {
            LoadError::Malformed { at, .. } => Some(at),
            _ => None,
        }
    }
}
