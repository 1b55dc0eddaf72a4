//! `passage show [RELEASE]`: a release's manifest, as JSON.

use anyhow::Result;

use crate::commands::open_store;
use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Release id or unambiguous prefix; `active` by default
    #[arg(default_value = "active")]
    release: String,
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let store = open_store(config)?;
    let id = store.resolve(&args.release)?;
    outln!("{}", serde_json::to_string_pretty(&store.manifest(&id)?)?);
    Ok(())
}
