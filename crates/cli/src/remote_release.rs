//! Pulling the active release of another Passage over HTTP(S) with `curl`: its manifest, checked
//! against its id; the table files this store lacks (by digest, in any release), each into
//! `transfers/<sha256>.part` under the data directory, resumed with a byte range where an earlier
//! try stopped, and checked; then the store adds and activates the release, all of it or nothing.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{anyhow, Context, Result};
use passage_store::{AddOutcome, IncomingManifest, OfferedTable, Store, StoreError, TableBytes};

/// One table fetched from the source.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The dataset.
    pub dataset: String,
    /// Bytes received in this run.
    pub bytes: u64,
    /// Where the transfer resumed, when an earlier run had fetched part of the file.
    pub resumed_at: Option<u64>,
}

/// What a pull did.
#[derive(Debug, Clone)]
pub struct Pulled {
    /// What the store did with the release.
    pub outcome: AddOutcome,
    /// The manifest's size: what even an unchanged source costs.
    pub manifest_bytes: u64,
    /// The tables fetched (wholly or in part) in this run.
    pub fetched: Vec<Fetched>,
}

impl Pulled {
    /// Bytes received in this run, the manifest included.
    pub fn bytes_received(&self) -> u64 {
        self.manifest_bytes + self.fetched.iter().map(|f| f.bytes).sum::<u64>()
    }
}

/// Whether `from` names another Passage rather than a folder or file.
pub fn is_remote(from: &Path) -> bool {
    from.to_str()
        .is_some_and(|s| s.starts_with("http://") || s.starts_with("https://"))
}

fn curl() -> Command {
    let mut c = Command::new("curl");
    // A stalled link is given up after a minute; a slow one may take as long as it needs.
    c.args([
        "--fail",
        "--silent",
        "--show-error",
        "--connect-timeout",
        "20",
        "--speed-limit",
        "1",
        "--speed-time",
        "60",
    ]);
    c
}

/// A manifest is a few hundred kilobytes; a source answering more is not read into memory.
const MANIFEST_LIMIT: &str = "67108864";

fn get(url: &str) -> Result<Vec<u8>> {
    let out = curl()
        .args(["--max-filesize", MANIFEST_LIMIT])
        .arg(url)
        .output()
        .context("cannot run curl, which fetches from another Passage")?;
    if !out.status.success() {
        return Err(anyhow!(
            "{url}: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(out.stdout)
}

fn file_len(path: &Path) -> u64 {
    fs::metadata(path).map_or(0, |m| m.len())
}

/// Brings `part` to the whole file at `url` of `expected` bytes, resuming from what it holds.
/// Returns the bytes received and the offset resumed at, if any; on failure the bytes received
/// stay in `part` for the next try.
fn fetch_resuming(url: &str, part: &Path, expected: u64) -> Result<(u64, Option<u64>)> {
    let mut have = file_len(part);
    if have > expected {
        fs::remove_file(part).with_context(|| format!("cannot remove {}", part.display()))?;
        have = 0;
    }
    if have == expected {
        return Ok((0, None));
    }
    let resumed_at = (have > 0).then_some(have);
    let mut c = curl();
    if let Some(at) = resumed_at {
        // curl sends `Range: bytes=AT-` and appends; a source that ignores the range fails.
        c.args(["--continue-at", &at.to_string()]);
    }
    let out = c
        .arg("--output")
        .arg(part)
        .arg(url)
        .output()
        .context("cannot run curl, which fetches from another Passage")?;
    let received = file_len(part).saturating_sub(have);
    if !out.status.success() {
        return Err(anyhow!(
            "{url}: {} ({} of {expected} bytes are kept; the next sync resumes there)",
            String::from_utf8_lossy(&out.stderr).trim(),
            file_len(part)
        ));
    }
    Ok((received, resumed_at))
}

/// Pulls the source's active release into `store` and activates it.
pub fn pull(store: &Store, source: &str) -> Result<Pulled> {
    let base = source.trim_end_matches('/');
    let manifest_url = format!("{base}/api/v1/releases/active/manifest");
    let bytes = get(&manifest_url)?;
    let manifest_bytes = bytes.len() as u64;
    let incoming = IncomingManifest::parse(bytes, &manifest_url)?;
    let id = incoming.manifest().id.clone();
    let transfers = store.root().join("transfers");
    fs::create_dir_all(&transfers)
        .with_context(|| format!("cannot create {}", transfers.display()))?;
    // Two pulls into one data directory would write the same partial files.
    let lock_path = transfers.join("lock");
    let lock = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    lock.lock()
        .with_context(|| format!("cannot lock {}", lock_path.display()))?;

    let mut fetched = Vec::new();
    let mut parts: Vec<(String, PathBuf, String)> = Vec::new();
    if !store.has_release(&id) {
        for entry in &incoming.manifest().tables {
            if store.find_table(&entry.sha256, entry.bytes)?.is_some() {
                continue;
            }
            let url = format!("{base}/api/v1/releases/{id}/tables/{}", entry.dataset);
            let part = transfers.join(format!("{}.part", entry.sha256));
            let (mut received, mut resumed_at) = fetch_resuming(&url, &part, entry.bytes)?;
            let (mut digest, mut len) = passage_store::file_digest(&part)?;
            if (digest != entry.sha256 || len != entry.bytes) && file_len(&part) > received {
                // What an earlier try kept was not the file's start: fetch it whole, once.
                fs::remove_file(&part)
                    .with_context(|| format!("cannot remove {}", part.display()))?;
                received += fetch_resuming(&url, &part, entry.bytes)?.0;
                resumed_at = None;
                (digest, len) = passage_store::file_digest(&part)?;
            }
            fetched.push(Fetched {
                dataset: entry.dataset.clone(),
                bytes: received,
                resumed_at,
            });
            if digest != entry.sha256 || len != entry.bytes {
                // A wrong file is not resumed from: the next try starts over.
                let _ = fs::remove_file(&part);
                return Err(StoreError::TableMismatch {
                    file: url,
                    expected: entry.sha256.clone(),
                    expected_bytes: entry.bytes,
                    found: digest,
                    found_bytes: len,
                }
                .into());
            }
            parts.push((entry.dataset.clone(), part, url));
        }
    }
    let outcome = store.add_release(&incoming, &mut |entry| {
        parts
            .iter()
            .find(|(d, _, _)| *d == entry.dataset)
            .map(|(_, part, url)| OfferedTable {
                name: url.clone(),
                bytes: TableBytes::File(part.clone()),
            })
            .ok_or_else(|| StoreError::MissingTable {
                file: format!("{base}/api/v1/releases/{id}/tables/{}", entry.dataset),
                expected: entry.sha256.clone(),
                expected_bytes: entry.bytes,
            })
    })?;
    // Once the release is whole, any partial file is of a release the source no longer offers.
    if let Ok(entries) = fs::read_dir(&transfers) {
        for e in entries.flatten() {
            if e.path().extension().is_some_and(|x| x == "part") {
                let _ = fs::remove_file(e.path());
            }
        }
    }
    Ok(Pulled {
        outcome,
        manifest_bytes,
        fetched,
    })
}
