//! One module per subcommand: its arguments and what it does with the store.

pub mod activate;
pub mod bundle_sync;
pub mod claims;
pub mod diff;
pub mod export;
pub mod indicator;
pub mod mirror;
pub mod negotiation;
pub mod object_storage;
pub mod positions;
pub mod profile;
pub mod query;
pub mod registry;
pub mod releases;
pub mod report;
pub mod serve;
pub mod show;
pub mod sync;

use anyhow::Result;
use passage_store::Store;

use crate::config::Config;

/// Opens the configured store, first completing an activation a crash cut short.
pub fn open_store(config: &Config) -> Result<Store> {
    let store = Store::open(&config.data_dir)?;
    activate::complete_verdicts(config, &store);
    Ok(store)
}
