//! A release bundle: one ZIP file holding a release exactly as the store keeps it, under a folder
//! named by its id (`rXXXXXXXXXXXX/manifest.json` first, a README, then `tables/*.arrow`, every
//! entry stored whole), the copy a field office carries. Read back entry by entry from the local
//! headers, so a truncated bundle still names the table it cut; the store verifies each digest.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use passage_domain::ReleaseId;
use passage_store::{IncomingManifest, OfferedTable, Store, StoreError, TableBytes, TableEntry};

use sha2::{Digest, Sha256};

use crate::zip::{crc32, StoredZip, ZipError};

const LOCAL_HEADER: u32 = 0x0403_4b50;
const LOCAL_HEADER_LEN: u64 = 30;
const END_OF_DIRECTORY: u32 = 0x0605_4b50;
/// A manifest is a few hundred kilobytes; a header claiming more is not read into memory.
const MANIFEST_LIMIT: u64 = 64 << 20;

/// A bundle that cannot be written or read.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// Reading or writing the file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The bundle, or the store file being read.
        path: PathBuf,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a bundle Passage wrote, or it is damaged outside its tables.
    #[error("{}: not a usable release bundle: {message}", path.display())]
    Unusable {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The release is too large for a ZIP without ZIP64.
    #[error(transparent)]
    Zip(#[from] ZipError),
    /// The store could not give the release, or refused what the bundle holds.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl BundleError {
    /// Whether the bundle is at fault (damaged, cut short, not a bundle) rather than the machine.
    pub fn is_user_error(&self) -> bool {
        match self {
            BundleError::Unusable { .. } => true,
            BundleError::Store(s) => s.is_user_error(),
            BundleError::Io { .. } | BundleError::Zip(_) => false,
        }
    }
}

/// Where one entry's bytes are in the file.
#[derive(Debug, Clone, Copy)]
struct Span {
    offset: u64,
    /// The bytes present, fewer than declared when the file is cut short.
    present: u64,
    crc: u32,
}

/// A bundle opened for reading: its manifest, parsed and checked against its id, and where each
/// entry is.
#[derive(Debug)]
pub struct Bundle {
    path: PathBuf,
    id: ReleaseId,
    manifest: IncomingManifest,
    entries: BTreeMap<String, Span>,
}

fn manifest_entry(id: &ReleaseId) -> String {
    format!("{id}/manifest.json")
}

/// Writes release `id` of `store` as a bundle at `out`; returns its size in bytes. Each table is
/// read from the store and checked against its manifest digest first, so a damaged store file is
/// never carried away.
pub fn write_bundle(store: &Store, id: &ReleaseId, out: &Path) -> Result<u64, BundleError> {
    let manifest_bytes = store.manifest_bytes(id)?;
    let manifest = store.manifest(id)?;
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| BundleError::Io { path, source }
    };
    let file = File::create(out).map_err(io(out))?;
    let mut zip = StoredZip::new(BufWriter::with_capacity(1 << 20, file));
    zip.add(&manifest_entry(id), &manifest_bytes)?;
    zip.add(&format!("{id}/README.txt"), readme(&manifest).as_bytes())?;
    for t in &manifest.tables {
        let (path, entry) = store.table_file(id, &t.dataset)?;
        let bytes = std::fs::read(&path).map_err(io(&path))?;
        let digest = hex::encode(Sha256::digest(&bytes));
        if digest != entry.sha256 || bytes.len() as u64 != entry.bytes {
            return Err(StoreError::TableMismatch {
                file: path.display().to_string(),
                expected: entry.sha256,
                expected_bytes: entry.bytes,
                found: digest,
                found_bytes: bytes.len() as u64,
            }
            .into());
        }
        zip.add(&format!("{id}/{}", entry.file), &bytes)?;
    }
    let (writer, size) = zip.finish()?;
    let file = writer.into_inner().map_err(|e| BundleError::Io {
        path: out.to_path_buf(),
        source: e.into_error(),
    })?;
    file.sync_all().map_err(io(out))?;
    Ok(size)
}

fn readme(manifest: &passage_store::Manifest) -> String {
    let mut text = format!(
        "Passage release {id}, made {created}: {tables} tables, {rows} rows.\n\n\
         This file is the release exactly as a Passage store keeps it: manifest.json (sources,\n\
         licences, digests, findings) and one Arrow IPC file per dataset in tables/. To add it to\n\
         a store, checked digest by digest, and make it active:\n\n    \
         passage sync --from THIS_FILE\n\n\
         The tables open directly in pyarrow, DuckDB, polars or R's arrow. Sources and licences:\n\n",
        id = manifest.id,
        created = manifest.created_at,
        tables = manifest.tables.len(),
        rows = manifest.tables.iter().map(|t| t.rows).sum::<u64>(),
    );
    let mut seen = std::collections::BTreeSet::new();
    for s in &manifest.sources {
        if seen.insert((&s.attribution, &s.licence)) {
            text.push_str(&format!("- {} ({})\n", s.attribution, s.licence));
        }
    }
    text
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The first entry's name, if `head` (the file's first bytes) starts a ZIP.
fn first_entry_name(head: &[u8]) -> Option<&str> {
    if head.len() < LOCAL_HEADER_LEN as usize || u32_at(head, 0) != LOCAL_HEADER {
        return None;
    }
    let len = usize::from(u16_at(head, 26));
    head.get(30..30 + len)
        .and_then(|n| std::str::from_utf8(n).ok())
}

/// The release a bundle's first entry names, if `path` is a file that starts like a bundle:
/// a ZIP whose first entry is `rXXXXXXXXXXXX/manifest.json`. Its content decides, not its name.
pub fn bundle_release(path: &Path) -> Option<ReleaseId> {
    let mut head = [0u8; 64];
    let mut file = File::open(path).ok()?;
    let mut filled = 0;
    while filled < head.len() {
        match file.read(&mut head[filled..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => filled += n,
        }
    }
    let name = first_entry_name(&head[..filled])?;
    name.strip_suffix("/manifest.json")?.parse().ok()
}

impl Bundle {
    /// Opens the bundle at `path`: walks its entries and checks its manifest (its CRC, its id
    /// against the release its sources give). Tables are checked as they are read.
    pub fn open(path: &Path) -> Result<Bundle, BundleError> {
        let unusable = |message: String| BundleError::Unusable {
            path: path.to_path_buf(),
            message,
        };
        let io = |source| BundleError::Io {
            path: path.to_path_buf(),
            source,
        };
        let id = bundle_release(path)
            .ok_or_else(|| unusable("its first entry is not `RELEASE/manifest.json`".into()))?;
        let mut file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let mut entries = BTreeMap::new();
        let mut at = 0u64;
        let mut cut = None;
        let mut header = [0u8; LOCAL_HEADER_LEN as usize];
        loop {
            file.seek(SeekFrom::Start(at)).map_err(io)?;
            if read_full(&mut file, &mut header).map_err(io)? < header.len()
                || u32_at(&header, 0) != LOCAL_HEADER
            {
                break;
            }
            let (flags, method) = (u16_at(&header, 6), u16_at(&header, 8));
            let (crc, packed) = (u32_at(&header, 14), u64::from(u32_at(&header, 18)));
            let name_len = usize::from(u16_at(&header, 26));
            let extra = u64::from(u16_at(&header, 28));
            let mut name = vec![0u8; name_len];
            if read_full(&mut file, &mut name).map_err(io)? < name_len {
                cut = Some(format!("an entry's header at byte {at}"));
                break;
            }
            let name = String::from_utf8_lossy(&name).into_owned();
            if method != 0 || flags & 0x08 != 0 {
                return Err(unusable(format!(
                    "entry `{name}` is compressed or streamed; a bundle stores every entry whole"
                )));
            }
            let offset = at + LOCAL_HEADER_LEN + name_len as u64 + extra;
            let present = packed.min(len.saturating_sub(offset));
            entries.insert(
                name.clone(),
                Span {
                    offset,
                    present,
                    crc,
                },
            );
            if present < packed {
                cut = Some(format!("entry `{name}` ({present} of {packed} bytes)"));
                break;
            }
            at = offset + packed;
        }
        let manifest_name = manifest_entry(&id);
        let span = entries
            .get(&manifest_name)
            .copied()
            .ok_or_else(|| unusable(format!("`{manifest_name}` is cut short")))?;
        if span.present > MANIFEST_LIMIT {
            return Err(unusable(format!(
                "`{manifest_name}` claims {} bytes, more than a manifest holds",
                span.present
            )));
        }
        let mut bytes = vec![0u8; usize::try_from(span.present).unwrap_or(0)];
        file.seek(SeekFrom::Start(span.offset)).map_err(io)?;
        let read = read_full(&mut file, &mut bytes).map_err(io)?;
        if read as u64 != span.present || crc32(&bytes) != span.crc {
            return Err(unusable(format!(
                "`{manifest_name}` is damaged: its CRC-32 is {:08x}, its header says {:08x}",
                crc32(&bytes[..read]),
                span.crc
            )));
        }
        let origin = format!("{} ({manifest_name})", path.display());
        let manifest = IncomingManifest::parse(bytes, &origin)?;
        if manifest.manifest().id != id {
            return Err(unusable(format!(
                "`{manifest_name}` is the manifest of release {}",
                manifest.manifest().id
            )));
        }
        if cut.is_none() && !ends_with_directory(&mut file, len).map_err(io)? {
            cut = Some("the ZIP's central directory".into());
        }
        if let Some(what) = &cut {
            // Tables present whole are still checked and may be used; a cut table is named by
            // its digest when read. Only a cut after the last table is refused here.
            let tables_whole = manifest.manifest().tables.iter().all(|t| {
                entries
                    .get(&format!("{id}/{}", t.file))
                    .is_some_and(|s| s.present == t.bytes)
            });
            if tables_whole {
                return Err(unusable(format!(
                    "the file is cut short at {what}: copy it again"
                )));
            }
        }
        Ok(Bundle {
            path: path.to_path_buf(),
            id,
            manifest,
            entries,
        })
    }

    /// The release the bundle holds.
    pub fn id(&self) -> &ReleaseId {
        &self.id
    }

    /// The bundle's manifest, checked.
    pub fn manifest(&self) -> &IncomingManifest {
        &self.manifest
    }

    /// The bytes of `entry`'s table file as the bundle holds them (all that is present of it),
    /// for [`Store::add_release`], which checks them; a table the bundle lacks is an error
    /// naming the entry it looked for.
    pub fn offer(&self, entry: &TableEntry) -> Result<OfferedTable<'static>, StoreError> {
        let name = format!("{}/{}", self.id, entry.file);
        let shown = format!("{}: {name}", self.path.display());
        let Some(span) = self.entries.get(&name) else {
            return Err(StoreError::MissingTable {
                file: shown,
                expected: entry.sha256.clone(),
                expected_bytes: entry.bytes,
            });
        };
        let file = File::open(&self.path)
            .and_then(|mut f| f.seek(SeekFrom::Start(span.offset)).map(|_| f))
            .map_err(|e| StoreError::Io {
                path: self.path.clone(),
                source: e,
            })?;
        Ok(OfferedTable {
            name: shown,
            bytes: TableBytes::Reader(Box::new(file.take(span.present))),
        })
    }
}

fn read_full(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match file.read(&mut buf[filled..])? {
            0 => break,
            n => filled += n,
        }
    }
    Ok(filled)
}

/// Whether the file ends with a ZIP end-of-central-directory record (no comment).
fn ends_with_directory(file: &mut File, len: u64) -> std::io::Result<bool> {
    if len < 22 {
        return Ok(false);
    }
    let mut tail = [0u8; 22];
    file.seek(SeekFrom::Start(len - 22))?;
    Ok(read_full(file, &mut tail)? == 22 && u32_at(&tail, 0) == END_OF_DIRECTORY)
}
