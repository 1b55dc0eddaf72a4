//! Why a publish or fetch failed: a bad address, a release already published, a store that
//! refused or failed, or a release that does not verify. Messages name the key, never credentials.

/// A failure of object storage.
#[derive(Debug, thiserror::Error)]
pub enum ObjectStorageError {
    /// The address is not `s3://BUCKET/PREFIX`.
    #[error("`{url}` is not an object storage address: {why}")]
    BadUrl {
        /// The address as given.
        url: String,
        /// What is wrong with it.
        why: String,
    },
    /// The release's manifest exists already: a published release is never written again.
    #[error(
        "release {id} is already published at {url}: its keys are written once, never overwritten"
    )]
    AlreadyPublished {
        /// The release.
        id: String,
        /// Where.
        url: String,
    },
    /// A key holds other bytes than the release's (an earlier, different write to the same key).
    #[error(
        "{key}: holds other bytes than release {id}'s file ({found} found, {expected} expected)"
    )]
    Conflict {
        /// The key.
        key: String,
        /// The release.
        id: String,
        /// The digest expected.
        expected: String,
        /// The digest found.
        found: String,
    },
    /// No release is published at the address yet.
    #[error("no release is published at {url} (no ACTIVE key)")]
    NothingPublished {
        /// Where.
        url: String,
    },
    /// The `ACTIVE` key does not hold a release id.
    #[error("{key}: not a release id: {message}")]
    BadPointer {
        /// The key.
        key: String,
        /// Why.
        message: String,
    },
    /// The object store refused or failed a request.
    #[error("{key}: {message}")]
    Store {
        /// The key of the request.
        key: String,
        /// The store's error.
        message: String,
    },
    /// The local store refused the release (a digest that does not match, a manifest that does
    /// not read) or failed.
    #[error(transparent)]
    Local(#[from] passage_store::StoreError),
    /// The release's Parquet files could not be written.
    #[error("Parquet files of release {id}: {message}")]
    Parquet {
        /// The release.
        id: String,
        /// Why.
        message: String,
    },
}
