//! Evaluating a claim on a release: each operand's series is computed once, then the test is
//! decided for the latest year with data, and, when a year is left open, once per data year, so
//! the timeline shows when a claim that once held stopped holding.

use std::collections::BTreeSet;

use passage_domain::CountryRef;
use passage_indicators::{number, ranked, Engine, Place, Request, Series};
use passage_store::Release;
use serde::{Deserialize, Serialize};

use crate::claim::{Claim, Op, Operand, Test};

/// What the data says of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    /// The claim holds.
    True,
    /// The claim does not hold.
    False,
    /// The data cannot decide: a figure is missing, or the release lacks a dataset.
    Undetermined,
}

impl Outcome {
    /// The outcome as written in outputs: `true`, `false` or `undetermined`.
    pub fn name(self) -> &'static str {
        match self {
            Outcome::True => "true",
            Outcome::False => "false",
            Outcome::Undetermined => "undetermined",
        }
    }
}

/// A figure the verdict rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// The operand, described in words (indicator, place and role).
    pub operand: String,
    /// The data year of the figure, if there is one.
    pub year: Option<i16>,
    /// The figure; `None` when the release has none.
    pub value: Option<f64>,
    /// The unit of the figure, from the indicator.
    pub unit: String,
    /// The country's place in the ranking, from 1, for claims about ranks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<usize>,
    /// `mid-year` when the figure counts people at mid-year, not at the year's end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
}

/// The decision on a claim for one data year, with the figures it rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Verdict {
    /// Whether the claim holds.
    pub outcome: Outcome,
    /// The data year the verdict is about (the latest of its figures).
    pub year: Option<i16>,
    /// The figures compared.
    pub observations: Vec<Observation>,
    /// The verdict in one sentence, with its figures.
    pub explanation: String,
}

/// A claim evaluated on one release: the verdict now, and one per data year when open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// The claim's id.
    pub claim: String,
    /// The fingerprint of the definition evaluated, so a changed definition is told apart.
    pub fingerprint: String,
    /// The id of the release evaluated on.
    pub release: String,
    /// The verdict for the latest data year.
    pub verdict: Verdict,
    /// The outcome in each data year, for claims that leave the year open; empty otherwise.
    pub timeline: Vec<(i16, Outcome)>,
}

struct Loaded<'c> {
    operand: &'c Operand,
    series: Series<'c>,
}

impl Loaded<'_> {
    /// The one value of a year, refusing a year split into several figures.
    fn value_at(&self, year: i16) -> Result<Option<f64>, String> {
        let mut found = self.series.points.iter().filter(|p| p.year == year);
        let first = found.next();
        if found.next().is_some() {
            return Err(format!(
                "{} has several figures per year ({}); narrow it with `where`",
                self.operand.describe(),
                self.series.keys.join(", ")
            ));
        }
        Ok(first.and_then(|p| p.value))
    }

    fn years(&self) -> BTreeSet<i16> {
        self.series
            .points
            .iter()
            .filter(|p| p.value.is_some())
            .map(|p| p.year)
            .collect()
    }

    fn observe(&self, year: Option<i16>, value: Option<f64>) -> Observation {
        Observation {
            operand: self.operand.describe(),
            year,
            value: value.map(|v| round(v, self.series.indicator.decimals)),
            unit: self.series.indicator.unit.clone(),
            rank: None,
            period: year.and_then(|y| self.period_at(y)).map(String::from),
        }
    }

    /// The reference period of the year's figure, when it is not the ordinary one.
    fn period_at(&self, year: i16) -> Option<&'static str> {
        self.series
            .points
            .iter()
            .find(|p| p.year == year)
            .and_then(|p| p.period)
    }

    /// The year as an explanation names it: `2025, mid-year` for a mid-year figure.
    fn year_text(&self, year: i16) -> String {
        match self.period_at(year) {
            Some(p) => format!("{year}, {p}"),
            None => year.to_string(),
        }
    }
}

fn round(v: f64, decimals: u8) -> f64 {
    number(Some(v), decimals).as_f64().unwrap_or(v)
}

fn load<'c>(
    engine: &'c Engine,
    release: &Release,
    operand: &'c Operand,
    each: bool,
) -> Result<Loaded<'c>, String> {
    let place = if each {
        Place::EachCountry
    } else {
        operand.place()?
    };
    let mut request = Request::new(&operand.indicator, place, operand.role()?);
    request.filters = operand
        .filters
        .iter()
        .map(|(k, v)| {
            (
                k.clone(),
                v.split(',').map(|s| s.trim().to_string()).collect(),
            )
        })
        .collect();
    let series = engine
        .evaluate(release, &request)
        .map_err(|e| e.to_string())?;
    Ok(Loaded { operand, series })
}

fn undetermined(explanation: String, observations: Vec<Observation>) -> Verdict {
    Verdict {
        outcome: Outcome::Undetermined,
        year: None,
        observations,
        explanation,
    }
}

fn outcome(holds: bool) -> Outcome {
    if holds {
        Outcome::True
    } else {
        Outcome::False
    }
}

/// The year an operand is read in: its own, or the latest with data up to `cap`, among `years`.
fn pick(operand: &Operand, years: &BTreeSet<i16>, cap: i16) -> Option<i16> {
    operand
        .year
        .or_else(|| years.range(..=cap).next_back().copied())
}

fn decide(test: &Test, loaded: &[Loaded<'_>], cap: i16, reference: &CountryRef) -> Verdict {
    match test {
        Test::Threshold { op, value, .. } => {
            let l = &loaded[0];
            let Some(year) = pick(l.operand, &l.years(), cap) else {
                return undetermined(format!("{}: no figure", l.operand.describe()), vec![]);
            };
            let v = match l.value_at(year) {
                Ok(v) => v,
                Err(e) => return undetermined(e, vec![]),
            };
            let obs = vec![l.observe(Some(year), v)];
            let Some(v) = v else {
                return undetermined(
                    format!("{}: no figure for {year}", l.operand.describe()),
                    obs,
                );
            };
            let holds = op.holds(round(v, l.series.indicator.decimals), *value);
            Verdict {
                outcome: outcome(holds),
                year: Some(year),
                explanation: format!(
                    "{} ({}) = {} {} {}: {}",
                    l.operand.describe(),
                    l.year_text(year),
                    obs[0].value.unwrap_or(v),
                    op.symbol(),
                    value,
                    outcome(holds).name()
                ),
                observations: obs,
            }
        }
        Test::Compare { op, factor, .. } => {
            let (l, r) = (&loaded[0], &loaded[1]);
            let (ly, ry) = (l.years(), r.years());
            let (left_year, right_year) = match (l.operand.year, r.operand.year) {
                (None, None) => {
                    let common: BTreeSet<i16> = ly.intersection(&ry).copied().collect();
                    let y = common.range(..=cap).next_back().copied();
                    (y, y)
                }
                _ => (pick(l.operand, &ly, cap), pick(r.operand, &ry, cap)),
            };
            let (Some(a_year), Some(b_year)) = (left_year, right_year) else {
                return undetermined("no year with both figures".into(), vec![]);
            };
            let (a, b) = match (l.value_at(a_year), r.value_at(b_year)) {
                (Ok(a), Ok(b)) => (a, b),
                (Err(e), _) | (_, Err(e)) => return undetermined(e, vec![]),
            };
            let obs = vec![l.observe(Some(a_year), a), r.observe(Some(b_year), b)];
            let (Some(a), Some(b)) = (a, b) else {
                return undetermined("a figure is missing".into(), obs);
            };
            let holds = op.holds(a, factor * b);
            let scaled = if *factor == 1.0 {
                String::new()
            } else {
                format!("{factor} × ")
            };
            Verdict {
                outcome: outcome(holds),
                year: Some(a_year.max(b_year)),
                explanation: format!(
                    "{} ({}) = {} {} {scaled}{} ({}) = {}: {}",
                    l.operand.describe(),
                    l.year_text(a_year),
                    obs[0].value.unwrap_or(a),
                    op.symbol(),
                    r.operand.describe(),
                    r.year_text(b_year),
                    obs[1].value.unwrap_or(b),
                    outcome(holds).name()
                ),
                observations: obs,
            }
        }
        Test::Rank { op, position, .. } => {
            let l = &loaded[0];
            let country = l.operand.country.clone().unwrap_or_default();
            let years: BTreeSet<i16> = l
                .series
                .points
                .iter()
                .filter(|p| p.value.is_some() && p.country.as_deref() == Some(&country))
                .map(|p| p.year)
                .collect();
            let Some(year) = pick(l.operand, &years, cap) else {
                return undetermined(format!("{country}: no figure"), vec![]);
            };
            let order = ranked(&l.series, year, reference);
            let at = order
                .iter()
                .position(|&i| l.series.points[i].country.as_deref() == Some(&country));
            let Some(at) = at else {
                return undetermined(format!("{country}: not ranked in {year}"), vec![]);
            };
            let rank = at + 1;
            let mut own = l.observe(Some(year), l.series.points[order[at]].value);
            own.rank = Some(rank);
            let mut obs = vec![own];
            if at > 0 {
                let top = &l.series.points[order[0]];
                let mut first = l.observe(Some(year), top.value);
                first.operand = format!(
                    "{} (first: {})",
                    l.operand.indicator,
                    top.country.as_deref().unwrap_or("")
                );
                first.rank = Some(1);
                obs.push(first);
            }
            let holds = op.holds(rank as f64, f64::from(*position));
            Verdict {
                outcome: outcome(holds),
                year: Some(year),
                explanation: format!(
                    "{} ranks {rank} of {} in {} ({} {}): {}",
                    l.operand.describe(),
                    order.len(),
                    l.year_text(year),
                    op_rank(*op),
                    position,
                    outcome(holds).name()
                ),
                observations: obs,
            }
        }
    }
}

fn op_rank(op: Op) -> String {
    format!("rank {}", op.symbol())
}

/// Evaluates a claim on a release, with its timeline over data years.
pub fn evaluate(engine: &Engine, release: &Release, claim: &Claim) -> Evaluation {
    let each = matches!(claim.test, Test::Rank { .. });
    let loaded: Result<Vec<Loaded<'_>>, String> = claim
        .test
        .operands()
        .into_iter()
        .map(|o| load(engine, release, o, each))
        .collect();
    let reference = release.countries();
    let (verdict, timeline) = match loaded {
        Err(e) => (undetermined(e, vec![]), Vec::new()),
        Ok(loaded) => {
            let verdict = decide(&claim.test, &loaded, i16::MAX, reference);
            let open = claim.test.operands().iter().any(|o| o.year.is_none());
            let mut timeline = Vec::new();
            if open {
                let years: BTreeSet<i16> = loaded.iter().flat_map(|l| l.years()).collect();
                for y in years {
                    let v = decide(&claim.test, &loaded, y, reference);
                    if v.year == Some(y) {
                        timeline.push((y, v.outcome));
                    }
                }
            }
            (verdict, timeline)
        }
    };
    Evaluation {
        claim: claim.id.clone(),
        fingerprint: claim.fingerprint(),
        release: release.manifest.id.to_string(),
        verdict,
        timeline,
    }
}

/// The years where the timeline's outcome differs from the year before: when a claim changed.
pub fn turning_points(timeline: &[(i16, Outcome)]) -> Vec<(i16, Outcome)> {
    timeline
        .windows(2)
        .filter(|w| w[0].1 != w[1].1)
        .map(|w| w[1])
        .collect()
}
