//! Errors of the store, split between the user's mistakes (bad query, unknown release) and failures of
//! the machine or the files (I/O, a corrupt release), so the binary can map them to exit codes.

use std::path::PathBuf;

use passage_datasets::LoadError;

/// A failure of the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The disk (or the user's quota) is full: nothing was activated, and what was being written
    /// is removed.
    #[error("{}: no space left on device", path.display())]
    NoSpace {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: not a valid release file: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
    #[error(transparent)]
    Load(#[from] LoadError),
    #[error("no release is active yet: run `passage sync --from DIR` first")]
    NoActiveRelease,
    #[error("no release matches `{0}` (see `passage releases`)")]
    UnknownRelease(String),
    #[error("`{0}` matches several releases; give more characters of the id")]
    AmbiguousRelease(String),
    #[error("the import found no source file in {0}")]
    NothingToImport(String),
    #[error(transparent)]
    Query(#[from] QueryError),
    /// A partial sync could not carry a dataset of the active release forward.
    #[error("cannot carry `{dataset}` forward from release {from}: {reason}")]
    CannotCarry {
        dataset: String,
        from: String,
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
        )
    }
}

/// A query that cannot be answered as asked; each names the parameter at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("unknown dataset `{0}`; known datasets: {1}")]
    UnknownDataset(String, String),
    #[error("dataset `{0}` is not in release {1}")]
    DatasetNotInRelease(String, String),
    #[error("parameter `{parameter}`: dataset `{dataset}` has no dimension `{name}`; its dimensions: {known}")]
    UnknownDimension {
        parameter: String,
        dataset: String,
        name: String,
        known: String,
    },
    #[error(
        "parameter `measures`: dataset `{dataset}` has no measure `{name}`; its measures: {known}"
    )]
    UnknownMeasure {
        dataset: String,
        name: String,
        known: String,
    },
    #[error("parameter `{parameter}`: {message}")]
    BadValue { parameter: String, message: String },
}
