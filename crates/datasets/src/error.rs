//! Errors of the parsers: every one names the file, and where it can, the line, the column and what
//! was expected there.

use std::fmt;

/// A place in a source file: 1-based line and column (column = field number in CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Position {
    /// The source file, as named in the import.
    pub file: String,
    /// The line, from 1.
    pub line: u64,
    /// The column (field number in CSV), from 1, when one field is at fault.
    pub column: Option<usize>,
    /// The column's name in the header, when known.
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
    /// A source file could not be read.
    #[error("{file}: cannot read: {source}")]
    Io {
        /// The source file.
        file: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A record of a source that does not parse: a bad value, a wrong header, a short row.
    #[error("{at}: {message}")]
    Malformed {
        /// Where: file, line and, when known, column.
        at: Position,
        /// What is wrong, with what was expected.
        message: String,
    },
    /// A source at fault where no line can be named (a JSON item, a country list that does not
    /// join); the message says where.
    #[error("{file}: {message}")]
    Unusable {
        /// The source file.
        file: String,
        /// Why it cannot be used.
        message: String,
    },
    /// A compact's text or a recorded vote that does not read; the error names the file and line.
    #[error(transparent)]
    Negotiation(#[from] passage_negotiation::NegotiationError),
    /// Two files of the directory feed the same dataset.
    #[error("two files provide dataset `{dataset}`: {first} and {second}; keep one of them")]
    DuplicateSource {
        /// The dataset's name.
        dataset: String,
        /// The first file found.
        first: String,
        /// The second file found.
        second: String,
    },
    /// A `datapackage.json` that Passage did not write: only a package of Passage's own release
    /// holds tables in the store's columns.
    #[error("{file}: not a data package written by Passage: {reason}")]
    NotPassagePackage {
        /// The descriptor.
        file: String,
        /// What shows it is not Passage's.
        reason: String,
    },
    /// A resource of a Passage data package that its descriptor describes wrongly: an unknown
    /// dataset, a path outside the package, a schema that is not its dataset's, a wrong size.
    #[error("{file}: resource `{resource}`: {message}")]
    BadResource {
        /// The descriptor, or the resource's file when the fault is in the file.
        file: String,
        /// The resource's name (its dataset), or `#n` for the nth when it has none.
        resource: String,
        /// The schema field at fault, when one is.
        field: Option<String>,
        /// What is wrong, with what was expected.
        message: String,
    },
    /// A resource file that a data package's descriptor lists and that cannot be read.
    #[error("{file}: resource `{resource}` of the data package cannot be read: {source}")]
    MissingResource {
        /// The resource's path inside the package.
        file: String,
        /// The resource's name (its dataset).
        resource: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A file's sha256 differs from the one a checksums file beside it lists.
    #[error("{file}: checksum mismatch with {sums_file}: expected {expected}, found {found}")]
    Checksum {
        /// The source file.
        file: String,
        /// The checksums file that lists it.
        sums_file: String,
        /// The sha256 the checksums file gives.
        expected: String,
        /// The sha256 of the file as read.
        found: String,
    },
}

impl LoadError {
    /// A `Malformed` error at a line and, where one field is at fault, its column and name.
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
