//! A claim: a sentence as people say it, where it comes from, and the machine-checkable test that
//! decides it: a threshold on one figure, a comparison of two (a trend is the same figure in two
//! years), or a country's rank. Definitions are parsed and checked against the catalogue once.

use std::collections::BTreeMap;

use passage_indicators::{Engine, Place, Role};
use serde::{Deserialize, Serialize};

use crate::ClaimError;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Op {
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = "==")]
    Eq,
}

impl Op {
    pub fn holds(self, a: f64, b: f64) -> bool {
        match self {
            Op::Gt => a > b,
            Op::Ge => a >= b,
            Op::Lt => a < b,
            Op::Le => a <= b,
            Op::Eq => a == b,
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Ge => "≥",
            Op::Lt => "<",
            Op::Le => "≤",
            Op::Eq => "=",
        }
    }
}

/// One figure a test reads: an indicator for the world, a country or a region, in a role,
/// narrowed by breakdown values, in a given year or (without `year`) the latest with data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operand {
    pub indicator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    #[serde(default, rename = "where", skip_serializing_if = "BTreeMap::is_empty")]
    pub filters: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i16>,
}

impl Operand {
    pub fn place(&self) -> Result<Place, String> {
        match (&self.country, &self.region) {
            (Some(_), Some(_)) => Err("give `country` or `region`, not both".into()),
            (Some(c), None) => Place::country(c, "country").map_err(|e| e.to_string()),
            (None, Some(r)) => Ok(Place::Region(r.clone())),
            (None, None) => Ok(Place::World),
        }
    }

    pub fn role(&self) -> Result<Option<Role>, String> {
        self.role
            .as_deref()
            .map(|r| Role::parse(r).ok_or_else(|| format!("role `{r}` is not host or origin")))
            .transpose()
    }

    /// How the operand reads in a verdict: `refugees, TUR as host`.
    pub fn describe(&self) -> String {
        let mut s = self.indicator.clone();
        let place = self
            .country
            .clone()
            .or_else(|| self.region.clone())
            .unwrap_or_else(|| "world".into());
        s.push_str(", ");
        s.push_str(&place);
        if let Some(r) = &self.role {
            s.push_str(" as ");
            s.push_str(r);
        }
        for (k, v) in &self.filters {
            s.push_str(&format!(", {k}={v}"));
        }
        s
    }

    fn check(&self, engine: &Engine) -> Result<(), String> {
        let indicator = engine
            .indicator(&self.indicator)
            .map_err(|e| e.to_string())?;
        let place = self.place()?;
        let role = self.role()?;
        match (&place, role) {
            (Place::World, _) => {}
            (_, Some(r)) if indicator.roles.contains(&r) => {}
            _ => {
                return Err(format!(
                    "`{}` for a country or region needs a role among: {}",
                    self.indicator,
                    indicator
                        .roles
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            }
        }
        for dim in self.filters.keys() {
            if !indicator.by.contains(dim) && !indicator.split.contains(dim) {
                return Err(format!("`{}` has no dimension `{dim}`", self.indicator));
            }
        }
        Ok(())
    }
}

fn one() -> f64 {
    1.0
}

/// What decides a claim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum Test {
    /// `operand op value`.
    Threshold {
        operand: Operand,
        op: Op,
        value: f64,
    },
    /// `left op factor × right`; with both years latest, the latest year both have.
    Compare {
        left: Operand,
        op: Op,
        right: Operand,
        #[serde(default = "one")]
        factor: f64,
    },
    /// The country's rank among all countries, largest first: `rank op position`.
    Rank {
        operand: Operand,
        op: Op,
        position: u32,
    },
}

impl Test {
    pub fn operands(&self) -> Vec<&Operand> {
        match self {
            Test::Threshold { operand, .. } | Test::Rank { operand, .. } => vec![operand],
            Test::Compare { left, right, .. } => vec![left, right],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// Lowercase words joined by `-`.
    pub id: String,
    /// The claim as people say it.
    pub text: String,
    /// Where the claim is heard, and how the test reads it.
    pub context: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    pub test: Test,
}

impl Claim {
    /// Checks a parsed definition against the catalogue; `source` names where it came from.
    pub fn check(&self, engine: &Engine, source: &str) -> Result<(), ClaimError> {
        let invalid = |message: String| ClaimError::Invalid {
            source_name: source.into(),
            claim: self.id.clone(),
            message,
        };
        let id_ok = !self.id.is_empty()
            && self.id.len() <= 80
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(invalid(
                "`id` must be 1–80 lowercase letters, digits and `-`".into(),
            ));
        }
        if self.text.trim().is_empty() {
            return Err(invalid("`text` is empty".into()));
        }
        for o in self.test.operands() {
            o.check(engine).map_err(&invalid)?;
        }
        if let Test::Rank { operand, .. } = &self.test {
            if operand.country.is_none() {
                return Err(invalid("a rank test needs a `country`".into()));
            }
        }
        Ok(())
    }

    /// A fingerprint of the definition, so a verdict history tells which version was evaluated.
    pub fn fingerprint(&self) -> String {
        let text = serde_json::to_string(self).unwrap_or_default();
        let h = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{h:016x}")
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClaimFile {
    claim: Vec<Claim>,
}

/// Parses a TOML file of `[[claim]]` tables and checks each; `source` names the file in errors.
pub fn parse_claims(text: &str, source: &str, engine: &Engine) -> Result<Vec<Claim>, ClaimError> {
    let file: ClaimFile =
        toml::from_str(text).map_err(|e| ClaimError::Syntax(source.into(), e.to_string()))?;
    let mut seen = std::collections::HashSet::new();
    for c in &file.claim {
        c.check(engine, source)?;
        if !seen.insert(c.id.as_str()) {
            return Err(ClaimError::Duplicate(c.id.clone()));
        }
    }
    Ok(file.claim)
}

/// The starter set shipped with Passage: claims heard in public debate.
pub fn starter(engine: &Engine) -> Result<Vec<Claim>, ClaimError> {
    parse_claims(include_str!("../starter.toml"), "starter.toml", engine)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_claim_reads_back_with_the_very_threshold_written() {
        // Found by the claims_json fuzz target: without exact float parsing this value came back
        // one unit in the last place off, and so did the claim's fingerprint.
        let claim = Claim {
            id: "x-1".into(),
            text: "t".into(),
            context: "c".into(),
            tags: vec![],
            test: Test::Threshold {
                operand: Operand {
                    indicator: "refugees".into(),
                    country: None,
                    region: None,
                    role: None,
                    filters: BTreeMap::new(),
                    year: None,
                },
                op: Op::Gt,
                value: 1.2222222222222221e61,
            },
        };
        let line = serde_json::to_string(&claim).unwrap();
        let back: Claim = serde_json::from_str(&line).unwrap();
        assert_eq!(back, claim, "{line}");
        assert_eq!(back.fingerprint(), claim.fingerprint());
    }
}
