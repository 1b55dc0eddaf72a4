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
        let mut sections = Vec::new();
        for indicator in &self.catalogue.indicators {
            for role in &indicator.roles {
                let mut request = Request::new(&indicator.id, place.clone(), Some(*role));
                request.years = years.clone();
                sections.push(self.evaluate(release, &request)?);
            }
        }
        Ok(Profile {
            country: code.clone(),
            name: known.name.clone(),
            sections,
        })
    }
}
