//! One module per subcommand: its arguments and what it does with the store.

pub mod activate;
pub mod claims;
pub mod diff;
pub mod indicator;
pub mod profile;
pub mod query;
pub mod registry;
pub mod releases;
pub mod serve;
pub mod show;
pub mod sync;

use anyhow::Result;
use passage_store::Store;

use crate::config::Config;

/// Opens the configured store.
pub fn open_store(config: &Config) -> Result<Store> {
    Ok(Store::open(&config.data_dir)?)
}
