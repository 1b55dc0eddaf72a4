//! The store on disk: `releases/<id>/` (a manifest and one Arrow IPC file per table), `ACTIVE` naming
//! the active release, and `staging/` for imports in progress. A release directory appears only by
//! rename once complete, and `ACTIVE` changes only by rename, so a crash at any point leaves the
//! previous release active and intact; a failed sync removes its staging folder at once, and what a
//! killed one left is swept at the next write. A sync of some sources carries the active release's
//! other datasets forward (their table files hard-linked, their sources kept), unless told not to.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use passage_datasets::{rfc3339, Dataset, Imported, SourceReport};
use passage_domain::{CountryRef, ReleaseId};
use sha2::{Digest, Sha256};

use crate::ipc::write_table;
use crate::manifest::{release_id_of, Manifest, TableEntry, FORMAT_VERSION};
use crate::release::country_ref_of;
use crate::{Release, StoreError};

const ACTIVE: &str = "ACTIVE";
pub(crate) const MANIFEST: &str = "manifest.json";

/// A store rooted at a data directory.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// What a sync does with the datasets of the active release that the import does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Carry {
    /// Keep them: their table files and sources pass unchanged into the new release, marked as
    /// carried, so that syncing one updated file never drops the other datasets.
    #[default]
    Forward,
    /// Leave them out: the new release holds the imported sources only.
    Nothing,
}

/// What a sync did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncOutcome {
    /// The id of the release now active.
    pub id: ReleaseId,
    /// False when the same sources had been imported before: the existing release was reused.
    pub created: bool,
    /// The release that was active before, if any.
    pub previous: Option<ReleaseId>,
    /// The datasets carried forward from the previous release, not imported.
    pub carried: Vec<String>,
}

/// The datasets and sources of the active release that a partial import carries forward.
#[derive(Debug, Default)]
struct CarryPlan {
    from: Option<ReleaseId>,
    tables: Vec<TableEntry>,
    sources: Vec<SourceReport>,
}

/// A staging folder, removed when dropped unless it became a release: every error path of a
/// sync cleans up after itself, so a failed sync never keeps a full disk full.
pub(crate) struct Staging {
    pub(crate) path: PathBuf,
    done: bool,
}

impl Staging {
    pub(crate) fn create(path: PathBuf) -> Result<Staging, StoreError> {
        let staging = Staging { path, done: false };
        fs::create_dir_all(staging.path.join("tables")).map_err(StoreError::io(&staging.path))?;
        Ok(staging)
    }

    /// Renames the complete folder to `target`; from then on it is a release, not staging.
    pub(crate) fn publish(mut self, target: &Path) -> Result<(), StoreError> {
        fs::rename(&self.path, target).map_err(StoreError::io(target))?;
        self.done = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.done {
            // Best effort: a folder that cannot be removed now is swept by the next sync.
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

pub(crate) fn sync_dir(path: &Path) -> Result<(), StoreError> {
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

    /// The store's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub(crate) fn release_dir(&self, id: &ReleaseId) -> PathBuf {
        self.root.join("releases").join(id.as_str())
    }

    /// Holds the store's write lock for the life of the returned file.
    pub(crate) fn lock(&self) -> Result<File, StoreError> {
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

    /// Reads the manifest of a release, or `UnknownRelease` if the store has none with that id.
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

    pub(crate) fn write_active(&self, id: &ReleaseId) -> Result<(), StoreError> {
        let tmp = self
            .root
            .join(format!("{ACTIVE}.tmp-{}", std::process::id()));
        let written = File::create(&tmp)
            .and_then(|mut f| writeln!(f, "{id}").and_then(|()| f.sync_all()))
            .map_err(StoreError::io(&tmp));
        let target = self.root.join(ACTIVE);
        let renamed =
            written.and_then(|()| fs::rename(&tmp, &target).map_err(StoreError::io(&target)));
        if let Err(e) = renamed {
            let _ = fs::remove_file(&tmp);
            return Err(e);
        }
        sync_dir(&self.root)
    }

    /// The country list of a release, read from its `countries` table alone (none if it has
    /// none): what a partial import of UNHCR's download format fills UNHCR codes from.
    pub fn countries(&self, id: &ReleaseId) -> Result<Option<CountryRef>, StoreError> {
        let manifest = self.manifest(id)?;
        let Some(entry) = manifest.table(Dataset::Countries.name()) else {
            return Ok(None);
        };
        let table = crate::read_table(&self.release_dir(id).join(&entry.file))?;
        Ok(Some(country_ref_of(&table)))
    }

    /// Writes `imported` as a release (unless the same sources were imported before) and activates
    /// it, carrying forward the active release's datasets the import does not hold. `on_table` is
    /// told of each table file written, for progress.
    pub fn sync(
        &self,
        imported: &Imported,
        on_table: &(dyn Fn(&str) + Sync),
    ) -> Result<SyncOutcome, StoreError> {
        self.sync_with(imported, Carry::Forward, on_table)
    }

    /// [`Store::sync`], saying what to do with the datasets the import does not hold. The release
    /// id covers the carried sources too, so carrying gives the id a complete import of the same
    /// files would.
    pub fn sync_with(
        &self,
        imported: &Imported,
        carry: Carry,
        on_table: &(dyn Fn(&str) + Sync),
    ) -> Result<SyncOutcome, StoreError> {
        if imported.sources.is_empty() {
            return Err(StoreError::NothingToImport("the given directory".into()));
        }
        let _lock = self.lock()?;
        self.sweep_staging()?;
        let previous = self.active_id()?;
        let plan = match (carry, &previous) {
            (Carry::Forward, Some(p)) => self.carry_plan(p, imported)?,
            _ => CarryPlan::default(),
        };
        let mut sources = imported.sources.clone();
        sources.extend(plan.sources.iter().cloned());
        let id = release_id_of(&sources);
        let dir = self.release_dir(&id);
        let created = !dir.join(MANIFEST).exists();
        if created {
            let staging = Staging::create(
                self.root
                    .join("staging")
                    .join(format!("{id}-{}", std::process::id())),
            )?;
            let mut tables = write_tables(&staging.path, &imported.tables, on_table)?;
            if let Some(from) = &plan.from {
                for entry in &plan.tables {
                    self.carry_table(from, entry, &staging.path)?;
                    on_table(&entry.dataset);
                }
            }
            tables.extend(plan.tables.iter().cloned());
            tables.sort_by_key(|t| {
                (
                    Dataset::from_name(&t.dataset).map_or(usize::MAX, |d| d as usize),
                    t.dataset.clone(),
                )
            });
            sync_dir(&staging.path.join("tables"))?;
            let manifest = Manifest {
                id: id.clone(),
                format_version: FORMAT_VERSION,
                created_at: rfc3339(SystemTime::now()),
                sources,
                tables,
                skipped: imported.skipped.clone(),
            };
            let path = staging.path.join(MANIFEST);
            let json = serde_json::to_vec_pretty(&manifest).map_err(|e| StoreError::Corrupt {
                path: path.clone(),
                message: e.to_string(),
            })?;
            File::create(&path)
                .and_then(|mut f| f.write_all(&json).and_then(|()| f.sync_all()))
                .map_err(StoreError::io(&path))?;
            sync_dir(&staging.path)?;
            staging.publish(&dir)?;
            sync_dir(&self.root.join("releases"))?;
        }
        if previous.as_ref() != Some(&id) {
            self.write_active(&id)?;
        }
        Ok(SyncOutcome {
            id,
            created,
            previous,
            carried: plan.tables.into_iter().map(|t| t.dataset).collect(),
        })
    }

    /// Which tables and sources of release `from` the import leaves to carry: every dataset it
    /// does not hold, with the sources that made it.
    fn carry_plan(&self, from: &ReleaseId, imported: &Imported) -> Result<CarryPlan, StoreError> {
        let manifest = self.manifest(from)?;
        let replaced: BTreeSet<&str> = imported
            .sources
            .iter()
            .flat_map(|s| s.datasets.iter().map(String::as_str))
            .chain(imported.tables.iter().map(|t| t.name.as_str()))
            .collect();
        let tables: Vec<TableEntry> = manifest
            .tables
            .iter()
            .filter(|t| !replaced.contains(t.dataset.as_str()))
            .map(|t| TableEntry {
                carried_from: Some(t.carried_from.clone().unwrap_or_else(|| from.clone())),
                ..t.clone()
            })
            .collect();
        if tables.is_empty() {
            return Ok(CarryPlan::default());
        }
        if manifest.format_version != FORMAT_VERSION {
            return Err(StoreError::CannotCarry {
                dataset: tables[0].dataset.clone(),
                from: from.to_string(),
                reason: format!(
                    "that release was made by another version of Passage (format {}, now {FORMAT_VERSION}); \
                     sync a folder holding every source, or pass --only-these",
                    manifest.format_version
                ),
            });
        }
        let mut sources = Vec::new();
        for source in &manifest.sources {
            let (kept, gone): (Vec<&String>, Vec<&String>) = source
                .datasets
                .iter()
                .partition(|d| !replaced.contains(d.as_str()));
            match (kept.first(), gone.first()) {
                (Some(_), None) => sources.push(source.clone()),
                (None, _) => {}
                (Some(k), Some(g)) => {
                    return Err(StoreError::CannotCarry {
                        dataset: (*k).clone(),
                        from: from.to_string(),
                        reason: format!(
                            "its source {} also made `{g}`, which this import replaces; \
                             sync a folder holding that source too, or pass --only-these",
                            source.file
                        ),
                    })
                }
            }
        }
        Ok(CarryPlan {
            from: Some(from.clone()),
            tables,
            sources,
        })
    }

    /// Puts release `from`'s file of `entry` into the staging folder, by a hard link (no copy,
    /// no space) where the file system allows, and checks it against its recorded digest, so a
    /// damaged file is never carried into a new release.
    fn carry_table(
        &self,
        from: &ReleaseId,
        entry: &TableEntry,
        staging: &Path,
    ) -> Result<(), StoreError> {
        let source = self.release_dir(from).join(&entry.file);
        let target = staging.join(&entry.file);
        if fs::hard_link(&source, &target).is_err() {
            fs::copy(&source, &target).map_err(StoreError::io(&target))?;
            File::open(&target)
                .and_then(|f| f.sync_all())
                .map_err(StoreError::io(&target))?;
        }
        let (digest, bytes) = file_digest(&target)?;
        if digest != entry.sha256 || bytes != entry.bytes {
            return Err(StoreError::Corrupt {
                path: source,
                message: format!(
                    "its digest is {digest} ({bytes} bytes), its manifest says {} ({} bytes)",
                    entry.sha256, entry.bytes
                ),
            });
        }
        Ok(())
    }

    /// Removes what interrupted imports left in `staging/`. Called under the write lock.
    pub(crate) fn sweep_staging(&self) -> Result<(), StoreError> {
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

    /// Loads the active release, or `NoActiveRelease` when none has been activated.
    pub fn load_active(&self) -> Result<Release, StoreError> {
        let id = self.active_id()?.ok_or(StoreError::NoActiveRelease)?;
        self.load(&id)
    }
}

/// The sha256 (lower-case hex) and size of a file, read in blocks.
pub fn file_digest(path: &Path) -> Result<(String, u64), StoreError> {
    let mut file = File::open(path).map_err(StoreError::io(path))?;
    let mut hash = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(StoreError::io(path))?;
        if n == 0 {
            break;
        }
        hash.update(&buf[..n]);
        bytes += n as u64;
    }
    Ok((hex::encode(hash.finalize()), bytes))
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
                            carried_from: None,
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
