//! `/pledges` and `/pledges/{id}`: the registry's pledges, filtered by forum, year, compact,
//! objective, entity, stage and text with a plain GET form; each pledge beside a chart of every
//! indicator linked to it (its date and target date marked), its progress as a timeline with
//! verification, its co-pledgers, and its event history with the chain's verification.

use maud::{html, Markup};
use passage_charts::Marker;
use passage_indicators::{Place, Request, Role};
use passage_registry::{PledgeRecord, Stage};

use crate::names::{country_href, country_name};
use crate::page::{Builder, Page};
use crate::query::{canonical, Params};
use crate::series_figure::series_figure;
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// A serde-named value's name (`grf`, `in_progress`).
pub fn name_of<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A stage in words.
pub fn stage_words(stage: Option<Stage>) -> &'static str {
    match stage {
        None => "no progress reported",
        Some(Stage::Planning) => "planning",
        Some(Stage::InProgress) => "in progress",
        Some(Stage::Fulfilled) => "fulfilled",
    }
}

/// The stage of a pledge's latest progress update, by date.
pub fn stage_of(record: &PledgeRecord) -> Option<Stage> {
    record
        .updates
        .iter()
        .max_by(|a, b| a.item.date.cmp(&b.item.date))
        .map(|u| u.item.stage)
}

/// The list of pledges.
pub fn pledges(site: &dyn Site, params: &Params) -> Result<Page, PageError> {
    let snapshot = site.registry().snapshot()?;
    let all = &snapshot.pledges;
    let f = |k: &str| params.get(k).unwrap_or("");
    let year = params.year("year")?;
    let objective: Option<u8> = match params.get("objective") {
        None => None,
        Some(o) => Some(o.parse().map_err(|_| {
            PageError::bad(
                "objective",
                format!("expected an objective number, found `{o}`"),
            )
        })?),
    };
    let q = f("q").to_lowercase();
    let kept: Vec<&PledgeRecord> = all
        .iter()
        .filter(|r| {
            let p = &r.pledge.item;
            (f("forum").is_empty() || name_of(&p.forum) == f("forum"))
                && year.is_none_or(|y| p.forum_year == i32::from(y))
                && (f("compact").is_empty()
                    || name_of(&p.compact).eq_ignore_ascii_case(f("compact")))
                && objective.is_none_or(|o| p.objectives.contains(&o))
                && (f("entity").is_empty()
                    || p.entity == f("entity")
                    || p.co_pledgers_confirmed.iter().any(|c| c == f("entity")))
                && (f("stage").is_empty()
                    || stage_words(stage_of(r)) == f("stage").replace('_', " "))
                && (q.is_empty()
                    || p.title.to_lowercase().contains(&q)
                    || p.description.to_lowercase().contains(&q))
        })
        .collect();
    let query = canonical(&[
        ("forum", f("forum")),
        ("year", f("year")),
        ("compact", f("compact")),
        ("objective", f("objective")),
        ("entity", f("entity")),
        ("stage", f("stage")),
        ("q", f("q")),
    ]);
    let mut b = Builder::new(site, "/pledges", &query);
    let mut t = DataTable::new(
        "pledges",
        "Pledges",
        &[
            ("id", "Pledge"),
            ("entity", "Entity"),
            ("forum", "Forum"),
            ("year", "Year"),
            ("compact", "Compact"),
            ("objectives", "Objectives"),
            ("stage", "Stage"),
            ("contribution", "Contribution"),
        ],
    );
    for r in &kept {
        let p = &r.pledge.item;
        let mut title = p.title.clone();
        if r.pledge.withdrawn {
            title.push_str(" (withdrawn)");
        }
        t.push(
            vec![
                Cell::Link(title, format!("/pledges/{}", p.id)),
                Cell::Text(p.entity.clone()),
                Cell::Text(name_of(&p.forum).to_uppercase()),
                Cell::Text(p.forum_year.to_string()),
                Cell::Text(name_of(&p.compact)),
                Cell::Text(
                    p.objectives
                        .iter()
                        .map(|o| o.to_string())
                        .collect::<Vec<_>>()
                        .join(", "),
                ),
                Cell::Text(stage_words(stage_of(r)).into()),
                Cell::Text(name_of(&p.contribution).replace('_', " ")),
            ],
            None,
            None,
        );
    }
    let examples = kept.iter().filter(|r| r.pledge.item.example).count();
    let table = b.table(t);
    let select = |name: &str, label: &str, options: &[(&str, &str)]| -> Markup {
        let id = format!("pledges-{name}");
        html! { label for=(id) { (label) select id=(id) name=(name) {
            option value="" { "any" }
            @for (v, l) in options { option value=(v) selected[f(name) == *v] { (l) } }
        } } }
    };
    let objectives: Vec<(String, String)> =
        (1..=23).map(|n| (n.to_string(), n.to_string())).collect();
    let objective_options: Vec<(&str, &str)> = objectives
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let body = html! {
        p.lead { "Commitments made at the Global Refugee Forum, the International Migration Review Forum and elsewhere, each beside the figures it should move." }
        form.controls action="/pledges" method="get" {
            (select("forum", "Forum", &[("grf", "Global Refugee Forum"), ("imrf", "International Migration Review Forum"), ("hlom", "High-Level Officials Meeting"), ("other", "Other")]))
            label for="pledges-year" { "Year" input id="pledges-year" name="year" type="number" min="2016" max="2100" value=(f("year")); }
            (select("compact", "Compact", &[("GCR", "Refugees (GCR)"), ("GCM", "Migration (GCM)")]))
            (select("objective", "Objective", &objective_options))
            label for="pledges-entity" { "Entity id" input id="pledges-entity" name="entity" type="text" value=(f("entity")); }
            (select("stage", "Stage", &[("no progress reported", "no progress reported"), ("planning", "planning"), ("in progress", "in progress"), ("fulfilled", "fulfilled")]))
            label for="pledges-q" { "Text" input id="pledges-q" name="q" type="search" value=(f("q")); }
            button type="submit" { "Filter" }
        }
        p { (kept.len()) " of " (all.len()) " pledges."
            @if examples > 0 { " " strong { (examples) " are example records" } " shipped to show how the registry works, not real pledges." } }
        (table)
    };
    Ok(b.finish("Pledges", body))
}

/// One pledge.
pub fn pledge(site: &dyn Site, id: &str) -> Result<Page, PageError> {
    let registry = site.registry();
    let record = registry.pledge(id).map_err(|e| match e {
        passage_registry::RegistryError::NotFound { .. } => {
            PageError::NotFound(format!("no pledge `{id}`; see /pledges"))
        }
        e => e.into(),
    })?;
    let release = site.release();
    let engine = site.engine();
    let p = &record.pledge.item;
    let mut b = Builder::new(site, &format!("/pledges/{id}"), "");
    let mut markers = vec![Marker {
        year: p.forum_year.clamp(1900, 2200) as i16,
        label: format!("Pledged ({})", name_of(&p.forum).to_uppercase()),
    }];
    if let Some(y) = p
        .target_date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse::<i16>().ok())
    {
        markers.push(Marker {
            year: y,
            label: "Target date".into(),
        });
    }
    let mut figures = Vec::new();
    for (i, link) in record.links.iter().enumerate() {
        let l = &link.item;
        let place = match &l.country {
            Some(c) => Place::country(c, "country")?,
            None => Place::World,
        };
        let role = l.role.as_deref().and_then(Role::parse);
        let series = engine.evaluate(release, &Request::new(&l.indicator, place, role))?;
        let subject = match &l.country {
            Some(c) => format!(
                "{}{}",
                country_name(release, c),
                role.map(|r| format!(", as {}", r.name()))
                    .unwrap_or_default()
            ),
            None => "the world".into(),
        };
        figures.push((
            l.note.clone(),
            b.figure(series_figure(
                &series,
                &format!("link-{}", i + 1),
                &subject,
                markers.clone(),
            )),
        ));
    }
    let mut updates = record.updates.clone();
    updates.sort_by(|a, b| a.item.date.cmp(&b.item.date));
    let snapshot = registry.snapshot()?;
    let events: Vec<_> = snapshot
        .history(registry)?
        .iter()
        .filter(|e| {
            e.object_id == id
                || record.updates.iter().any(|u| u.item.id == e.object_id)
                || record.links.iter().any(|l| l.item.id == e.object_id)
        })
        .collect();
    let verification = snapshot.verification(registry)?;
    let body = html! {
        @if p.example { p.gap { strong { "Example record." } " It shows how the registry works; it is not a real pledge." } }
        @if record.pledge.withdrawn { p.gap { strong { "Withdrawn." } " The pledge is kept with its history; it no longer counts." } }
        p.lead { (p.description) }
        dl {
            dt { "Entity" } dd { a href=(format!("/pledges?entity={}", p.entity)) { (p.entity) } }
            dt { "Co-pledgers" } dd {
                @if p.co_pledgers.is_empty() { "none" }
                @for (i, c) in p.co_pledgers.iter().enumerate() { @if i > 0 { ", " } (c) @if p.co_pledgers_confirmed.contains(c) { " (confirmed)" } @else { " (not yet confirmed)" } }
            }
            dt { "Forum" } dd { (name_of(&p.forum).to_uppercase()) " " (p.forum_year) }
            dt { "Compact and objectives" } dd { (name_of(&p.compact)) ": "
                @for (i, o) in p.objectives.iter().enumerate() { @if i > 0 { ", " } a href=(format!("/compacts/{}/objectives/{o}", name_of(&p.compact).to_lowercase())) { (o) } } }
            dt { "Contribution" } dd { (name_of(&p.contribution).replace('_', " "))
                @if let Some(a) = p.amount { ", " (passage_charts::exact(a, 0)) " " (p.currency.as_deref().unwrap_or("")) }
                @if let Some(n) = p.places { ", " (n) " places" } }
            dt { "Scope" } dd { @for (i, c) in p.scope.iter().enumerate() { @if i > 0 { ", " } a href=(country_href(c)) { (country_name(release, c)) } } @if p.scope.is_empty() { "global" } }
            dt { "Target date" } dd { (p.target_date.as_deref().unwrap_or("none given")) }
            dt { "Stage" } dd { (stage_words(stage_of(&record))) }
            dt { "Version" } dd { (record.pledge.version) }
        }
        h2 { "The figures it should move" }
        @if figures.is_empty() { p { "No indicator is linked to this pledge yet." } }
        @for (note, f) in &figures { @if let Some(n) = note { p { (n) } } (f) }
        h2 { "Progress" }
        @if updates.is_empty() { p { "No progress has been reported." } }
        ol.timeline { @for u in &updates {
            li { strong { (u.item.date) } " — " (stage_words(Some(u.item.stage))) ": " (u.item.text)
                @if !u.item.evidence.is_empty() { " Evidence: " (u.item.evidence.join("; ")) "." }
                @match &u.item.verified_by { Some(v) => { " Verified by " (v) "." } None => { " Not verified." } } }
        } }
        h2 { "History" }
        p { "The registry's hash chain: " @if verification.ok() { strong { "verified" } ", every record matches its last event." } @else { strong { "BROKEN" } ": the history does not verify; see " a href="/api/v1/registry/verify" { "the verification" } "." } }
        ol { @for e in &events { li { code { (e.at) } " " (e.action) " " (e.kind) " " code { (e.object_id) } " by " (e.actor) } } }
    };
    Ok(b.finish(p.title.clone(), body))
}
