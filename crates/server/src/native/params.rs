//! Strict parameters of the native API: every endpoint declares the parameters it takes, and one
//! table serves both validation and the OpenAPI document.

use std::collections::BTreeMap;

use passage_domain::{Year, YearRange};
use passage_store::YearFilter;

use super::error::ApiError;

/// A declared parameter.
#[derive(Debug, Clone, Copy)]
pub struct ParamSpec {
    /// The parameter's name in the query string.
    pub name: &'static str,
    /// What it means, as the OpenAPI document says.
    pub description: &'static str,
    /// A value that is valid for it.
    pub example: &'static str,
}

/// Parameters of the dataset query endpoint; any dimension name of the dataset is accepted too.
pub const QUERY_PARAMS: [ParamSpec; 13] = [
    ParamSpec { name: "year", description: "Years, comma-separated (2024 or 2022,2024).", example: "2024" },
    ParamSpec { name: "years", description: "An inclusive range of years, A..B. Not with `year`.", example: "2015..2024" },
    ParamSpec { name: "origin", description: "Countries of origin, comma-separated ISO3 (UNHCR codes with codes=unhcr).", example: "SYR,AFG" },
    ParamSpec { name: "asylum", description: "Countries of asylum, arrival or destination, ISO3 (UNHCR codes with codes=unhcr).", example: "DEU" },
    ParamSpec { name: "country", description: "Countries of a country-level dataset, ISO3.", example: "AFG" },
    ParamSpec { name: "by", description: "Grouping: year, origin, asylum, country or dimension names, comma-separated. Default: year.", example: "year,origin" },
    ParamSpec { name: "measures", description: "Measures to sum, comma-separated. Default: all.", example: "refugees" },
    ParamSpec { name: "codes", description: "Country code system of filters and keys: iso (default) or unhcr.", example: "iso" },
    ParamSpec { name: "format", description: "json (default), csv (with an HXL hashtag row), parquet or xlsx.", example: "json" },
    ParamSpec { name: "hxl", description: "With format=csv: 0 leaves out the HXL hashtag row. Default 1.", example: "1" },
    ParamSpec { name: "bom", description: "With format=csv: 1 starts the file with a UTF-8 byte order mark, for Excel. Default 0.", example: "0" },
    ParamSpec { name: "limit", description: "Rows per page, 1 to 100000. Default 1000. A page over 400000 cells (rows times columns) is refused with 413 `answer_too_large`, naming the limit that fits.", example: "1000" },
    ParamSpec { name: "offset", description: "Rows to skip. Default 0.", example: "0" },
];

/// Reads a query string, refusing parameters that are neither declared nor dimensions of `extra`.
pub fn read(
    query: &str,
    declared: &[ParamSpec],
    extra: &[&str],
) -> Result<BTreeMap<String, String>, ApiError> {
    let mut out = BTreeMap::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        let known = declared.iter().any(|p| p.name == k) || extra.contains(&k.as_ref());
        if !known {
            return Err(ApiError::UnknownParameter(k.into_owned()));
        }
        if out.insert(k.to_string(), v.into_owned()).is_some() {
            return Err(ApiError::ConflictingParameters {
                parameter: k.into_owned(),
                message: "given more than once; use a comma-separated list".into(),
            });
        }
    }
    Ok(out)
}

/// A comma-separated value as its trimmed items.
pub fn list(v: &str) -> Vec<String> {
    v.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The years of `year` (a list) or `years` (a range), refusing both at once.
pub fn years_of(p: &BTreeMap<String, String>) -> Result<YearFilter, ApiError> {
    match (p.get("year"), p.get("years")) {
        (Some(_), Some(_)) => Err(ApiError::ConflictingParameters {
            parameter: "years".into(),
            message: "give `year` or `years`, not both".into(),
        }),
        (Some(y), None) => Ok(YearFilter::List(
            list(y)
                .iter()
                .map(|y| y.parse::<Year>())
                .collect::<Result<_, _>>()
                .map_err(|e| ApiError::invalid("year", e.to_string()))?,
        )),
        (None, Some(r)) => Ok(YearFilter::Range(
            r.parse::<YearRange>()
                .map_err(|e| ApiError::invalid("years", e.to_string()))?,
        )),
        (None, None) => Ok(YearFilter::All),
    }
}
