//! Adding a release made by another Passage (from a bundle file or over HTTP) under its own id: the
//! manifest is checked against the id its sources give, each table file against the manifest's
//! digest as it lands in staging, and the release appears by rename and becomes active only once
//! all of it verified, so a damaged, cut-short or incomplete transfer leaves the store as it was.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use passage_datasets::Dataset;
use passage_domain::ReleaseId;
use sha2::{Digest, Sha256};

use crate::manifest::{release_id_of, Manifest, TableEntry, FORMAT_VERSION};
use crate::store::{file_digest, sync_dir, Staging, MANIFEST};
use crate::{Store, StoreError};

/// A release's manifest as another store keeps it: its bytes, kept verbatim so the copy is the
/// same file, and what they say, checked before any table is read.
#[derive(Debug, Clone)]
pub struct IncomingManifest {
    bytes: Vec<u8>,
    manifest: Manifest,
}

impl IncomingManifest {
    /// Reads `bytes` as a manifest; `origin` names where they came from in errors. Refused: a
    /// manifest of another format version, one whose sources give another release id than it
    /// names, and table entries that are not one file per known dataset under `tables/`.
    pub fn parse(bytes: Vec<u8>, origin: &str) -> Result<IncomingManifest, StoreError> {
        let bad = |message: String| StoreError::Corrupt {
            path: PathBuf::from(origin),
            message,
        };
        let manifest: Manifest =
            serde_json::from_slice(&bytes).map_err(|e| bad(format!("not a manifest: {e}")))?;
        if manifest.format_version != FORMAT_VERSION {
            return Err(bad(format!(
                "release {} was made by another version of Passage (format {}, this one reads {FORMAT_VERSION})",
                manifest.id, manifest.format_version
            )));
        }
        let derived = release_id_of(&manifest.sources);
        if derived != manifest.id {
            return Err(StoreError::ManifestMismatch {
                file: origin.to_string(),
                named: manifest.id.to_string(),
                derived: derived.to_string(),
            });
        }
        let mut seen = BTreeSet::new();
        for t in &manifest.tables {
            let expected = format!("tables/{}.arrow", t.dataset);
            if Dataset::from_name(&t.dataset).is_none() || t.file != expected {
                return Err(bad(format!(
                    "table `{}` in `{}`: expected a known dataset in `tables/DATASET.arrow`",
                    t.dataset, t.file
                )));
            }
            if !seen.insert(t.dataset.as_str()) {
                return Err(bad(format!("dataset `{}` is listed twice", t.dataset)));
            }
            if t.sha256.len() != 64 || !t.sha256.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(bad(format!(
                    "table `{}`: `{}` is not a sha256",
                    t.file, t.sha256
                )));
            }
        }
        Ok(IncomingManifest { bytes, manifest })
    }

    /// What the manifest says.
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// The manifest's bytes, as received.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }
}

/// Where the bytes of one table file come from.
pub enum TableBytes<'a> {
    /// A file already on this machine, such as a finished download under the data directory:
    /// linked (or copied) into the release, never moved, so a failed add can be retried.
    File(PathBuf),
    /// A stream of the file's bytes, such as an entry of a bundle.
    Reader(Box<dyn Read + 'a>),
}

/// One table file offered for a release, with the name errors give it (an entry of a bundle, an
/// address).
pub struct OfferedTable<'a> {
    /// Where the bytes are, as the user knows it.
    pub name: String,
    /// The bytes.
    pub bytes: TableBytes<'a>,
}

/// What adding a release did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddOutcome {
    /// The release now active.
    pub id: ReleaseId,
    /// False when the store held the release already: nothing was read or written but `ACTIVE`.
    pub created: bool,
    /// The release active before, if any.
    pub previous: Option<ReleaseId>,
    /// The datasets whose files were taken from the offer.
    pub offered: Vec<String>,
    /// The datasets whose files the store already held (same digest, any release), linked.
    pub reused: Vec<String>,
    /// Bytes taken from the offer.
    pub offered_bytes: u64,
}

impl Store {
    /// The raw bytes of a release's manifest, as stored.
    pub fn manifest_bytes(&self, id: &ReleaseId) -> Result<Vec<u8>, StoreError> {
        let path = self.release_dir(id).join(MANIFEST);
        fs::read(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::UnknownRelease(id.to_string()),
            _ => StoreError::Io { path, source: e },
        })
    }

    /// The file of a dataset's table in a release, with its manifest entry.
    pub fn table_file(
        &self,
        id: &ReleaseId,
        dataset: &str,
    ) -> Result<(PathBuf, TableEntry), StoreError> {
        let manifest = self.manifest(id)?;
        let entry = manifest.table(dataset).cloned().ok_or_else(|| {
            StoreError::Query(crate::QueryError::DatasetNotInRelease(
                dataset.to_string(),
                id.to_string(),
            ))
        })?;
        Ok((self.release_dir(id).join(&entry.file), entry))
    }

    /// Whether the store holds a release with this id.
    pub fn has_release(&self, id: &ReleaseId) -> bool {
        self.release_dir(id).join(MANIFEST).exists()
    }

    /// A table file of any stored release with this digest and size: what a transfer need not
    /// fetch. Its content is checked again when it is linked into a new release.
    pub fn find_table(&self, sha256: &str, bytes: u64) -> Result<Option<PathBuf>, StoreError> {
        for manifest in self.releases()? {
            if let Some(t) = manifest
                .tables
                .iter()
                .find(|t| t.sha256 == sha256 && t.bytes == bytes)
            {
                let path = self.release_dir(&manifest.id).join(&t.file);
                if path.exists() {
                    return Ok(Some(path));
                }
            }
        }
        Ok(None)
    }

    /// Adds the release `incoming` describes under its own id and activates it. Each table is
    /// taken from a release of this store holding a file of the same digest, or else asked of
    /// `offer`; every file is checked against its digest and size as it is placed in staging.
    /// Any failure leaves no trace and the previous release active. A release the store holds
    /// already is only activated.
    pub fn add_release<'a>(
        &self,
        incoming: &IncomingManifest,
        offer: &mut dyn FnMut(&TableEntry) -> Result<OfferedTable<'a>, StoreError>,
    ) -> Result<AddOutcome, StoreError> {
        let manifest = incoming.manifest();
        let id = manifest.id.clone();
        let _lock = self.lock()?;
        self.sweep_staging()?;
        let previous = self.active_id()?;
        let dir = self.release_dir(&id);
        let mut outcome = AddOutcome {
            id: id.clone(),
            created: false,
            previous: previous.clone(),
            offered: Vec::new(),
            reused: Vec::new(),
            offered_bytes: 0,
        };
        if !dir.join(MANIFEST).exists() {
            let staging = Staging::create(
                self.root()
                    .join("staging")
                    .join(format!("{id}-{}", std::process::id())),
            )?;
            for entry in &manifest.tables {
                let target = staging.path.join(&entry.file);
                let local = self.find_table(&entry.sha256, entry.bytes)?;
                let reused = match local {
                    Some(path) => link_or_copy(&path, &target)
                        .and_then(|()| check_file(&target, entry, &path.display().to_string()))
                        .is_ok(),
                    None => false,
                };
                if reused {
                    outcome.reused.push(entry.dataset.clone());
                    continue;
                }
                let table = offer(entry)?;
                place(table, &target, entry)?;
                outcome.offered.push(entry.dataset.clone());
                outcome.offered_bytes += entry.bytes;
            }
            sync_dir(&staging.path.join("tables"))?;
            let path = staging.path.join(MANIFEST);
            File::create(&path)
                .and_then(|mut f| f.write_all(incoming.bytes()).and_then(|()| f.sync_all()))
                .map_err(StoreError::io(&path))?;
            sync_dir(&staging.path)?;
            staging.publish(&dir)?;
            sync_dir(&self.root().join("releases"))?;
            outcome.created = true;
        }
        if previous.as_ref() != Some(&id) {
            self.write_active(&id)?;
        }
        Ok(outcome)
    }
}

fn link_or_copy(from: &Path, to: &Path) -> Result<(), StoreError> {
    let _ = fs::remove_file(to);
    if fs::hard_link(from, to).is_err() {
        fs::copy(from, to).map_err(StoreError::io(to))?;
        File::open(to)
            .and_then(|f| f.sync_all())
            .map_err(StoreError::io(to))?;
    }
    Ok(())
}

/// Checks a placed file against its entry; `name` is where it came from, for the error.
fn check_file(path: &Path, entry: &TableEntry, name: &str) -> Result<(), StoreError> {
    let (digest, bytes) = file_digest(path)?;
    mismatch(entry, name, digest, bytes)
}

fn mismatch(entry: &TableEntry, name: &str, digest: String, bytes: u64) -> Result<(), StoreError> {
    if digest == entry.sha256 && bytes == entry.bytes {
        return Ok(());
    }
    Err(StoreError::TableMismatch {
        file: name.to_string(),
        expected: entry.sha256.clone(),
        expected_bytes: entry.bytes,
        found: digest,
        found_bytes: bytes,
    })
}

/// Writes an offered table at `target`, hashing it on the way, and checks it.
fn place(table: OfferedTable<'_>, target: &Path, entry: &TableEntry) -> Result<(), StoreError> {
    match table.bytes {
        TableBytes::File(path) => {
            link_or_copy(&path, target)?;
            check_file(target, entry, &table.name)
        }
        TableBytes::Reader(mut reader) => {
            let mut file = File::create(target).map_err(StoreError::io(target))?;
            let mut hash = Sha256::new();
            let mut buf = vec![0u8; 1 << 20];
            let mut bytes = 0u64;
            loop {
                // A stream longer than the entry says is read only one block past it.
                if bytes > entry.bytes {
                    break;
                }
                let n = reader
                    .read(&mut buf)
                    .map_err(|e| StoreError::from_io(PathBuf::from(&table.name), e))?;
                if n == 0 {
                    break;
                }
                hash.update(&buf[..n]);
                file.write_all(&buf[..n]).map_err(StoreError::io(target))?;
                bytes += n as u64;
            }
            file.sync_all().map_err(StoreError::io(target))?;
            mismatch(entry, &table.name, hex::encode(hash.finalize()), bytes)
        }
    }
}
