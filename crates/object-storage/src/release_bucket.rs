//! A bucket prefix holding releases: publishing one (tables, Parquet, manifest, then the pointer)
//! and fetching the active one into a local store. Keys under `PREFIX/releases/ID/` are written
//! create-only, so a published release can never be overwritten; an interrupted publish is
//! resumed, keeping what it wrote when the bytes are the same.

use std::sync::Arc;

use object_store::aws::AmazonS3Builder;
use object_store::path::Path as Key;
use object_store::{ObjectStore, ObjectStoreExt, PutMode, PutPayload};
use passage_domain::ReleaseId;
use passage_store::{AddOutcome, IncomingManifest, OfferedTable, Store, TableBytes};
use sha2::{Digest, Sha256};

use crate::{BucketUrl, ObjectStorageError};

/// The key of the active release's id, under the prefix.
const ACTIVE: &str = "ACTIVE";

/// A prefix of a bucket that holds releases.
pub struct ReleaseBucket {
    url: BucketUrl,
    store: Arc<dyn ObjectStore>,
}

/// What a publish wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The release published and now active.
    pub id: ReleaseId,
    /// Files written (tables, Parquet files, the manifest).
    pub written: usize,
    /// Files an interrupted publish had written already, with the same bytes.
    pub kept: usize,
    /// Bytes written.
    pub bytes: u64,
}

/// What a fetch did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fetched {
    /// The release the bucket's pointer names.
    pub id: ReleaseId,
    /// What adding it did; `None` when it was already the local store's active release.
    pub added: Option<AddOutcome>,
    /// Bytes read from the bucket.
    pub bytes: u64,
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl ReleaseBucket {
    /// The bucket at `url`, with the endpoint, region and credentials of the `AWS_*` environment
    /// variables (`AWS_ENDPOINT` and `AWS_ALLOW_HTTP=true` for a store on this machine). Requests
    /// are path-style, as S3-compatible servers other than Amazon's expect.
    pub fn open(url: &BucketUrl) -> Result<ReleaseBucket, ObjectStorageError> {
        let store = AmazonS3Builder::from_env()
            .with_bucket_name(url.bucket())
            .with_virtual_hosted_style_request(false)
            .build()
            .map_err(|e| ObjectStorageError::Store {
                key: url.to_string(),
                message: e.to_string(),
            })?;
        Ok(ReleaseBucket {
            url: url.clone(),
            store: Arc::new(store),
        })
    }

    fn key(&self, name: &str) -> Key {
        Key::from(self.url.key(name))
    }

    fn failed(&self, key: &Key) -> impl FnOnce(object_store::Error) -> ObjectStorageError + '_ {
        let key = key.to_string();
        move |e| ObjectStorageError::Store {
            key,
            message: e.to_string(),
        }
    }

    async fn read(&self, key: &Key) -> Result<Option<Vec<u8>>, ObjectStorageError> {
        match self.store.get(key).await {
            Ok(got) => Ok(Some(got.bytes().await.map_err(self.failed(key))?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(self.failed(key)(e)),
        }
    }

    /// Writes `bytes` at `key` unless it exists; true if written, false if it held the same
    /// bytes already; a conflict if it held others.
    async fn create(
        &self,
        key: &Key,
        bytes: Vec<u8>,
        id: &ReleaseId,
    ) -> Result<bool, ObjectStorageError> {
        let expected = sha256(&bytes);
        match self
            .store
            .put_opts(key, PutPayload::from(bytes), PutMode::Create.into())
            .await
        {
            Ok(_) => Ok(true),
            Err(object_store::Error::AlreadyExists { .. }) => {
                let found = self
                    .read(key)
                    .await?
                    .map(|b| sha256(&b))
                    .unwrap_or_default();
                if found == expected {
                    Ok(false)
                } else {
                    Err(ObjectStorageError::Conflict {
                        key: key.to_string(),
                        id: id.to_string(),
                        expected,
                        found,
                    })
                }
            }
            Err(e) => Err(self.failed(key)(e)),
        }
    }

    /// The id the bucket's pointer names, if any release is published.
    pub async fn active(&self) -> Result<Option<ReleaseId>, ObjectStorageError> {
        let key = self.key(ACTIVE);
        let Some(bytes) = self.read(&key).await? else {
            return Ok(None);
        };
        let text = String::from_utf8_lossy(&bytes);
        text.trim()
            .parse::<ReleaseId>()
            .map(Some)
            .map_err(|e| ObjectStorageError::BadPointer {
                key: key.to_string(),
                message: e.to_string(),
            })
    }

    /// Publishes release `id` of `local`: every table file as stored, a Parquet file per
    /// dataset (release id and attribution in its metadata), the manifest last, then moves the
    /// pointer. A release whose manifest is there already is refused.
    pub async fn publish(
        &self,
        local: &Store,
        id: &ReleaseId,
    ) -> Result<Published, ObjectStorageError> {
        let base = format!("releases/{id}");
        let manifest_key = self.key(&format!("{base}/manifest.json"));
        if self.read(&manifest_key).await?.is_some() {
            return Err(ObjectStorageError::AlreadyPublished {
                id: id.to_string(),
                url: self.url.to_string(),
            });
        }
        let manifest = local.manifest(id)?;
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        for t in &manifest.tables {
            let (path, _) = local.table_file(id, &t.dataset)?;
            let bytes = std::fs::read(&path).map_err(|source| passage_store::StoreError::Io {
                path: path.clone(),
                source,
            })?;
            files.push((format!("{base}/{}", t.file), bytes));
        }
        let release = local.load(id)?;
        let parquet = passage_downloads::release_parquet_files(&release).map_err(|e| {
            ObjectStorageError::Parquet {
                id: id.to_string(),
                message: e.to_string(),
            }
        })?;
        for f in parquet {
            files.push((format!("{base}/parquet/{}", f.path), f.bytes));
        }
        let mut out = Published {
            id: id.clone(),
            written: 0,
            kept: 0,
            bytes: 0,
        };
        for (name, bytes) in files {
            let len = bytes.len() as u64;
            if self.create(&self.key(&name), bytes, id).await? {
                out.written += 1;
                out.bytes += len;
            } else {
                out.kept += 1;
            }
        }
        // The manifest marks the release complete: written after every file it names.
        let manifest_bytes = local.manifest_bytes(id)?;
        let len = manifest_bytes.len() as u64;
        match self
            .store
            .put_opts(
                &manifest_key,
                PutPayload::from(manifest_bytes),
                PutMode::Create.into(),
            )
            .await
        {
            Ok(_) => {
                out.written += 1;
                out.bytes += len;
            }
            Err(object_store::Error::AlreadyExists { .. }) => {
                return Err(ObjectStorageError::AlreadyPublished {
                    id: id.to_string(),
                    url: self.url.to_string(),
                })
            }
            Err(e) => return Err(self.failed(&manifest_key)(e)),
        }
        let pointer = self.key(ACTIVE);
        self.store
            .put(&pointer, PutPayload::from(format!("{id}\n").into_bytes()))
            .await
            .map_err(self.failed(&pointer))?;
        Ok(out)
    }

    /// Adds the release the pointer names to `local` and activates it, fetching only the tables
    /// no local release holds; each is checked against the manifest's digest as it is placed, so
    /// a file altered in the bucket is refused, naming it, and `local` keeps its active release.
    pub async fn fetch_active(&self, local: &Store) -> Result<Fetched, ObjectStorageError> {
        let id = self
            .active()
            .await?
            .ok_or_else(|| ObjectStorageError::NothingPublished {
                url: self.url.to_string(),
            })?;
        if local.active_id()?.as_ref() == Some(&id) {
            return Ok(Fetched {
                id,
                added: None,
                bytes: 0,
            });
        }
        let base = format!("releases/{id}");
        let manifest_key = self.key(&format!("{base}/manifest.json"));
        let manifest_bytes =
            self.read(&manifest_key)
                .await?
                .ok_or_else(|| ObjectStorageError::Store {
                    key: manifest_key.to_string(),
                    message: "the pointer names a release whose manifest is not there".into(),
                })?;
        let mut read = manifest_bytes.len() as u64;
        let incoming = IncomingManifest::parse(manifest_bytes, manifest_key.as_ref())?;
        let mut fetched: Vec<(String, String, Vec<u8>)> = Vec::new();
        for t in &incoming.manifest().tables {
            if local.find_table(&t.sha256, t.bytes)?.is_some() {
                continue;
            }
            let key = self.key(&format!("{base}/{}", t.file));
            let bytes = self
                .read(&key)
                .await?
                .ok_or_else(|| ObjectStorageError::Store {
                    key: key.to_string(),
                    message: "a table file the manifest names is not there".into(),
                })?;
            read += bytes.len() as u64;
            fetched.push((t.dataset.clone(), key.to_string(), bytes));
        }
        let mut offer = |entry: &passage_store::TableEntry| -> Result<OfferedTable<'_>, passage_store::StoreError> {
            let i = fetched
                .iter()
                .position(|(d, _, _)| *d == entry.dataset)
                .ok_or_else(|| passage_store::StoreError::Corrupt {
                    path: entry.file.clone().into(),
                    message: "not fetched".into(),
                })?;
            let (_, name, bytes) = fetched.swap_remove(i);
            Ok(OfferedTable {
                name,
                bytes: TableBytes::Reader(Box::new(std::io::Cursor::new(bytes))),
            })
        };
        let added = local.add_release(&incoming, &mut offer)?;
        Ok(Fetched {
            id,
            added: Some(added),
            bytes: read,
        })
    }
}
