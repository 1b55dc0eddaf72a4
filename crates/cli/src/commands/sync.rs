//! `passage sync`: import a directory (or download the official sources) as a release and activate it.
//! A directory holding some of the sources updates those and carries the active release's other
//! datasets forward, saying which; `--only-these` makes a release of the given sources alone. A
//! release bundle is handed to `bundle_sync`, another Passage's address to `mirror`.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use passage_datasets::{import_dir, Dataset, ImportOptions};
use passage_store::Carry;

use crate::commands::open_store;
use crate::config::Config;
use crate::download;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Import every recognised source file under DIR instead of downloading; or add the release
    /// of a bundle FILE (`passage export release --format bundle`), or the active release of
    /// another Passage at URL (http://HOST:PORT), fetching only the tables this store lacks
    #[arg(long, value_name = "DIR|FILE|URL")]
    from: Option<PathBuf>,
    /// Record a provider's version of its data, e.g. unhcr=2025.12.1 (repeatable)
    #[arg(long, value_name = "PROVIDER=VERSION")]
    pub source_version: Vec<String>,
    /// Make a release of the imported sources alone, instead of carrying the active release's
    /// other datasets forward
    #[arg(long)]
    only_these: bool,
}

impl Args {
    /// A sync of every source file under `dir`, carrying nothing forward (the store is empty).
    pub fn from_dir(dir: PathBuf, source_version: Vec<String>) -> Args {
        Args {
            from: Some(dir),
            source_version,
            only_these: false,
        }
    }
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if !std::io::stderr().is_terminal() {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    bar.set_style(
        ProgressStyle::with_template("{msg:>10} [{bar:30}] {bytes}/{total_bytes} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    if let Some(url) = args
        .from
        .as_ref()
        .and_then(|f| f.to_str())
        .filter(|f| passage_object_storage::BucketUrl::is_bucket_url(f))
    {
        return crate::commands::object_storage::sync(config, url);
    }
    if let Some(from) = &args.from {
        // A population API is paged through into source files; another Passage gives a release.
        let api = from.to_str().is_some_and(crate::download::is_unhcr_api);
        let copy = (crate::remote_release::is_remote(from) && !api)
            || passage_downloads::bundle_release(from).is_some();
        if copy && (args.only_these || !args.source_version.is_empty()) {
            return Err(crate::UserError(format!(
                "{}: a bundle or another Passage gives a release whole, as it was made; \
                 --source-version and --only-these apply to source files",
                from.display()
            ))
            .into());
        }
        if crate::remote_release::is_remote(from) && !api {
            return crate::commands::mirror::sync_once(config, &from.to_string_lossy());
        }
        if passage_downloads::bundle_release(from).is_some() {
            return crate::commands::bundle_sync::run(config, from);
        }
    }
    let store = open_store(config)?;
    let dir = match args.from {
        Some(url) if url.to_str().is_some_and(download::is_unhcr_api) => {
            download::download_unhcr_api(&url.to_string_lossy(), &config.data_dir)?
        }
        Some(dir) => dir,
        None => download::download_all(&config.data_dir)?,
    };
    let carry = if args.only_these {
        Carry::Nothing
    } else {
        Carry::Forward
    };
    let active = store.active_id()?;
    let countries = match (&active, carry) {
        // A damaged country list is refused by the carrying step itself, naming the file.
        (Some(id), Carry::Forward) => store.countries(id).ok().flatten(),
        _ => None,
    };
    let options = ImportOptions {
        source_versions: config.source_versions.clone(),
        threads: config.threads,
        countries,
    };
    let bar = progress_bar(0);
    bar.set_message("parsing");
    let started = std::time::Instant::now();
    let imported = import_dir(&dir, &options, &|p| {
        bar.set_length(p.bytes_total);
        bar.set_position(p.bytes_done);
    })?;
    let parsed = started.elapsed();
    bar.set_message("writing");
    let outcome = store
        .sync_with(&imported, carry, &|_| bar.tick())
        .with_context(|| match &active {
            Some(id) => format!("the sync stopped; release {id} stays active"),
            None => "the sync stopped; no release was made".to_string(),
        })?;
    let written = started.elapsed() - parsed;
    bar.finish_and_clear();

    let manifest = store.manifest(&outcome.id)?;
    outln!("{:<48} {:>9} {:>9}", "source", "rows", "findings");
    for s in manifest.sources.iter().filter(|s| !manifest.is_carried(s)) {
        let findings: u64 = s.findings.iter().map(|f| f.count).sum();
        outln!("{:<48} {:>9} {:>9}", s.file, s.rows, findings);
        for f in s.findings.iter() {
            outln!("    {:<30} {:>7}  {}", f.code, f.count, f.message);
        }
    }
    if let Some(from) = manifest
        .sources
        .iter()
        .find_map(|s| s.exported_from.as_ref())
    {
        outln!("imported from the data package of release {from}");
    }
    if !manifest.skipped.is_empty() {
        outln!("not sources (skipped): {}", manifest.skipped.join(", "));
    }
    if !outcome.carried.is_empty() {
        let from = outcome
            .previous
            .as_ref()
            .map_or_else(String::new, |p| format!(" from release {p}"));
        outln!(
            "carried forward unchanged{from} (not in {}): {}",
            dir.display(),
            outcome.carried.join(", ")
        );
    }
    let absent: Vec<&str> = Dataset::ALL
        .iter()
        .map(|d| d.name())
        .filter(|d| manifest.table(d).is_none())
        .collect();
    if !absent.is_empty() {
        outln!("not in this release: {}", absent.join(", "));
    }
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    let verb = if outcome.created {
        "created"
    } else {
        "unchanged: same sources as existing"
    };
    outln!(
        "release {} {verb}; {} tables, {rows} rows, {} findings; parsed in {} ms, written in {} ms; active{}",
        outcome.id,
        manifest.tables.len(),
        manifest.finding_count(),
        parsed.as_millis(),
        written.as_millis(),
        match &outcome.previous {
            Some(p) if *p != outcome.id => format!(" (was {p})"),
            Some(_) => " (already)".to_string(),
            None => String::new(),
        }
    );
    crate::commands::claims::record_after_activation(config, &store, &outcome.id);
    Ok(())
}
