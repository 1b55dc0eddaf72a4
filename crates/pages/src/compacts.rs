//! `/compacts/{gcr|gcm}` and `/compacts/{gcr|gcm}/objectives/{n}`: each objective with the
//! indicators that evidence it, the pledges that address it by stage, and, said plainly, where
//! nothing in the store measures it: the accountability gap.

use maud::html;
use passage_indicators::{Framework, Indicator, Place, Request};
use passage_registry::Stage;

use crate::objectives::compact;
use crate::page::{Builder, Page};
use crate::pledges::{name_of, stage_of};
use crate::series_figure::{compacts_adopted, series_figure};
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

fn evidencing(indicators: &[Indicator], framework: Framework, n: usize) -> Vec<&Indicator> {
    indicators
        .iter()
        .filter(|i| {
            i.objectives
                .iter()
                .any(|o| o.framework == framework && o.number == n.to_string())
        })
        .collect()
}

/// Counts of pledges by stage: no report, planning, in progress, fulfilled.
pub(crate) fn stage_counts<'a>(
    records: impl Iterator<Item = &'a passage_registry::PledgeRecord>,
) -> [usize; 4] {
    let mut c = [0; 4];
    for r in records {
        let i = match stage_of(r) {
            None => 0,
            Some(Stage::Planning) => 1,
            Some(Stage::InProgress) => 2,
            Some(Stage::Fulfilled) => 3,
        };
        c[i] += 1;
    }
    c
}

/// A compact, objective by objective.
pub fn compact_page(site: &dyn Site, slug: &str) -> Result<Page, PageError> {
    let (framework, short, name, titles) = compact(slug)
        .ok_or_else(|| PageError::NotFound(format!("no compact `{slug}`: gcr or gcm")))?;
    let indicators = &site.engine().catalogue.indicators;
    let snapshot = site.registry().snapshot()?;
    let all = &snapshot.pledges;
    let mut b = Builder::new(site, &format!("/compacts/{slug}"), "");
    let mut t = DataTable::new(
        "objectives",
        &format!("The objectives of the {name}"),
        &[
            ("objective", "Objective"),
            ("title", "Title"),
            ("indicators", "Indicators"),
            ("pledges", "Pledges"),
            ("fulfilled", "Fulfilled"),
            ("measured", "Measured by the data"),
        ],
    );
    let mut gaps = 0;
    for (i, title) in titles.iter().enumerate() {
        let n = i + 1;
        let ev = evidencing(indicators, framework, n);
        let addressing: Vec<_> = all
            .iter()
            .filter(|r| {
                name_of(&r.pledge.item.compact) == short
                    && r.pledge.item.objectives.contains(&(n as u8))
                    && !r.pledge.withdrawn
            })
            .collect();
        let counts = stage_counts(addressing.iter().copied());
        if ev.is_empty() {
            gaps += 1;
        }
        t.push(
            vec![
                Cell::Link(
                    format!("{short} {n}"),
                    format!("/compacts/{slug}/objectives/{n}"),
                ),
                Cell::Text(title.to_string()),
                Cell::Text(
                    ev.iter()
                        .map(|i| i.title.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                ),
                Cell::Number(Some(addressing.len() as f64), 0),
                Cell::Number(Some(counts[3] as f64), 0),
                Cell::Text(if ev.is_empty() {
                    "no: nothing in the store measures it".into()
                } else {
                    "yes".into()
                }),
            ],
            None,
            None,
        );
    }
    let table = b.table(t);
    let body = html! {
        p.lead { "Each objective of the " (name) " with the indicators that evidence it and the pledges that address it." }
        p { "Its report, objective by objective: " a href=(format!("/reports/compacts/{slug}")) { "to read or print" } " · "
            a href=(format!("/reports/compacts/{slug}.pdf")) { "PDF" } }
        p.gap { strong { (gaps) " of " (titles.len()) " objectives" } " are measured by nothing in this store: no official open dataset here counts what they promise. That is the compact's accountability gap, shown rather than hidden." }
        (table)
    };
    Ok(b.finish(name, body))
}

/// One objective.
pub fn objective_page(site: &dyn Site, slug: &str, number: &str) -> Result<Page, PageError> {
    let (framework, short, name, titles) = compact(slug)
        .ok_or_else(|| PageError::NotFound(format!("no compact `{slug}`: gcr or gcm")))?;
    let n: usize = number
        .parse()
        .ok()
        .filter(|n| (1..=titles.len()).contains(n))
        .ok_or_else(|| {
            PageError::NotFound(format!("the {short} has objectives 1 to {}", titles.len()))
        })?;
    let release = site.release();
    let engine = site.engine();
    let ev = evidencing(&engine.catalogue.indicators, framework, n);
    let mut b = Builder::new(site, &format!("/compacts/{slug}/objectives/{n}"), "");
    let mut figures = Vec::new();
    for i in &ev {
        let s = engine.evaluate(release, &Request::new(&i.id, Place::World, None))?;
        figures.push(b.figure(series_figure(
            &s,
            &i.id,
            "the world",
            vec![compacts_adopted()],
        )));
    }
    let snapshot = site.registry().snapshot()?;
    let all = &snapshot.pledges;
    let addressing: Vec<_> = all
        .iter()
        .filter(|r| {
            name_of(&r.pledge.item.compact) == short
                && r.pledge.item.objectives.contains(&(n as u8))
        })
        .collect();
    let counts = stage_counts(addressing.iter().filter(|r| !r.pledge.withdrawn).copied());
    let text = match framework {
        passage_indicators::Framework::Gcm => {
            Some(crate::negotiation::objective_text(site, &mut b, n)?)
        }
        _ => None,
    };
    let body = html! {
        p.lead { (name) ", objective " (n) ": " strong { (titles[n - 1]) } "." }
        h2 { "What measures it" }
        @if ev.is_empty() {
            p.gap { strong { "Nothing in this store measures this objective." } " No official open dataset imported here counts what it promises; its progress can only be followed through pledges and reports." }
        } @else {
            ul { @for i in &ev { li { a href=(format!("/indicators/{}", i.id)) { (i.title) } } } }
            @for f in &figures { (f) }
        }
        @if let Some(t) = &text { (t) }
        h2 { "Pledges that address it" }
        p { (addressing.len()) " pledges: " (counts[0]) " with no progress reported, " (counts[1]) " planning, " (counts[2]) " in progress, " (counts[3]) " fulfilled"
            @if addressing.iter().any(|r| r.pledge.item.example) { " (the registry holds example records)" } "." }
        ul { @for r in &addressing { li { a href=(format!("/pledges/{}", r.pledge.item.id)) { (r.pledge.item.title) } " — " (r.pledge.item.entity) @if r.pledge.withdrawn { " (withdrawn)" } } } }
        p { a href=(format!("/pledges?compact={short}&objective={n}")) { "These pledges as a filtered list" } " · " a href=(format!("/compacts/{slug}")) { "All objectives of the " (short) } }
    };
    Ok(b.finish(format!("{short} objective {n}: {}", titles[n - 1]), body))
}
