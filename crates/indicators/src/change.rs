//! Change over time: each figure against the previous figure of the same country and breakdown
//! (the year before, or the previous estimate for five-yearly series), and against a base year
//! (the compacts' adoption, 2018, unless asked otherwise), from that year on.

use crate::evaluate::Series;

/// The year both compacts were adopted: the default base of changes.
pub const COMPACTS_ADOPTED: i16 = 2018;

/// How a figure moved: against the previous year of the same series, and against a base year.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Change {
    /// The year of the previous figure with the same country and breakdown, if any.
    pub previous_year: Option<i16>,
    /// Value minus the previous figure's value.
    pub since_previous: Option<f64>,
    /// Value minus the base year's value, for the base year and the years after it. Before it
    /// there is no change *since* the base: a 2015 row read "-210,758 since 2018" as if the figure
    /// had fallen since the compacts, when it was only lower before them.
    pub since_base: Option<f64>,
}

/// One change per point of the series, in the same order.
pub fn changes(series: &Series<'_>, base_year: i16) -> Vec<Change> {
    let pts = &series.points;
    let same_group =
        |a: usize, b: usize| pts[a].country == pts[b].country && pts[a].keys == pts[b].keys;
    let mut out = Vec::with_capacity(pts.len());
    let mut start = 0;
    while start < pts.len() {
        // Each group (a country, a breakdown) once: its end, then its base year's value.
        let end = (start + 1..pts.len())
            .find(|&i| !same_group(i - 1, i))
            .unwrap_or(pts.len());
        let group = &pts[start..end];
        let base = group
            .iter()
            .find(|p| p.year == base_year)
            .and_then(|p| p.value);
        for (i, p) in group.iter().enumerate() {
            let previous = i.checked_sub(1).map(|j| &group[j]);
            let diff = |other: Option<f64>| p.value.zip(other).map(|(a, b)| a - b);
            out.push(Change {
                previous_year: previous.map(|p| p.year),
                since_previous: diff(previous.and_then(|p| p.value)),
                since_base: if p.year >= base_year {
                    diff(base)
                } else {
                    None
                },
            });
        }
        start = end;
    }
    out
}
