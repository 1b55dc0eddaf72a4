//! `passage negotiation positions`: the positions states and groups stated on the compacts' texts,
//! read from the registry, filtered by entity, country, document and part (a part takes in the
//! parts below it), as an aligned table, CSV or JSON; and the filter options, which
//! `registry position list` reads too.

use std::io::Write;

use anyhow::Result;
use passage_registry::{Position, PositionFilter, RegistryError, Versioned};

use crate::commands::registry::{open, user};
use crate::config::Config;
use crate::output::write_grid;
use crate::UserError;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    pub filter: FilterArgs,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Table,
    Csv,
    Json,
}

/// Which positions to list; each criterion is parsed, and refused naming its option.
#[derive(Debug, clap::Args)]
pub struct FilterArgs {
    /// Only the positions of this entity (a state or a group of states)
    #[arg(long)]
    entity: Option<String>,
    /// Only the positions of the state with this ISO3 code
    #[arg(long)]
    country: Option<String>,
    /// Only the positions on this document, such as gcm
    #[arg(long)]
    document: Option<String>,
    /// Only the positions on this part or a part below it, such as objective/8
    #[arg(long)]
    part: Option<String>,
}

impl FilterArgs {
    /// The registry's filter for these options.
    pub fn filter(&self) -> Result<PositionFilter> {
        type Set = fn(PositionFilter, &str) -> Result<PositionFilter, RegistryError>;
        let criteria: [(&str, &Option<String>, Set); 4] = [
            ("entity", &self.entity, PositionFilter::entity),
            ("country", &self.country, PositionFilter::country),
            ("document", &self.document, PositionFilter::document),
            ("part", &self.part, PositionFilter::part),
        ];
        let mut filter = PositionFilter::default();
        for (name, value, set) in criteria {
            if let Some(v) = value {
                filter = set(filter, v).map_err(|e| {
                    let message = e.to_string();
                    let why = message
                        .strip_prefix(&format!("`{name}`: "))
                        .unwrap_or(&message);
                    UserError(format!("--{name}: {why}"))
                })?;
            }
        }
        Ok(filter)
    }
}

/// A CSV field, quoted when it must be, with a leading `'` before text a spreadsheet would run as
/// a formula: summaries and quotes are written by whoever holds a token.
fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    passage_datasets::csv_cell(&guarded).into_owned()
}

fn status(p: &Versioned<Position>) -> &'static str {
    if p.withdrawn {
        "withdrawn"
    } else {
        "active"
    }
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let filter = args.filter.filter()?;
    let r = open(config)?;
    let positions = r.positions(&filter).map_err(user)?;
    let countries: std::collections::HashMap<String, String> = r
        .entities()
        .map_err(user)?
        .into_iter()
        .filter_map(|e| Some((e.item.id, e.item.country?)))
        .collect();
    let country =
        |p: &Versioned<Position>| countries.get(&p.item.entity).cloned().unwrap_or_default();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match args.format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(&positions)?)?,
        Format::Csv => {
            writeln!(
                out,
                "id,entity,country,document,part,date,stance,status,version,forum,summary,quote,source"
            )?;
            for p in &positions {
                let i = &p.item;
                let cells = [
                    i.id.clone(),
                    i.entity.clone(),
                    country(p),
                    i.document.to_string(),
                    i.part.to_string(),
                    i.date.to_string(),
                    i.stance.to_string(),
                    status(p).into(),
                    p.version.to_string(),
                    i.forum.clone().unwrap_or_default(),
                    i.summary.clone(),
                    i.quote.clone().unwrap_or_default(),
                    i.source.to_string(),
                ];
                let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
                writeln!(out, "{}", line.join(","))?;
            }
        }
        Format::Table => {
            let mut grid = vec![[
                "id", "entity", "country", "document", "part", "date", "stance", "status",
                "summary", "version",
            ]
            .map(String::from)
            .to_vec()];
            for p in &positions {
                let i = &p.item;
                let summary: String = i.summary.chars().take(60).collect();
                let more = if summary.len() < i.summary.len() {
                    "…"
                } else {
                    ""
                };
                grid.push(vec![
                    i.id.clone(),
                    i.entity.clone(),
                    country(p),
                    i.document.to_string(),
                    i.part.to_string(),
                    i.date.to_string(),
                    i.stance.to_string(),
                    status(p).into(),
                    format!("{summary}{more}"),
                    p.version.to_string(),
                ]);
            }
            write_grid(&mut out, &grid, 9)?;
            writeln!(
                out,
                "\n{} positions; each with its source link and forum in --format csv or json",
                positions.len()
            )?;
        }
    }
    Ok(out.flush()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_a_spreadsheet_would_run_is_guarded_and_commas_quoted() {
        assert_eq!(csv_field("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_field("-1+2"), "'-1+2");
        assert_eq!(csv_field("round 3, Geneva"), "\"round 3, Geneva\"");
        assert_eq!(csv_field("supports"), "supports");
    }
}
