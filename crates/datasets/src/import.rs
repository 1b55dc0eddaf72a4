//! Importing a directory of source files: find and recognise them, verify checksums published beside
//! them, parse them on all cores, and assemble one table per dataset with a report per source.
//! All or nothing: the first malformed file stops the import with its precise error. A folder that
//! is a Passage data package is handed to [`crate::package_import`] instead.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use passage_domain::{CountryRef, ReleaseId};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::formats::{
    compact_text, countries, datapackage, idmc, migrant_stock, missing_migrants, recorded_votes,
    unhcr_csv, unhcr_download, unhcr_json, unhcr_row, wdi_wpp, world_bank,
};
use crate::source_format::{detect, detect_package, SourceFormat};
use crate::{Dataset, Findings, LoadError, Table};
use passage_domain::rfc3339;

/// What a release records of each source file: provenance, licence, size, rows and findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceReport {
    /// Path relative to the imported directory, with `/` separators.
    pub file: String,
    /// The format it was recognised as, such as `UNHCR CSV (population)`.
    pub format: String,
    /// The datasets it feeds.
    pub datasets: Vec<String>,
    /// Where the data comes from: the provider's database or publication.
    pub origin: String,
    /// The licence the provider publishes it under.
    pub licence: String,
    /// The attribution the licence asks for.
    pub attribution: String,
    /// When the file was retrieved: its modification time.
    pub retrieved_at: Option<String>,
    /// The provider's own version of the data, such as UNHCR's 2025.12.1, when known.
    pub source_version: Option<String>,
    /// The file's sha256, in lower-case hex.
    pub sha256: String,
    /// The file's size in bytes.
    pub bytes: u64,
    /// Data rows read.
    pub rows: u64,
    /// Defects found in the file and how they were treated.
    pub findings: Findings,
    /// Set when the file is a resource of a data package that Passage exported: the release the
    /// package was exported from, as its `datapackage.json` names it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_from: Option<ReleaseId>,
}

/// Everything an import produced.
#[derive(Debug)]
pub struct Imported {
    /// One table per dataset imported.
    pub tables: Vec<Table>,
    /// One report per source file, with its provenance.
    pub sources: Vec<SourceReport>,
    /// Files under the directory that are not sources (READMEs, checksums, unknown formats).
    pub skipped: Vec<String>,
    /// The country reference, from the directory's country list when it holds one.
    pub countries: Option<CountryRef>,
}

/// Options of an import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Provider versions, keyed by provider id (`unhcr`, `iom`, …), recorded beside each source.
    pub source_versions: BTreeMap<String, String>,
    /// Worker threads; 0 means one per core.
    pub threads: usize,
    /// The country list to fill UNHCR codes from when the directory holds none: on a partial
    /// sync, the list the release carries forward, so the tables equal a complete import's.
    pub countries: Option<CountryRef>,
}

/// Progress of an import, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// Source files parsed so far.
    pub files_done: usize,
    /// Source files to parse.
    pub files_total: usize,
    /// Bytes of the files parsed so far.
    pub bytes_done: u64,
    /// Bytes of all the files to parse.
    pub bytes_total: u64,
}

struct Parsed {
    report: SourceReport,
    format: SourceFormat,
    tables: Vec<Table>,
    countries: Option<CountryRef>,
}

pub(crate) fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let io = |e| LoadError::Io {
        file: dir.display().to_string(),
        source: e,
    };
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(io)?
        .collect::<Result<_, _>>()
        .map_err(io)?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().to_string();
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else {
            out.push(path);
        }
    }
    Ok(())
}

pub(crate) fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

fn is_checksum_file(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with("SHA256SUMS"))
}

/// Expected digests from `SHA256SUMS*` files (`<hex>  <path>` lines, paths relative to the file).
fn published_checksums(
    files: &[PathBuf],
    root: &Path,
) -> Result<BTreeMap<PathBuf, (String, String)>, LoadError> {
    let mut sums = BTreeMap::new();
    for f in files.iter().filter(|f| is_checksum_file(f)) {
        let text = fs::read_to_string(f).map_err(|e| LoadError::Io {
            file: relative(root, f),
            source: e,
        })?;
        let base = f.parent().unwrap_or(root);
        for line in text.lines() {
            if let Some((hash, name)) = line.split_once(char::is_whitespace) {
                let name = name.trim_start_matches([' ', '*']).trim_start_matches("./");
                sums.insert(
                    base.join(name),
                    (hash.to_ascii_lowercase(), relative(root, f)),
                );
            }
        }
    }
    Ok(sums)
}

fn parse_one(
    root: &Path,
    path: &Path,
    data: &[u8],
    sha256: String,
    format: SourceFormat,
    options: &ImportOptions,
) -> Result<Parsed, LoadError> {
    let file = relative(root, path);
    let mut findings = Findings::default();
    let mut countries_ref = None;
    let tables = match format {
        SourceFormat::UnhcrCsv(d) => vec![unhcr_csv::load(&file, data, d, &mut findings)?],
        SourceFormat::UnhcrDownload(d) => {
            vec![unhcr_download::load(&file, data, d, &mut findings)?]
        }
        SourceFormat::UnhcrApiJson(d) => vec![unhcr_json::load(&file, data, d, &mut findings)?],
        SourceFormat::UnhcrCountries => {
            let (reference, table) = countries::load(&file, data, &mut findings)?;
            countries_ref = Some(reference);
            vec![table]
        }
        SourceFormat::MissingMigrants => vec![missing_migrants::load(&file, data, &mut findings)?],
        SourceFormat::MigrantStock => vec![migrant_stock::load(&file, data, &mut findings)?],
        SourceFormat::WorldBank(i) => world_bank::load(&file, data, i, &mut findings)?,
        SourceFormat::WdiWpp => vec![wdi_wpp::load(&file, data, &mut findings)?],
        SourceFormat::IdmcGidd => vec![idmc::load_gidd(&file, data, &mut findings)?],
        SourceFormat::IdmcCauses => vec![idmc::load_causes(&file, data, &mut findings)?],
        SourceFormat::PassagePackage(d) => vec![datapackage::load(&file, data, d, &mut findings)?],
        SourceFormat::RecordedVote => vec![recorded_votes::load(&file, data)?],
        SourceFormat::CompactText => vec![compact_text::load(&file, data, &mut findings)?],
    };
    let provider = format.provider();
    let report = SourceReport {
        file,
        format: format.label(),
        datasets: format
            .datasets()
            .iter()
            .map(|d| d.name().to_string())
            .collect(),
        origin: provider.origin().to_string(),
        licence: provider.licence().to_string(),
        attribution: provider.attribution().to_string(),
        retrieved_at: fs::metadata(path)
            .and_then(|m| m.modified())
            .ok()
            .map(rfc3339),
        source_version: options.source_versions.get(provider.version_key()).cloned(),
        sha256,
        bytes: data.len() as u64,
        rows: tables.iter().map(|t| t.len as u64).sum(),
        findings,
        exported_from: None,
    };
    Ok(Parsed {
        report,
        format,
        tables,
        countries: countries_ref,
    })
}

/// Imports every recognised source under `dir`; or, when `dir` is a Passage data package (or its
/// `datapackage.json`), the package's resources.
pub fn import_dir(
    dir: &Path,
    options: &ImportOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Imported, LoadError> {
    if let Some(descriptor) = detect_package(dir) {
        return crate::package_import::import_package(&descriptor, options, progress);
    }
    if dir.is_file() {
        let zip = dir
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
        return Err(LoadError::Unusable {
            file: dir.display().to_string(),
            message: if zip {
                "a ZIP archive is not read directly: unzip it and import the folder it holds \
                 (for a release Passage exported, `passage-<release id>/`)"
            } else {
                "not a folder: give the folder that holds the sources, or a package's datapackage.json"
            }
            .into(),
        });
    }
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    let sums = published_checksums(&files, dir)?;
    let mut sized: Vec<(PathBuf, u64)> = files
        .into_iter()
        .map(|f| {
            let len = fs::metadata(&f).map_or(0, |m| m.len());
            (f, len)
        })
        .collect();
    // Largest first, so the last file to finish is a small one.
    sized.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let bytes_total: u64 = sized.iter().map(|f| f.1).sum();
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(sized.len().max(1));
    let next = AtomicUsize::new(0);
    let done = Mutex::new((0usize, 0u64));
    type Outcome = Result<Option<Parsed>, LoadError>;
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new((0..sized.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((path, len)) = sized.get(i) else {
                    break;
                };
                let outcome = (|| {
                    // Checksum files were read once already, by `published_checksums`.
                    if is_checksum_file(path) {
                        return Ok(None);
                    }
                    let data = fs::read(path).map_err(|e| LoadError::Io {
                        file: relative(dir, path),
                        source: e,
                    })?;
                    let Some(format) = detect(path, &data) else {
                        return Ok(None);
                    };
                    let found = hex::encode(Sha256::digest(&data));
                    if let Some((expected, sums_file)) = sums.get(path) {
                        if &found != expected {
                            return Err(LoadError::Checksum {
                                file: relative(dir, path),
                                sums_file: sums_file.clone(),
                                expected: expected.clone(),
                                found,
                            });
                        }
                    }
                    parse_one(dir, path, &data, found, format, options).map(Some)
                })();
                let failed = outcome.is_err();
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(outcome);
                }
                if let Ok(mut d) = done.lock() {
                    d.0 += 1;
                    d.1 += len;
                    progress(Progress {
                        files_done: d.0,
                        files_total: sized.len(),
                        bytes_done: d.1,
                        bytes_total,
                    });
                }
                if failed {
                    // Stop handing out work; the first error in path order is reported.
                    next.store(usize::MAX / 2, Ordering::Relaxed);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_default();
    let mut ordered: Vec<(&PathBuf, Option<Outcome>)> =
        sized.iter().map(|(p, _)| p).zip(results).collect();
    ordered.sort_by(|a, b| a.0.cmp(b.0));
    let mut parsed = Vec::new();
    let mut skipped = Vec::new();
    for (path, outcome) in ordered {
        match outcome {
            Some(Ok(Some(p))) => parsed.push(p),
            Some(Ok(None)) => skipped.push(relative(dir, path)),
            Some(Err(e)) => return Err(e),
            None => {}
        }
    }
    assemble(parsed, skipped, options.countries.as_ref())
}

/// Refuses two files of one dataset that hold the same `key` value (a resolution, a document):
/// merging them would count one vote or one text twice.
fn refuse_overlap(
    dataset: Dataset,
    key: &str,
    list: &[(String, SourceFormat, Table)],
) -> Result<(), LoadError> {
    let mut owner: BTreeMap<&str, &str> = BTreeMap::new();
    for (file, _, table) in list {
        let Some(dim) = table.dim(key) else { continue };
        for value in &dim.dict {
            if let Some(first) = owner.insert(value, file) {
                if first != file {
                    return Err(LoadError::DuplicateSource {
                        dataset: format!("{} ({key} {value})", dataset.name()),
                        first: first.to_string(),
                        second: file.clone(),
                    });
                }
            }
        }
    }
    Ok(())
}

fn assemble(
    parsed: Vec<Parsed>,
    skipped: Vec<String>,
    fallback_countries: Option<&CountryRef>,
) -> Result<Imported, LoadError> {
    let mut parts: BTreeMap<Dataset, Vec<(String, SourceFormat, Table)>> = BTreeMap::new();
    let mut sources = Vec::new();
    let mut countries = None;
    for p in parsed {
        for (d, t) in p.format.datasets().into_iter().zip(p.tables) {
            parts
                .entry(d)
                .or_default()
                .push((p.report.file.clone(), p.format, t));
        }
        if p.countries.is_some() {
            countries = p.countries;
        }
        sources.push(p.report);
    }
    let mut tables = Vec::new();
    for (dataset, list) in parts {
        // One file per resolution or document is how they are published.
        let mergeable = matches!(
            dataset,
            Dataset::MissingMigrants | Dataset::RecordedVotes | Dataset::CompactText
        ) || list
            .iter()
            .all(|(_, f, _)| matches!(f, SourceFormat::UnhcrApiJson(_)));
        if list.len() > 1 && !mergeable {
            return Err(LoadError::DuplicateSource {
                dataset: dataset.name().to_string(),
                first: list[0].0.clone(),
                second: list[1].0.clone(),
            });
        }
        if let Some(key) = dataset.file_key() {
            refuse_overlap(dataset, key, &list)?;
        }
        let from_download = list
            .iter()
            .any(|(_, f, _)| matches!(f, SourceFormat::UnhcrDownload(_)));
        if let Some(mut table) = Table::concat(list.into_iter().map(|(_, _, t)| t).collect()) {
            if let (true, Some(reference)) =
                (from_download, countries.as_ref().or(fallback_countries))
            {
                unhcr_row::fill_unhcr_codes(&mut table, reference);
            }
            table.sort_by_year();
            tables.push(table);
        }
    }
    Ok(Imported {
        tables,
        sources,
        skipped,
        countries,
    })
}
