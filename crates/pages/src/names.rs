//! Country names and links as pages show them, from the release's country list.

use passage_domain::{CodeSystem, CountryCode};
use passage_store::Release;

/// The name of the country with this ISO3 code, or the code itself when the list lacks it.
pub fn country_name(release: &Release, iso3: &str) -> String {
    CountryCode::parse(CodeSystem::Iso, iso3)
        .ok()
        .and_then(|c| release.countries().get(c))
        .map_or_else(|| iso3.to_string(), |c| c.name.clone())
}

/// Whether the code is a country of the list (not an "unknown origin" or "stateless" code).
pub fn is_country(release: &Release, iso3: &str) -> bool {
    CountryCode::parse(CodeSystem::Iso, iso3)
        .ok()
        .and_then(|c| release.countries().get(c))
        .is_some_and(|c| c.special.is_none())
}

/// The page of a country.
pub fn country_href(iso3: &str) -> String {
    format!("/countries/{iso3}")
}
