//! Where a figure is about: the world, one country, a region (a UNHCR or UN M49 region, subregion
//! or intermediate region), or every country at once. Regions resolve to their member countries
//! through the release's own country reference, so they follow the data.

use passage_domain::{canonical_iso, CodeSystem, CountryCode, CountryRef};
use serde::Serialize;

use crate::IndicatorError;

/// The place an indicator is computed for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum Place {
    /// The whole world: every row, one figure.
    World,
    /// One country, by canonical ISO3 code.
    Country(String),
    /// The countries of a UNHCR or M49 region, by its name.
    Region(String),
    /// Every country, one figure each.
    EachCountry,
    /// A named set of countries, such as the states that voted against a resolution: one figure
    /// for them together, computed as for a region.
    Countries {
        /// The set's name in outputs, such as `voted no on A/RES/73/195`.
        name: String,
        /// Its members' canonical ISO3 codes.
        members: Vec<String>,
    },
}

impl Place {
    /// A country from an ISO3 code, refused if it is not one.
    pub fn country(code: &str, parameter: &str) -> Result<Place, IndicatorError> {
        Ok(Place::Country(canonical_country(code, parameter)?))
    }

    /// A set of countries from ISO3 codes, each refused if it is not one.
    pub fn countries(
        name: &str,
        codes: &[String],
        parameter: &str,
    ) -> Result<Place, IndicatorError> {
        Ok(Place::Countries {
            name: name.to_string(),
            members: codes
                .iter()
                .map(|c| canonical_country(c, parameter))
                .collect::<Result<_, _>>()?,
        })
    }

    /// The countries a place filters on, or `None` when it keeps every row.
    pub fn members(
        &self,
        reference: &CountryRef,
        parameter: &str,
    ) -> Result<Option<Vec<String>>, IndicatorError> {
        match self {
            Place::World | Place::EachCountry => Ok(None),
            Place::Country(code) => Ok(Some(vec![code.clone()])),
            Place::Countries { members, .. } => Ok(Some(members.clone())),
            Place::Region(name) => {
                let members = region_members(reference, name);
                if members.is_empty() {
                    let mut known = region_names(reference);
                    known.sort_unstable();
                    known.dedup();
                    return Err(IndicatorError::bad(
                        parameter,
                        format!("no region is named `{name}`; regions: {}", known.join(", ")),
                    ));
                }
                Ok(Some(members))
            }
        }
    }

    /// The place as shown in outputs: `world`, the country code or the region name.
    pub fn label(&self) -> String {
        match self {
            Place::World => "world".into(),
            Place::Country(c) => c.clone(),
            Place::Region(r) => r.clone(),
            Place::EachCountry => "each country".into(),
            Place::Countries { name, .. } => name.clone(),
        }
    }
}

/// The canonical ISO3 code of `code`, refused naming `parameter` if it is not one.
fn canonical_country(code: &str, parameter: &str) -> Result<String, IndicatorError> {
    let code = CountryCode::parse(CodeSystem::Iso, code.trim())
        .map_err(|e| IndicatorError::bad(parameter, e.to_string()))?;
    Ok(canonical_iso(code).as_str().to_string())
}

/// UNHCR's regions are written `unhcr:NAME`, because they share names with UN M49 regions but not
/// members (UNHCR's Europe includes Türkiye; M49's does not).
const UNHCR_PREFIX: &str = "unhcr:";

/// The regions a country belongs to, M49 names bare and UNHCR's prefixed.
fn regions_of(c: &passage_domain::Country) -> impl Iterator<Item = String> + '_ {
    [&c.m49_region, &c.m49_subregion, &c.m49_intermediate_region]
        .into_iter()
        .filter_map(|r| r.clone())
        .chain(
            c.unhcr_region
                .as_ref()
                .map(|r| format!("{UNHCR_PREFIX}{r}")),
        )
        .filter(|r| !r.is_empty() && r != UNHCR_PREFIX)
}

/// The ISO3 codes of the countries in a region: an M49 region, subregion or intermediate region
/// by its name, or a UNHCR region as `unhcr:NAME`.
pub fn region_members(reference: &CountryRef, name: &str) -> Vec<String> {
    let name = name.trim();
    reference
        .countries()
        .iter()
        .filter(|c| regions_of(c).any(|r| r.eq_ignore_ascii_case(name)))
        .map(|c| c.iso3.as_str().to_string())
        .collect()
}

/// Every region name of the reference.
pub fn region_names(reference: &CountryRef) -> Vec<String> {
    reference.countries().iter().flat_map(regions_of).collect()
}
