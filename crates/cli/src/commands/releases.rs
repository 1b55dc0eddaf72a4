//! `passage releases`: the releases in the store, oldest first, the active one marked.

use anyhow::Result;

use crate::commands::open_store;
use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let store = open_store(config)?;
    let active = store.active_id()?;
    let releases = store.releases()?;
    if args.json {
        let list: Vec<_> = releases
            .iter()
            .map(|m| {
                serde_json::json!({
                    "id": m.id, "created_at": m.created_at, "active": Some(&m.id) == active.as_ref(),
                    "sources": m.sources.len(), "tables": m.tables.len(),
                    "rows": m.tables.iter().map(|t| t.rows).sum::<u64>(), "findings": m.finding_count(),
                })
            })
            .collect();
        outln!("{}", serde_json::to_string_pretty(&list)?);
        return Ok(());
    }
    if releases.is_empty() {
        outln!("no releases yet: run `passage sync --from DIR`");
    }
    for m in &releases {
        let mark = if Some(&m.id) == active.as_ref() {
            "*"
        } else {
            " "
        };
        let versions: std::collections::BTreeSet<String> = m
            .sources
            .iter()
            .filter_map(|s| {
                s.source_version
                    .as_ref()
                    .map(|v| format!("{} {v}", s.origin.split(' ').next().unwrap_or("")))
            })
            .collect();
        outln!(
            "{mark} {}  {}  {:>2} sources  {:>9} rows  {:>6} findings{}",
            m.id,
            m.created_at,
            m.sources.len(),
            m.tables.iter().map(|t| t.rows).sum::<u64>(),
            m.finding_count(),
            if versions.is_empty() {
                String::new()
            } else {
                format!("  {}", versions.into_iter().collect::<Vec<_>>().join(", "))
            }
        );
    }
    Ok(())
}
