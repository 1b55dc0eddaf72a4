//! `/countries`: every country of the release's list, searchable without JavaScript (`?q=`), with
//! its region and its latest figures as host and as origin.

use maud::html;
use passage_indicators::{Place, Request, Role};
use passage_store::YearFilter;

use crate::page::{Builder, Page};
use crate::query::{canonical, Params};
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// The index of countries.
pub fn countries(site: &dyn Site, params: &Params) -> Result<Page, PageError> {
    let release = site.release();
    let engine = site.engine();
    let q = params.get("q").unwrap_or("").to_lowercase();
    let latest = release
        .table(passage_datasets::Dataset::Population)
        .and_then(|t| t.years().max())
        .unwrap_or(2024);
    let each = |role: Role| {
        let mut r = Request::new("refugees", Place::EachCountry, Some(role));
        if let Ok(y) = passage_domain::Year::new(latest.into()) {
            r.years = YearFilter::List(vec![y]);
        }
        engine.evaluate(release, &r)
    };
    let hosted = each(Role::Host)?;
    let from = each(Role::Origin)?;
    let value = |s: &passage_indicators::Series<'_>, c: &str| {
        s.points
            .iter()
            .find(|p| p.country.as_deref() == Some(c))
            .and_then(|p| p.value)
    };
    let mut table = DataTable::new(
        "countries",
        &format!("Countries, with refugees hosted and refugees from each, {latest}"),
        &[
            ("name", "Country"),
            ("iso3", "ISO3"),
            ("region", "Region"),
            ("hosted", "Refugees hosted"),
            ("from", "Refugees from"),
        ],
    );
    let mut countries: Vec<_> = release
        .countries()
        .countries()
        .iter()
        .filter(|c| c.special.is_none())
        .filter(|c| {
            q.is_empty()
                || c.name.to_lowercase().contains(&q)
                || c.iso3.as_str().eq_ignore_ascii_case(&q)
        })
        .collect();
    countries.sort_by(|a, b| a.name.cmp(&b.name));
    for c in &countries {
        let iso = c.iso3.as_str();
        table.push(
            vec![
                Cell::Link(c.name.clone(), crate::names::country_href(iso)),
                Cell::Text(iso.into()),
                Cell::Text(c.m49_region.clone().unwrap_or_default()),
                Cell::Number(value(&hosted, iso), 0),
                Cell::Number(value(&from, iso), 0),
            ],
            Some(latest),
            Some(iso),
        );
    }
    let query = canonical(&[("q", params.get("q").unwrap_or(""))]);
    let mut b = Builder::new(site, "/countries", &query);
    let count = countries.len();
    let t = b.table(table);
    let body = html! {
        p.lead { "Each country as a host and as a country of origin: refugees, asylum, solutions, internal displacement, migrants dead or missing, and its pledges." }
        form.controls action="/countries" method="get" {
            label for="country-q" { "Find a country (name or ISO3)" input id="country-q" type="search" name="q" value=(params.get("q").unwrap_or("")); }
            button type="submit" { "Find" }
        }
        p { (count) " countries" @if !q.is_empty() { " match “" (params.get("q").unwrap_or("")) "”. " a href="/countries" { "All countries" } } "." }
        (t)
    };
    Ok(b.finish("Countries", body))
}
