//! `passage query DATASET …`: filters, grouping and totals over a dataset of a release.

use anyhow::Result;
use passage_datasets::Dataset;
use passage_domain::{Year, YearRange};
use passage_store::{Filter, Query, YearFilter};

use crate::commands::open_store;
use crate::config::Config;
use crate::output::{print_answer, print_trace, Format};
use crate::UserError;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Dataset: population, asylum_applications, missing_migrants, migrant_stock, wb_gdp, …
    dataset: String,
    /// One or more years (comma list or repeated)
    #[arg(long, value_delimiter = ',', conflicts_with = "years")]
    year: Vec<String>,
    /// An inclusive range of years, A..B
    #[arg(long)]
    years: Option<String>,
    /// Countries of origin, ISO3 (comma list)
    #[arg(long, value_delimiter = ',')]
    origin: Vec<String>,
    /// Countries of asylum, arrival or destination, ISO3 (comma list)
    #[arg(long, value_delimiter = ',')]
    asylum: Vec<String>,
    /// Countries of a country-level dataset (population, GDP, IDMC), ISO3 (comma list)
    #[arg(long, value_delimiter = ',')]
    country: Vec<String>,
    /// Any other dimension: DIM=VALUE[,VALUE…] (repeatable), e.g. pop_type=REF
    #[arg(long = "where", value_name = "DIM=VALUES")]
    filters: Vec<String>,
    /// Group by: year, origin, asylum, country or any dimension (comma list); default: year
    #[arg(long, value_delimiter = ',')]
    by: Option<Vec<String>>,
    /// Measures to sum (comma list); default: all of the dataset's
    #[arg(long, value_delimiter = ',')]
    measures: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Release to query (id, prefix or `active`)
    #[arg(long, default_value = "active")]
    release: String,
    /// Instead of sums, list the source rows they are computed from (CSV, every column)
    #[arg(long)]
    trace: bool,
}

/// The dimension a user's short name stands for.
fn dim_name(name: &str) -> String {
    match name {
        "origin" | "coo" => "coo_iso".into(),
        "asylum" | "coa" | "destination" => "coa_iso".into(),
        "country" => "iso3".into(),
        other => other.into(),
    }
}

fn user(e: impl std::fmt::Display) -> anyhow::Error {
    UserError(e.to_string()).into()
}

/// Turns the arguments into a typed query.
fn build_query(args: &Args) -> Result<Query> {
    let years = if let Some(r) = &args.years {
        YearFilter::Range(
            r.parse::<YearRange>()
                .map_err(|e| user(format!("--years: {e}")))?,
        )
    } else if !args.year.is_empty() {
        let list = args
            .year
            .iter()
            .map(|y| y.parse::<Year>())
            .collect::<Result<Vec<_>, _>>();
        YearFilter::List(list.map_err(|e| user(format!("--year: {e}")))?)
    } else {
        YearFilter::All
    };
    let mut filters = Vec::new();
    for (parameter, values) in [
        ("origin", &args.origin),
        ("asylum", &args.asylum),
        ("country", &args.country),
    ] {
        if !values.is_empty() {
            filters.push(Filter {
                parameter: parameter.into(),
                dim: dim_name(parameter),
                values: values.clone(),
            });
        }
    }
    for f in &args.filters {
        let (dim, values) = f
            .split_once('=')
            .ok_or_else(|| user(format!("--where: expected DIM=VALUE[,VALUE…], found `{f}`")))?;
        filters.push(Filter {
            parameter: "where".into(),
            dim: dim_name(dim.trim()),
            values: values.split(',').map(|v| v.trim().to_string()).collect(),
        });
    }
    let has_years = Dataset::from_name(&args.dataset).is_none_or(|d| d.schema().year);
    let by = match &args.by {
        Some(list) => list
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| dim_name(s.trim()))
            .collect(),
        None if has_years => vec!["year".to_string()],
        None => Vec::new(),
    };
    Ok(Query {
        dataset: args.dataset.clone(),
        years,
        filters,
        by,
        measures: args.measures.clone(),
    })
}

pub fn run(config: &Config, args: Args) -> Result<()> {
    let mut query = build_query(&args)?;
    let store = open_store(config)?;
    let id = store.resolve(&args.release)?;
    let release = store.load(&id)?;
    if args.trace {
        let (table, rows) = passage_store::trace(&release, &query)?;
        return print_trace(table, &rows, &release);
    }
    passage_store::check_country_codes(&release, &query)?;
    let comparable = passage_store::make_comparable(&release, &mut query)?;
    let answer = passage_store::run(&release, &query)?;
    print_answer(&answer, &release, args.format, &comparable, &query.years)
}
