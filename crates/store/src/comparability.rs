//! What a sum may add together. Year-end (or mid-year) stocks are not added across years, figures
//! of different units (asylum cases and persons) or kinds (population types, indicator variables)
//! are never added, and positions (coordinates) are not summed at all. A query is split by its
//! dataset's unit columns, refused when a row would add stocks of several years, and its total
//! withheld when it would add unlike rows. The CLI and the native API apply this; indicators
//! define their own sums and the compatible API answers as UNHCR's does.

use passage_datasets::Dataset;

use crate::{Query, QueryError, Release, YearFilter};

/// What was done to keep a query's sums meaningful.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Comparable {
    /// Unit columns added to the grouping, so that unlike figures stay apart.
    pub split_by: Vec<String>,
    /// Why the answer carries no total, when one would add unlike rows.
    pub no_total: Option<String>,
}

impl Comparable {
    /// What an answer says of it: how it was split, and why it has no total.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if !self.split_by.is_empty() {
            notes.push(format!(
                "split by {}: unlike figures are not added together",
                self.split_by.join(", ")
            ));
        }
        notes.extend(self.no_total.clone());
        notes
    }
}

fn keeps_year(years: &YearFilter, y: i16) -> bool {
    match years {
        YearFilter::All => true,
        YearFilter::List(list) => list.iter().any(|l| l.get() == i32::from(y)),
        YearFilter::Range(r) => (r.first.get()..=r.last.get()).contains(&i32::from(y)),
    }
}

/// Rewrites `query` so that each of its rows adds only like figures, or refuses it.
pub fn make_comparable(release: &Release, query: &mut Query) -> Result<Comparable, QueryError> {
    let Some(t) = Dataset::from_name(&query.dataset).and_then(|d| release.table(d)) else {
        // `run` names the unknown dataset.
        return Ok(Comparable::default());
    };
    let dataset = t.dataset;
    let mut out = Comparable::default();
    // A column named twice would be two columns of one name in CSV.
    let mut seen = std::collections::HashSet::new();
    query.by.retain(|b| seen.insert(b.clone()));
    let mut seen = std::collections::HashSet::new();
    query.measures.retain(|m| seen.insert(m.clone()));

    let positions = dataset.non_additive_measures();
    if let Some(m) = query
        .measures
        .iter()
        .find(|m| positions.contains(&m.as_str()))
    {
        return Err(QueryError::BadValue {
            parameter: "measures".into(),
            message: format!(
                "`{m}` is a position, not a count, and is never summed; list the rows instead \
                 (`passage query {} --trace`)",
                dataset.name()
            ),
        });
    }
    if query.measures.is_empty() && !positions.is_empty() {
        query.measures = t
            .table
            .measures
            .iter()
            .map(|m| m.name.clone())
            .filter(|m| !positions.contains(&m.as_str()))
            .collect();
    }

    for unit in dataset.unit_dims() {
        let one_value = query
            .filters
            .iter()
            .any(|f| f.dim == *unit && f.values.len() == 1);
        if one_value || query.by.iter().any(|b| b == unit) {
            continue;
        }
        query.by.push(unit.to_string());
        out.split_by.push(unit.to_string());
    }
    let unit_split = dataset.unit_dims().iter().any(|u| {
        query.by.iter().any(|b| b == u)
            && !query
                .filters
                .iter()
                .any(|f| f.dim == *u && f.values.len() == 1)
    });
    if unit_split {
        out.no_total = Some(format!(
            "no total: the rows count different units or kinds of figure ({}), which are not added",
            dataset.unit_dims().join(", ")
        ));
    }

    let stocks = dataset.stock_measures();
    let measures: Vec<&str> = if query.measures.is_empty() {
        t.table.measures.iter().map(|m| m.name.as_str()).collect()
    } else {
        query.measures.iter().map(String::as_str).collect()
    };
    let stock: Vec<&str> = measures
        .iter()
        .copied()
        .filter(|m| stocks.contains(m))
        .collect();
    let years: Vec<i16> = t.years().filter(|&y| keeps_year(&query.years, y)).collect();
    if !stock.is_empty() && years.len() > 1 {
        let span = format!(
            "{}–{}",
            years.first().copied().unwrap_or_default(),
            years.last().copied().unwrap_or_default()
        );
        if !query.by.iter().any(|b| b == "year") {
            return Err(QueryError::BadValue {
                parameter: "by".into(),
                message: format!(
                    "{} of `{}` {} counted at a point in each year, so a sum across the years \
                     {span} counts the same people again; group by year too, or choose one year",
                    stock.join(", "),
                    dataset.name(),
                    if stock.len() == 1 { "is" } else { "are" },
                ),
            });
        }
        out.no_total.get_or_insert_with(|| {
            format!(
                "no total: the rows are stocks of different years ({span}), whose sum counts the \
                 same people again"
            )
        });
    }
    Ok(out)
}
