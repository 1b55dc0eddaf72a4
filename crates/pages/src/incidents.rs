//! `/map/incidents?year=&region=&cause=`: the Missing Migrants Project's incidents as points on
//! the world base map, sized by the dead and missing, with the table of every incident drawn.

use maud::html;
use passage_charts::{exact, point_map, PointMap, Spot};
use passage_datasets::{Dataset, Value};
use passage_store::{run, Filter, Query, YearFilter};

use crate::large::Large;
use crate::page::{Builder, Figure, Page};
use crate::query::{canonical, Params};
use crate::series_figure::frame;
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// Rows of the incidents table shown on one page.
const TABLE_PAGE: usize = 100;

/// `"lat, lon"` as numbers, when both are finite and in range.
fn lat_lon(text: &str) -> Option<(f64, f64)> {
    let (a, b) = text.split_once(',')?;
    let (lat, lon): (f64, f64) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// The values of the incidents' dimension `dim` in `years`, the empty one left out.
fn values_of(
    release: &passage_store::Release,
    dim: &str,
    years: YearFilter,
) -> Result<Vec<String>, passage_store::QueryError> {
    let q = Query {
        dataset: "missing_migrants".into(),
        years,
        filters: vec![],
        by: vec![dim.into()],
        measures: vec!["dead_and_missing".into()],
    };
    Ok(run(release, &q)?
        .rows()
        .filter_map(|r| r.keys.first().map(|k| k.to_string()))
        .filter(|k| !k.is_empty())
        .collect())
}

/// Fails on a `region` or `cause` that no incident of any year has, naming the parameter and its
/// values: a misspelt value is an error, while a value of other years is an empty selection.
/// Asked only of an empty selection, so a selection with incidents costs nothing more.
fn known_values(release: &passage_store::Release, params: &Params) -> Result<(), PageError> {
    for (param, dim, plural) in [
        ("region", "region_of_incident", "regions"),
        ("cause", "cause_of_death", "causes"),
    ] {
        let Some(value) = params.get(param) else {
            continue;
        };
        let known = values_of(release, dim, YearFilter::All)
            .map_err(|e| PageError::bad(param, e.to_string()))?;
        if !known.iter().any(|k| k == value) {
            return Err(PageError::bad(
                param,
                format!(
                    "no incident has {param} {value:?}; {plural}: {}",
                    // Quoted, since a value may hold commas ("Drowning,Violence").
                    known
                        .iter()
                        .map(|k| format!("{k:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    Ok(())
}

/// The incidents map.
pub fn incidents(site: &dyn Site, params: &Params) -> Result<Page, PageError> {
    let release = site.release();
    let table = release
        .table(Dataset::MissingMigrants)
        .ok_or_else(|| PageError::NotFound("this release has no Missing Migrants data".into()))?;
    let years: Vec<i16> = table.years().collect();
    let latest = years
        .iter()
        .copied()
        .max()
        .ok_or_else(|| PageError::NotFound("no incident in this release".into()))?;
    let year = match params.year("year")? {
        Some(y) if years.contains(&y) => y,
        Some(y) => {
            return Err(PageError::bad(
                "year",
                format!(
                    "no incident recorded in {y}; years: {}–{latest}",
                    years.iter().min().unwrap_or(&latest)
                ),
            ))
        }
        None => latest,
    };
    let y = passage_domain::Year::new(year.into())
        .map_err(|e| PageError::bad("year", e.to_string()))?;
    let mut filters = Vec::new();
    for (param, dim) in [
        ("region", "region_of_incident"),
        ("cause", "cause_of_death"),
    ] {
        if let Some(v) = params.get(param) {
            filters.push(Filter {
                parameter: param.into(),
                dim: dim.into(),
                values: vec![v.into()],
            });
        }
    }
    let query = Query {
        dataset: "missing_migrants".into(),
        years: YearFilter::List(vec![y]),
        filters,
        by: vec![
            "main_id".into(),
            "incident_date".into(),
            "location".into(),
            "coordinates".into(),
            "region_of_incident".into(),
            "cause_of_death".into(),
        ],
        measures: vec!["dead_and_missing".into()],
    };
    let answer = run(release, &query).map_err(|e| PageError::bad("region", e.to_string()))?;
    if answer.rows().next().is_none() {
        known_values(release, params)?;
    }
    // The choices of the form: every region and cause of the year, whatever is selected.
    let choices =
        |dim: &str| values_of(release, dim, YearFilter::List(vec![y])).unwrap_or_default();
    let title = format!("Migrants dead and missing, by incident, {year}");
    // The largest incidents first; each value read once, not at every comparison of the sort.
    // Coordinates are parsed once here, for the table and the map alike.
    let mut rows: Vec<_> = answer
        .rows()
        .map(|r| {
            let place = r.keys.get(3).and_then(|k| lat_lon(k));
            (r.values.first().and_then(Value::as_f64), place, r)
        })
        .collect();
    rows.sort_by(|(a, ..), (b, ..)| b.unwrap_or(0.0).total_cmp(&a.unwrap_or(0.0)));
    // The table shows the incidents a page at a time (the map and the twins show them all): a
    // year's 3,000 rows made a page of 1.5 MB, too much for a phone on a poor line.
    let pages = rows.len().div_ceil(TABLE_PAGE).max(1);
    // Said in words too: on a phone the map's key of reference circles is too small to read.
    let largest = rows.first().and_then(|(v, ..)| *v);
    let page = match params.get("page") {
        None => 1,
        Some(p) => match p.parse::<usize>() {
            Ok(n) if (1..=pages).contains(&n) => n,
            _ => {
                return Err(PageError::bad(
                    "page",
                    format!("{p:?} is not a page of this table: pages 1–{pages}"),
                ))
            }
        },
    };
    let window = (page - 1) * TABLE_PAGE..(page * TABLE_PAGE).min(rows.len());
    // What this page of the table shows, for its caption and the pager alike.
    let shown = if rows.is_empty() {
        "none".to_string()
    } else {
        format!(
            "{}–{} of {}, the largest first",
            exact(window.start as f64 + 1.0, 0),
            exact(window.end as f64, 0),
            exact(rows.len() as f64, 0),
        )
    };
    let window_caption = format!("{title}: incidents {shown}");
    // A year holds some 3,000 incidents: the map and the table take about as long each, so the
    // map is drawn on a second thread while the table (with the form's choices) is built and
    // written on this one, the thread that frees the table's 15,000 pieces with the page: freed
    // on another thread than their own, they cost the allocator twice as much.
    let write_table = || {
        let mut t = DataTable::new(
            "incidents",
            &title,
            &[
                ("date", "Date"),
                ("location", "Location"),
                ("region", "Region"),
                ("cause", "Cause of death"),
                ("lat", "Latitude"),
                ("lon", "Longitude"),
                ("dead_and_missing", "Dead and missing"),
            ],
        );
        t.value_key = Some("dead_and_missing".into());
        for (value, place, r) in &rows {
            let k = |i: usize| r.keys.get(i).copied().unwrap_or("");
            t.push(
                vec![
                    Cell::Text(k(1).into()),
                    Cell::Text(k(2).into()),
                    Cell::Text(k(4).into()),
                    Cell::Text(k(5).into()),
                    Cell::Number(place.map(|p| p.0), 4),
                    Cell::Number(place.map(|p| p.1), 4),
                    Cell::Number(*value, 0),
                ],
                Some(year),
                None,
            );
        }
        let html = t.html_of(t.rows.get(window.clone()).unwrap_or(&[]), &window_caption);
        let choices = (choices("region_of_incident"), choices("cause_of_death"));
        (t, html, choices)
    };
    let draw_map = || {
        let mut spots = Vec::new();
        let mut unplaced = 0usize;
        let mut total = 0.0;
        for (value, place, r) in &rows {
            let k = |i: usize| r.keys.get(i).copied().unwrap_or("");
            total += value.unwrap_or(0.0);
            match (place, value) {
                (Some((lat, lon)), Some(v)) => spots.push(Spot {
                    lat: *lat,
                    lon: *lon,
                    value: *v,
                    // "Place (date), cause"; the map adds ": 646 dead and missing". Built in
                    // place: a year has some 3,000 of them.
                    label: {
                        let (place, date, cause) = (k(2), k(1), k(5));
                        let mut label =
                            String::with_capacity(place.len() + date.len() + cause.len() + 8);
                        label.push_str(place);
                        label.push_str(" (");
                        label.push_str(date);
                        label.push(')');
                        if !cause.is_empty() {
                            label.push_str(", ");
                            label.push_str(cause);
                        }
                        label
                    },
                }),
                _ => unplaced += 1,
            }
        }
        let map = PointMap {
            frame: passage_charts::Frame {
                width: 960,
                height: 520,
                ..frame("incidents", &title, "dead and missing", 0)
            },
            spots,
        };
        (point_map(&map), total, unplaced)
    };
    let ((t, table_html, (regions, causes)), (svg, total, unplaced)) =
        passage_indicators::beside(write_table, draw_map);
    let table_html = Some(table_html);
    let filters = [
        ("year", year.to_string()),
        ("region", params.get("region").unwrap_or("").to_string()),
        ("cause", params.get("cause").unwrap_or("").to_string()),
    ];
    let page_of = |n: usize| {
        let mut q: Vec<(&str, &str)> = filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let number = n.to_string();
        if n != 1 {
            q.push(("page", &number));
        }
        canonical(&q)
    };
    let query = page_of(page);
    let mut b = Builder::new(site, "/map/incidents", &query);
    let count = t.rows.len();
    let fig = b.figure_with_table(Figure {
        id: "incidents".into(),
        title: title.clone(),
        svg,
        table: t,
        datasets: vec![Dataset::MissingMigrants],
        caveats: vec![
            "Counts are minimum estimates: many deaths on migration routes are never recorded.".into(),
            "The boundaries and names shown and the designations used on this map do not imply official endorsement or acceptance by the United Nations.".into(),
        ],
        // The title holds the year already; the subject names the filters.
        subject: format!(
            "{}, {}",
            params.get("region").map_or("all regions".to_string(), |r| format!("region {r}")),
            params.get("cause").map_or("all causes".to_string(), |c| format!("cause {c}")),
        ),
    }, table_html);
    let sel = |v: &str, name: &str| params.get(name) == Some(v);
    // A value of other years than this one stays selected, so the form shows the view the URL
    // asks for rather than "all".
    let absent = |name: &str, values: &[String]| match params.get(name) {
        Some(v) if !values.iter().any(|x| x == v) => {
            html! { option value=(v) selected { (v) " (none in " (year) ")" } }
        }
        _ => html! {},
    };
    let body = html! {
        form.controls action="/map/incidents" method="get" data-auto {
            label for="inc-year" { "Year" select id="inc-year" name="year" { @for y in years.iter().rev() { option value=(y) selected[*y == year] { (y) } } } }
            label for="inc-region" { "Region" select id="inc-region" name="region" { option value="" { "all" } @for r in &regions { option value=(r) selected[sel(r, "region")] { (r) } } (absent("region", &regions)) } }
            label for="inc-cause" { "Cause" select id="inc-cause" name="cause" { option value="" { "all" } @for c in &causes { option value=(c) selected[sel(c, "cause")] { (c) } } (absent("cause", &causes)) } }
            button type="submit" { "Show" }
        }
        // No incident recorded is not a count of nobody dead: the sum over none is not given.
        @if count == 0 { p.lead { "No incidents are recorded for this selection (SDG indicator 10.7.3)." } }
        @else { p.lead { (exact(count as f64, 0)) " incidents, " (exact(total, 0)) " people dead or missing (SDG indicator 10.7.3)."
            @if let Some(largest) = largest { " Each circle is one incident, its area in proportion to its dead and missing (the largest: " (exact(largest, 0)) ")." }
            @if unplaced > 0 { " " (unplaced) " incidents have no usable coordinates and are in the table only." } } }
        // The figure's title is an h3, as on every page: a heading of its own keeps the outline
        // in order for screen readers (axe's heading-order).
        h2 { "Each incident on the map and in the table" }
        (Large(&fig.0))
        @if pages > 1 {
            nav.pager aria-label="Pages of the incidents table" {
                @if page > 1 { a href={ "/map/incidents?" (page_of(1)) } { "First" } " · " a rel="prev" href={ "/map/incidents?" (page_of(page - 1)) } { "Previous " (TABLE_PAGE) } " · " }
                "Incidents " (shown)
                @if page < pages { " · " a rel="next" href={ "/map/incidents?" (page_of(page + 1)) } { "Next " (TABLE_PAGE) } " · " a href={ "/map/incidents?" (page_of(pages)) } { "Last" } }
                " · every incident: " a href={ "/map/incidents.csv?" (page_of(1)) } { "CSV" } ", " a href={ "/map/incidents.json?" (page_of(1)) } { "JSON" }
            }
        }
        p { a href="/indicators/sdg_10_7_3" { "The indicator, year by year" } " · " a href="/map" { "Choropleth maps" } }
    };
    Ok(b.finish(format!("Migrants dead and missing, {year}"), body))
}
