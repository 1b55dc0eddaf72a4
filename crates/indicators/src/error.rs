//! The errors of the indicator catalogue and of computing indicators.

use passage_store::QueryError;

/// A catalogue that does not parse, named by file, indicator and field.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// The file is not valid TOML or does not have the catalogue's shape.
    #[error("{file}: {message}")]
    Toml {
        /// The catalogue or reference file.
        file: String,
        /// The parser's message, with line and column.
        message: String,
    },
    /// A field of one indicator has a value the catalogue cannot use.
    #[error("{file}: indicator `{indicator}`, field `{field}`: {message}")]
    Field {
        /// The catalogue file.
        file: String,
        /// The id of the indicator.
        indicator: String,
        /// The field, such as `sum` or `objectives`.
        field: String,
        /// Why the value was refused.
        message: String,
    },
    /// A line of a line-based reference file (land borders) is malformed.
    #[error("{file}:{line}: {message}")]
    Line {
        /// The reference file.
        file: String,
        /// The line number, from 1.
        line: usize,
        /// Why the line was refused.
        message: String,
    },
}

/// A request the catalogue or the release cannot answer. `parameter` names what the user gave.
#[derive(Debug, thiserror::Error)]
pub enum IndicatorError {
    /// No indicator of the catalogue has this id.
    #[error("unknown indicator `{0}`; `passage indicator list` shows the catalogue")]
    UnknownIndicator(String),
    /// A request parameter has a value that cannot be used.
    #[error("parameter `{parameter}`: {message}")]
    BadValue {
        /// The parameter as the user named it.
        parameter: String,
        /// Why the value was refused, with what is accepted.
        message: String,
    },
    /// The release lacks a dataset the indicator's formula reads.
    #[error("indicator `{indicator}` needs dataset `{dataset}`, which release {release} lacks")]
    MissingDataset {
        /// The indicator requested.
        indicator: String,
        /// The dataset it needs.
        dataset: String,
        /// The release that lacks it.
        release: String,
    },
    /// Reading the release's data failed.
    #[error(transparent)]
    Query(#[from] QueryError),
}

impl IndicatorError {
    pub(crate) fn bad(parameter: &str, message: impl Into<String>) -> Self {
        IndicatorError::BadValue {
            parameter: parameter.into(),
            message: message.into(),
        }
    }
}
