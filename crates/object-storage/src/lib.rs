//! Passage's releases on S3-compatible object storage. A release is published under
//! `PREFIX/releases/ID/` with create-only writes (its table files, a Parquet file per dataset,
//! then its manifest, whose presence marks it complete), and only then is `PREFIX/ACTIVE` moved to
//! it; a reader fetches the release `ACTIVE` names into a local store, each table checked against
//! the manifest's digest before the release is added. Credentials come from the standard `AWS_*`
//! environment variables and are never logged.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod bucket_url;
mod error;
mod release_bucket;

pub use bucket_url::BucketUrl;
pub use error::ObjectStorageError;
pub use release_bucket::{Fetched, Published, ReleaseBucket};
