//! The errors of the indicator catalogue and of computing indicators.

use passage_store::QueryError;

/// A catalogue that does not parse, named by file, indicator and field.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    #[error("{file}: {message}")]
    Toml { file: String, message: String },
    #[error("{file}: indicator `{indicator}`, field `{field}`: {message}")]
    Field {
        file: String,
        indicator: String,
        field: String,
        message: String,
    },
    #[error("{file}:{line}: {message}")]
    Line {
        file: String,
        line: usize,
        message: String,
    },
}

/// A request the catalogue or the release cannot answer. `parameter` names what the user gave.
#[derive(Debug, thiserror::Error)]
pub enum IndicatorError {
    #[error("unknown indicator `{0}`; `passage indicator list` shows the catalogue")]
    UnknownIndicator(String),
    #[error("parameter `{parameter}`: {message}")]
    BadValue { parameter: String, message: String },
    #[error("indicator `{indicator}` needs dataset `{dataset}`, which release {release} lacks")]
    MissingDataset {
        indicator: String,
        dataset: String,
        release: String,
    },
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
