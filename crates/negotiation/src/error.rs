//! The one error type of the negotiation crate. Every error read from a file names the file and, where
//! the input has lines, the line, so that a user can open the file at the fault.

use std::path::PathBuf;

/// Why a document, a version or a recorded vote could not be read, written or built.
#[derive(Debug, thiserror::Error)]
pub enum NegotiationError {
    /// The file could not be opened or read.
    #[error("{}: {source}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A line or element the reader does not understand.
    #[error("{}:{line}: {message}", file.display())]
    Syntax {
        /// The file.
        file: PathBuf,
        /// The 1-based line of the fault.
        line: usize,
        /// What was wrong, in the user's terms.
        message: String,
    },
    /// Two parts with the same id in one version: the second is refused rather than merged.
    #[error("{}:{line}: part `{id}` appears twice (first at line {first_line})", file.display())]
    DuplicateId {
        /// The file.
        file: PathBuf,
        /// The line of the second occurrence.
        line: usize,
        /// The line of the first occurrence.
        first_line: usize,
        /// The repeated id.
        id: String,
    },
    /// A Member State name the UNDL table does not know.
    #[error("{}:{line}: `{name}` is not a Member State name known to the UNDL table", file.display())]
    UnknownMemberState {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The name as written.
        name: String,
    },
    /// A vote code other than Y, N, A or X.
    #[error("{}:{line}: `{code}` is not a vote code (Y, N, A or X)", file.display())]
    BadVote {
        /// The file.
        file: PathBuf,
        /// The line.
        line: usize,
        /// The code as written.
        code: String,
    },
    /// A value that does not parse as the identifier or date it stands for.
    #[error("`{value}` is not {expected}")]
    BadValue {
        /// The text as given.
        value: String,
        /// What was expected, with an example.
        expected: &'static str,
    },
    /// An import under a label the document already has: versions are never overwritten.
    #[error("{document} already has a version labelled \"{label}\" ({})", file.display())]
    VersionExists {
        /// The document.
        document: String,
        /// The label.
        label: String,
        /// The stored file.
        file: PathBuf,
    },
    /// The file's extension names no format the readers know.
    #[error("{}: unknown format (expected .md, .txt or .xml)", file.display())]
    UnknownFormat {
        /// The file.
        file: PathBuf,
    },
}

impl NegotiationError {
    pub(crate) fn syntax(file: &std::path::Path, line: usize, message: impl Into<String>) -> Self {
        NegotiationError::Syntax {
            file: file.to_path_buf(),
            line,
            message: message.into(),
        }
    }
}
