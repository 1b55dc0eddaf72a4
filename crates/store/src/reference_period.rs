//! When in a year a figure counts people. UNHCR's stocks are counted at the end of each year, but
//! a release made during a year (its December release, version `YYYY.12.x`) carries figures for
//! that year as at mid-year; labelling them "end of year" would compare half a year with a whole.
//! The provider's version decides; without it, the latest year is said to be uncertain. The
//! Missing Migrants Project's year still under way when a release is made is counted to date.

use std::collections::{BTreeMap, BTreeSet};

use passage_datasets::Dataset;

use crate::Release;

/// The point in its year at which a figure counts people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferencePeriod {
    /// A flow over the whole year, or a stock at its end: the ordinary case, not labelled.
    Year,
    /// A stock as at 30 June, from a release made during that year.
    MidYear,
    /// The latest year of a stock whose provider version is not known: end of year or mid-year.
    Uncertain,
    /// A count of incidents over a year that had not ended when the release was made: the
    /// Missing Migrants Project's current year, recorded so far.
    ToDate,
}

impl ReferencePeriod {
    /// The label shown beside a figure known to be mid-year. An uncertain year is said once, in
    /// the answer's notes, not on every row.
    pub fn label(self) -> Option<&'static str> {
        match self {
            ReferencePeriod::MidYear => Some("mid-year"),
            ReferencePeriod::ToDate => Some("to date"),
            ReferencePeriod::Year | ReferencePeriod::Uncertain => None,
        }
    }

    /// A sentence on `year`'s figures for an answer's notes, or `None` for the ordinary case.
    pub fn note(self, year: i32) -> Option<String> {
        match self {
            ReferencePeriod::Year => None,
            ReferencePeriod::MidYear => Some(format!(
                "{year}: mid-year figures (as at 30 June), from a release made during {year}"
            )),
            ReferencePeriod::ToDate => Some(format!(
                "{year}: incidents recorded so far; the year had not ended when the release was made"
            )),
            ReferencePeriod::Uncertain => Some(format!(
                "{year}: the latest year may hold mid-year figures; the provider's version is not \
                 recorded (sync with --source-version unhcr=YYYY.MM.N)"
            )),
        }
    }
}

/// The year of a version such as `2025.12.1`.
fn version_year(version: &str) -> Option<i32> {
    version.split(['.', '-']).next()?.parse().ok()
}

impl Release {
    /// The reference period of `dataset`'s figures for `year` in this release.
    pub fn reference_period(&self, dataset: Dataset, year: i32) -> ReferencePeriod {
        if dataset == Dataset::MissingMigrants {
            let made = self
                .manifest
                .created_at
                .get(..4)
                .and_then(|y| y.parse::<i32>().ok());
            return match made {
                Some(made) if year >= made => ReferencePeriod::ToDate,
                _ => ReferencePeriod::Year,
            };
        }
        let stock_kind = matches!(
            dataset,
            Dataset::Population | Dataset::Demographics | Dataset::Idmc | Dataset::Unrwa
        );
        if !stock_kind {
            return ReferencePeriod::Year;
        }
        let version = self
            .manifest
            .sources
            .iter()
            .filter(|s| s.datasets.iter().any(|d| d == dataset.name()))
            .find_map(|s| s.source_version.as_deref());
        match version.and_then(version_year) {
            Some(v) if year >= v => ReferencePeriod::MidYear,
            Some(_) => ReferencePeriod::Year,
            None => {
                let latest = self
                    .table(dataset)
                    .and_then(|t| t.years().last())
                    .map(i32::from);
                if latest == Some(year) {
                    ReferencePeriod::Uncertain
                } else {
                    ReferencePeriod::Year
                }
            }
        }
    }

    /// The notes on the labelled years among `years` of `dataset`, once each, in year order.
    pub fn period_notes(
        &self,
        dataset: Dataset,
        years: impl IntoIterator<Item = i32>,
    ) -> Vec<String> {
        let distinct: BTreeSet<i32> = years.into_iter().collect();
        distinct
            .into_iter()
            .filter_map(|y| self.reference_period(dataset, y).note(y))
            .collect()
    }

    /// The label of each labelled year among `years`, each looked up once, for labelling rows.
    pub fn period_labels(
        &self,
        dataset: Dataset,
        years: impl IntoIterator<Item = i32>,
    ) -> BTreeMap<i32, &'static str> {
        let distinct: BTreeSet<i32> = years.into_iter().collect();
        distinct
            .into_iter()
            .filter_map(|y| self.reference_period(dataset, y).label().map(|l| (y, l)))
            .collect()
    }
}
