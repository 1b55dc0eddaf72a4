//! `passage sync --from FILE` for a release bundle (recognised by its content): the release is
//! added under its own id after every table is checked against its digest, then activated; a
//! damaged, truncated or incomplete bundle changes nothing.

use std::path::Path;

use anyhow::{Context, Result};
use passage_downloads::Bundle;

use crate::commands::open_store;
use crate::config::Config;

pub fn run(config: &Config, path: &Path) -> Result<()> {
    let store = open_store(config)?;
    let active = store.active_id()?;
    let bundle = Bundle::open(path)?;
    let outcome = store
        .add_release(bundle.manifest(), &mut |entry| bundle.offer(entry))
        .with_context(|| stays(active.as_ref(), path.display()))?;
    let manifest = store.manifest(&outcome.id)?;
    let what = if outcome.created {
        format!(
            "added from {}: {} tables, {} bytes read from the bundle{}",
            path.display(),
            manifest.tables.len(),
            outcome.offered_bytes,
            if outcome.reused.is_empty() {
                String::new()
            } else {
                format!(", {} already in the store", outcome.reused.len())
            }
        )
    } else {
        "unchanged: the store holds it already".to_string()
    };
    outln!("release {} {what}; {}", outcome.id, activation(&outcome));
    crate::commands::claims::record_after_activation(config, &store, &outcome.id);
    Ok(())
}

/// What an error adds: the release that stays active.
pub fn stays(active: Option<&passage_domain::ReleaseId>, from: impl std::fmt::Display) -> String {
    match active {
        Some(id) => format!("nothing was added from {from}; release {id} stays active"),
        None => format!("nothing was added from {from}; no release is active"),
    }
}

/// `active`, with the release it replaced.
pub fn activation(outcome: &passage_store::AddOutcome) -> String {
    match &outcome.previous {
        Some(p) if *p != outcome.id => format!("active (was {p})"),
        Some(_) => "active (already)".to_string(),
        None => "active".to_string(),
    }
}
