//! `/map?indicator=ID&year=Y&role=host|origin`: any catalogue indicator that has a country role on
//! the world map, with its legend explained, controls that are a plain GET form, and the ranked
//! table.

use maud::html;
use passage_indicators::{Place, Request, Role};

use crate::choropleth_figure::{choropleth_figure, each_country, legend_list};
use crate::page::{Builder, Page};
use crate::query::{canonical, Params};
use crate::{PageError, Site};

/// The map page.
pub fn map(site: &dyn Site, params: &Params) -> Result<Page, PageError> {
    let release = site.release();
    let engine = site.engine();
    let id = params.get("indicator").unwrap_or("refugees");
    let indicator = engine.indicator(id).map_err(|_| {
        PageError::bad("indicator", format!("no indicator `{id}`; see /indicators"))
    })?;
    if indicator.roles.is_empty() {
        return Err(PageError::bad(
            "indicator",
            format!("`{id}` is computed for the world only and cannot be mapped"),
        ));
    }
    let role = match params.get("role") {
        None => indicator.roles[0],
        Some(r) => Role::parse(r)
            .filter(|r| indicator.roles.contains(r))
            .ok_or_else(|| {
                PageError::bad(
                    "role",
                    format!(
                        "`{id}` is mapped as {}",
                        indicator
                            .roles
                            .iter()
                            .map(|r| r.name())
                            .collect::<Vec<_>>()
                            .join(" or ")
                    ),
                )
            })?,
    };
    // The years with figures: those of the world series.
    let world = engine.evaluate(release, &Request::new(id, Place::World, None))?;
    let mut years: Vec<i16> = world
        .points
        .iter()
        .filter(|p| p.value.is_some())
        .map(|p| p.year)
        .collect();
    years.sort_unstable();
    years.dedup();
    let year = match params.year("year")? {
        Some(y) if years.contains(&y) => y,
        Some(y) => {
            return Err(PageError::bad(
                "year",
                format!(
                    "no figure of `{id}` in {y}; years with figures: {}–{}",
                    years.first().unwrap_or(&0),
                    years.last().unwrap_or(&0)
                ),
            ))
        }
        None => *years
            .last()
            .ok_or_else(|| PageError::NotFound(format!("no figure of `{id}` in this release")))?,
    };
    let series = each_country(engine, release, id, role, year)?;
    let query = canonical(&[
        ("indicator", id),
        ("year", &year.to_string()),
        ("role", role.name()),
    ]);
    let mut b = Builder::new(site, "/map", &query);
    let (figure, legend) = choropleth_figure(release, &series, year, "map");
    let fig = b.figure(figure);
    let mappable: Vec<_> = engine
        .catalogue
        .indicators
        .iter()
        .filter(|i| !i.roles.is_empty())
        .collect();
    let body = html! {
        form.controls action="/map" method="get" data-auto {
            label for="map-indicator" { "Indicator"
                select id="map-indicator" name="indicator" {
                    @for i in &mappable { option value=(i.id) selected[i.id == id] { (i.title) } }
                } }
            label for="map-year" { "Year"
                select id="map-year" name="year" {
                    @for y in years.iter().rev() { option value=(y) selected[*y == year] { (y) } }
                } }
            label for="map-role" { "Countries as"
                select id="map-role" name="role" {
                    @for r in &indicator.roles { option value=(r.name()) selected[*r == role] { (r.name()) } }
                } }
            button type="submit" { "Show" }
        }
        p.lead { (indicator.definition) }
        h2 { "Legend" }
        // A list may not stand inside a paragraph: the parser would close the paragraph before it.
        p { "Classes are rounded quantiles of the countries with a figure; hatched grey is no data, never zero." }
        (legend_list(&legend))
        (fig)
        p { a href=(format!("/indicators/{id}")) { "About this indicator" } " · " a href="/map/incidents" { "Migrants dead and missing, as points" } }
    };
    Ok(b.finish(format!("Map: {}", indicator.title), body))
}
