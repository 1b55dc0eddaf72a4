//! Positions from the registry as a table of a page: dated statements by a state or a group on a
//! part of a compact's text, each with its stance, summary, quote, forum and source, and whether it
//! still stands. The source is printed, not linked: no page points outside its own origin.

use maud::{html, Markup};
use passage_registry::PositionFilter;

use crate::negotiation::version_href;
use crate::page::Builder;
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// The positions of a country's own state entities, for its page and report, as their table; a
/// code the registry does not take for a country (an "unknown origin" code) has none. It reads
/// the registry only, so a page reads it while its figures are drawn, and shows it with [`shown`].
pub fn of_country(site: &dyn Site, iso3: &str, name: &str) -> Result<Option<DataTable>, PageError> {
    let Ok(filter) = PositionFilter::default().country(iso3) else {
        return Ok(None);
    };
    table_of(
        site,
        &filter,
        "positions",
        &format!("Positions of {name} on the compacts' texts"),
    )
}

/// The positions `filter` selects, as table `id` of the page; `None` when there are none.
pub fn positions_table(
    site: &dyn Site,
    b: &mut Builder<'_>,
    filter: &PositionFilter,
    id: &str,
    caption: &str,
) -> Result<Option<Markup>, PageError> {
    Ok(table_of(site, filter, id, caption)?.map(|t| shown(b, t)))
}

/// A table of positions, kept by the page's builder, with the line on where its records come from.
pub fn shown(b: &mut Builder<'_>, table: DataTable) -> Markup {
    let table = b.table(table);
    html! {
        (table)
        p.source { "Positions from the registry, each a hash-chained record (" a href="/api/v1/registry/verify" { "verify the history" } "); a withdrawn position is kept and marked." }
    }
}

/// The positions `filter` selects as table `id`; `None` when there are none.
fn table_of(
    site: &dyn Site,
    filter: &PositionFilter,
    id: &str,
    caption: &str,
) -> Result<Option<DataTable>, PageError> {
    let snapshot = site.registry().snapshot()?;
    let positions: Vec<_> = snapshot.positions(filter).collect();
    if positions.is_empty() {
        return Ok(None);
    }
    let mut t = DataTable::new(
        id,
        caption,
        &[
            ("date", "Date"),
            ("entity", "State or group"),
            ("part", "Part of the text"),
            ("stance", "Stance"),
            ("summary", "Summary"),
            ("quote", "Quote"),
            ("forum", "Forum or round"),
            ("source", "Source"),
            ("status", "Status"),
        ],
    );
    for p in positions {
        let item = &p.item;
        let name = snapshot
            .entity(&item.entity)
            .map_or_else(|| item.entity.clone(), |e| e.item.name.clone());
        t.push(
            vec![
                Cell::Text(item.date.as_str().to_string()),
                Cell::Text(name),
                Cell::Link(
                    format!("{} {}", item.document, item.part),
                    format!(
                        "{}#{}",
                        version_href(item.document.as_str(), "adopted"),
                        item.part
                    ),
                ),
                Cell::Text(item.stance.name().replace('_', " ")),
                Cell::Text(item.summary.clone()),
                Cell::Text(item.quote.clone().unwrap_or_default()),
                Cell::Text(item.forum.clone().unwrap_or_default()),
                Cell::Text(item.source.as_str().to_string()),
                Cell::Text(if p.withdrawn { "withdrawn" } else { "stands" }.into()),
            ],
            None,
            None,
        );
    }
    Ok(Some(t))
}
