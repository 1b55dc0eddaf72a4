//! `passage diff OLD NEW`: revisions between two releases, by dataset and year, with the largest
//! changed rows.

use anyhow::Result;

use crate::commands::open_store;
use crate::config::Config;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The earlier release (id, prefix or `active`)
    old: String,
    /// The later release (id, prefix or `active`)
    new: String,
    /// Print JSON instead of a table
    #[arg(long)]
    json: bool,
}

/// Rows printed per dataset, the largest first.
const ROWS_PRINTED: usize = 10;

pub fn run(config: &Config, args: Args) -> Result<()> {
    let store = open_store(config)?;
    let (old, new) = (store.resolve(&args.old)?, store.resolve(&args.new)?);
    let d = passage_store::diff(&store.load(&old)?, &store.load(&new)?);
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&d)?);
        return Ok(());
    }
    if d.is_empty() {
        outln!("no revisions between {old} and {new}");
        return Ok(());
    }
    outln!(
        "{:<26} {:>6} {:>9} {:>9} {:>9}",
        "dataset",
        "year",
        "added",
        "removed",
        "changed"
    );
    for ds in &d.datasets {
        if let Some(p) = &ds.presence {
            outln!("{:<26} dataset {p}", ds.dataset);
        }
        for y in &ds.years {
            let year = y.year.map_or("-".to_string(), |y| y.to_string());
            outln!(
                "{:<26} {:>6} {:>9} {:>9} {:>9}",
                ds.dataset,
                year,
                y.added,
                y.removed,
                y.changed
            );
        }
        if !ds.changed_cells.is_empty() {
            let cells: Vec<String> = ds
                .changed_cells
                .iter()
                .map(|(c, n)| format!("{c}: {n}"))
                .collect();
            outln!("{:<26} changed cells: {}", "", cells.join(", "));
        }
        // The largest few rows; `--json` gives all that the diff holds.
        for row in ds.rows.iter().take(ROWS_PRINTED) {
            let key: Vec<String> = row.key.iter().map(|(k, v)| format!("{k} {v}")).collect();
            let cells: Vec<String> = row
                .cells
                .iter()
                .map(|c| {
                    let v = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                    format!("{} {} -> {}", c.column, v(&c.old), v(&c.new))
                })
                .collect();
            outln!(
                "{:<26} {} {} {}: {}",
                "",
                row.change,
                row.year.map_or("-".to_string(), |y| y.to_string()),
                key.join(", "),
                cells.join("; ")
            );
        }
    }
    Ok(())
}
