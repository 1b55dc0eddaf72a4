//! An indicator for every country in one year, as a choropleth figure with its legend classes and
//! the ranked table of exact figures: what `/map` and each indicator's page show.

use maud::{html, Markup};
use passage_charts::{choropleth, Area, Choropleth, LegendClass};
use passage_domain::Year;
use passage_indicators::{ranked, Engine, Place, Request, Role, Series};
use passage_store::{Release, YearFilter};

use crate::names::{country_href, country_name, is_country};
use crate::page::Figure;
use crate::series_figure::{api_url, frame};
use crate::table::{Cell, DataTable};
use crate::PageError;

/// Every country's figure of `indicator` in `role` and `year`.
pub fn each_country<'c>(
    engine: &'c Engine,
    release: &Release,
    indicator: &str,
    role: Role,
    year: i16,
) -> Result<Series<'c>, PageError> {
    let mut r = Request::new(indicator, Place::EachCountry, Some(role));
    let y = Year::new(year.into()).map_err(|e| PageError::bad("year", e.to_string()))?;
    r.years = YearFilter::List(vec![y]);
    Ok(engine.evaluate(release, &r)?)
}

/// The map of a series of every country in one year, the legend as a list, and the ranked table.
pub fn choropleth_figure(
    release: &Release,
    series: &Series<'_>,
    year: i16,
    id: &str,
) -> (Figure, Vec<LegendClass>) {
    let ind = series.indicator;
    let role = series.role.unwrap_or(Role::Host);
    let period = series
        .points
        .iter()
        .find(|p| p.year == year)
        .and_then(|p| p.period);
    let when = crate::series_figure::year_label(year, period);
    let title = format!("{}, by country as {}, {when}", ind.title, role.name());
    let areas: Vec<Area> = series
        .points
        .iter()
        .filter(|p| p.year == year && p.keys.is_empty())
        .filter_map(|p| {
            let c = p.country.as_deref()?;
            is_country(release, c).then(|| Area {
                iso3: c.into(),
                name: country_name(release, c),
                value: p.value,
                href: None,
            })
        })
        .collect();
    let (svg, legend) = choropleth(&Choropleth {
        frame: passage_charts::Frame {
            width: 960,
            height: 520,
            ..frame(id, &title, &ind.unit, ind.decimals)
        },
        areas,
    });
    let mut table = DataTable::new(
        id,
        &title,
        &[
            ("rank", "Rank"),
            ("country", "Country"),
            ("iso3", "ISO3"),
            ("value", &format!("Value ({})", ind.unit)),
        ],
    );
    table.value_key = Some("value".into());
    table.api = Some(format!(
        "{}&year={year}",
        api_url(&ind.id, &Place::EachCountry, Some(role.name()))
    ));
    let order = ranked(series, year, release.countries());
    for (rank, &i) in order.iter().enumerate() {
        let p = &series.points[i];
        let c = p.country.as_deref().unwrap_or("");
        table.push(
            vec![
                Cell::Text((rank + 1).to_string()),
                Cell::Link(country_name(release, c), country_href(c)),
                Cell::Text(c.into()),
                Cell::Number(p.value, ind.decimals),
            ],
            Some(year),
            Some(c),
        );
    }
    let mut caveats = ind.caveats.clone();
    caveats.push("The boundaries and names shown and the designations used on this map do not imply official endorsement or acceptance by the United Nations.".into());
    (
        Figure {
            id: id.into(),
            title,
            svg,
            table,
            datasets: ind.sources(),
            caveats,
            // The title names the role and the year already.
            subject: String::new(),
        },
        legend,
    )
}

/// The legend's classes as a list, each with its count of countries.
pub fn legend_list(legend: &[LegendClass]) -> Markup {
    html! {
        ul.legend aria-label="Map legend" {
            @for c in legend {
                // No data is hatched, as on the map, so that it cannot be read as a pale class.
                li { @if c.from.is_none() { span.swatch.nodata {} } @else { span.swatch style=(format!("background:{}", c.colour)) {} } (c.label) " (" (c.count) @if c.count == 1 { " country)" } @else { " countries)" } }
            }
        }
    }
}
