//! Rankings: every country's figure for one year, largest first (top hosts, top origins, highest
//! rates). Codes that are not countries (unknown origin, stateless) are left out of ranks.

use passage_domain::{CodeSystem, CountryCode, CountryRef, Year};
use passage_store::{Release, YearFilter};

use crate::catalogue::Role;
use crate::evaluate::{Engine, Request, Series};
use crate::place::Place;
use crate::IndicatorError;

/// A ranking: the series of every country in the year, and the ranked points' indices into it.
#[derive(Debug, Clone)]
pub struct Ranking<'c> {
    /// The indicator for every country in the year.
    pub series: Series<'c>,
    /// The year ranked.
    pub year: i16,
    /// Indices into the series' points, largest value first, at most the `top` asked.
    pub order: Vec<usize>,
}

impl Engine {
    /// Ranks countries in `role` by the indicator in `year`, keeping the `top` largest.
    pub fn rank<'c>(
        &'c self,
        release: &Release,
        indicator: &str,
        role: Role,
        year: Year,
        filters: Vec<(String, Vec<String>)>,
        top: usize,
    ) -> Result<Ranking<'c>, IndicatorError> {
        let mut request = Request::new(indicator, Place::EachCountry, Some(role));
        request.years = YearFilter::List(vec![year]);
        request.filters = filters;
        let series = self.evaluate(release, &request)?;
        let mut order = ranked(&series, year.get() as i16, release.countries());
        order.truncate(top);
        Ok(Ranking {
            series,
            year: year.get() as i16,
            order,
        })
    }
}

/// The indices of a year's points of an every-country series, largest value first (ties by
/// country code), leaving out missing values and codes that are not countries.
pub fn ranked(series: &Series<'_>, year: i16, reference: &CountryRef) -> Vec<usize> {
    let is_country = |code: &str| {
        CountryCode::parse(CodeSystem::Iso, code)
            .ok()
            .and_then(|c| reference.get(c))
            .is_some_and(|c| c.special.is_none())
    };
    let points = &series.points;
    let mut order: Vec<usize> = (0..points.len())
        .filter(|&i| {
            let p = &points[i];
            p.year == year && p.value.is_some() && p.country.as_deref().is_some_and(is_country)
        })
        .collect();
    order.sort_by(|&a, &b| {
        points[b]
            .value
            .partial_cmp(&points[a].value)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| points[a].country.cmp(&points[b].country))
    });
    order
}
