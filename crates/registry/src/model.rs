//! What the registry holds: entities (states by ISO3, groups of states, organisations, cities,
//! …), pledges made at the forums, dated progress updates, and links from a pledge to indicators
//! of the evidence store (positions are in `position`). Each is read from JSON or CSV and checked
//! against the model's rules before it is stored.

use passage_domain::{iso3166_by_alpha3, CodeSystem, CountryCode, SpecialCode};
use serde::{Deserialize, Serialize};

use crate::RegistryError;

/// What sort of body an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// A UN member state or other state.
    State,
    /// States that negotiate or speak together, such as the African Group or the European
    /// Union; it states positions, and has no country of its own.
    GroupOfStates,
    /// An international or UN organisation.
    InternationalOrganisation,
    /// A non-governmental organisation.
    Ngo,
    /// A company or business association.
    PrivateSector,
    /// A university, research institute or academic network.
    Academia,
    /// An organisation led by refugees.
    RefugeeLedOrganisation,
    /// A city or other local authority.
    City,
    /// A faith-based organisation.
    FaithBased,
    /// A sports organisation.
    Sports,
    /// Any other kind of body.
    Other,
}

/// A state or organisation that makes pledges.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entity {
    /// Lowercase letters, digits and `-`; a state's id is its ISO3 code in lowercase.
    pub id: String,
    /// What sort of body it is.
    pub kind: EntityKind,
    /// The entity's name.
    pub name: String,
    /// ISO3 of a state, or of the country an organisation is based in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// Marks made-up records of the seed file, so they are never taken for real pledges. Only
    /// an administrator sets or clears it on an existing record.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub example: bool,
}

/// The compact a pledge is made under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Compact {
    /// The Global Compact on Refugees.
    #[serde(rename = "GCR")]
    Gcr,
    /// The Global Compact for Safe, Orderly and Regular Migration.
    #[serde(rename = "GCM")]
    Gcm,
}

/// The forum a pledge was made at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Forum {
    /// Global Refugee Forum (2019, 2023, 2027).
    Grf,
    /// International Migration Review Forum (2022, 2026).
    Imrf,
    /// GCR High-Level Officials Meeting (2021, 2025).
    Hlom,
    /// Any other occasion.
    Other,
}

/// What a pledge offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Contribution {
    /// Money.
    Financial,
    /// Goods or equipment.
    Material,
    /// Expertise or technical assistance.
    Technical,
    /// Resettlement places for refugees.
    ResettlementPlaces,
    /// Complementary pathways (study, work, family reunification).
    ComplementaryPathways,
    /// A change of law or policy.
    Policy,
    /// Staff or volunteers.
    HumanResources,
    /// Anything else.
    Other,
}

/// The GCM's ten guiding principles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Principle {
    /// People-centred.
    PeopleCentred,
    /// International cooperation.
    InternationalCooperation,
    /// National sovereignty.
    NationalSovereignty,
    /// Rule of law and due process.
    RuleOfLaw,
    /// Sustainable development.
    SustainableDevelopment,
    /// Human rights.
    HumanRights,
    /// Gender-responsive.
    GenderResponsive,
    /// Child-sensitive.
    ChildSensitive,
    /// Whole-of-government approach.
    WholeOfGovernment,
    /// Whole-of-society approach.
    WholeOfSociety,
}

/// A commitment made at a forum under one of the compacts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pledge {
    /// Letters, digits, `-`, `_` and `.`, as the forums number them (`GRF-2023-00123`).
    pub id: String,
    /// The pledge's title, as submitted.
    pub title: String,
    /// What is pledged, in the submitter's words.
    #[serde(default)]
    pub description: String,
    /// The submitting entity.
    pub entity: String,
    /// Entities pledging with the submitter. Naming one is a request: it stays pending until an
    /// editor of that entity, or an administrator, confirms it (`co_pledgers_confirmed`); only
    /// confirmed co-pledgers count the pledge among their own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_pledgers: Vec<String>,
    /// The co-pledgers that confirmed. Kept by the registry: what a writer sends here is
    /// replaced by what was confirmed before (and, for an administrator, the co-pledgers it adds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub co_pledgers_confirmed: Vec<String>,
    /// Pledges this one matches (a donor's pledge matching a host's, for example).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub matched: Vec<String>,
    /// The forum it was made at.
    pub forum: Forum,
    /// The year of that forum.
    pub forum_year: i32,
    /// The compact it is made under.
    pub compact: Compact,
    /// GCR 1–4 or GCM 1–23, by the pledge's compact.
    #[serde(default)]
    pub objectives: Vec<u8>,
    /// The GCM guiding principles it applies (GCM pledges).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub principles: Vec<Principle>,
    /// The area (GRF 2019) or outcome (GRF 2023) the pledge belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub area: Option<String>,
    /// What it offers.
    pub contribution: Contribution,
    /// The sum pledged, in `currency`, when the pledge names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<f64>,
    /// ISO 4217, with `amount`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// Resettlement or pathway places.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub places: Option<u32>,
    /// ISO3 codes of the countries it concerns; empty means global.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scope: Vec<String>,
    /// YYYY-MM-DD.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_date: Option<String>,
    /// As for entities: only an administrator changes it on an existing pledge.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub example: bool,
}

/// How far a pledge has come, as of a progress update.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Being prepared; nothing delivered yet.
    Planning,
    /// Being carried out.
    InProgress,
    /// Delivered in full.
    Fulfilled,
}

/// A dated report of progress on a pledge. Its id is given by the registry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressUpdate {
    /// `PLEDGE-uN`, given by the registry; empty in a submission.
    #[serde(default)]
    pub id: String,
    /// The pledge's id, set by the registry from the request.
    #[serde(default)]
    pub pledge: String,
    /// The stage reached.
    pub stage: Stage,
    /// YYYY-MM-DD.
    pub date: String,
    /// What was done, in the submitter's words.
    pub text: String,
    /// http(s) links to the evidence.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The reviewer's token id, once verified; set only by the verify action.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_by: Option<String>,
}

/// A link from a pledge to an indicator of the evidence store, for a country and role.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorLink {
    /// `PLEDGE-lN`, given by the registry; empty in a submission.
    #[serde(default)]
    pub id: String,
    /// The pledge's id, set by the registry from the request.
    #[serde(default)]
    pub pledge: String,
    /// The id of an indicator of the catalogue.
    pub indicator: String,
    /// ISO3 of the country the indicator is read for; none for the world.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// host or origin.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Why the indicator measures the pledge, in the submitter's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

pub(crate) fn slug(field: &str, id: &str, extra: &[u8]) -> Result<(), RegistryError> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || extra.contains(&b)
        });
    if ok {
        Ok(())
    } else {
        Err(RegistryError::invalid(
            field,
            format!("`{id}` must be 1–64 lowercase letters, digits or `-`"),
        ))
    }
}

fn not_blank(field: &str, text: &str) -> Result<(), RegistryError> {
    if text.trim().is_empty() {
        Err(RegistryError::invalid(field, "must not be empty"))
    } else {
        Ok(())
    }
}

/// An ISO 3166 alpha-3 code of the ISO 3166-1 table, or the ISO-column form of a special code
/// (`UNK` unknown, `XXA` stateless, …), canonical (uppercase). A code of the right shape that is
/// not one is refused by name: UNHCR's own codes (`GFR` for Germany) are the usual mistake.
pub fn iso3(field: &str, code: &str) -> Result<String, RegistryError> {
    let parsed =
        CountryCode::parse(CodeSystem::Iso, code).map_err(|e| RegistryError::invalid(field, e))?;
    let upper = parsed.as_str();
    if iso3166_by_alpha3(upper).is_some() {
        return Ok(upper.to_string());
    }
    if let Some(special) = SpecialCode::ALL
        .into_iter()
        .find(|s| s.iso() == upper || s.iso_aliases().contains(&upper))
    {
        return Ok(special.iso().to_string());
    }
    Err(RegistryError::invalid(
        field,
        format!(
            "`{code}` is not an ISO 3166 alpha-3 code; UNHCR's own codes (GFR for Germany) are not ISO codes"
        ),
    ))
}

/// A calendar date `YYYY-MM-DD`.
pub fn date(field: &str, text: &str) -> Result<(), RegistryError> {
    let parts: Vec<&str> = text.split('-').collect();
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let valid = match parts.as_slice() {
        [y, m, d] => match (num(y, 4), num(m, 2), num(d, 2)) {
            (Some(y), Some(m), Some(d)) => {
                let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
                let days = [
                    31,
                    if leap { 29 } else { 28 },
                    31,
                    30,
                    31,
                    30,
                    31,
                    31,
                    30,
                    31,
                    30,
                    31,
                ];
                (1..=12).contains(&m) && d >= 1 && d <= days[(m - 1) as usize]
            }
            _ => false,
        },
        _ => false,
    };
    if valid {
        Ok(())
    } else {
        Err(RegistryError::invalid(
            field,
            format!("`{text}` is not a date YYYY-MM-DD"),
        ))
    }
}

impl Entity {
    /// Checks the entity's own rules; a state's country becomes canonical.
    pub fn check(&mut self) -> Result<(), RegistryError> {
        slug("id", &self.id, &[])?;
        not_blank("name", &self.name)?;
        if let Some(c) = &self.country {
            self.country = Some(iso3("country", c)?);
        }
        if self.kind == EntityKind::State && self.country.is_none() {
            return Err(RegistryError::invalid(
                "country",
                "a state needs its ISO3 code",
            ));
        }
        if self.kind == EntityKind::GroupOfStates && self.country.is_some() {
            return Err(RegistryError::invalid(
                "country",
                "a group of states has no country of its own",
            ));
        }
        Ok(())
    }
}

impl Pledge {
    /// Checks the pledge's own rules; references to other objects are checked by the registry.
    pub fn check(&mut self) -> Result<(), RegistryError> {
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 64
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
        if !id_ok {
            return Err(RegistryError::invalid(
                "id",
                format!(
                    "`{}` must be 1–64 letters, digits, `-`, `_` or `.`",
                    self.id
                ),
            ));
        }
        not_blank("title", &self.title)?;
        slug("entity", &self.entity, &[])?;
        if !(2016..=2100).contains(&self.forum_year) {
            return Err(RegistryError::invalid(
                "forum_year",
                format!("{} is not a year of the compacts' forums", self.forum_year),
            ));
        }
        let max = match self.compact {
            Compact::Gcr => 4,
            Compact::Gcm => 23,
        };
        if let Some(o) = self.objectives.iter().find(|o| !(1..=max).contains(*o)) {
            return Err(RegistryError::invalid(
                "objectives",
                format!(
                    "{o} is not an objective of the {:?} (1–{max})",
                    self.compact
                ),
            ));
        }
        if self.compact == Compact::Gcr && !self.principles.is_empty() {
            return Err(RegistryError::invalid(
                "principles",
                "guiding principles belong to GCM pledges",
            ));
        }
        match (self.contribution, self.amount, &self.currency) {
            (Contribution::Financial, Some(a), Some(c)) => {
                if !(a.is_finite() && a > 0.0) {
                    return Err(RegistryError::invalid(
                        "amount",
                        "must be a positive number",
                    ));
                }
                if !(c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase())) {
                    return Err(RegistryError::invalid(
                        "currency",
                        format!("`{c}` is not an ISO 4217 code such as USD"),
                    ));
                }
            }
            (Contribution::Financial, _, _) => {
                return Err(RegistryError::invalid(
                    "amount",
                    "a financial pledge needs an amount and a currency",
                ))
            }
            (_, None, None) => {}
            _ => {
                return Err(RegistryError::invalid(
                    "amount",
                    "only financial pledges carry an amount and currency",
                ))
            }
        }
        let placed = matches!(
            self.contribution,
            Contribution::ResettlementPlaces | Contribution::ComplementaryPathways
        );
        match (placed, self.places) {
            (true, None) | (true, Some(0)) => {
                return Err(RegistryError::invalid(
                    "places",
                    "a resettlement or pathways pledge needs a number of places",
                ))
            }
            (false, Some(_)) => {
                return Err(RegistryError::invalid(
                    "places",
                    "only resettlement and pathways pledges carry places",
                ))
            }
            _ => {}
        }
        for c in &mut self.scope {
            *c = iso3("scope", c)?;
        }
        if let Some(d) = &self.target_date {
            date("target_date", d)?;
        }
        if self.co_pledgers.contains(&self.entity) {
            return Err(RegistryError::invalid(
                "co_pledgers",
                "the submitting entity is not its own co-pledger",
            ));
        }
        if self.matched.contains(&self.id) {
            return Err(RegistryError::invalid(
                "matched",
                "a pledge does not match itself",
            ));
        }
        Ok(())
    }
}

impl ProgressUpdate {
    /// Checks the update's own rules: a valid date, a non-blank text, http(s) evidence links.
    pub fn check(&self) -> Result<(), RegistryError> {
        date("date", &self.date)?;
        not_blank("text", &self.text)?;
        for url in &self.evidence {
            if !(url.starts_with("https://") || url.starts_with("http://"))
                || url.contains(char::is_whitespace)
            {
                return Err(RegistryError::invalid(
                    "evidence",
                    format!("`{url}` is not an http(s) link"),
                ));
            }
        }
        Ok(())
    }
}

impl IndicatorLink {
    /// Checks the link against the indicator catalogue's ids.
    pub fn check(&mut self, indicators: &[String]) -> Result<(), RegistryError> {
        if !indicators.iter().any(|i| i == &self.indicator) {
            return Err(RegistryError::invalid(
                "indicator",
                format!("`{}` is not in the indicator catalogue", self.indicator),
            ));
        }
        if let Some(c) = &self.country {
            self.country = Some(iso3("country", c)?);
        }
        match self.role.as_deref() {
            None | Some("host") | Some("origin") => Ok(()),
            Some(other) => Err(RegistryError::invalid(
                "role",
                format!("`{other}` is not host or origin"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pledge() -> Pledge {
        serde_json::from_value(serde_json::json!({
            "id": "EX-GRF-2023-0001", "title": "Resettle refugees", "entity": "example-state",
            "forum": "grf", "forum_year": 2023, "compact": "GCR", "objectives": [3],
            "contribution": "resettlement_places", "places": 5000, "scope": ["syr"]
        }))
        .unwrap()
    }

    #[test]
    fn rules_of_pledges() {
        let mut p = pledge();
        p.check().unwrap();
        assert_eq!(p.scope, vec!["SYR"]);
        let bad = |f: fn(&mut Pledge)| {
            let mut p = pledge();
            f(&mut p);
            p.check().unwrap_err().to_string()
        };
        assert!(bad(|p| p.objectives = vec![5]).starts_with("`objectives`"));
        assert!(bad(|p| p.places = None).starts_with("`places`"));
        assert!(bad(|p| p.contribution = Contribution::Financial).starts_with("`amount`"));
        assert!(bad(|p| {
            p.contribution = Contribution::Financial;
            p.places = None;
            p.amount = Some(1e6);
            p.currency = Some("usd".into());
        })
        .starts_with("`currency`"));
        assert!(bad(|p| p.target_date = Some("2024-02-30".into())).starts_with("`target_date`"));
        assert!(bad(|p| p.principles = vec![Principle::HumanRights]).starts_with("`principles`"));
        assert!(bad(|p| p.scope = vec!["XYZ1".into()]).starts_with("`scope`"));
        assert!(bad(|p| p.id = "has space".into()).starts_with("`id`"));
    }

    #[test]
    fn country_codes_outside_iso_3166_are_refused_by_name() {
        let mut p = pledge();
        p.scope = vec!["GFR".into(), "XYZ".into()];
        assert_eq!(
            p.check().unwrap_err().to_string(),
            "`scope`: `GFR` is not an ISO 3166 alpha-3 code; UNHCR's own codes (GFR for Germany) are not ISO codes"
        );
        p.scope = vec!["DEU".into(), "xyz".into()];
        let err = p.check().unwrap_err().to_string();
        assert!(
            err.starts_with("`scope`: `xyz` is not an ISO 3166 alpha-3 code"),
            "{err}"
        );
        // Special codes are taken in their canonical ISO-column form.
        assert_eq!(iso3("country", "STA").unwrap(), "XXA");
        assert_eq!(iso3("scope", "xxx").unwrap(), "UNK");
        assert_eq!(iso3("scope", "deu").unwrap(), "DEU");
    }

    #[test]
    fn rules_of_entities_updates_and_links() {
        let mut e = Entity {
            id: "deu".into(),
            kind: EntityKind::State,
            name: "Germany".into(),
            country: None,
            example: false,
        };
        assert!(e.check().unwrap_err().to_string().starts_with("`country`"));
        e.country = Some("deu".into());
        e.check().unwrap();
        assert_eq!(e.country.as_deref(), Some("DEU"));
        let u = ProgressUpdate {
            id: String::new(),
            pledge: String::new(),
            stage: Stage::InProgress,
            date: "2024-02-29".into(),
            text: "Half the places filled.".into(),
            evidence: vec!["ftp://x".into()],
            verified_by: None,
        };
        assert!(u.check().unwrap_err().to_string().starts_with("`evidence`"));
        let mut l = IndicatorLink {
            id: String::new(),
            pledge: String::new(),
            indicator: "resettlement_arrivals".into(),
            country: Some("can".into()),
            role: Some("host".into()),
            note: None,
        };
        l.check(&["resettlement_arrivals".into()]).unwrap();
        assert!(l.check(&[]).is_err());
    }
}
