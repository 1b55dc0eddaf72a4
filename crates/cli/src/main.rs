//! The `passage` command: wires configuration, the datasets parsers and the store together. Exit
//! codes: 0 success, 2 the user's error (bad arguments, malformed input, unknown release), 1 failure.

#![forbid(unsafe_code)]

#[macro_use]
mod console;
mod commands;
mod config;
mod download;
mod output;
mod remote_release;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use config::{Config, FlagLayer};

// Pages are built of many short-lived strings on two threads, where glibc's allocator spent a
// third of a country page's time; the page benchmark uses the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Passage: the world's refugee and migration statistics, versioned, queryable and offline.
#[derive(Debug, Parser)]
#[command(name = "passage", version, about)]
struct Cli {
    /// Data directory holding the releases [env: PASSAGE_DATA_DIR; default: the platform's data directory]
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// Configuration file (TOML) [env: PASSAGE_CONFIG]
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import source files as a new release and activate it
    Sync(commands::sync::Args),
    /// List the releases, the active one marked
    Releases(commands::releases::Args),
    /// Show a release's manifest: sources, licences, rows and data-quality findings
    Show(commands::show::Args),
    /// Make an earlier release active again
    Activate(commands::activate::Args),
    /// Query a dataset of the active release
    Query(commands::query::Args),
    /// Report revisions between two releases
    Diff(commands::diff::Args),
    /// Indicators of the compacts' objectives: list, show, rank
    Indicator(commands::indicator::Args),
    /// Claims about migration, checked against the data: list, show, check, add, history
    Claims(commands::claims::Args),
    /// The compacts' texts and votes: show, diff, import and list versions; a recorded vote with ISO3
    Negotiation(commands::negotiation::Args),
    /// The pledge registry: entities, pledges, progress, links, tokens, import/export, verify
    Registry(commands::registry::Args),
    /// A country's indicators as host and as origin over time
    Profile(commands::profile::Args),
    /// Serve the dashboard and both APIs over HTTP (UNHCR's population API v1 under /population/v1/)
    Serve(commands::serve::Args),
    /// Country, compact and release reports as PDF or HTML
    Report(commands::report::Args),
    /// A release as a Frictionless Data Package, one ZIP, Parquet files or a bundle
    Export(commands::export::Args),
    /// Publish a release to S3-compatible object storage (create-only), then move its pointer
    Publish(commands::object_storage::PublishArgs),
    /// Keep a copy of another Passage's active release, pulling what changed every interval
    Mirror(commands::mirror::Args),
}

/// An error that is the user's to fix; the binary exits with 2 for it.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UserError(pub String);

fn is_user_error(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<UserError>().is_some()
            || c.downcast_ref::<passage_store::StoreError>()
                .is_some_and(|s| s.is_user_error())
            || c.downcast_ref::<passage_datasets::LoadError>().is_some()
            || c.downcast_ref::<passage_downloads::BundleError>()
                .is_some_and(|b| b.is_user_error())
            || c.downcast_ref::<passage_store::QueryError>().is_some()
            || c.downcast_ref::<passage_object_storage::ObjectStorageError>()
                .is_some_and(|o| {
                    matches!(
                        o,
                        passage_object_storage::ObjectStorageError::BadUrl { .. }
                            | passage_object_storage::ObjectStorageError::AlreadyPublished { .. }
                            | passage_object_storage::ObjectStorageError::NothingPublished { .. }
                            | passage_object_storage::ObjectStorageError::Local(_)
                    )
                })
            || c.downcast_ref::<passage_negotiation::NegotiationError>()
                .is_some()
            || c.downcast_ref::<passage_indicators::IndicatorError>()
                .is_some()
            || c.downcast_ref::<passage_reports::ReportError>()
                .is_some_and(|r| {
                    matches!(
                        r,
                        passage_reports::ReportError::NoBrowser { .. }
                            | passage_reports::ReportError::Write { .. }
                    )
                })
    })
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let source_versions = match &cli.command {
        Command::Sync(a) => a.source_version.clone(),
        Command::Serve(a) => a.source_version.clone(),
        _ => Vec::new(),
    };
    let flags = FlagLayer {
        config: cli.config,
        data_dir: cli.data_dir,
        source_versions,
    };
    let config =
        Config::load(&flags, |k| std::env::var(k).ok()).map_err(|e| UserError(format!("{e:#}")))?;
    match cli.command {
        Command::Sync(a) => commands::sync::run(&config, a),
        Command::Releases(a) => commands::releases::run(&config, a),
        Command::Show(a) => commands::show::run(&config, a),
        Command::Activate(a) => commands::activate::run(&config, a),
        Command::Query(a) => commands::query::run(&config, a),
        Command::Diff(a) => commands::diff::run(&config, a),
        Command::Indicator(a) => commands::indicator::run(&config, a),
        Command::Profile(a) => commands::profile::run(&config, a),
        Command::Claims(a) => commands::claims::run(&config, a),
        Command::Registry(a) => commands::registry::run(&config, a),
        Command::Negotiation(a) => commands::negotiation::run(&config, a),
        Command::Serve(a) => commands::serve::run(&config, a),
        Command::Report(a) => commands::report::run(&config, a),
        Command::Export(a) => commands::export::run(&config, a),
        Command::Publish(a) => commands::object_storage::publish(&config, a),
        Command::Mirror(a) => commands::mirror::run(&config, a),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if console::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            errln!("error: {e:#}");
            if is_user_error(&e) {
                ExitCode::from(2)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}
