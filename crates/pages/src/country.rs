//! `/countries/{ISO3}`: one country as host and as origin over time: a chart for each indicator
//! that has figures for it, top origins and top hosts, its pledges from the registry beside the
//! data, the claims that concern it, sources and caveats.

use maud::{html, Markup};
use passage_charts::{bar_chart, Bar, BarChart};
use passage_datasets::Dataset;
use passage_indicators::Role;
use passage_store::{run, Filter, Query, Release, YearFilter};

use crate::large::{Large, Room};
use crate::names::{country_href, country_name, is_country};
use crate::page::{Builder, DrawnFigure, Figure, Page};
use crate::series_figure::{compacts_adopted, country_series_figure, frame};
use crate::table::{Cell, DataTable};
use crate::verdicts::badge;
use crate::{PageError, Site};

/// Countries shown in a top list.
const TOP: usize = 10;

/// The page of one country.
pub fn country(site: &dyn Site, code: &str) -> Result<Page, PageError> {
    let release = site.release();
    let iso = code.to_ascii_uppercase();
    if iso != code {
        return Err(PageError::NotFound(format!(
            "country codes are upper case: /countries/{iso}"
        )));
    }
    // The top lists and the dead and missing read tables of their own: drawn on a thread of
    // their own while the profile is computed, under the name of the release's country list.
    let extras_of = |name: &str| {
        (
            [
                top_figure(release, &iso, name, Role::Host),
                top_figure(release, &iso, name, Role::Origin),
            ],
            deaths_figure(release, &iso, name),
        )
    };
    // So are the registry's pledges, the claims, the votes and the positions, which read no
    // profile.
    let others = |name: &str| {
        (
            pledges_of(site, &iso),
            claims_of(site, &iso),
            crate::negotiation::country_votes(site, &iso),
            crate::positions::of_country(site, &iso, name),
        )
    };
    let listed = country_name(release, &iso);
    let (profile, (extras, (pledges, claims, votes, positions))) = passage_indicators::beside(
        || site.engine().profile(release, &iso, YearFilter::All),
        || (extras_of(&listed), others(&listed)),
    );
    let profile = profile.map_err(|e| PageError::NotFound(format!("no country `{code}`: {e}")))?;
    let name = profile.name.as_str();
    let (tops, deaths) = if listed == name {
        extras
    } else {
        extras_of(name)
    };
    let positions = if listed == name {
        positions
    } else {
        crate::positions::of_country(site, &iso, name)
    };
    let (pledges, claims, votes, positions) = (pledges?, claims?, votes?, positions?);
    let mut b = Builder::new(site, &country_href(&iso), "");
    let mut host = Vec::new();
    let mut origin = Vec::new();
    let mut empty = Vec::new();
    // A series drawn into its figure's finished markup (which reads the builder only), or the
    // line saying it has no figure. Each series is dropped once drawn, on the thread that drew it.
    let draw = |s: passage_indicators::Series<'_>| -> (Role, Result<DrawnFigure, String>) {
        let drawn = country_series_figure(&s, name).map(|figure| {
            let table = figure.table.html();
            b.render_figure(figure, Some(table))
        });
        (s.role.unwrap_or(Role::Host), drawn)
    };
    // Drawing the charts and tables is most of a country page's time, and each is independent:
    // two threads draw them.
    let drawn = passage_indicators::on_two_threads(profile.sections, draw);
    for (role, figure) in drawn {
        let fig = match figure {
            Ok(f) => b.keep(f),
            Err(line) => {
                empty.push(line);
                continue;
            }
        };
        match role {
            Role::Host => host.push(fig),
            Role::Origin => origin.push(fig),
        }
    }
    for (id, dataset) in &profile.missing {
        let title = site
            .engine()
            .indicator(id)
            .map_or(id.as_str(), |i| i.title.as_str());
        empty.push(format!("{title} (this release has no {dataset} data)"));
    }
    let [top_origins, top_hosts] = tops.map(|f| f.map(|f| b.figure(f)));
    let deaths = deaths.map(|f| b.figure(f));
    let positions = positions.map(|t| crate::positions::shown(&mut b, t));
    let figures: usize = host.iter().chain(&origin).map(|f| f.0.len()).sum();
    let body = html! {
        (Room(figures))
        p.lead { (profile.name) " (" (iso) ") as a country that hosts refugees and asylum-seekers, and as a country people flee. "
            "Every chart has its exact figures beside it, its sources and a citation." }
        p { "Its report, with every figure below: " a href=(format!("/reports/countries/{iso}")) { "to read or print" } " · "
            a href=(format!("/reports/countries/{iso}.pdf")) { "PDF" } }
        nav.toc aria-label="On this page" { ul.plain.inline {
            li { a href="#as-host" { "As host" } } li { a href="#as-origin" { "As origin" } }
            li { a href="#dead-and-missing" { "Dead and missing" } } li { a href="#pledges" { "Pledges" } } li { a href="#votes" { "Votes" } } li { a href="#claims" { "Claims" } }
        } }
        h2 id="as-host" { "As a host country" }
        @if let Some(t) = &top_origins { (t) }
        @for f in &host { (Large(&f.0)) }
        @if host.is_empty() { p { "No figure of this release has " (profile.name) " as a host." } }
        h2 id="as-origin" { "As a country of origin" }
        @if let Some(t) = &top_hosts { (t) }
        @for f in &origin { (Large(&f.0)) }
        @if origin.is_empty() { p { "No figure of this release has " (profile.name) " as a country of origin." } }
        @if !empty.is_empty() {
            details { summary { "Indicators with no figure for " (profile.name) " (" (empty.len()) ")" }
                ul { @for e in &empty { li { (e) } } } }
        }
        h2 id="dead-and-missing" { "Migrants dead and missing on its territory" }
        @match &deaths {
            Some(f) => { (f) }
            None => { p { "The Missing Migrants Project records no incident in " (profile.name) " in this release." } }
        }
        h2 id="pledges" { "Pledges" }
        (pledges)
        @if votes.is_some() || positions.is_some() {
            section id="votes" { h2 { "Votes and positions on the compacts" }
                @if let Some(v) = &votes { (v) }
                @if let Some(p) = &positions { (p) }
            }
        }
        h2 id="claims" { "Claims that concern " (profile.name) }
        (claims)
    };
    Ok(b.finish(profile.name.clone(), body))
}

/// The largest origins of the refugees a country hosts (`Host`) or the largest hosts of its
/// refugees (`Origin`), in the latest year of the population table.
pub(crate) fn top_figure(release: &Release, iso: &str, name: &str, role: Role) -> Option<Figure> {
    let table = release.table(Dataset::Population)?;
    let year = table.years().max()?;
    let (mine, other, title) = match role {
        Role::Host => (
            "coa_iso",
            "coo_iso",
            format!("Where the refugees {name} hosts come from, {year}"),
        ),
        Role::Origin => (
            "coo_iso",
            "coa_iso",
            format!("Where refugees from {name} live, {year}"),
        ),
    };
    let query = Query {
        dataset: "population".into(),
        years: YearFilter::List(vec![passage_domain::Year::new(year.into()).ok()?]),
        filters: vec![Filter {
            parameter: mine.into(),
            dim: mine.into(),
            values: vec![iso.into()],
        }],
        by: vec![other.into()],
        measures: vec!["refugees".into()],
    };
    let answer = run(release, &query).ok()?;
    let mut rows: Vec<(String, f64)> = answer
        .rows()
        .filter_map(|r| {
            let v = r.values.first()?.as_f64()?;
            if v > 0.0 {
                Some((r.keys.first()?.to_string(), v))
            } else {
                None
            }
        })
        .collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows.truncate(TOP);
    let id = match role {
        Role::Host => "top-origins",
        Role::Origin => "top-hosts",
    };
    let mut t = DataTable::new(
        id,
        &title,
        &[
            ("country", "Country"),
            ("iso3", "ISO3"),
            ("refugees", "Refugees"),
        ],
    );
    t.value_key = Some("refugees".into());
    let bars = rows
        .iter()
        .map(|(c, v)| {
            let label = country_name(release, c);
            let href = is_country(release, c).then(|| country_href(c));
            t.push(
                vec![
                    match &href {
                        Some(h) => Cell::Link(label.clone(), h.clone()),
                        None => Cell::Text(label.clone()),
                    },
                    Cell::Text(c.clone()),
                    Cell::Number(Some(*v), 0),
                ],
                Some(year),
                Some(c),
            );
            Bar {
                label,
                value: Some(*v),
                // Links inside an image are not announced: the table beside it links each country.
                href: None,
            }
        })
        .collect();
    let mut f = frame(id, &title, "persons", 0);
    f.height = 0;
    Some(Figure {
        id: id.into(),
        title: title.clone(),
        svg: bar_chart(&BarChart { frame: f, bars }),
        table: t,
        datasets: vec![Dataset::Population],
        caveats: vec!["Refugees under UNHCR's mandate only; UNRWA-mandate Palestine refugees, asylum-seekers and others in need of international protection are not included.".into()],
        subject: name.into(),
    })
}

/// Migrants recorded dead or missing in incidents in the country, by year.
pub(crate) fn deaths_figure(release: &Release, iso: &str, name: &str) -> Option<Figure> {
    let names = crate::iom_names::incident_names(iso, name);
    let query = Query {
        dataset: "missing_migrants".into(),
        years: YearFilter::All,
        filters: vec![Filter {
            parameter: "country".into(),
            dim: "country_of_incident".into(),
            values: names,
        }],
        by: vec!["year".into()],
        measures: vec!["dead_and_missing".into()],
    };
    let answer = run(release, &query).ok()?;
    if answer.is_empty() {
        return None;
    }
    let title = format!("Migrants dead and missing in {name}");
    let mut t = DataTable::new(
        "dead-and-missing",
        &title,
        &[
            ("year", "Year"),
            ("dead_and_missing", "Dead and missing"),
            ("incidents", "Records"),
        ],
    );
    t.value_key = Some("dead_and_missing".into());
    let mut points = Vec::new();
    let rows: Vec<_> = answer.rows().collect();
    for r in rows.iter().rev() {
        let year: i16 = r.keys.first()?.parse().ok()?;
        let v = r.values.first()?.as_f64();
        points.push((year, v));
        t.push(
            vec![
                Cell::Text(year.to_string()),
                Cell::Number(v, 0),
                Cell::Number(Some(r.source_rows as f64), 0),
            ],
            Some(year),
            None,
        );
    }
    points.reverse();
    let chart = passage_charts::SeriesChart {
        frame: frame("dead-and-missing", &title, "persons", 0),
        lines: vec![passage_charts::Line {
            label: "Dead and missing".into(),
            points,
        }],
        stacked: false,
        markers: vec![compacts_adopted()],
    };
    Some(Figure {
        id: "dead-and-missing".into(),
        title,
        svg: passage_charts::series_chart(&chart),
        table: t,
        datasets: vec![Dataset::MissingMigrants],
        caveats: vec![
            "Counts are minimum estimates: many deaths on migration routes are never recorded.".into(),
            "Incidents are matched by the country of incident the Missing Migrants Project records; deaths at sea are often recorded under a route or region rather than a country.".into(),
        ],
        subject: name.into(),
    })
}

/// The registry's pledges by the country's entities or with the country in their scope.
pub(crate) fn pledges_of(site: &dyn Site, iso: &str) -> Result<Markup, PageError> {
    let snapshot = site.registry().snapshot()?;
    let pledges: Vec<_> = snapshot
        .pledges
        .iter()
        .map(|r| &r.pledge)
        .filter(|p| {
            snapshot.country_of(&p.item.entity) == Some(iso)
                || p.item.scope.iter().any(|s| s == iso)
        })
        .collect();
    Ok(html! {
        @if pledges.is_empty() {
            p { "The registry holds no pledge by an entity of this country or for it. " a href="/pledges" { "All pledges" } "." }
        } @else {
            ul { @for p in &pledges {
                li { a href=(format!("/pledges/{}", p.item.id)) { (p.item.title) } " — " (p.item.entity) ", " (format!("{:?}", p.item.forum).to_uppercase()) " " (p.item.forum_year)
                    @if p.withdrawn { " (withdrawn)" } @if p.item.example { " (example record)" } }
            } }
        }
    })
}

/// The claims with a figure of this country.
pub(crate) fn claims_of(site: &dyn Site, iso: &str) -> Result<Markup, PageError> {
    let claims: Vec<_> = site
        .claims()?
        .into_iter()
        .filter(|c| {
            c.test
                .operands()
                .iter()
                .any(|o| o.country.as_deref() == Some(iso))
        })
        .collect();
    Ok(html! {
        @if claims.is_empty() {
            p { "No claim reads a figure of this country. " a href="/claims" { "All claims" } "." }
        } @else {
            ul { @for c in &claims {
                @let e = site.evaluation(c);
                li { a href=(format!("/claims/{}", c.id)) { (c.text) } " " (badge(e.verdict.outcome)) " " (e.verdict.explanation) }
            } }
        }
    })
}
