//! Errors of the store, split between the user's mistakes (bad query, unknown release) and failures of
//! the machine or the files (I/O, a corrupt release), so the binary can map them to exit codes.

use std::path::PathBuf;

use passage_datasets::LoadError;

/// A failure of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Reading or writing a file of the store failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The disk (or the user's quota) is full: nothing was activated, and what was being written
    /// is removed.
    #[error("{}: no space left on device", path.display())]
    NoSpace {
        /// The file being written.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// A manifest or table file that does not parse or verify (also: an answer file that cannot be
    /// encoded).
    #[error("{}: not a valid release file: {message}", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// A source file could not be imported.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A version of the negotiation record a user imported cannot be read.
    #[error(transparent)]
    Negotiation(#[from] passage_negotiation::NegotiationError),
    /// Nothing can be read because no release has been activated yet.
    #[error("no release is active yet: run `passage sync --from DIR` first")]
    NoActiveRelease,
    /// No release id starts with the text given.
    #[error("no release matches `{0}` (see `passage releases`)")]
    UnknownRelease(String),
    /// The id prefix given starts more than one release's id.
    #[error("`{0}` matches several releases; give more characters of the id")]
    AmbiguousRelease(String),
    /// The directory named for import holds no file Passage recognises as a source.
    #[error("the import found no source file in {0}")]
    NothingToImport(String),
    /// A query against the release was refused.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A release's manifest names another id than its sources give: it was altered, or is not
    /// the manifest of that release.
    #[error("{file}: the manifest names release {named}, but its sources give {derived}")]
    ManifestMismatch {
        /// Where the manifest came from.
        file: String,
        /// The id the manifest names.
        named: String,
        /// The id its sources give.
        derived: String,
    },
    /// A table file offered for a release is not the one its manifest names.
    #[error("{file}: sha256 expected {expected} ({expected_bytes} bytes), found {found} ({found_bytes} bytes)")]
    TableMismatch {
        /// The file as offered: an entry of a bundle, an address.
        file: String,
        /// The digest the manifest records.
        expected: String,
        /// The size the manifest records.
        expected_bytes: u64,
        /// The digest of what was offered.
        found: String,
        /// The size of what was offered.
        found_bytes: u64,
    },
    /// A table file the manifest lists was not offered.
    #[error("{file}: missing (expected sha256 {expected}, {expected_bytes} bytes)")]
    MissingTable {
        /// Where the file was looked for.
        file: String,
        /// The digest the manifest records.
        expected: String,
        /// The size the manifest records.
        expected_bytes: u64,
    },
    /// A partial sync could not carry a dataset of the active release forward.
    #[error("cannot carry `{dataset}` forward from release {from}: {reason}")]
    CannotCarry {
        /// The dataset that could not be carried.
        dataset: String,
        /// The active release's id.
        from: String,
        /// Why, such as a release written by another format version of Passage.
        reason: String,
    },
}

impl StoreError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> StoreError {
        let path = path.into();
        move |source| StoreError::from_io(path, source)
    }

    /// An I/O failure at `path`, told apart when it is a full disk or quota.
    pub(crate) fn from_io(path: PathBuf, source: std::io::Error) -> StoreError {
        match source.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                StoreError::NoSpace { path, source }
            }
            _ => StoreError::Io { path, source },
        }
    }

    /// Whether the error is the user's to fix (bad input or arguments) rather than a failure.
    pub fn is_user_error(&self) -> bool {
        matches!(
            self,
            StoreError::Load(_)
                | StoreError::NoActiveRelease
                | StoreError::UnknownRelease(_)
                | StoreError::AmbiguousRelease(_)
                | StoreError::NothingToImport(_)
                | StoreError::Query(_)
                | StoreError::CannotCarry { .. }
                | StoreError::ManifestMismatch { .. }
                | StoreError::TableMismatch { .. }
                | StoreError::MissingTable { .. }
                | StoreError::Negotiation(_)
        )
    }
}

/// A query that cannot be answered as asked; each names the parameter at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// The dataset name is not one Passage knows; the second field lists the known names.
    #[error("unknown dataset `{0}`; known datasets: {1}")]
    UnknownDataset(String, String),
    /// The dataset exists but the release (the second field) does not hold it.
    #[error("dataset `{0}` is not in release {1}")]
    DatasetNotInRelease(String, String),
    /// A filter or breakdown names a dimension the dataset lacks.
    #[error("parameter `{parameter}`: dataset `{dataset}` has no dimension `{name}`; its dimensions: {known}")]
    UnknownDimension {
        /// The request parameter that named it.
        parameter: String,
        /// The dataset queried.
        dataset: String,
        /// The dimension as given.
        name: String,
        /// The dataset's dimensions, comma-separated.
        known: String,
    },
    #[error(
        "parameter `measures`: dataset `{dataset}` has no measure `{name}`; its measures: {known}"
    )]
    /// A measure asked for is not one of the dataset's.
    UnknownMeasure {
        /// The dataset queried.
        dataset: String,
        /// The measure as given.
        name: String,
        /// The dataset's measures, comma-separated.
        known: String,
    },
    /// A parameter has a value that cannot be used.
    #[error("parameter `{parameter}`: {message}")]
    BadValue {
        /// The parameter as the user named it.
        parameter: String,
        /// Why the value was refused, with what is accepted.
        message: String,
    },
}
