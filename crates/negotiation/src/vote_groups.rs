//! A recorded vote joined to the data: for each group of the vote (yes, no, abstention, not
//! voting), what its members host, computed by the indicator engine from one release, beside the
//! world's figure and the group's share of it ("the five states that voted against host N
//! refugees, x% of the world's"). Counts only: a group's ratio is not a sum of its members'.

use passage_domain::Year;
use passage_indicators::{Engine, Place, Request, Role};
use passage_store::{Release, YearFilter};
use serde::Serialize;

use crate::{NegotiationError, RecordedVote, VoteCast};

/// The indicators joined, all counts of people a country hosts.
pub const JOINED: [&str; 3] = ["refugees", "asylum_seekers", "migrant_stock"];

/// One indicator for one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFigure {
    /// The indicator's id.
    pub indicator: String,
    /// Its title.
    pub title: String,
    /// Its unit.
    pub unit: String,
    /// The sum over the group's members with a figure; `None` when none has one.
    pub value: Option<f64>,
    /// How many members have a figure.
    pub members_with_figure: usize,
    /// The world's figure.
    pub world: Option<f64>,
    /// The group's share of the world's figure, in per cent.
    pub share_of_world: Option<f64>,
}

/// One group of a vote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoteGroup {
    /// What the group's members did.
    pub vote: VoteCast,
    /// Its members' ISO3 codes, in the vote's order.
    pub members: Vec<String>,
    /// The joined indicators.
    pub figures: Vec<GroupFigure>,
}

/// The groups of `vote`, with what their members host in `year` according to `release`.
pub fn vote_groups(
    vote: &RecordedVote,
    engine: &Engine,
    release: &Release,
    year: i16,
) -> Result<Vec<VoteGroup>, NegotiationError> {
    let bad = |e: &dyn std::fmt::Display| NegotiationError::Join {
        year,
        message: e.to_string(),
    };
    let y = Year::new(i32::from(year)).map_err(|e| bad(&e))?;
    let mut per_indicator = Vec::new();
    for id in JOINED {
        let indicator = engine.indicator(id).map_err(|e| bad(&e))?;
        let mut each = Request::new(id, Place::EachCountry, Some(Role::Host));
        each.years = YearFilter::List(vec![y]);
        let each = engine.evaluate(release, &each).map_err(|e| bad(&e))?;
        let mut world = Request::new(id, Place::World, None);
        world.years = YearFilter::List(vec![y]);
        let world = engine
            .evaluate(release, &world)
            .map_err(|e| bad(&e))?
            .at(year)
            .and_then(|p| p.value);
        let by_country: Vec<(String, f64)> = each
            .points
            .iter()
            .filter(|p| p.year == year)
            .filter_map(|p| Some((p.country.clone()?, p.value?)))
            .collect();
        per_indicator.push((indicator, by_country, world));
    }
    let groups = [
        VoteCast::Yes,
        VoteCast::No,
        VoteCast::Abstention,
        VoteCast::NonVoting,
    ];
    Ok(groups
        .into_iter()
        .map(|cast| {
            let members: Vec<String> = vote.with(cast).map(|s| s.iso3.to_string()).collect();
            let figures = per_indicator
                .iter()
                .map(|(indicator, by_country, world)| {
                    let values: Vec<f64> = by_country
                        .iter()
                        .filter(|(c, _)| members.contains(c))
                        .map(|(_, v)| *v)
                        .collect();
                    let value = (!values.is_empty()).then(|| values.iter().sum::<f64>());
                    GroupFigure {
                        indicator: indicator.id.clone(),
                        title: indicator.title.clone(),
                        unit: indicator.unit.clone(),
                        value,
                        members_with_figure: values.len(),
                        world: *world,
                        share_of_world: match (value, world) {
                            (Some(v), Some(w)) if *w > 0.0 => Some(100.0 * v / w),
                            _ => None,
                        },
                    }
                })
                .collect();
            VoteGroup {
                vote: cast,
                members,
                figures,
            }
        })
        .collect())
}
