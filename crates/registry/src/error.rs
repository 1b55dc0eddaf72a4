//! The registry's errors: each names the object, field or line at fault, and says whether the
//! caller can fix it (a rule, a conflict, a missing right) or the store failed.

/// A refused or failed registry operation.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// A model rule: the message names the field.
    #[error("{0}")]
    Invalid(String),
    /// A request names an object the registry does not hold.
    #[error("{what} `{id}` does not exist")]
    NotFound {
        /// The kind of object, such as `pledge`.
        what: &'static str,
        /// The id as given.
        id: String,
    },
    /// A creation names an id the registry already holds.
    #[error("{what} `{id}` exists already")]
    Exists {
        /// The kind of object.
        what: &'static str,
        /// The id as given.
        id: String,
    },
    /// The object changed since the writer read it: the version quoted is not the current one.
    #[error("{what} `{id}` is at version {current}, not {expected}: it changed since it was read")]
    Conflict {
        /// The kind of object.
        what: &'static str,
        /// The object's id.
        id: String,
        /// The version the writer quoted.
        expected: i64,
        /// The version stored now.
        current: i64,
    },
    /// A change came without the version the object was read at.
    #[error("changing {what} `{id}` needs the version it was read at")]
    VersionRequired {
        /// The kind of object.
        what: &'static str,
        /// The object's id.
        id: String,
    },
    /// A write came without a token, or with one that is unknown, expired or revoked.
    #[error("a valid, unexpired and unrevoked token is needed")]
    Unauthenticated,
    /// The token's role or entity does not allow the write; the message says what is missing.
    #[error("{0}")]
    Forbidden(String),
    /// One row or item of an import, named by its place.
    #[error("{place}: {message}")]
    Import {
        /// Where in the import: a file and line, a list of the bundle, or an event.
        place: String,
        /// What is wrong with it.
        message: String,
    },
    /// The registry URL is neither `sqlite:PATH` nor `postgres://…`.
    #[error("registry URL `{0}`: use sqlite:PATH or postgres://USER@HOST/DB")]
    Url(String),
    /// The database failed; the operation was rolled back.
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
