//! `passage mirror --from URL --every 6h`, and `passage sync --from URL`: keeping a copy of another
//! Passage's active release. Each round pulls what changed (`remote_release`) and logs what it
//! fetched; a failed round is logged and the next one resumes it; Ctrl-C or SIGTERM stops the loop
//! between rounds.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::commands::bundle_sync::{activation, stays};
use crate::commands::open_store;
use crate::config::Config;
use crate::remote_release::{pull, Pulled};
use crate::UserError;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The other Passage's address, e.g. http://10.0.0.5:8080 (https through curl)
    #[arg(long, value_name = "URL")]
    from: String,
    /// How long to wait between rounds: a number with s, m, h or d, e.g. 30s, 10m, 6h
    #[arg(long, default_value = "6h", value_parser = parse_every)]
    every: Duration,
}

/// Reads `30s`, `10m`, `6h` or `1d`.
pub fn parse_every(text: &str) -> Result<Duration, String> {
    let unit = text
        .chars()
        .last()
        .ok_or_else(|| "expected a number and a unit: 30s, 10m, 6h or 1d".to_string())?;
    let seconds = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        _ => return Err(format!("`{text}`: expected a unit s, m, h or d, e.g. 6h")),
    };
    let number: u64 = text[..text.len() - 1]
        .parse()
        .map_err(|_| format!("`{text}`: expected a whole number before the unit, e.g. 6h"))?;
    match number.checked_mul(seconds) {
        Some(0) => Err(format!(
            "`{text}`: the interval must be longer than nothing"
        )),
        Some(s) => Ok(Duration::from_secs(s)),
        None => Err(format!("`{text}`: too long")),
    }
}

/// What a round fetched, in one line.
fn summary(source: &str, p: &Pulled) -> String {
    let o = &p.outcome;
    let fetched: u64 = p.fetched.iter().map(|f| f.bytes).sum();
    let resumed: Vec<String> = p
        .fetched
        .iter()
        .filter_map(|f| f.resumed_at.map(|at| format!("{} at byte {at}", f.dataset)))
        .collect();
    let what = if o.created {
        "added"
    } else {
        "unchanged: the store holds it already"
    };
    format!(
        "release {} from {source} {what}; fetched {} tables, {fetched} bytes{}; reused {} tables; \
         {} bytes received with the manifest; {}",
        o.id,
        p.fetched.len(),
        if resumed.is_empty() {
            String::new()
        } else {
            format!(" (resumed {})", resumed.join(", "))
        },
        o.reused.len(),
        p.bytes_received(),
        activation(o)
    )
}

/// One pull, with the claims' verdicts recorded on a newly active release; what it did, in a line.
fn round(config: &Config, source: &str) -> Result<String> {
    let store = open_store(config)?;
    let active = store.active_id()?;
    let pulled = pull(&store, source).with_context(|| stays(active.as_ref(), source))?;
    if active.as_ref() != Some(&pulled.outcome.id) {
        crate::commands::claims::record_after_activation(config, &store, &pulled.outcome.id);
    }
    Ok(summary(source, &pulled))
}

/// `passage sync --from URL`: one pull, reported.
pub fn sync_once(config: &Config, source: &str) -> Result<()> {
    let line = round(config, source)?;
    outln!("{line}");
    Ok(())
}

async fn shutdown(stop: Arc<AtomicBool>, wake: Arc<tokio::sync::Notify>) {
    crate::commands::serve::stop_requested().await;
    stop.store(true, Ordering::SeqCst);
    wake.notify_one();
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    if !crate::remote_release::is_remote(std::path::Path::new(&args.from)) {
        return Err(UserError(format!(
            "--from: expected the address of another Passage (http://… or https://…), found `{}`",
            args.from
        ))
        .into());
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the runtime")?;
    let stop = Arc::new(AtomicBool::new(false));
    let wake = Arc::new(tokio::sync::Notify::new());
    runtime.block_on(async {
        tokio::spawn(shutdown(stop.clone(), wake.clone()));
        outln!(
            "mirroring {} every {}s (Ctrl-C stops)",
            args.from,
            args.every.as_secs()
        );
        loop {
            let (config, from) = (config.clone(), args.from.clone());
            let done = tokio::task::spawn_blocking(move || round(&config, &from)).await;
            let stamp = passage_datasets::rfc3339(std::time::SystemTime::now());
            match done {
                Ok(Ok(line)) => outln!("{stamp} {line}"),
                Ok(Err(e)) => errln!(
                    "{stamp} round failed, retried in {}s: {e:#}",
                    args.every.as_secs()
                ),
                Err(e) => errln!("{stamp} round stopped: {e}"),
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
            tokio::select! {
                () = tokio::time::sleep(args.every) => {}
                () = wake.notified() => {}
            }
            if stop.load(Ordering::SeqCst) {
                break;
            }
        }
        outln!("mirror stopped");
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::parse_every;
    use std::time::Duration;

    #[test]
    fn intervals_are_read_with_their_unit() {
        assert_eq!(parse_every("30s"), Ok(Duration::from_secs(30)));
        assert_eq!(parse_every("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_every("6h"), Ok(Duration::from_secs(21_600)));
        assert_eq!(parse_every("1d"), Ok(Duration::from_secs(86_400)));
        for bad in [
            "",
            "6",
            "h",
            "0s",
            "6x",
            "-1h",
            "1.5h",
            "99999999999999999999d",
        ] {
            assert!(parse_every(bad).is_err(), "{bad}");
        }
    }
}
