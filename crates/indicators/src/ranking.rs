//! Rankings: every country's figure for one year, largest first (top hosts, top origins, highest
//! rates). Codes that are not countries (unknown origin, stateless) are left out of ranks.

use passage_domain::Year;
use passage_store::{Release, YearFilter};

use crate::catalogue::Role;
use crate::evaluate::{Engine, Request, Series};
use crate::place::Place;
use crate::IndicatorError;

/// A ranking: the series of every country in the year, and the ranked points' indices into it.
#[derive(Debug, Clone)]
pub struct Ranking<'c> {
    pub series: Series<'c>,
    pub year: i16,
    pub order: Vec<usize>,
}

impl Engine {
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
        let reference = release.countries();
        let is_country = |code: &str| {
            passage_domain::CountryCode::parse(passage_domain::CodeSystem::Iso, code)
                .ok()
                .and_then(|c| reference.get(c))
                .is_some_and(|c| c.special.is_none())
        };
        let mut order: Vec<usize> = (0..series.points.len())
            .filter(|&i| {
                let p = &series.points[i];
                p.value.is_some() && p.country.as_deref().is_some_and(is_country)
            })
            .collect();
        order.sort_by(|&a, &b| {
            let (va, vb) = (series.points[a].value, series.points[b].value);
            vb.partial_cmp(&va)
                .unwrap_or(std::cmp::Ordering::Equal)
                .then_with(|| series.points[a].country.cmp(&series.points[b].country))
        });
        order.truncate(top);
        Ok(Ranking {
            series,
            year: year.get() as i16,
            order,
        })
    }
}
