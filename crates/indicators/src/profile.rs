//! Country profiles: one call computes, for a country, every indicator that applies to it as host
//! and as origin over the requested years, each with its sources: the material of dashboards and
//! reports.

use passage_store::{Release, YearFilter};

use crate::evaluate::{Engine, Request, Series};
use crate::place::Place;
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
        // The series are independent: computed on two threads, a profile takes half the time a
        // country page waits for it.
        let (first, second) = requests.split_at(requests.len() / 2);
        let evaluate_all = |part: &[Request]| -> Result<Vec<Series<'c>>, IndicatorError> {
            part.iter().map(|r| self.evaluate(release, r)).collect()
        };
        let (a, b) = std::thread::scope(|scope| {
            let other = scope.spawn(|| evaluate_all(second));
            let mine = evaluate_all(first);
            (mine, other.join())
        });
        let mut sections = a?;
        match b {
            Ok(b) => sections.extend(b?),
            // A panic in the other thread is not expected; computing its half here keeps the
            // answer whole rather than losing it.
            Err(_) => sections.extend(evaluate_all(second)?),
        }
        Ok(Profile {
            country: code.clone(),
            name: known.name.clone(),
            sections,
        })
    }
}
