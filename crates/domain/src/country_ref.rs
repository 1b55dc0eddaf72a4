//! The country reference of a release: UNHCR's country list joined to ISO 3166 and M49, with lookups
//! in a named code system and the canonical ISO3 that every dataset is joined on.

use std::collections::HashMap;

use crate::{iso3166_by_alpha3, CodeSystem, Country, CountryCode, DomainError, Iso2, SpecialCode};

/// Countries by code, in both systems.
#[derive(Debug, Clone, Default)]
pub struct CountryRef {
    countries: Vec<Country>,
    by_iso: HashMap<CountryCode, usize>,
    by_unhcr: HashMap<CountryCode, usize>,
}

/// One row of UNHCR's country list, as published (all fields raw text).
#[derive(Debug, Clone, Default)]
pub struct CountryRow<'a> {
    /// The ISO 3166 alpha-3 code; empty for entries without one.
    pub iso: &'a str,
    /// UNHCR's country code.
    pub unhcr: &'a str,
    /// The country's English name.
    pub name: &'a str,
    /// UNHCR's regional bureau.
    pub unhcr_region: &'a str,
    /// The UNSD (M49) region.
    pub unsd_region: &'a str,
    /// The UNSD (M49) sub-region.
    pub unsd_subregion: &'a str,
    /// The UNSD (M49) intermediate region.
    pub unsd_imregion: &'a str,
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl CountryRef {
    /// Builds the reference from UNHCR's country list. Special codes are recognised by their UNHCR
    /// code and given their canonical ISO form; those the list lacks (Abyei) are added.
    pub fn from_rows<'a>(
        rows: impl IntoIterator<Item = CountryRow<'a>>,
    ) -> Result<Self, DomainError> {
        let mut reference = CountryRef::default();
        for row in rows {
            let unhcr = CountryCode::parse(CodeSystem::Unhcr, row.unhcr.trim())?;
            let special = SpecialCode::ALL
                .into_iter()
                .find(|s| s.unhcr() == unhcr.as_str());
            // Entries without an ISO code (Tibetan, and list entries such as CUR) are joined on their
            // UNHCR code, as UNHCR's own files do, unless that code is some other country's ISO code.
            let iso_text = match (special, row.iso.trim()) {
                (Some(s), _) => s.iso(),
                (None, "") if iso3166_by_alpha3(unhcr.as_str()).is_none() => unhcr.as_str(),
                (None, iso) => iso,
            };
            let iso3 = CountryCode::parse(CodeSystem::Iso, iso_text)?;
            let entry = iso3166_by_alpha3(iso3.as_str());
            reference.push(Country {
                iso3,
                unhcr,
                iso2: entry.and_then(|e| Iso2::parse(e.alpha2).ok()),
                m49: entry.map(|e| e.numeric),
                name: row.name.trim().to_string(),
                unhcr_region: non_empty(row.unhcr_region),
                m49_region: non_empty(row.unsd_region),
                m49_subregion: non_empty(row.unsd_subregion),
                m49_intermediate_region: non_empty(row.unsd_imregion),
                special,
            });
        }
        for special in SpecialCode::ALL {
            let unhcr = CountryCode::parse(CodeSystem::Unhcr, special.unhcr())?;
            if !reference.by_unhcr.contains_key(&unhcr) {
                reference.push(Country {
                    iso3: CountryCode::parse(CodeSystem::Iso, special.iso())?,
                    unhcr,
                    iso2: None,
                    m49: None,
                    name: special.name().to_string(),
                    unhcr_region: None,
                    m49_region: None,
                    m49_subregion: None,
                    m49_intermediate_region: None,
                    special: Some(special),
                });
            }
        }
        Ok(reference)
    }

    fn push(&mut self, country: Country) {
        let i = self.countries.len();
        self.by_iso.entry(country.iso3).or_insert(i);
        self.by_unhcr.entry(country.unhcr).or_insert(i);
        self.countries.push(country);
    }

    /// Every country and area of the reference, in list order.
    pub fn countries(&self) -> &[Country] {
        &self.countries
    }

    /// The number of countries and areas.
    pub fn len(&self) -> usize {
        self.countries.len()
    }

    /// True when the reference holds no country.
    pub fn is_empty(&self) -> bool {
        self.countries.is_empty()
    }

    /// Finds a country by a code already parsed in its system. ISO aliases of special codes resolve.
    pub fn get(&self, code: CountryCode) -> Option<&Country> {
        match code.system() {
            CodeSystem::Unhcr => self.by_unhcr.get(&code).map(|&i| &self.countries[i]),
            CodeSystem::Iso => {
                let canonical = canonical_iso(code);
                self.by_iso.get(&canonical).map(|&i| &self.countries[i])
            }
        }
    }

    /// Parses `value` in `system` and finds its country.
    pub fn parse(&self, system: CodeSystem, value: &str) -> Result<&Country, DomainError> {
        let code = CountryCode::parse(system, value)?;
        self.get(code).ok_or_else(|| DomainError::UnknownCode {
            value: value.to_string(),
            system: system.name(),
        })
    }
}

impl CountryRef {
    /// Why `value` names no country in `system`, in words a user can act on: a code of the other
    /// system says what it means there ("`GFR` is UNHCR's code for Germany; its ISO3 is DEU"); a code
    /// of neither says so. `None` when `value` is a known code of `system` (or an ISO 3166 code, for
    /// countries the reference lacks), so a filter on it is a real, possibly empty, selection.
    pub fn misread(&self, system: CodeSystem, value: &str) -> Option<String> {
        let Ok(code) = CountryCode::parse(system, value.trim()) else {
            return Some(format!(
                "`{value}` is not a country code: expected three letters or digits, such as SYR"
            ));
        };
        if self.get(code).is_some()
            || (system == CodeSystem::Iso && crate::iso3166_by_alpha3(code.as_str()).is_some())
        {
            return None;
        }
        let other = match system {
            CodeSystem::Iso => CodeSystem::Unhcr,
            CodeSystem::Unhcr => CodeSystem::Iso,
        };
        let there = CountryCode::parse(other, code.as_str())
            .ok()
            .and_then(|c| self.get(c));
        Some(match (system, there) {
            (CodeSystem::Iso, Some(c)) => format!(
                "`{code}` is UNHCR's code for {}; its ISO3 is {}",
                c.name, c.iso3
            ),
            (CodeSystem::Unhcr, Some(c)) => format!(
                "`{code}` is the ISO3 code of {}; its UNHCR code is {}",
                c.name, c.unhcr
            ),
            (_, None) => format!(
                "`{code}` is not a country code of {} (nor of {}); the dataset `countries` lists them",
                system.name(),
                other.name()
            ),
        })
    }
}

/// The canonical ISO form of a code read from an ISO column: special-code aliases (`XXX`, `UKN` for
/// Unknown; `STA` for Stateless) become `UNK` and `XXA`; every other code is itself.
pub fn canonical_iso(code: CountryCode) -> CountryCode {
    for special in SpecialCode::ALL {
        if special.iso_aliases().contains(&code.as_str()) {
            if let Ok(c) = CountryCode::parse(CodeSystem::Iso, special.iso()) {
                return c;
            }
        }
    }
    code
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> CountryRef {
        let rows = [
            ("AUS", "AUL", "Australia", "Asia and the Pacific"),
            ("AUT", "AUS", "Austria", "Europe"),
            ("XXX", "UKN", "Unknown", ""),
            ("XXA", "STA", "Stateless", ""),
            ("", "TIB", "Tibetan", "Asia and the Pacific"),
        ];
        CountryRef::from_rows(rows.iter().map(|&(iso, unhcr, name, region)| CountryRow {
            iso,
            unhcr,
            name,
            unhcr_region: region,
            ..Default::default()
        }))
        .unwrap()
    }

    #[test]
    fn a_code_means_what_its_system_says() {
        let r = fixture();
        assert_eq!(r.parse(CodeSystem::Unhcr, "AUS").unwrap().name, "Austria");
        assert_eq!(r.parse(CodeSystem::Iso, "AUS").unwrap().name, "Australia");
        assert_eq!(
            r.parse(CodeSystem::Iso, "AUS")
                .unwrap()
                .iso2
                .unwrap()
                .as_str(),
            "AU"
        );
        assert_eq!(r.parse(CodeSystem::Iso, "AUT").unwrap().m49, Some(40));
        assert!(r.parse(CodeSystem::Iso, "DEU").is_err());
    }

    #[test]
    fn a_code_of_the_other_system_is_explained() {
        let r = fixture();
        assert_eq!(r.misread(CodeSystem::Iso, "AUT"), None);
        // An ISO 3166 code the reference lacks is a country all the same.
        assert_eq!(r.misread(CodeSystem::Iso, "ATA"), None);
        assert_eq!(
            r.misread(CodeSystem::Iso, "AUL").as_deref(),
            Some("`AUL` is UNHCR's code for Australia; its ISO3 is AUS")
        );
        assert_eq!(
            r.misread(CodeSystem::Unhcr, "AUT").as_deref(),
            Some("`AUT` is the ISO3 code of Austria; its UNHCR code is AUS")
        );
        let none = r.misread(CodeSystem::Iso, "ZZZ").unwrap();
        assert!(none.contains("not a country code"), "{none}");
        assert!(r.misread(CodeSystem::Iso, "Syria").is_some());
    }

    #[test]
    fn special_codes_have_one_canonical_iso() {
        let r = fixture();
        for alias in ["UNK", "XXX", "UKN"] {
            let c = r.parse(CodeSystem::Iso, alias).unwrap();
            assert_eq!(
                (c.iso3.as_str(), c.special),
                ("UNK", Some(SpecialCode::Unknown))
            );
        }
        assert_eq!(
            r.parse(CodeSystem::Iso, "STA").unwrap().iso3.as_str(),
            "XXA"
        );
        assert_eq!(
            r.parse(CodeSystem::Iso, "TIB").unwrap().unhcr.as_str(),
            "TIB"
        );
        let abyei = r.parse(CodeSystem::Unhcr, "AB9").unwrap();
        assert_eq!(
            (abyei.iso3.as_str(), abyei.special),
            ("AB9", Some(SpecialCode::Abyei))
        );
    }
}
