//! `passage profile ISO3`: every indicator of a country as host and as origin, over the years.

use std::io::Write;

use anyhow::Result;

use crate::commands::indicator::{engine, print_series, Scope};
use crate::commands::open_store;
use crate::config::Config;
use crate::output::Format;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The country, ISO3
    country: String,
    #[command(flatten)]
    scope: Scope,
    /// Base year of the `since` change column
    #[arg(long, default_value_t = passage_indicators::COMPACTS_ADOPTED)]
    base_year: i16,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let engine = engine()?;
    let years = args.scope.years()?;
    let store = open_store(config)?;
    let release = store.load(&store.resolve(&args.scope.release)?)?;
    let profile = engine.profile(&release, &args.country, years)?;
    if args.format == Format::Json {
        let doc = profile.to_json(|d| release.manifest.sources_json(d), args.base_year);
        let mut out = std::io::stdout().lock();
        writeln!(out, "{}", serde_json::to_string_pretty(&doc)?)?;
        return Ok(());
    }
    outln!("{} — {}\n", profile.country, profile.name);
    for section in profile
        .sections
        .iter()
        .filter(|s| s.points.iter().any(|p| p.value.is_some()))
    {
        print_series(section, &release, args.base_year, args.format)?;
        outln!();
    }
    for (indicator, dataset) in &profile.missing {
        outln!(
            "{indicator}: not computed, release {} has no {dataset} data",
            release.manifest.id
        );
    }
    Ok(())
}
