//! The benchmark query mix (`bench/query-mix.json`): realistic queries, each with the SQL that asks
//! the same of the source files, so that the divan bench and the side-by-side script with DuckDB run
//! exactly the same questions.

use passage_domain::{Year, YearRange};
use serde::Deserialize;

use crate::{Filter, Query, QueryError, YearFilter};

/// One query of the mix as written in the file.
#[derive(Debug, Clone, Deserialize)]
pub struct MixEntry {
    pub name: String,
    pub dataset: String,
    #[serde(default)]
    pub years: Vec<i32>,
    #[serde(default)]
    pub range: Option<String>,
    #[serde(default)]
    pub filters: std::collections::BTreeMap<String, Vec<String>>,
    #[serde(default)]
    pub by: Vec<String>,
    #[serde(default)]
    pub measures: Vec<String>,
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
