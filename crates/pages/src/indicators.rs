//! `/indicators` and `/indicators/{id}`: the catalogue, and each indicator's definition, the
//! compact objectives it evidences, its unit and formula in words, the world series, the ranking,
//! the map and its caveats, with the source rows behind each figure.

use maud::html;
use passage_charts::{bar_chart, Bar, BarChart};
use passage_indicators::{Formula, Place, Request};

use crate::choropleth_figure::{choropleth_figure, each_country, legend_list};
use crate::names::{country_href, country_name};
use crate::objectives::link;
use crate::page::{Builder, Figure, Page};
use crate::series_figure::{compacts_adopted, frame, series_figure};
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// The catalogue.
pub fn indicators(site: &dyn Site) -> Result<Page, PageError> {
    let engine = site.engine();
    let mut b = Builder::new(site, "/indicators", "");
    let mut t = DataTable::new(
        "indicators",
        "The indicator catalogue",
        &[
            ("id", "Indicator"),
            ("objectives", "Objectives"),
            ("unit", "Unit"),
            ("roles", "Countries as"),
            ("sources", "Datasets"),
        ],
    );
    for i in &engine.catalogue.indicators {
        t.push(
            vec![
                Cell::Link(i.title.clone(), format!("/indicators/{}", i.id)),
                Cell::Text(
                    i.objectives
                        .iter()
                        .map(|o| o.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::Text(i.unit.clone()),
                Cell::Text(
                    i.roles
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::Text(
                    i.sources()
                        .iter()
                        .map(|d| d.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
            ],
            None,
            None,
        );
    }
    let table = b.table(t);
    let body = html! {
        p.lead { "What each objective of the Global Compacts, and SDG target 10.7, can be measured by with the official data in this release. Each indicator is computed for the world, a region or a country, as host or origin, with the source rows behind every figure." }
        (table)
    };
    Ok(b.finish("Indicators", body))
}

/// The formula in words.
fn formula_words(f: &Formula) -> String {
    let sum = |terms: &[passage_indicators::Term]| {
        terms
            .iter()
            .map(|t| t.text.clone())
            .collect::<Vec<_>>()
            .join(" + ")
    };
    match f {
        Formula::Sum(terms) => format!("the sum of {}", sum(terms)),
        Formula::Ratio {
            numerator,
            denominator,
            scale,
        } => {
            format!("{scale} × ({}) ÷ ({})", sum(numerator), sum(denominator))
        }
    }
}

/// One indicator.
pub fn indicator(site: &dyn Site, id: &str) -> Result<Page, PageError> {
    let release = site.release();
    let engine = site.engine();
    let ind = engine
        .indicator(id)
        .map_err(|_| PageError::NotFound(format!("no indicator `{id}`; see /indicators")))?;
    let mut b = Builder::new(site, &format!("/indicators/{id}"), "");
    let world = engine.evaluate(release, &Request::new(id, Place::World, None))?;
    let adopted = vec![compacts_adopted()];
    let mut world_figure = series_figure(&world, "world", "the world", adopted);
    crate::series_figure::add_traces(release, &world, &mut world_figure);
    let world_fig = b.figure(world_figure);
    let latest = world.latest().map(|p| p.year);
    let mut ranking = None;
    let mut map = None;
    if let (Some(role), Some(year)) = (ind.roles.first(), latest) {
        let series = each_country(engine, release, id, *role, year)?;
        let (fig, legend) = choropleth_figure(release, &series, year, "map");
        let order = passage_indicators::ranked(&series, year, release.countries());
        let period = series
            .points
            .iter()
            .find(|p| p.year == year)
            .and_then(|p| p.period);
        let title = format!(
            "The 15 highest, as {}, {}",
            role.name(),
            crate::series_figure::year_label(year, period)
        );
        let mut t = DataTable::new(
            "ranking",
            &title,
            &[("rank", "Rank"), ("country", "Country"), ("value", "Value")],
        );
        t.value_key = Some("value".into());
        let bars = order
            .iter()
            .take(15)
            .enumerate()
            .map(|(rank, &i)| {
                let p = &series.points[i];
                let c = p.country.as_deref().unwrap_or("");
                t.push(
                    vec![
                        Cell::Text((rank + 1).to_string()),
                        Cell::Link(country_name(release, c), country_href(c)),
                        Cell::Number(p.value, ind.decimals),
                    ],
                    Some(year),
                    Some(c),
                );
                Bar {
                    label: country_name(release, c),
                    value: p.value,
                    href: None,
                }
            })
            .collect();
        let mut f = frame("ranking", &title, &ind.unit, ind.decimals);
        f.height = 0;
        ranking = Some(b.figure(Figure {
            id: "ranking".into(),
            title: title.clone(),
            svg: bar_chart(&BarChart { frame: f, bars }),
            table: t,
            datasets: ind.sources(),
            caveats: ind.caveats.clone(),
            // The title has the role and the year, not the indicator.
            subject: ind.title.clone(),
        }));
        let legend = legend_list(&legend);
        map = Some(html! { (legend) (b.figure(fig)) });
    }
    let rows: u64 = world.points.iter().flat_map(|p| p.source_rows.iter()).sum();
    let body = html! {
        p.lead { (ind.definition) }
        dl {
            dt { "Evidences" } dd { @for (i, o) in ind.objectives.iter().enumerate() { @if i > 0 { ", " } (link(o)) } }
            dt { "Unit" } dd { (ind.unit) }
            dt { "Computed as" } dd { (formula_words(&ind.formula)) }
            dt { "For" } dd { "the world, regions" @for r in &ind.roles { ", each country as " (r.name()) } }
            dt { "Source rows" } dd { (passage_charts::exact(rows as f64, 0)) " rows of this release are summed into the world series; each figure's count is in its table, and "
                a href=(format!("/api/v1/indicators/{id}")) { "the API" } " gives the query behind each part." }
        }
        @if !ind.caveats.is_empty() { h2 { "Caveats" } ul { @for c in &ind.caveats { li { (c) } } } }
        h2 { "The world" }
        (world_fig)
        @if let Some(r) = &ranking { h2 { "Ranking" } (r) }
        @if let Some(m) = &map { h2 { "Map" } (m) p { a href=(format!("/map?indicator={id}")) { "Open the map with its controls" } } }
        @if !ind.roles.is_empty() { p { "Every country and year as one wide table: " a href=(format!("/indicators/{id}/wide")) { "country × year" } " (" a href=(format!("/indicators/{id}/wide.xlsx")) { "XLSX" } ", " a href=(format!("/indicators/{id}/wide.csv")) { "CSV" } ")." } }
    };
    Ok(b.finish(ind.title.clone(), body))
}

/// An indicator as a wide table, country × year, for spreadsheets (`?role=host|origin`).
pub fn wide(site: &dyn Site, id: &str, params: &crate::query::Params) -> Result<Page, PageError> {
    let release = site.release();
    let engine = site.engine();
    let ind = engine
        .indicator(id)
        .map_err(|_| PageError::NotFound(format!("no indicator `{id}`; see /indicators")))?;
    let role = match params.get("role") {
        None => *ind.roles.first().ok_or_else(|| {
            PageError::bad(
                "indicator",
                format!("`{id}` is computed for the world only"),
            )
        })?,
        Some(r) => passage_indicators::Role::parse(r)
            .filter(|r| ind.roles.contains(r))
            .ok_or_else(|| PageError::bad("role", format!("`{id}` has no role `{r}`")))?,
    };
    let series = engine.evaluate(release, &Request::new(id, Place::EachCountry, Some(role)))?;
    let mut years: Vec<i16> = series
        .points
        .iter()
        .filter(|p| p.keys.is_empty())
        .map(|p| p.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    let year_keys: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    let mut columns: Vec<(&str, &str)> = vec![("iso3", "ISO3"), ("country", "Country")];
    columns.extend(year_keys.iter().map(|y| (y.as_str(), y.as_str())));
    let title = format!("{} by country (as {}) and year", ind.title, role.name());
    let mut t = DataTable::new("wide", &title, &columns);
    let mut countries: Vec<&str> = series
        .points
        .iter()
        .filter_map(|p| p.country.as_deref())
        .collect();
    countries.sort_unstable();
    countries.dedup();
    for c in countries
        .into_iter()
        .filter(|c| crate::names::is_country(release, c))
    {
        let mut cells = vec![
            Cell::Text(c.into()),
            Cell::Link(country_name(release, c), country_href(c)),
        ];
        cells.extend(years.iter().map(|y| {
            let v = series
                .points
                .iter()
                .find(|p| p.country.as_deref() == Some(c) && p.year == *y && p.keys.is_empty())
                .and_then(|p| p.value);
            Cell::Number(v, ind.decimals)
        }));
        t.push(cells, None, Some(c));
    }
    let query = crate::query::canonical(&[("role", role.name())]);
    let mut b = Builder::new(site, &format!("/indicators/{id}/wide"), &query);
    let table = b.table(t);
    let body = html! {
        p.lead { "Every country's figure in every year, one row per country: the layout spreadsheets expect. " (b.source_line(&ind.sources())) }
        p { "Download: " a href=(format!("/indicators/{id}/wide.xlsx?{query}")) { "XLSX" } " · " a href=(format!("/indicators/{id}/wide.csv?{query}")) { "CSV" } }
        (table)
    };
    Ok(b.finish(title, body))
}
