//! `/`: the dashboard. The forcibly displaced and their parts, the share who never crossed a
//! border, the dead and missing, the active release and what changed since the one before, and
//! the claims whose verdict changed with it.

use maud::html;
use passage_charts::exact;
use passage_indicators::{IndicatorError, Place, Request};

use crate::page::{Builder, Page};
use crate::series_figure::{compacts_adopted, parts_figure, series_figure, year_label};
use crate::verdicts::{badge, flips};
use crate::{PageError, Site};

/// The dashboard.
pub fn home(site: &dyn Site) -> Result<Page, PageError> {
    let release = site.release();
    let engine = site.engine();
    // A release made of some sources alone lacks some datasets: the dashboard shows what the
    // release has and says what it lacks, rather than refusing the whole page.
    let mut missing: Vec<String> = Vec::new();
    let mut world = |id: &str| match engine.evaluate(release, &Request::new(id, Place::World, None))
    {
        Ok(s) => Ok(Some(s)),
        Err(IndicatorError::MissingDataset {
            indicator, dataset, ..
        }) => {
            missing.push(format!("{indicator} (needs the {dataset} dataset)"));
            Ok(None)
        }
        Err(e) => Err(e),
    };
    let displaced = world("forcibly_displaced")?;
    let share = world("internally_displaced_share")?;
    let dead = world("sdg_10_7_3")?;
    let mut b = Builder::new(site, "/", "");
    let card = |s: &passage_indicators::Series<'_>| {
        s.latest().map(|p| {
            (
                exact(p.value.unwrap_or(f64::NAN), s.indicator.decimals),
                year_label(p.year, p.period),
            )
        })
    };
    let adopted = vec![compacts_adopted()];
    let f1 = displaced
        .as_ref()
        .map(|s| b.figure(parts_figure(s, "forcibly-displaced", "the world")));
    let f2 = share.as_ref().map(|s| {
        b.figure(series_figure(
            s,
            "never-crossed-a-border",
            "the world",
            adopted.clone(),
        ))
    });
    let f3 = dead.as_ref().map(|s| {
        b.figure(series_figure(
            s,
            "dead-and-missing",
            "the world",
            adopted.clone(),
        ))
    });
    let cards = [
        (&displaced, "forcibly displaced"),
        (&share, "never crossed a border"),
        (&dead, "migrants dead or missing"),
    ];
    let releases = site.releases()?;
    let active = &release.manifest;
    let previous = releases
        .iter()
        .filter(|m| m.id != active.id && m.created_at < active.created_at)
        .max_by(|a, b| a.created_at.cmp(&b.created_at));
    let diff = previous.map(|p| site.diff(&p.id, &active.id)).transpose()?;
    let history = site.verdict_history()?;
    let flipped = flips(&history, &active.id.to_string());
    let body = html! {
        p.lead { "How many people are forced from their homes, how many never cross a border and so fall outside both Global Compacts, and how many migrants die on the way: from the official statistics, each figure with its source and release." }
        div.cards {
            @for (s, label) in cards.iter().filter_map(|(s, l)| s.as_ref().map(|s| (s, l))) {
                @if let Some((value, year)) = card(s) {
                    div.card { span.big { (value) @if s.indicator.unit == "per cent" { " %" } } span.label { (label) ", " (year) } }
                }
            }
        }
        @if !missing.is_empty() {
            div.notice role="note" { p { "This release lacks data for part of the dashboard: " (missing.join("; ")) ". "
                a href=(format!("/releases/{}", active.id)) { "What the release holds" } "." } }
        }
        // The figures' titles are h3s, as on every page: a heading of their own keeps the
        // outline in order for screen readers (axe's heading-order).
        h2 { "The headline series" }
        @for f in [&f1, &f2, &f3].into_iter().flatten() { (f) }
        h2 { "The release shown" }
        p { "Release " a href=(format!("/releases/{}", active.id)) { code { (active.id) } } ", created " (active.created_at.get(..10).unwrap_or("")) ", from "
            (active.sources.len()) " source files, with " (active.finding_count()) " findings reported at import." }
        @match (&previous, &diff) {
            (Some(p), Some(d)) => {
                p { "Since the release before, " a href=(format!("/releases/{}", p.id)) { code { (p.id) } } ": "
                    a href=(format!("/releases/{}/diff/{}", p.id, active.id)) { "what changed" } "." }
                ul {
                    @for ds in &d.datasets { li { (diff_line(ds)) } }
                    @if d.datasets.is_empty() { li { "No figure changed." } }
                }
            }
            _ => { p { "This is the store's first release: there is nothing to compare it with yet." } }
        }
        h2 { "Claims whose verdict changed" }
        @if flipped.is_empty() {
            p { "No claim changed its verdict with this release. " a href="/claims" { "All claims" } "." }
        } @else {
            ul { @for f in &flipped { li { a href=(format!("/claims/{}", f.claim)) { (f.claim) } ": " (badge(f.before.1)) " → " (badge(f.after.1)) } } }
        }
    };
    Ok(b.finish("The evidence on the Global Compacts", body))
}

/// A dataset's changes in one line.
pub fn diff_line(ds: &passage_store::DatasetDiff) -> String {
    let (added, removed, changed) = ds.years.iter().fold((0, 0, 0), |a, y| {
        (a.0 + y.added, a.1 + y.removed, a.2 + y.changed)
    });
    let presence = ds
        .presence
        .as_deref()
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    format!(
        "{}: {} rows added, {} removed, {} changed{presence}",
        ds.dataset,
        exact(added as f64, 0),
        exact(removed as f64, 0),
        exact(changed as f64, 0)
    )
}
