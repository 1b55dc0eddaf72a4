//! A recorded vote joined to the data: for each group of the vote (yes, no, abstention, not
//! voting), what its members host, computed by the engine for the group as one place (a ratio is
//! the group's total over the group's total, never a sum of ratios), beside the world's figure
//! and the group's share of it: "the five states that voted against host N refugees, x% of the
//! world's".

use passage_domain::Year;
use passage_negotiation::{RecordedVote, VoteCast};
use passage_store::{Release, YearFilter};
use serde::Serialize;

use crate::{Engine, IndicatorError, Place, Request, Role};

/// The indicators joined: what a state hosts, in counts and relative to its size and wealth.
pub const JOINED: [&str; 4] = [
    "refugees",
    "refugees_per_1000_inhabitants",
    "refugees_per_usd_bn_gdp",
    "migrant_stock",
];

/// One indicator for one group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupFigure {
    /// The indicator's id.
    pub indicator: String,
    /// Its title.
    pub title: String,
    /// Its unit.
    pub unit: String,
    /// Its decimals in outputs.
    pub decimals: u8,
    /// The group's figure; `None` when no member has one.
    pub value: Option<f64>,
    /// How many members have a figure of their own.
    pub members_with_figure: usize,
    /// Each member's own figure, in the order of [`VoteGroup::members`].
    pub by_member: Vec<Option<f64>>,
    /// The world's figure, for counts.
    pub world: Option<f64>,
    /// The group's share of the world's figure, in per cent, for counts.
    pub share_of_world: Option<f64>,
    /// Source rows summed into the group's figure.
    pub source_rows: u64,
}

/// One group of a vote.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VoteGroup {
    /// What the group's members did.
    pub vote: VoteCast,
    /// Its members' ISO3 codes, in the vote's order.
    pub members: Vec<String>,
    /// The joined indicators, in the order of [`JOINED`].
    pub figures: Vec<GroupFigure>,
}

fn in_year(indicator: &str, place: Place, role: Option<Role>, year: Year) -> Request {
    let mut r = Request::new(indicator, place, role);
    r.years = YearFilter::List(vec![year]);
    r
}

/// The groups of `vote`, with what their members host in `year` according to `release`.
pub fn vote_groups(
    vote: &RecordedVote,
    engine: &Engine,
    release: &Release,
    year: Year,
) -> Result<Vec<VoteGroup>, IndicatorError> {
    let y = year.get() as i16;
    let groups = [
        VoteCast::Yes,
        VoteCast::No,
        VoteCast::Abstention,
        VoteCast::NonVoting,
    ];
    let mut out: Vec<VoteGroup> = groups
        .iter()
        .map(|&cast| VoteGroup {
            vote: cast,
            members: vote.with(cast).map(|s| s.iso3.to_string()).collect(),
            figures: Vec::new(),
        })
        .collect();
    for id in JOINED {
        let indicator = engine.indicator(id)?;
        let is_count = indicator.unit == "persons";
        let each = engine.evaluate(
            release,
            &in_year(id, Place::EachCountry, Some(Role::Host), year),
        )?;
        let own = |iso3: &str| {
            each.points
                .iter()
                .find(|p| p.year == y && p.country.as_deref() == Some(iso3))
                .and_then(|p| p.value)
        };
        let world = if is_count {
            engine
                .evaluate(release, &in_year(id, Place::World, None, year))?
                .at(y)
                .and_then(|p| p.value)
        } else {
            None
        };
        for group in &mut out {
            let by_member: Vec<Option<f64>> = group.members.iter().map(|m| own(m)).collect();
            let (value, source_rows) = if group.members.is_empty() {
                (None, 0)
            } else {
                let place = Place::Countries {
                    name: format!("voted {} on {}", group.vote.name(), vote.resolution),
                    members: group.members.clone(),
                };
                let series =
                    engine.evaluate(release, &in_year(id, place, Some(Role::Host), year))?;
                let point = series.at(y);
                (
                    point.and_then(|p| p.value),
                    point.map_or(0, |p| p.source_rows.iter().sum()),
                )
            };
            group.figures.push(GroupFigure {
                indicator: indicator.id.clone(),
                title: indicator.title.clone(),
                unit: indicator.unit.clone(),
                decimals: indicator.decimals,
                members_with_figure: by_member.iter().flatten().count(),
                by_member,
                value,
                world,
                share_of_world: match (value, world) {
                    (Some(v), Some(w)) if w > 0.0 => Some(100.0 * v / w),
                    _ => None,
                },
                source_rows,
            });
        }
    }
    Ok(out)
}
