//! The registry's errors: each names the object, field or line at fault, and says whether the
//! caller can fix it (a rule, a conflict, a missing right) or the store failed.

#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A model rule: the message names the field.
    #[error("{0}")]
    Invalid(String),
    #[error("{what} `{id}` does not exist")]
    NotFound { what: &'static str, id: String },
    #[error("{what} `{id}` exists already")]
    Exists { what: &'static str, id: String },
    #[error("{what} `{id}` is at version {current}, not {expected}: it changed since it was read")]
    Conflict {
        what: &'static str,
        id: String,
        expected: i64,
        current: i64,
    },
    #[error("changing {what} `{id}` needs the version it was read at")]
    VersionRequired { what: &'static str, id: String },
    #[error("a valid, unexpired and unrevoked token is needed")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    /// One row or item of an import, named by its place.
    #[error("{place}: {message}")]
    Import { place: String, message: String },
    #[error("registry URL `{0}`: use sqlite:PATH or postgres://USER@HOST/DB")]
    Url(String),
    #[error("registry database: {0}")]
    Database(String),
}

impl RegistryError {
    /// Whether the caller can fix it, as opposed to a failure of the database.
    pub fn is_user_error(&self) -> bool {
        !matches!(self, RegistryError::Database(_))
    }

    pub(crate) fn invalid(field: &str, message: impl std::fmt::Display) -> Self {
        RegistryError::Invalid(format!("`{field}`: {message}"))
    }
}

impl From<rusqlite::Error> for RegistryError {
    fn from(e: rusqlite::Error) -> Self {
        RegistryError::Database(e.to_string())
    }
}

impl From<postgres::Error> for RegistryError {
    fn from(e: postgres::Error) -> Self {
        RegistryError::Database(e.to_string())
    }
}
