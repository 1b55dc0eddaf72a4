//! `passage serve`: the HTTP server on the active release, picking up newly activated releases
//! without a restart, stopping gracefully on Ctrl-C or SIGTERM.

use std::time::Duration;

use anyhow::{Context, Result};
use passage_server::{router, serve, spawn_watcher, AppState, Limits};

use crate::commands::open_store;
use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on
    #[arg(long, default_value = "127.0.0.1:8080", env = "PASSAGE_ADDR")]
    addr: String,
    /// How often to check for a newly activated release, in seconds
    #[arg(long, default_value_t = 2)]
    reload_every: u64,
    /// When the store has no release yet, import every source file under DIR first (as
    /// `passage sync --from DIR`), so that a new user goes straight to the dashboard
    #[arg(long, value_name = "DIR")]
    from: Option<std::path::PathBuf>,
    /// With --from: a provider's version of its data, e.g. unhcr=2025.12.1 (repeatable)
    #[arg(long, value_name = "PROVIDER=VERSION", requires = "from")]
    pub source_version: Vec<String>,
    /// Serve the releases published at s3://BUCKET/PREFIX: fetch the one its pointer names into
    /// the data directory (every digest checked) and follow the pointer as it moves
    #[arg(long, value_name = "s3://BUCKET/PREFIX", conflicts_with = "from")]
    releases: Option<String>,
}

/// Waits for Ctrl-C or SIGTERM, the two ways a long-running command is asked to stop.
pub(crate) async fn stop_requested() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = term => {} }
}

async fn shutdown_signal() {
    stop_requested().await;
    tracing::info!("shutting down: finishing requests in flight");
}

/// glibc's allocator settings for serving, read only when a process starts: a fixed mmap threshold
/// returns a large answer's memory when it is freed, and two arenas keep threads from each holding
/// their own high-water mark. Without them, resident memory after a few heavy answers stays at
/// several times the release's size.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MALLOC_TUNABLES: &str = "glibc.malloc.mmap_threshold=262144:glibc.malloc.arena_max=2";

/// Starts this same command again with [`MALLOC_TUNABLES`] set, unless the environment sets its own
/// tunables; returns only if that could not be done, and serving then goes on as it is.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn restart_with_malloc_tunables() {
    use std::os::unix::process::CommandExt;
    if std::env::var_os("GLIBC_TUNABLES").is_some() {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env("GLIBC_TUNABLES", MALLOC_TUNABLES)
        .exec();
    errln!("warning: serving without glibc's malloc tunables: {error}");
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    restart_with_malloc_tunables();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PASSAGE_LOG")
                .unwrap_or_else(|_| "info,tower_http=info".into()),
        )
        .with_target(false)
        .init();
    passage_server::install_quiet_hook();
    let store = open_store(config)?;
    if let Some(dir) = args.from.clone() {
        if store.active_id()?.is_none() {
            outln!("the store is empty: importing {} first", dir.display());
            crate::commands::sync::run(
                config,
                crate::commands::sync::Args::from_dir(dir, args.source_version.clone()),
            )?;
        }
    }
    if let Some(url) = &args.releases {
        // The first fetch is made before listening, so a replica starts on the published release.
        if let Err(e) = crate::commands::object_storage::sync(config, url) {
            if store.active_id()?.is_none() {
                return Err(e.context(format!("cannot fetch the active release of {url}")));
            }
            tracing::error!(error = %e, "serving the release already here");
        }
    }
    let options = passage_server::Options {
        claims_token: config.claims_token.clone(),
        registry_url: Some(config.registry_url()),
        registry_read_url: config.registry_read_url.clone(),
        page_cache_bytes: config
            .page_cache_mib
            .map_or(passage_server::Options::DEFAULT_PAGE_CACHE_BYTES, |mib| {
                mib << 20
            }),
        site_url: config.site_url.clone(),
    };
    let state = AppState::open_with(store, options)?;
    // Its first visitors find the dashboard and the index pages rendered, and the claims checked.
    state.warm_in_background();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let release = state
            .release()
            .map(|r| r.manifest.id.to_string())
            .unwrap_or_else(|| "none yet".into());
        tracing::info!(addr = ?passage_server::local_addr(&listener), %release, "listening");
        let addr = listener.local_addr()?;
        outln!("listening on http://{addr}");
        outln!("the dashboard is at http://{addr}/ (Ctrl-C stops the server)");
        let period = Duration::from_secs(args.reload_every.max(1));
        if let Some(url) = args.releases.clone() {
            tokio::spawn(crate::commands::object_storage::follow(
                config.clone(),
                url,
                period,
            ));
        }
        spawn_watcher(state.clone(), period);
        serve(
            listener,
            router(state, Limits::default()),
            shutdown_signal(),
        )
        .await?;
        Ok(())
    })
}
