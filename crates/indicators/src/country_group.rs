//! Country groups that formulas name with `@`: income groups (World Bank classification) and land
//! neighbours. Both are reference data shipped with Passage (`data/`), parsed once at start, because
//! no dataset of the store carries them.

use std::collections::BTreeSet;

use passage_domain::CountryRef;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Deserialize;

use crate::CatalogueError;

const INCOME_FILE: &str = "data/income_groups.toml";
const BORDERS_FILE: &str = "data/land_borders.txt";

/// The group names a formula may use after `@`.
pub const GROUP_NAMES: [&str; 2] = ["high_income", "low_middle_income"];

/// The country groups formulas name with `@`: income groups and land neighbours.
#[derive(Debug, Clone)]
pub struct CountryGroups {
    /// The income classification the groups follow, such as `World Bank FY2025`.
    pub income_classification: String,
    high: FxHashSet<String>,
    unclassified: FxHashSet<String>,
    borders: FxHashMap<String, BTreeSet<String>>,
    /// Each bordering pair, both ways, as two packed codes: a formula over neighbours asks of
    /// every origin–host row, and comparing strings was most of that.
    pairs: FxHashSet<u64>,
}

/// An ISO3 code's three bytes as one number; `None` for anything else, which borders nothing.
fn packed(code: &str) -> Option<u64> {
    match code.as_bytes() {
        [a, b, c] => Some(u64::from(*a) << 16 | u64::from(*b) << 8 | u64::from(*c)),
        _ => None,
    }
}

/// A pair of codes as one number.
fn pair(a: &str, b: &str) -> Option<u64> {
    Some(packed(a)? << 24 | packed(b)?)
}

#[derive(Deserialize)]
struct IncomeFile {
    classification: String,
    high: Vec<String>,
    unclassified: Vec<String>,
}

impl CountryGroups {
    /// The groups shipped with Passage.
    pub fn builtin() -> Result<CountryGroups, CatalogueError> {
        CountryGroups::parse(
            include_str!("../data/income_groups.toml"),
            include_str!("../data/land_borders.txt"),
        )
    }

    /// Parses income groups (TOML) and land borders (a country and its neighbours per line, ISO3 codes).
    pub fn parse(income: &str, borders: &str) -> Result<CountryGroups, CatalogueError> {
        let file: IncomeFile = toml::from_str(income).map_err(|e| CatalogueError::Toml {
            file: INCOME_FILE.into(),
            message: e.to_string(),
        })?;
        let mut map: FxHashMap<String, BTreeSet<String>> = FxHashMap::default();
        for (i, line) in borders.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let mut codes = line.split_whitespace();
            let country = codes.next().unwrap_or_default();
            for code in std::iter::once(country).chain(codes.clone()) {
                if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
                    return Err(CatalogueError::Line {
                        file: BORDERS_FILE.into(),
                        line: i + 1,
                        message: format!("`{code}` is not an ISO 3166-1 alpha-3 code"),
                    });
                }
            }
            for n in codes {
                map.entry(country.into()).or_default().insert(n.into());
                map.entry(n.into()).or_default().insert(country.into());
            }
        }
        Ok(CountryGroups {
            income_classification: file.classification,
            high: file.high.into_iter().collect(),
            unclassified: file.unclassified.into_iter().collect(),
            pairs: map
                .iter()
                .flat_map(|(a, ns)| ns.iter().filter_map(move |b| pair(a, b)))
                .collect(),
            borders: map,
        })
    }

    /// The ISO3 codes of a group, among the countries of the reference. `None` for an unknown name.
    pub fn members(&self, group: &str, reference: &CountryRef) -> Option<Vec<String>> {
        let keep: Box<dyn Fn(&str) -> bool> = match group {
            "high_income" => Box::new(|c| self.high.contains(c)),
            "low_middle_income" => {
                Box::new(|c| !self.high.contains(c) && !self.unclassified.contains(c))
            }
            _ => return None,
        };
        Some(
            reference
                .countries()
                .iter()
                .filter(|c| c.special.is_none())
                .map(|c| c.iso3.as_str())
                .filter(|c| keep(c))
                .map(String::from)
                .collect(),
        )
    }

    /// Whether two countries share a land border.
    pub fn neighbours(&self, a: &str, b: &str) -> bool {
        pair(a, b).is_some_and(|p| self.pairs.contains(&p))
    }

    /// The land neighbours of a country, sorted.
    pub fn neighbours_of(&self, country: &str) -> Vec<&str> {
        self.borders
            .get(country)
            .map(|n| n.iter().map(String::as_str).collect())
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_border_list_is_symmetric_as_written() {
        let text = include_str!("../data/land_borders.txt");
        let mut pairs = FxHashSet::default();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        {
            let mut codes = line.split_whitespace();
            let a = codes.next().unwrap();
            for b in codes {
                pairs.insert((a, b));
            }
        }
        let missing: Vec<_> = pairs
            .iter()
            .filter(|(a, b)| !pairs.contains(&(*b, *a)))
            .collect();
        assert!(missing.is_empty(), "one-way borders: {missing:?}");
        let groups = CountryGroups::builtin().unwrap();
        assert!(groups.neighbours("SYR", "TUR") && groups.neighbours("TUR", "SYR"));
        assert!(!groups.neighbours("SYR", "DEU"));
        assert!(!groups.neighbours("SYR", "SY") && !groups.neighbours("", "TUR"));
        // The packed pairs agree with the lists, for every pair of listed countries.
        for a in groups.borders.keys() {
            for b in groups.borders.keys() {
                assert_eq!(
                    groups.neighbours(a, b),
                    groups.neighbours_of(a).contains(&b.as_str()),
                    "{a} {b}"
                );
            }
        }
        assert_eq!(groups.neighbours_of("LBN"), vec!["ISR", "SYR"]);
    }

    #[test]
    fn a_bad_code_names_its_line() {
        let err = CountryGroups::parse(
            "classification = \"x\"\nhigh = []\nunclassified = []",
            "# c\nAFG IRN\nSYR tur\n",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "data/land_borders.txt:3: `tur` is not an ISO 3166-1 alpha-3 code"
        );
    }
}
