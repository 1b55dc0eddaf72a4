//! `passage publish [ID] --to s3://BUCKET/PREFIX`, `passage sync --from s3://…` and the fetching
//! behind `passage serve --releases s3://…`: the binary's side of `passage-object-storage`, which
//! owns the keys, the create-only writes and the checks.

use anyhow::{Context, Result};
use passage_object_storage::{BucketUrl, Fetched, ReleaseBucket};

use crate::commands::open_store;
use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct PublishArgs {
    /// The release to publish (id, prefix or `active`)
    #[arg(default_value = "active")]
    release: String,
    /// Where: s3://BUCKET/PREFIX (endpoint and credentials from the AWS_* environment variables)
    #[arg(long, value_name = "s3://BUCKET/PREFIX")]
    to: String,
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime for object storage")
}

fn bucket(url: &str) -> Result<ReleaseBucket> {
    let url = BucketUrl::parse(url).map_err(|e| crate::UserError(e.to_string()))?;
    Ok(ReleaseBucket::open(&url)?)
}

pub fn publish(config: &Config, args: PublishArgs) -> Result<()> {
    let store = open_store(config)?;
    let id = store.resolve(&args.release)?;
    let bucket = bucket(&args.to)?;
    let p = runtime()?.block_on(bucket.publish(&store, &id))?;
    outln!(
        "release {} published at {}: {} files written ({} bytes), {} kept from an earlier attempt; ACTIVE moved to it",
        p.id,
        args.to,
        p.written,
        p.bytes,
        p.kept
    );
    Ok(())
}

/// Fetches the release the bucket's pointer names into the configured store and activates it.
pub fn sync(config: &Config, url: &str) -> Result<()> {
    let store = open_store(config)?;
    let bucket = bucket(url)?;
    let fetched = runtime()?.block_on(bucket.fetch_active(&store))?;
    outln!("{}", describe(&fetched, url));
    if fetched.added.as_ref().is_some_and(|a| a.created) {
        crate::commands::claims::record_after_activation(config, &store, &fetched.id);
    }
    Ok(())
}

/// One line on what a fetch did, for the CLI and the server's log.
pub fn describe(f: &Fetched, url: &str) -> String {
    match &f.added {
        None => format!("release {} of {url} is already the active one", f.id),
        Some(a) => format!(
            "release {} of {url} {}: {} tables fetched, {} reused from releases here, {} bytes read; active{}",
            a.id,
            if a.created { "added" } else { "was here already" },
            a.offered.len(),
            a.reused.len(),
            f.bytes,
            a.previous
                .as_ref()
                .filter(|p| **p != a.id)
                .map_or_else(String::new, |p| format!(" (was {p})"))
        ),
    }
}

/// Keeps the store's active release the one the bucket names, checking every `period`; a round
/// that fails (a digest that does not match, the store unreachable) is logged and the release
/// being served stays.
pub async fn follow(config: Config, url: String, period: std::time::Duration) {
    let bucket = match bucket(&url) {
        Ok(b) => b,
        Err(e) => {
            tracing::error!(error = %e, "cannot follow the releases in object storage");
            return;
        }
    };
    let mut tick = tokio::time::interval(period);
    loop {
        tick.tick().await;
        let store = match open_store(&config) {
            Ok(s) => s,
            Err(e) => {
                tracing::error!(error = %e, "cannot open the store");
                continue;
            }
        };
        match bucket.fetch_active(&store).await {
            Ok(f) if f.added.is_some() => tracing::info!("{}", describe(&f, &url)),
            Ok(_) => {}
            Err(e) => {
                tracing::error!(error = %e, url = %url, "the bucket's release was refused; serving the one before")
            }
        }
    }
}
