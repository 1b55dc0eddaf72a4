//! The benchmark query mix (`bench/query-mix.json`): realistic queries, each with the SQL that asks
//! the same of the source files, so that the divan bench and the side-by-side script with DuckDB run
//! exactly the same questions.

use passage_domain::{Year, YearRange};
use serde::Deserialize;

use crate::{Filter, Query, QueryError, YearFilter};

/// One query of the mix as written in the file.
#[derive(Debug, Clone, Deserialize)]
pub struct MixEntry {
    /// A short name identifying the query in bench output.
    pub name: String,
    /// The dataset queried.
    pub dataset: String,
    /// The years asked; none for every year (unless `range` is set).
    #[serde(default)]
    pub years: Vec<i32>,
    /// An inclusive year range such as `2015..2024`; it takes precedence over `years`.
    #[serde(default)]
    pub range: Option<String>,
    /// Values kept per dimension.
    #[serde(default)]
    pub filters: std::collections::BTreeMap<String, Vec<String>>,
    /// Dimensions to group by.
    #[serde(default)]
    pub by: Vec<String>,
    /// Measures summed; none for all of the dataset's.
    #[serde(default)]
    pub measures: Vec<String>,
    /// The SQL asking the same of the source files, for the side-by-side comparison.
    pub sql: String,
}

impl MixEntry {
    /// The typed query this entry stands for.
    pub fn query(&self) -> Result<Query, QueryError> {
        let bad = |e: passage_domain::DomainError| QueryError::BadValue {
            parameter: "years".into(),
            message: e.to_string(),
        };
        let years = match (&self.range, self.years.as_slice()) {
            (Some(r), _) => YearFilter::Range(r.parse::<YearRange>().map_err(bad)?),
            (None, []) => YearFilter::All,
            (None, ys) => YearFilter::List(
                ys.iter()
                    .map(|&y| Year::new(y))
                    .collect::<Result<_, _>>()
                    .map_err(bad)?,
            ),
        };
        Ok(Query {
            dataset: self.dataset.clone(),
            years,
            filters: self
                .filters
                .iter()
                .map(|(dim, values)| Filter {
                    parameter: dim.clone(),
                    dim: dim.clone(),
                    values: values.clone(),
                })
                .collect(),
            by: self.by.clone(),
            measures: self.measures.clone(),
        })
    }
}

/// Parses the mix file's text.
pub fn parse_mix(text: &str) -> Result<Vec<MixEntry>, serde_json::Error> {
    serde_json::from_str(text)
}
