//! The reports, as pages: `/reports/countries/{ISO3}` (a country as host and as origin, section
//! by section) and `/reports/compacts/{gcr|gcm}` (objective by objective). Their figures are the
//! dashboard's, placed by the same builder; the report layout adds a title page, a table of
//! contents and the citation and licence of every source, for print and PDF.

use maud::{html, Markup};
use passage_indicators::{on_two_threads, region_names, Place, Request, Role, Series};
use passage_store::YearFilter;

use crate::country::{claims_of, deaths_figure, pledges_of, top_figure};
use crate::names::country_href;
use crate::objectives::compact;
use crate::page::{Builder, Page};
use crate::series_figure::{compacts_adopted, country_series_figure, series_figure};
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// The sections of a country report: a title and the indicators it holds, in order.
const COUNTRY_SECTIONS: [(&str, &str, &[&str]); 6] = [
    (
        "displacement",
        "Forced displacement",
        &[
            "forcibly_displaced",
            "refugees",
            "asylum_seekers",
            "stateless",
            "new_arrivals",
        ],
    ),
    (
        "solutions",
        "Solutions: returns, resettlement, naturalisation",
        &[
            "refugee_returns",
            "resettlement_arrivals",
            "naturalisations",
        ],
    ),
    (
        "asylum",
        "Asylum decisions and recognition rates",
        &[
            "asylum_applications",
            "asylum_decisions",
            "refugee_recognition_rate",
            "total_recognition_rate",
        ],
    ),
    (
        "sharing",
        "Sharing responsibility",
        &[
            "refugees_per_1000_inhabitants",
            "refugees_per_usd_bn_gdp",
            "share_hosted_low_middle_income",
            "share_hosted_by_neighbours",
            "sdg_10_7_4",
        ],
    ),
    (
        "migration",
        "Migrant stock",
        &["migrant_stock", "migrant_share_of_population"],
    ),
    (
        "internal",
        "Internal displacement",
        &[
            "internally_displaced",
            "internally_displaced_share",
            "new_displacements",
            "new_displacements_disasters",
            "idp_returns",
        ],
    ),
];

/// A section of a report: its anchor, title and content.
pub struct Section {
    /// The anchor.
    pub id: String,
    /// The heading.
    pub title: String,
    /// The content.
    pub body: Markup,
}

/// The report's own print layout, after the site's stylesheet so that it wins: each figure's chart
/// beside its table, small type for the exact figures, and the per-figure citation left to the
/// screen (the report is cited as a whole on its title page and at its end). Without it a
/// country's report ran to some 85 pages, most of them a lone chart or a spilled caption.
const PRINT_CSS: &str = "@media print {
body.report { font-size: 9.5pt; }
body.report .report-section > h2 { margin: 0 0 .4em; }
body.report .report-section.brief > h2 { break-before: auto; margin-top: 1.2em; }
body.report .figure { margin: 0 0 .9em; padding: 0; }
body.report .figure h3 { font-size: 1.05em; margin: 0 0 .3em; }
body.report .figure-body { grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: .8em; }
body.report .chart-box svg { max-height: 6.5cm; }
body.report table.data { font-size: 7.5pt; }
body.report table.data caption { font-size: 8pt; }
body.report table.data th, body.report table.data td { padding: .05em .35em; }
body.report .figure figcaption { font-size: 7.5pt; }
body.report .figure figcaption p, body.report .figure details.caveats ul { margin: .2em 0; }
body.report .figure .cite { display: none; }
body.report #sources { font-size: 8pt; }
}";

fn sections_markup(sections: &[Section]) -> Markup {
    html! {
        style { (maud::PreEscaped(PRINT_CSS)) }
        // A section of text and lists alone (votes, claims) follows the one before on its page
        // rather than starting a page of its own that it fills a few lines of.
        @for s in sections { section.report-section.brief[!s.body.0.contains("<figure")] id=(s.id) { h2 { (s.title) } (s.body) } }
    }
}

/// A country's report.
pub fn country_report(site: &dyn Site, code: &str) -> Result<Page, PageError> {
    let release = site.release();
    let iso = code.to_ascii_uppercase();
    let profile = site
        .engine()
        .profile(release, &iso, YearFilter::All)
        .map_err(|e| PageError::NotFound(format!("no country `{code}`: {e}")))?;
    let mut b = Builder::for_report(site, &format!("/reports/countries/{iso}"));
    let mut sections = Vec::new();
    let tops = [
        top_figure(release, &iso, &profile.name, Role::Host),
        top_figure(release, &iso, &profile.name, Role::Origin),
    ];
    let [origins, hosts] = tops.map(|f| f.map(|f| b.figure(f)));
    // Every section's series, in the sections' order, drawn on two threads (drawing is most of
    // a report's rendering), then kept in that order.
    let mut wanted: Vec<(usize, &Series<'_>)> = Vec::new();
    for (at, (_, _, indicators)) in COUNTRY_SECTIONS.iter().enumerate() {
        for ind in *indicators {
            wanted.extend(
                profile
                    .sections
                    .iter()
                    .filter(|s| s.indicator.id == *ind)
                    .map(|s| (at, s)),
            );
        }
    }
    let drawn = on_two_threads(wanted, |(at, s)| {
        let drawn = country_series_figure(s, &profile.name).map(|f| b.render_figure(f, None));
        (at, drawn)
    });
    let mut figures: Vec<Vec<Markup>> = vec![Vec::new(); COUNTRY_SECTIONS.len()];
    let mut missing: Vec<Vec<String>> = vec![Vec::new(); COUNTRY_SECTIONS.len()];
    for (at, drawn) in drawn {
        match drawn {
            Ok(f) => figures[at].push(b.keep(f)),
            Err(line) => missing[at].push(line),
        }
    }
    for (((id, title, _), figures), missing) in COUNTRY_SECTIONS.iter().zip(figures).zip(missing) {
        let id = *id;
        let body = html! {
            @if id == "displacement" { @if let Some(f) = &origins { (f) } @if let Some(f) = &hosts { (f) } }
            @for f in &figures { (f) }
            @if figures.is_empty() { p { "No figure of this release for " (profile.name) " in this section." } }
            @if !missing.is_empty() { p.muted { "No figure for: " (missing.join("; ")) "." } }
        };
        sections.push(Section {
            id: id.into(),
            title: (*title).into(),
            body,
        });
    }
    let deaths = deaths_figure(release, &iso, &profile.name).map(|f| b.figure(f));
    sections.push(Section {
        id: "dead-and-missing".into(),
        title: "Migrants dead and missing on its territory".into(),
        body: html! { @match &deaths { Some(f) => { (f) } None => { p { "The Missing Migrants Project records no incident in " (profile.name) " in this release." } } } },
    });
    sections.push(Section {
        id: "pledges".into(),
        title: "Pledges and their progress".into(),
        body: pledges_of(site, &iso)?,
    });
    let votes = crate::negotiation::country_votes(site, &iso)?;
    let positions = crate::positions::of_country(site, &iso, &profile.name)?
        .map(|t| crate::positions::shown(&mut b, t));
    if votes.is_some() || positions.is_some() {
        sections.push(Section {
            id: "votes".into(),
            title: "Votes and positions on the compacts".into(),
            body: html! { @if let Some(v) = &votes { (v) } @if let Some(p) = &positions { (p) } },
        });
    }
    sections.push(Section {
        id: "claims".into(),
        title: format!("Claims that concern {}", profile.name),
        body: claims_of(site, &iso)?,
    });
    let lead = html! {
        p.lead { (profile.name) " (" (iso) ") as a host of refugees and as a country of origin, from the official statistics in release "
            code { (release.manifest.id) } ". Each section has charts, the exact figures with their change since 2018 (the compacts' adoption), and their sources and caveats. "
            "The same figures are on the dashboard at " a href=(country_href(&iso)) { (country_href(&iso)) } "." }
    };
    Ok(finish_report(
        b,
        format!("{}: refugees, displacement and migration", profile.name),
        lead,
        sections,
    ))
}

/// A compact's report, objective by objective.
pub fn compact_report(site: &dyn Site, slug: &str) -> Result<Page, PageError> {
    let (framework, short, name, titles) = compact(slug)
        .ok_or_else(|| PageError::NotFound(format!("no compact `{slug}`: gcr or gcm")))?;
    let release = site.release();
    let engine = site.engine();
    let snapshot = site.registry().snapshot()?;
    let all = &snapshot.pledges;
    let mut b = Builder::for_report(site, &format!("/reports/compacts/{slug}"));
    let regions: Vec<String> = region_names(release.countries())
        .into_iter()
        .filter(|r| ["Africa", "Americas", "Asia", "Europe", "Oceania"].contains(&r.as_str()))
        .collect();
    let mut sections = Vec::new();
    let mut unmeasured = Vec::new();
    for (i, title) in titles.iter().enumerate() {
        let n = i + 1;
        let evidencing: Vec<_> = engine
            .catalogue
            .indicators
            .iter()
            .filter(|ind| {
                ind.objectives
                    .iter()
                    .any(|o| o.framework == framework && o.number == n.to_string())
            })
            .collect();
        let mut figures = Vec::new();
        for ind in &evidencing {
            let world = engine.evaluate(release, &Request::new(&ind.id, Place::World, None))?;
            figures.push(b.figure(series_figure(
                &world,
                &format!("o{n}-{}", ind.id),
                "the world",
                vec![compacts_adopted()],
            )));
            if let (Some(role), Some(latest)) = (ind.roles.first(), world.latest().map(|p| p.year))
            {
                let mut t = DataTable::new(
                    &format!("o{n}-{}-regions", ind.id),
                    &format!("{} by region as {}, {latest}", ind.title, role.name()),
                    &[("region", "Region"), ("value", "Value")],
                );
                for r in &regions {
                    let mut req = Request::new(&ind.id, Place::Region(r.clone()), Some(*role));
                    req.years = passage_domain::Year::new(latest.into())
                        .map(|y| YearFilter::List(vec![y]))
                        .unwrap_or(YearFilter::All);
                    let v = engine
                        .evaluate(release, &req)
                        .ok()
                        .and_then(|s| s.at(latest).and_then(|p| p.value));
                    t.push(
                        vec![Cell::Text(r.clone()), Cell::Number(v, ind.decimals)],
                        Some(latest),
                        None,
                    );
                }
                figures.push(b.table(t));
            }
        }
        let addressing: Vec<_> = all
            .iter()
            .filter(|r| {
                crate::pledges::name_of(&r.pledge.item.compact) == short
                    && r.pledge.item.objectives.contains(&(n as u8))
                    && !r.pledge.withdrawn
            })
            .collect();
        let mut stages = DataTable::new(
            &format!("o{n}-pledges"),
            &format!("Pledges addressing {short} objective {n}, by stage"),
            &[("stage", "Stage"), ("pledges", "Pledges")],
        );
        let counts = crate::compacts::stage_counts(addressing.iter().copied());
        for (stage, count) in [
            "no progress reported",
            "planning",
            "in progress",
            "fulfilled",
        ]
        .iter()
        .zip(counts)
        {
            stages.push(
                vec![
                    Cell::Text((*stage).into()),
                    Cell::Number(Some(count as f64), 0),
                ],
                None,
                None,
            );
        }
        let stages = b.table(stages);
        if evidencing.is_empty() {
            unmeasured.push(format!("{short} {n}"));
        }
        sections.push(Section {
            id: format!("objective-{n}"),
            title: format!("Objective {n}: {title}"),
            body: html! {
                @if evidencing.is_empty() { p.gap { strong { "Nothing in this store measures this objective." } } }
                @for f in &figures { (f) }
                (stages)
            },
        });
    }
    let lead = html! {
        p.lead { "The " (name) ", objective by objective: the indicators that evidence each, for the world and its regions, and the pledges that address it by stage, from release " code { (release.manifest.id) } "." }
        p.gap { strong { (unmeasured.len()) " of " (titles.len()) " objectives" } " are measured by nothing in this store: " (unmeasured.join(", ")) "." }
    };
    Ok(finish_report(
        b,
        format!("{name}: objectives and evidence"),
        lead,
        sections,
    ))
}

/// What changed in the data of a release since the one before it, largest changes first, and
/// the claims whose verdict flipped: for people who publish figures.
pub fn release_report(site: &dyn Site, id: &str) -> Result<Page, PageError> {
    let releases = site.releases()?;
    let m = releases
        .iter()
        .find(|m| m.id.to_string() == id)
        .ok_or_else(|| PageError::NotFound(format!("no release `{id}`; see /releases")))?;
    let previous = releases
        .iter()
        .filter(|p| p.created_at < m.created_at)
        .max_by(|a, b| a.created_at.cmp(&b.created_at));
    let mut b = Builder::for_report(site, &format!("/reports/releases/{id}"));
    let mut sections = Vec::new();
    let changes = match previous {
        None => {
            html! { p { "This is the store's first release: there is nothing to compare it with." } }
        }
        Some(p) => {
            let d = site.diff(&p.id, &m.id)?;
            let mut t = DataTable::new(
                "revisions",
                &format!("Revisions from {} to {}, largest first", p.id, m.id),
                &[
                    ("dataset", "Dataset"),
                    ("year", "Year"),
                    ("added", "Rows added"),
                    ("removed", "Rows removed"),
                    ("changed", "Rows changed"),
                ],
            );
            let mut years: Vec<_> = d
                .datasets
                .iter()
                .flat_map(|ds| ds.years.iter().map(move |y| (ds, y)))
                .collect();
            years.sort_by(|x, y| {
                (y.1.added + y.1.removed + y.1.changed)
                    .cmp(&(x.1.added + x.1.removed + x.1.changed))
                    .then_with(|| x.0.dataset.cmp(&y.0.dataset))
            });
            for (ds, y) in years {
                t.push(
                    vec![
                        Cell::Text(ds.dataset.clone()),
                        Cell::Text(y.year.map(|y| y.to_string()).unwrap_or_default()),
                        Cell::Number(Some(y.added as f64), 0),
                        Cell::Number(Some(y.removed as f64), 0),
                        Cell::Number(Some(y.changed as f64), 0),
                    ],
                    y.year,
                    None,
                );
            }
            let table = b.table(t);
            html! {
                p { "Compared with release " code { (p.id) } " of " (p.created_at.get(..10).unwrap_or("")) "." }
                ul { @for ds in &d.datasets { li { (crate::home::diff_line(ds)) } } @if d.datasets.is_empty() { li { "No figure changed." } } }
                (table)
            }
        }
    };
    sections.push(Section {
        id: "revisions".into(),
        title: "Revisions by dataset and year".into(),
        body: changes,
    });
    let history = site.verdict_history()?;
    let flipped = crate::verdicts::flips(&history, id);
    sections.push(Section {
        id: "claims".into(),
        title: "Claims whose verdict changed".into(),
        body: html! {
            @if flipped.is_empty() { p { "No claim changed its verdict with this release." } }
            ul { @for f in &flipped { li { a href=(format!("/claims/{}", f.claim)) { (f.claim) } ": " (crate::verdicts::badge(f.before.1)) " → " (crate::verdicts::badge(f.after.1)) } } }
        },
    });
    let lead = html! { p.lead { "What changed in the official figures with release " code { (m.id) } " (" (m.created_at.get(..10).unwrap_or("")) "), for anyone who has published figures from an earlier one." } };
    Ok(finish_report(
        b,
        format!("Release {id}: what changed"),
        lead,
        sections,
    ))
}

fn finish_report(b: Builder<'_>, title: String, lead: Markup, sections: Vec<Section>) -> Page {
    let toc: Vec<(String, String)> = sections
        .iter()
        .map(|s| (s.id.clone(), s.title.clone()))
        .collect();
    let mut page = b.finish(title, sections_markup(&sections));
    page.lead = lead;
    page.toc = toc;
    page
}
