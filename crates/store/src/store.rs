//! The store on disk: `releases/<id>/` (a manifest and one Arrow IPC file per table), `ACTIVE` naming
//! the active release, and `staging/` for imports in progress. A release directory appears only by
//! rename once complete, and `ACTIVE` changes only by rename, so a crash at any point leaves the
//! previous release active and intact; leftovers in `staging/` are swept at the next write.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use passage_datasets::{rfc3339, Imported};
use passage_domain::ReleaseId;

use crate::ipc::write_table;
use crate::manifest::{release_id_of, Manifest, TableEntry, FORMAT_VERSION};
use crate::{Release, StoreError};

const ACTIVE: &str = "ACTIVE";
const MANIFEST: &str = "manifest.json";

/// A store rooted at a data directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOutcome {
    pub id: ReleaseId,
    /// False when the same sources had been imported before: the existing release was reused.
    pub created: bool,
    /// The release that was active before, if any.
    pub previous: Option<ReleaseId>,
}

fn sync_dir(path: &Path) -> Result<(), StoreError> {
    File::open(path)
        .and_then(|d| d.sync_all())
        .map_err(StoreError::io(path))
}

impl Store {
    /// Opens (creating if needed) the store at `root`.
    pub fn open(root: &Path) -> Result<Store, StoreError> {
        for dir in [
            root.to_path_buf(),
            root.join("releases"),
            root.join("staging"),
        ] {
            fs::create_dir_all(&dir).map_err(StoreError::io(&dir))?;
        }
        Ok(Store {
            root: root.to_path_buf(),
        })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn release_dir(&self, id: &ReleaseId) -> PathBuf {
        self.root.join("releases").join(id.as_str())
    }

    /// Holds the store's write lock for the life of the returned file.
    fn lock(&self) -> Result<File, StoreError> {
        let path = self.root.join("lock");
        let file = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(StoreError::io(&path))?;
        file.lock().map_err(StoreError::io(&path))?;
        Ok(file)
    }

    /// The active release's id, if any.
    pub fn active_id(&self) -> Result<Option<ReleaseId>, StoreError> {
        let path = self.root.join(ACTIVE);
        match fs::read_to_string(&path) {
            Ok(text) => text
                .trim()
                .parse()
                .map(Some)
                .map_err(|e: passage_domain::DomainError| StoreError::Corrupt {
                    path,
                    message: e.to_string(),
                }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(StoreError::Io { path, source: e }),
        }
    }

    pub fn manifest(&self, id: &ReleaseId) -> Result<Manifest, StoreError> {
        let path = self.release_dir(id).join(MANIFEST);
        let text = fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => StoreError::UnknownRelease(id.to_string()),
            _ => StoreError::Io {
                path: path.clone(),
                source: e,
            },
        })?;
        serde_json::from_str(&text).map_err(|e| StoreError::Corrupt {
            path,
            message: e.to_string(),
        })
    }

    /// Every complete release, oldest first.
    pub fn releases(&self) -> Result<Vec<Manifest>, StoreError> {
        let dir = self.root.join("releases");
        let mut out = Vec::new();
        for entry in fs::read_dir(&dir).map_err(StoreError::io(&dir))? {
            let entry = entry.map_err(StoreError::io(&dir))?;
            if let Ok(id) = entry.file_name().to_string_lossy().parse::<ReleaseId>() {
                if entry.path().join(MANIFEST).exists() {
                    out.push(self.manifest(&id)?);
                }
            }
        }
        out.sort_by(|a, b| {
            a.created_at
                .cmp(&b.created_at)
                .then_with(|| a.id.cmp(&b.id))
        });
        Ok(out)
    }

    /// Resolves `active`, a full id or an unambiguous prefix of one.
    pub fn resolve(&self, spec: &str) -> Result<ReleaseId, StoreError> {
        if spec == "active" {
            return self.active_id()?.ok_or(StoreError::NoActiveRelease);
        }
        let matches: Vec<ReleaseId> = self
            .releases()?
            .into_iter()
            .map(|m| m.id)
            .filter(|id| id.as_str().starts_with(spec) || id.as_str()[1..].starts_with(spec))
            .collect();
        match matches.as_slice() {
            [one] => Ok(one.clone()),
            [] => Err(StoreError::UnknownRelease(spec.to_string())),
            _ => Err(StoreError::AmbiguousRelease(spec.to_string())),
        }
    }

    /// Makes `id` the active release, atomically.
    pub fn activate(&self, id: &ReleaseId) -> Result<(), StoreError> {
        self.manifest(id)?;
        let _lock = self.lock()?;
        self.write_active(id)
    }

    fn write_active(&self, id: &ReleaseId) -> Result<(), StoreError> {
        let tmp = self
            .root
            .join(format!("{ACTIVE}.tmp-{}", std::process::id()));
        let mut f = File::create(&tmp).map_err(StoreError::io(&tmp))?;
        writeln!(f, "{id}")
            .and_then(|()| f.sync_all())
            .map_err(StoreError::io(&tmp))?;
        let target = self.root.join(ACTIVE);
        fs::rename(&tmp, &target).map_err(StoreError::io(&target))?;
        sync_dir(&self.root)
    }

    /// Writes `imported` as a release (unless the same sources were imported before) and activates
    /// it. `on_table` is told of each table file written, for progress.
    pub fn sync(
        &self,
        imported: &Imported,
        on_table: &(dyn Fn(&str) + Sync),
    ) -> Result<SyncOutcome, StoreError> {
        if imported.sources.is_empty() {
            return Err(StoreError::NothingToImport("the given directory".into()));
        }
        let _lock = self.lock()?;
        self.sweep_staging()?;
        let previous = self.active_id()?;
        let id = release_id_of(&imported.sources);
        let dir = self.release_dir(&id);
        let created = !dir.join(MANIFEST).exists();
        if created {
            let staging = self
                .root
                .join("staging")
                .join(format!("{id}-{}", std::process::id()));
            fs::create_dir_all(staging.join("tables")).map_err(StoreError::io(&staging))?;
            let tables = write_tables(&staging, &imported.tables, on_table)?;
            sync_dir(&staging.join("tables"))?;
            let manifest = Manifest {
                id: id.clone(),
                format_version: FORMAT_VERSION,
                created_at: rfc3339(SystemTime::now()),
                sources: imported.sources.clone(),
                tables,
                skipped: imported.skipped.clone(),
            };
            let path = staging.join(MANIFEST);
            let json = serde_json::to_vec_pretty(&manifest).map_err(|e| StoreError::Corrupt {
                path: path.clone(),
                message: e.to_string(),
            })?;
            let mut f = File::create(&path).map_err(StoreError::io(&path))?;
            f.write_all(&json)
                .and_then(|()| f.sync_all())
                .map_err(StoreError::io(&path))?;
            sync_dir(&staging)?;
            fs::rename(&staging, &dir).map_err(StoreError::io(&dir))?;
            sync_dir(&self.root.join("releases"))?;
        }
        if previous.as_ref() != Some(&id) {
            self.write_active(&id)?;
        }
        Ok(SyncOutcome {
            id,
            created,
            previous,
        })
    }

    /// Removes what interrupted imports left in `staging/`. Called under the write lock.
    fn sweep_staging(&self) -> Result<(), StoreError> {
        let dir = self.root.join("staging");
        for entry in fs::read_dir(&dir).map_err(StoreError::io(&dir))? {
            let path = entry.map_err(StoreError::io(&dir))?.path();
            fs::remove_dir_all(&path).map_err(StoreError::io(&path))?;
        }
        Ok(())
    }

    /// Loads a release into memory, verifying each table file against its manifest digest.
    pub fn load(&self, id: &ReleaseId) -> Result<Release, StoreError> {
        let manifest = self.manifest(id)?;
        Release::load(&self.release_dir(id), manifest)
    }

    pub fn load_active(&self) -> Result<Release, StoreError> {
        let id = self.active_id()?.ok_or(StoreError::NoActiveRelease)?;
        self.load(&id)
    }
}

/// Writes the table files on every core, largest first, in manifest order.
fn write_tables(
    staging: &Path,
    tables: &[passage_datasets::Table],
    on_table: &(dyn Fn(&str) + Sync),
) -> Result<Vec<TableEntry>, StoreError> {
    let mut order: Vec<usize> = (0..tables.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(tables[i].len));
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(tables.len().max(1));
    let results: Vec<Vec<(usize, Result<TableEntry, StoreError>)>> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    while let Some(&i) =
                        order.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
                    {
                        let table = &tables[i];
                        let file = format!("tables/{}.arrow", table.name);
                        let entry = write_table(&staging.join(&file), table).map(|w| TableEntry {
                            dataset: table.name.clone(),
                            file,
                            rows: table.len as u64,
                            bytes: w.bytes,
                            sha256: w.sha256,
                        });
                        on_table(&table.name);
                        done.push((i, entry));
                    }
                    done
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut entries: Vec<(usize, Result<TableEntry, StoreError>)> =
        results.into_iter().flatten().collect();
    if entries.len() != tables.len() {
        return Err(StoreError::Corrupt {
            path: staging.to_path_buf(),
            message: "a table writer stopped unexpectedly".into(),
        });
    }
    entries.sort_by_key(|e| e.0);
    entries.into_iter().map(|(_, e)| e).collect()
}
