//! The indicator catalogue: every indicator defined once, as data (`catalogue.toml`), parsed and
//! checked against the dataset schemas at start. Each names the compact objectives it evidences,
//! its unit, its formula in words and as terms, its caveats, and the places it applies to.

use std::fmt;

use passage_datasets::Dataset;
use serde::{Deserialize, Serialize};

use crate::country_group::GROUP_NAMES;
use crate::term::{FilterValues, Term};
use crate::CatalogueError;

const CATALOGUE_FILE: &str = "catalogue.toml";

/// Which compact or framework an objective belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Framework {
    /// The Global Compact on Refugees.
    #[serde(rename = "GCR")]
    Gcr,
    /// The Global Compact for Safe, Orderly and Regular Migration.
    #[serde(rename = "GCM")]
    Gcm,
    /// The Sustainable Development Goals (migration targets, 10.7).
    #[serde(rename = "SDG")]
    Sdg,
}

/// An objective of the GCR (1–4), the GCM (1–23), or an SDG indicator (10.7.x).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Objective {
    /// The compact or framework.
    pub framework: Framework,
    /// The objective's number within it, such as `8` or `10.7.3`.
    pub number: String,
}

impl Objective {
    /// Parses `GCR 1`, `GCM 8` or `SDG 10.7.3`, refusing numbers the framework does not have.
    pub fn parse(text: &str) -> Result<Objective, String> {
        let (fw, number) = text
            .trim()
            .split_once(' ')
            .ok_or_else(|| format!("`{text}` is not like `GCR 1`, `GCM 8` or `SDG 10.7.3`"))?;
        let in_range = |max: u32| number.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n));
        let framework = match fw {
            "GCR" if in_range(4) => Framework::Gcr,
            "GCM" if in_range(23) => Framework::Gcm,
            "SDG" if number.starts_with("10.7") => Framework::Sdg,
            _ => {
                return Err(format!(
                    "`{text}`: objectives are GCR 1–4, GCM 1–23 or SDG 10.7.x"
                ))
            }
        };
        Ok(Objective {
            framework,
            number: number.into(),
        })
    }
}

impl fmt::Display for Objective {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fw = match self.framework {
            Framework::Gcr => "GCR",
            Framework::Gcm => "GCM",
            Framework::Sdg => "SDG",
        };
        write!(f, "{fw} {}", self.number)
    }
}

impl Serialize for Objective {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The side a country is on in a figure: hosting people (asylum, arrival, destination) or being
/// the country they come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The country hosts the people counted: asylum, arrival or destination.
    Host,
    /// The people counted come from the country.
    Origin,
}

impl Role {
    /// Reads `host` (or its synonyms `asylum`, `destination`) or `origin`, in any case.
    pub fn parse(text: &str) -> Option<Role> {
        match text.trim().to_ascii_lowercase().as_str() {
            "host" | "asylum" | "destination" => Some(Role::Host),
            "origin" => Some(Role::Origin),
            _ => None,
        }
    }

    /// The role as written in requests and outputs.
    pub fn name(self) -> &'static str {
        match self {
            Role::Host => "host",
            Role::Origin => "origin",
        }
    }

    /// The dimension holding the country in this role, for a dataset. Country-level datasets
    /// (population, GDP, IDMC) have one country column, the same in both roles.
    pub fn dim(self, dataset: Dataset) -> Option<&'static str> {
        let side = match self {
            Role::Host => dataset.asylum_dim(),
            Role::Origin => dataset.origin_dim(),
        };
        side.or_else(|| dataset.country_dim())
    }
}

/// How an indicator's value is computed from its terms.
#[derive(Debug, Clone, PartialEq)]
pub enum Formula {
    /// The sum of the terms.
    Sum(Vec<Term>),
    /// `scale × sum(numerator) / sum(denominator)`.
    Ratio {
        /// Terms summed above the line.
        numerator: Vec<Term>,
        /// Terms summed below the line.
        denominator: Vec<Term>,
        /// The factor applied to the quotient, such as 100 for a percentage.
        scale: f64,
    },
}

impl Formula {
    /// Every term, numerator first.
    pub fn terms(&self) -> impl Iterator<Item = &Term> {
        let (a, b): (&[Term], &[Term]) = match self {
            Formula::Sum(t) => (t, &[]),
            Formula::Ratio {
                numerator,
                denominator,
                ..
            } => (numerator, denominator),
        };
        a.iter().chain(b)
    }
}

/// One indicator of the catalogue: what it measures, for which objectives, and how it is computed.
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// The stable id users request it by, such as `forcibly_displaced`.
    pub id: String,
    /// The human-readable title.
    pub title: String,
    /// The compact objectives and SDG indicators it measures.
    pub objectives: Vec<Objective>,
    /// The unit of its values, such as `persons` or `per cent`.
    pub unit: String,
    /// Decimal places its values are shown with.
    pub decimals: u8,
    /// What the figure counts, in words, with its sources' definitions.
    pub definition: String,
    /// Known limits users should read before citing a figure.
    pub caveats: Vec<String>,
    /// The roles a single country can take; empty for world-only indicators.
    pub roles: Vec<Role>,
    /// Dimensions a figure may be broken down by.
    pub by: Vec<String>,
    /// Dimensions a figure is always split by, because summing across them would be wrong
    /// (cases and persons).
    pub split: Vec<String>,
    /// How the figure is computed from the datasets.
    pub formula: Formula,
}

impl Indicator {
    /// The datasets its terms read, in catalogue order, without repeats.
    pub fn sources(&self) -> Vec<Dataset> {
        let mut out: Vec<Dataset> = Vec::new();
        for t in self.formula.terms() {
            if !out.contains(&t.dataset) {
                out.push(t.dataset);
            }
        }
        out
    }

    /// The compacts and frameworks its objectives belong to.
    pub fn frameworks(&self) -> Vec<Framework> {
        let mut out = Vec::new();
        for o in &self.objectives {
            if !out.contains(&o.framework) {
                out.push(o.framework);
            }
        }
        out
    }

    /// The catalogue entry as JSON, as the API and `passage indicator list --format json` give it.
    pub fn to_json(&self) -> serde_json::Value {
        let (kind, terms) = match &self.formula {
            Formula::Sum(t) => ("sum", serde_json::json!({ "terms": texts(t) })),
            Formula::Ratio {
                numerator,
                denominator,
                scale,
            } => (
                "ratio",
                serde_json::json!({
                    "numerator": texts(numerator),
                    "denominator": texts(denominator),
                    "scale": scale,
                }),
            ),
        };
        serde_json::json!({
            "id": self.id,
            "title": self.title,
            "frameworks": self.frameworks(),
            "objectives": self.objectives,
            "unit": self.unit,
            "definition": self.definition,
            "formula": { "kind": kind, "terms": terms },
            "sources": self.sources().iter().map(|d| d.name()).collect::<Vec<_>>(),
            "roles": self.roles,
            "by": self.by,
            "split": self.split,
            "caveats": self.caveats,
        })
    }
}

fn texts(terms: &[Term]) -> Vec<&str> {
    terms.iter().map(|t| t.text.as_str()).collect()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    indicator: Vec<RawIndicator>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawIndicator {
    id: String,
    title: String,
    objectives: Vec<String>,
    unit: String,
    #[serde(default)]
    decimals: u8,
    definition: String,
    #[serde(default)]
    caveats: Vec<String>,
    #[serde(default)]
    roles: Vec<String>,
    #[serde(default)]
    by: Vec<String>,
    #[serde(default)]
    split: Vec<String>,
    #[serde(default)]
    sum: Vec<String>,
    #[serde(default)]
    numerator: Vec<String>,
    #[serde(default)]
    denominator: Vec<String>,
    scale: Option<f64>,
}

/// The parsed catalogue, in file order.
#[derive(Debug, Clone)]
pub struct Catalogue {
    /// Every indicator, in catalogue order.
    pub indicators: Vec<Indicator>,
}

impl Catalogue {
    /// The catalogue shipped with Passage.
    pub fn builtin() -> Result<Catalogue, CatalogueError> {
        Catalogue::parse(include_str!("../catalogue.toml"))
    }

    /// The indicator with this id, if the catalogue has one.
    pub fn get(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// Parses a catalogue in TOML, checking each term against the dataset schemas.
    pub fn parse(text: &str) -> Result<Catalogue, CatalogueError> {
        let raw: RawCatalogue = toml::from_str(text).map_err(|e| CatalogueError::Toml {
            file: CATALOGUE_FILE.into(),
            message: e.to_string(),
        })?;
        let mut indicators: Vec<Indicator> = Vec::with_capacity(raw.indicator.len());
        for r in raw.indicator {
            let field = |field: &str, message: String| CatalogueError::Field {
                file: CATALOGUE_FILE.into(),
                indicator: r.id.clone(),
                field: field.into(),
                message,
            };
            if indicators.iter().any(|i| i.id == r.id) {
                return Err(field("id", "defined twice".into()));
            }
            let objectives = r
                .objectives
                .iter()
                .map(|o| Objective::parse(o))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|m| field("objectives", m))?;
            let roles = r
                .roles
                .iter()
                .map(|t| Role::parse(t).ok_or_else(|| format!("`{t}` is not host or origin")))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|m| field("roles", m))?;
            let terms = |name: &str, list: &[String]| {
                list.iter()
                    .map(|t| Term::parse(t))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(|m| field(name, m))
            };
            let formula = match (r.sum.is_empty(), r.numerator.is_empty(), r.scale) {
                (false, true, None) => Formula::Sum(terms("sum", &r.sum)?),
                (true, false, scale) if !r.denominator.is_empty() => Formula::Ratio {
                    numerator: terms("numerator", &r.numerator)?,
                    denominator: terms("denominator", &r.denominator)?,
                    scale: scale.unwrap_or(1.0),
                },
                _ => {
                    return Err(field(
                        "sum",
                        "give either `sum`, or `numerator` and `denominator` (and `scale`)".into(),
                    ))
                }
            };
            for t in formula.terms() {
                for role in &roles {
                    if role.dim(t.dataset).is_none() {
                        return Err(field(
                            "roles",
                            format!(
                                "term `{}` has no country column for {}",
                                t.text,
                                role.name()
                            ),
                        ));
                    }
                }
                for f in &t.filters {
                    if let FilterValues::Group(g) = &f.values {
                        if !GROUP_NAMES.contains(&g.as_str()) {
                            return Err(field(
                                "terms",
                                format!("`{}`: unknown group `@{g}`", t.text),
                            ));
                        }
                    }
                }
                for d in r.by.iter().chain(&r.split) {
                    if !t.dataset.schema().dims.contains(&d.as_str()) {
                        return Err(field(
                            "by",
                            format!("term `{}` has no dimension `{d}`", t.text),
                        ));
                    }
                }
            }
            indicators.push(Indicator {
                id: r.id,
                title: r.title,
                objectives,
                unit: r.unit,
                decimals: r.decimals,
                definition: r.definition,
                caveats: r.caveats,
                roles,
                by: r.by,
                split: r.split,
                formula,
            });
        }
        Ok(Catalogue { indicators })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_catalogue_parses_and_covers_the_compacts() {
        let c = Catalogue::builtin().unwrap();
        assert!(c.indicators.len() >= 20);
        for fw in [Framework::Gcr, Framework::Gcm, Framework::Sdg] {
            assert!(c.indicators.iter().any(|i| i.frameworks().contains(&fw)));
        }
        for id in [
            "forcibly_displaced",
            "sdg_10_7_4",
            "sdg_10_7_3",
            "refugee_recognition_rate",
        ] {
            assert!(c.get(id).is_some(), "{id}");
        }
    }

    #[test]
    fn errors_name_the_indicator_and_field() {
        let text = r#"
[[indicator]]
id = "x"
title = "X"
objectives = ["GCR 5"]
unit = "persons"
definition = "d"
sum = ["population.refugees"]
"#;
        let err = Catalogue::parse(text).unwrap_err().to_string();
        assert_eq!(
            err,
            "catalogue.toml: indicator `x`, field `objectives`: `GCR 5`: objectives are GCR 1–4, GCM 1–23 or SDG 10.7.x"
        );
        let text = text
            .replace("GCR 5", "GCR 1")
            .replace("population.refugees", "missing_migrants.dead")
            + "roles = [\"host\"]\n";
        let err = Catalogue::parse(&text).unwrap_err().to_string();
        assert!(err.contains("field `roles`"), "{err}");
    }
}
