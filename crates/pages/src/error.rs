//! Why a page could not be shown: the server maps each to a status and an HTML error page that
//! names the path or parameter; internal details are logged, never shown.

use passage_claims::ClaimError;
use passage_indicators::IndicatorError;
use passage_registry::RegistryError;
use passage_store::StoreError;

/// A page's failure.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    /// Nothing is at this path (an unknown country, indicator, claim, pledge or release).
    #[error("{0}")]
    NotFound(String),
    /// A query parameter has a value the page cannot use.
    #[error("parameter `{parameter}`: {message}")]
    BadParameter {
        /// The parameter's name.
        parameter: String,
        /// What is wrong with it.
        message: String,
    },
    /// The store has no active release yet.
    #[error("no release is active yet: run `passage sync` first")]
    NoRelease,
    /// An indicator could not be computed.
    #[error(transparent)]
    Indicator(#[from] IndicatorError),
    /// The registry could not be read.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The claims could not be read.
    #[error(transparent)]
    Claims(#[from] ClaimError),
    /// The store could not be read.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A chart could not be rasterised.
    #[error(transparent)]
    Chart(#[from] passage_charts::ChartError),
    /// A table could not be written as Parquet.
    #[error(transparent)]
    Parquet(#[from] passage_downloads::ParquetTableError),
}

impl PageError {
    /// A bad parameter.
    pub fn bad(parameter: &str, message: impl Into<String>) -> PageError {
        PageError::BadParameter {
            parameter: parameter.into(),
            message: message.into(),
        }
    }
}
