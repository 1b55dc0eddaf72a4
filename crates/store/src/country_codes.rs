//! Strict reading of the country codes a query filters on: a code that is no country in the
//! column's system is refused, naming it and, when it is a code of the other system, what it means
//! there. The compatible API keeps UNHCR's leniency (an unknown code selects nothing) and does not
//! call this; the CLI and the native API do.

use passage_domain::CodeSystem;

use crate::{Query, QueryError, Release};

/// The code system of a country column, if `dim` is one.
fn system_of(dim: &str) -> Option<CodeSystem> {
    match dim {
        "coo_iso" | "coa_iso" | "iso3" => Some(CodeSystem::Iso),
        "coo" | "coa" => Some(CodeSystem::Unhcr),
        _ => None,
    }
}

/// Refuses a filter value that names no country. Values present in the table itself always pass:
/// the World Bank's aggregates (`WLD`) are codes of their own tables.
pub fn check_country_codes(release: &Release, query: &Query) -> Result<(), QueryError> {
    let table = passage_datasets::Dataset::from_name(&query.dataset).and_then(|d| release.table(d));
    for f in &query.filters {
        let Some(system) = system_of(&f.dim) else {
            continue;
        };
        let dim = table.and_then(|t| t.table.dim(&f.dim));
        for value in &f.values {
            if dim.is_some_and(|d| d.code_of(value.trim()).is_some()) {
                continue;
            }
            if let Some(message) = release.countries().misread(system, value) {
                return Err(QueryError::BadValue {
                    parameter: f.parameter.clone(),
                    message,
                });
            }
        }
    }
    Ok(())
}
