//! `passage activate RELEASE`: roll the active release back (or forward) atomically.

use anyhow::Result;

use crate::commands::open_store;
use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Release id or unambiguous prefix
    release: String,
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let store = open_store(config)?;
    let id = store.resolve(&args.release)?;
    store.activate(&id)?;
    outln!("release {id} active");
    crate::commands::claims::record_after_activation(config, &store, &id);
    Ok(())
}
