//! Importing a data package that Passage exported: the descriptor lists the resources and names
//! the release they came from; each resource's CSV becomes its dataset's table, with a source
//! report saying it came from that package. All or nothing, like a directory import, so a package
//! with one bad file changes nothing.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use passage_domain::rfc3339;
use sha2::{Digest, Sha256};

use crate::formats::datapackage::{self, Package, Resource};
use crate::import::{relative, walk};
use crate::{Findings, ImportOptions, Imported, LoadError, Progress, SourceFormat, SourceReport};

/// Imports the package whose descriptor is `descriptor`; resource paths are relative to its folder.
pub(crate) fn import_package(
    descriptor: &Path,
    options: &ImportOptions,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Imported, LoadError> {
    let root = match descriptor.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = relative(root, descriptor);
    let data = fs::read(descriptor).map_err(|e| LoadError::Io {
        file: name.clone(),
        source: e,
    })?;
    let package = datapackage::read_descriptor(&name, &data)?;
    let sizes: Vec<u64> = package
        .resources
        .iter()
        .map(|r| fs::metadata(root.join(&r.path)).map_or(0, |m| m.len()))
        .collect();
    let bytes_total = sizes.iter().sum();
    let threads = match options.threads {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    }
    .min(package.resources.len().max(1));
    let next = AtomicUsize::new(0);
    let done = Mutex::new((0usize, 0u64));
    type Outcome = Result<(SourceReport, crate::Table), LoadError>;
    let results: Mutex<Vec<Option<Outcome>>> =
        Mutex::new((0..package.resources.len()).map(|_| None).collect());
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(resource) = package.resources.get(i) else {
                    break;
                };
                let outcome = load_resource(root, &name, &package, resource, options);
                let failed = outcome.is_err();
                if let Ok(mut r) = results.lock() {
                    r[i] = Some(outcome);
                }
                if let Ok(mut d) = done.lock() {
                    d.0 += 1;
                    d.1 += sizes.get(i).copied().unwrap_or(0);
                    progress(Progress {
                        files_done: d.0,
                        files_total: package.resources.len(),
                        bytes_done: d.1,
                        bytes_total,
                    });
                }
                if failed {
                    // Stop handing out work; the first error in the descriptor's order is reported.
                    next.store(usize::MAX / 2, Ordering::Relaxed);
                }
            });
        }
    });
    let mut tables = Vec::new();
    let mut sources = Vec::new();
    for outcome in results
        .into_inner()
        .unwrap_or_default()
        .into_iter()
        .flatten()
    {
        let (report, table) = outcome?;
        sources.push(report);
        tables.push(table);
    }
    if tables.len() != package.resources.len() {
        // Only reachable if a worker died, which would have been reported as an error above.
        return Err(LoadError::Unusable {
            file: name,
            message: "not every resource was read".into(),
        });
    }
    tables.sort_by_key(|t| crate::Dataset::from_name(&t.name));
    Ok(Imported {
        tables,
        sources,
        skipped: others(root, &name, &package)?,
        countries: None,
    })
}

/// Reads, checks and parses one resource into its table and source report.
fn load_resource(
    root: &Path,
    descriptor: &str,
    package: &Package,
    resource: &Resource,
    options: &ImportOptions,
) -> Result<(SourceReport, crate::Table), LoadError> {
    let path = root.join(&resource.path);
    let file = resource.path.clone();
    let data = fs::read(&path).map_err(|e| LoadError::MissingResource {
        file: file.clone(),
        resource: resource.dataset.name().to_string(),
        source: e,
    })?;
    // A CSV cut at a line break parses; its size, which the descriptor records, does not match.
    if let Some(expected) = resource.bytes.filter(|&b| b != data.len() as u64) {
        return Err(LoadError::BadResource {
            file: descriptor.to_string(),
            resource: resource.dataset.name().to_string(),
            field: None,
            message: format!(
                "`{file}` has {} bytes, the descriptor says {expected}: the file was cut short or \
                 changed (if on purpose, correct its `bytes`)",
                data.len()
            ),
        });
    }
    let mut findings = Findings::default();
    let table = datapackage::load(&file, &data, resource.dataset, &mut findings)?;
    let format = SourceFormat::PassagePackage(resource.dataset);
    let provider = format.provider();
    let report = SourceReport {
        file,
        format: format.label(),
        datasets: vec![resource.dataset.name().to_string()],
        origin: provider.origin().to_string(),
        licence: provider.licence().to_string(),
        attribution: provider.attribution().to_string(),
        retrieved_at: fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .map(rfc3339),
        // A version given for this sync wins over the one the original release recorded.
        source_version: options
            .source_versions
            .get(provider.version_key())
            .cloned()
            .or_else(|| resource.source_version.clone()),
        sha256: hex::encode(Sha256::digest(&data)),
        bytes: data.len() as u64,
        rows: table.len as u64,
        findings,
        exported_from: Some(package.release.clone()),
    };
    Ok((report, table))
}

/// The package's files that are neither its descriptor nor a resource (its README), for the
/// manifest's list of skipped files.
fn others(root: &Path, descriptor: &str, package: &Package) -> Result<Vec<String>, LoadError> {
    let mut files: Vec<PathBuf> = Vec::new();
    walk(root, &mut files)?;
    Ok(files
        .iter()
        .map(|f| relative(root, f))
        .filter(|f| f != descriptor && !package.resources.iter().any(|r| r.path == *f))
        .collect())
}
