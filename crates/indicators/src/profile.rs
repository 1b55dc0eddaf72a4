//! Country profiles: one call computes, for a country, every indicator that applies to it as host
//! and as origin over the requested years, each with its sources: the material of dashboards and
//! reports.

use passage_store::{Release, YearFilter};

use crate::answer_memo::AnswerMemo;
use crate::evaluate::{Engine, Request, Series};
use crate::place::Place;
use crate::two_threads::on_two_threads;
use crate::IndicatorError;

/// A country profile: every indicator of the catalogue for one country, in each of its roles.
#[derive(Debug, Clone)]
pub struct Profile<'c> {
    /// The country's canonical ISO3 code.
    pub country: String,
    /// The country's name, from the release's country list.
    pub name: String,
    /// One series per indicator and role, in catalogue order.
    pub sections: Vec<Series<'c>>,
    /// The indicators left out because the release lacks a dataset they read: (indicator id,
    /// dataset). A release made of some sources alone still has a profile of what it holds.
    pub missing: Vec<(String, String)>,
}

impl Engine {
    /// The profile of `country` (an ISO3 code of the release's country list) for the years asked.
    pub fn profile<'c>(
        &'c self,
        release: &Release,
        country: &str,
        years: YearFilter,
    ) -> Result<Profile<'c>, IndicatorError> {
        let place = Place::country(country, "country")?;
        let Place::Country(code) = &place else {
            return Err(IndicatorError::bad("country", "not a country"));
        };
        let reference = release.countries();
        let known = passage_domain::CountryCode::parse(passage_domain::CodeSystem::Iso, code)
            .ok()
            .and_then(|c| reference.get(c))
            .ok_or_else(|| {
                IndicatorError::bad(
                    "country",
                    format!("`{code}` is not in the release's country list"),
                )
            })?;
        let requests: Vec<Request> = self
            .catalogue
            .indicators
            .iter()
            .flat_map(|i| i.roles.iter().map(move |r| (i, *r)))
            .map(|(indicator, role)| {
                let mut request = Request::new(&indicator.id, place.clone(), Some(role));
                request.years = years.clone();
                request
            })
            .collect();
        // Planned together, the series share the answers of their common selections; computed
        // on two threads, a profile takes about half the time a country page waits for it.
        let mut missing = Vec::new();
        let mut kept = Vec::with_capacity(requests.len());
        let mut plans = Vec::with_capacity(requests.len());
        for r in requests {
            match self.plan(release, &r) {
                Ok(p) => {
                    plans.push(p);
                    kept.push(r);
                }
                Err(IndicatorError::MissingDataset {
                    indicator, dataset, ..
                }) => {
                    if !missing.iter().any(|(i, _)| *i == indicator) {
                        missing.push((indicator, dataset));
                    }
                }
                Err(e) => return Err(e),
            }
        }
        let requests = kept;
        let memo = AnswerMemo::planned(
            release,
            plans.iter().flat_map(|p| p.terms.iter().map(|t| &t.query)),
        );
        memo.fill();
        let sections = on_two_threads(requests.iter().zip(plans).collect(), |(r, p)| {
            self.run_plan(release, r, p, Some(&memo))
        })
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
        Ok(Profile {
            missing,
            country: code.clone(),
            name: known.name.clone(),
            sections,
        })
    }
}
