//! `/negotiation`: the compacts' texts version by version, the diff of any two versions, and the
//! General Assembly's recorded votes with each group of a vote joined to what its members host
//! and pledged. The record is the active release's (its `compact_text` and `recorded_votes`
//! tables) with the versions users imported beside it.

use maud::{html, Markup};
use passage_datasets::Dataset;
use passage_indicators::{vote_groups, VoteGroup};
use passage_negotiation::{diff_versions, Finding, Part, RecordedVote, VoteCast};
use passage_registry::Stage;
use passage_store::{NegotiationRecord, VersionOrigin, VersionRef};

use crate::names::{country_href, country_name};
use crate::page::{Builder, Page};
use crate::pledges::stage_of;
use crate::query::{canonical, encode, Params};
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

/// The year whose figures are joined to a vote when none is asked: the last complete one.
pub const JOINED_YEAR: i16 = 2024;

/// The page of a version.
pub fn version_href(document: &str, label: &str) -> String {
    format!(
        "/negotiation/{document}/{}",
        encode(label).replace('+', "%20")
    )
}

/// The page of a recorded vote: `A/RES/73/195` → `/negotiation/votes/a-res-73-195`.
pub fn vote_href(resolution: &str) -> String {
    format!(
        "/negotiation/votes/{}",
        resolution.to_ascii_lowercase().replace('/', "-")
    )
}

fn record(site: &dyn Site) -> Result<std::sync::Arc<NegotiationRecord>, PageError> {
    site.negotiation()
}

fn not_found(e: passage_store::StoreError) -> PageError {
    PageError::NotFound(e.to_string())
}

/// `/negotiation`: the versions, the votes, and a form to diff two versions.
pub fn index(site: &dyn Site) -> Result<Page, PageError> {
    let rec = record(site)?;
    let release = site.release();
    let mut b = Builder::new(site, "/negotiation", "");
    let mut versions = DataTable::new(
        "versions",
        "The versions of the compacts' texts in the record",
        &[
            ("version", "Version"),
            ("date", "Date"),
            ("parts", "Parts"),
            ("findings", "Defects found"),
            ("origin", "From"),
        ],
    );
    for v in &rec.versions {
        let meta = &v.imported.version.meta;
        versions.push(
            vec![
                Cell::Link(
                    format!("{}@{}", meta.document, meta.label),
                    version_href(meta.document.as_str(), &meta.label),
                ),
                Cell::Text(
                    meta.date
                        .as_ref()
                        .map(|d| d.to_string())
                        .unwrap_or_default(),
                ),
                Cell::Number(Some(v.imported.version.flatten().len() as f64), 0),
                Cell::Number(Some(v.imported.findings.len() as f64), 0),
                Cell::Text(match v.origin {
                    VersionOrigin::Release => format!("release {}", release.manifest.id),
                    VersionOrigin::Imported => "imported by a user".into(),
                }),
            ],
            None,
            None,
        );
    }
    let mut votes = DataTable::new(
        "votes",
        "Recorded votes of the General Assembly on the compacts",
        &[
            ("resolution", "Resolution"),
            ("date", "Date"),
            ("yes", "Yes"),
            ("no", "No"),
            ("abstention", "Abstention"),
            ("non_voting", "Not voting"),
        ],
    );
    for v in &rec.votes {
        let t = v.totals();
        votes.push(
            vec![
                Cell::Link(v.resolution.clone(), vote_href(&v.resolution)),
                Cell::Text(v.date.to_string()),
                Cell::Number(Some(t.yes as f64), 0),
                Cell::Number(Some(t.no as f64), 0),
                Cell::Number(Some(t.abstention as f64), 0),
                Cell::Number(Some(t.non_voting as f64), 0),
            ],
            None,
            None,
        );
    }
    let documents: Vec<String> = rec.documents().iter().map(|d| d.to_string()).collect();
    let versions_html = b.table(versions);
    let votes_html = b.table(votes);
    let body = html! {
        p.lead { "The compacts were negotiated in the open: drafts, revisions, paragraphs fought over, and recorded votes at the end. This record keeps each version of a text part by part, the diff between any two, and the votes beside what each state hosts and pledged." }
        h2 { "Texts" }
        (versions_html)
        @if rec.versions.len() < 2 {
            p.gap { "Only the adopted text is in the shared data: the drafts could not be obtained for this store. A user who has one adds it with "
                code { "passage negotiation import FILE --document gcm --version \"zero draft\"" } " (Markdown, numbered plain text or Akoma Ntoso XML)." }
        }
        @for d in &documents {
            form.controls method="get" action=(format!("/negotiation/{d}/diff")) {
                fieldset { legend { "Compare two versions of " (d) }
                    label { "From " select name="from" { @for v in rec.versions.iter().filter(|v| v.imported.version.meta.document.as_str() == d) { option { (v.imported.version.meta.label) } } } }
                    " " label { "to " select name="to" { @for v in rec.versions.iter().filter(|v| v.imported.version.meta.document.as_str() == d).rev() { option { (v.imported.version.meta.label) } } } }
                    " " button type="submit" { "Compare" }
                }
            }
        }
        h2 { "Votes" }
        (votes_html)
        p.source { (b.source_line(&[Dataset::RecordedVotes, Dataset::CompactText])) }
    };
    Ok(b.finish("The negotiation record", body))
}

/// A part in reading order: a leaf as a numbered paragraph, a part with a heading or children as
/// a section whose children are a list.
fn part_markup(p: &Part, document: &str) -> Markup {
    html! {
        @if p.children.is_empty() && p.heading.is_none() {
            p id=(p.id.as_str()) { strong { (p.num) ". " } (p.text) " " a.anchor href=(format!("#{}", p.id)) title=(p.id.as_str()) { "¶" } }
        } @else {
            section id=(p.id.as_str()) {
                h2 { (p.id.kind()) " " (p.num) @if let Some(h) = &p.heading { ": " (h) } }
                @if !p.text.is_empty() { p { (p.text) } }
                @if document == "gcm" && p.id.kind() == "objective" {
                    p { a href=(format!("/compacts/gcm/objectives/{}", p.num)) { "What measures objective " (p.num) ", and the pledges that address it" } }
                }
                @if !p.children.is_empty() {
                    ol.parts { @for c in &p.children { li { (part_markup(c, document)) } } }
                }
            }
        }
    }
}

/// `/negotiation/{document}/{label}`: a version's text, its defects and corrections.
pub fn version(site: &dyn Site, document: &str, label: &str) -> Result<Page, PageError> {
    let label = percent_decode(label);
    let rec = record(site)?;
    let r = VersionRef::parse(&format!("{document}@{label}")).map_err(not_found)?;
    let v = rec.version(&r).map_err(not_found)?;
    let version = &v.imported.version;
    let mut b = Builder::new(site, &version_href(document, &version.meta.label), "");
    let mut parts = DataTable::new(
        "parts",
        "Every part of the version, in reading order",
        &[
            ("part", "Part"),
            ("parent", "Within"),
            ("num", "Number"),
            ("heading", "Heading"),
            ("text", "Text"),
        ],
    );
    for (p, parent) in version.flatten() {
        parts.push(
            vec![
                Cell::Text(p.id.to_string()),
                Cell::Text(parent.map(|x| x.to_string()).unwrap_or_default()),
                Cell::Text(p.num.clone()),
                Cell::Text(p.heading.clone().unwrap_or_default()),
                Cell::Text(p.text.clone()),
            ],
            None,
            None,
        );
    }
    let kinds = ["objective", "action", "para", "item", "section"]
        .iter()
        .map(|k| (k, version.count_kind(k)))
        .filter(|(_, n)| *n > 0)
        .map(|(k, n)| format!("{n} {k}s"))
        .collect::<Vec<_>>()
        .join(", ");
    let others: Vec<&str> = rec
        .versions_of(&r.document)
        .map(|o| o.imported.version.meta.label.as_str())
        .filter(|l| *l != version.meta.label)
        .collect();
    let table = b.table(parts);
    let positions = crate::positions::positions_table(
        site,
        &mut b,
        &passage_registry::PositionFilter::default().document(document)?,
        "positions",
        &format!(
            "Positions of states and groups on the {}",
            document.to_ascii_uppercase()
        ),
    )?;
    let body = html! {
        p.lead { (kinds) ". "
            @if let Some(s) = &version.meta.source { "Source: " (s) ". " }
            @if let Some(l) = &version.meta.licence { "Licence: " (l) ". " }
            @if v.origin == VersionOrigin::Imported { "Imported by a user of this Passage." }
        }
        @if !v.imported.findings.is_empty() || !version.corrections.is_empty() {
            section.notice {
                h2 { "Defects of this copy, kept as read" }
                ul {
                    @for f in &v.imported.findings {
                        @let Finding::RepeatedBlock { part, repeats, line } = f;
                        li { a href=(format!("#{part}")) { code { (part) } } " repeats " a href=(format!("#{repeats}")) { code { (repeats) } } " word for word (line " (line) " of the source file)." }
                    }
                    @for c in &version.corrections {
                        li { "The adopted " (c.field) " of " code { (c.part) } " is “" (c.adopted) "” (" (c.source) "); this copy has “" (c.found) "”." }
                    }
                }
            }
        }
        @if !others.is_empty() {
            p { "Compare with: " @for (i, o) in others.iter().enumerate() { @if i > 0 { " · " }
                a href=(format!("/negotiation/{document}/diff?{}", canonical(&[("from", o), ("to", &version.meta.label)]))) { (o) } } }
        }
        div.parts { @for p in &version.parts { (part_markup(p, document)) } }
        @if let Some(p) = &positions { h2 { "Positions on this text" } (p) }
        h2 { "The parts as a table" }
        (table)
        p.source { (b.source_line(&[Dataset::CompactText])) }
    };
    Ok(b.finish(
        format!("{} — {}", document.to_ascii_uppercase(), version.meta.label),
        body,
    ))
}

/// `/negotiation/{document}/diff?from=A&to=B`.
pub fn diff(site: &dyn Site, document: &str, params: &Params) -> Result<Page, PageError> {
    let rec = record(site)?;
    let pick = |name: &str| -> Result<&passage_negotiation::Version, PageError> {
        let label = params.get(name).ok_or_else(|| {
            PageError::bad(name, "a version's label, such as `adopted`".to_string())
        })?;
        let r = VersionRef::parse(&format!("{document}@{label}"))
            .map_err(|e| PageError::bad(name, e.to_string()))?;
        rec.text(&r)
            .map_err(|e| PageError::bad(name, e.to_string()))
    };
    let (old, new) = (pick("from")?, pick("to")?);
    let d = diff_versions(old, new);
    let query = canonical(&[("from", &old.meta.label), ("to", &new.meta.label)]);
    let mut b = Builder::new(site, &format!("/negotiation/{document}/diff"), &query);
    let columns = [
        ("section", "Part of the text"),
        ("unchanged", "Unchanged"),
        ("changed", "Changed"),
        ("moved", "Moved"),
        ("added", "Added"),
        ("removed", "Removed"),
    ];
    let mut sections = DataTable::new("sections", "Parts by what happened to them", &columns);
    let row = |name: String, c: &passage_negotiation::ClassCounts| {
        let n = |v: usize| Cell::Number(Some(v as f64), 0);
        vec![
            Cell::Text(name),
            n(c.unchanged),
            n(c.changed),
            n(c.moved),
            n(c.added),
            n(c.removed),
        ]
    };
    sections.push(row("whole text".into(), &d.summary), None, None);
    for s in &d.sections {
        sections.push(row(s.section.to_string(), &s.counts), None, None);
    }
    let mut changes = DataTable::new(
        "changes",
        "Every part that is not unchanged",
        &[
            ("class", "What happened"),
            ("old_part", "Part before"),
            ("new_part", "Part after"),
            ("similarity", "Similarity"),
        ],
    );
    for c in d.changes.iter().filter(|c| c.class.name() != "unchanged") {
        changes.push(
            vec![
                Cell::Text(c.class.name().into()),
                Cell::Text(c.old_id.as_ref().map(|i| i.to_string()).unwrap_or_default()),
                Cell::Text(c.new_id.as_ref().map(|i| i.to_string()).unwrap_or_default()),
                Cell::Number(c.similarity, 2),
            ],
            None,
            None,
        );
    }
    let markup = crate::negotiation_diff::changes_markup(&d, old, new);
    let sections = b.table(sections);
    let changes = b.table(changes);
    let body = html! {
        p.lead { "What changed from " a href=(version_href(document, &old.meta.label)) { (old.meta.label) } " to " a href=(version_href(document, &new.meta.label)) { (new.meta.label) }
            ": parts are aligned by id where ids hold and by their words where they do not (renumbered paragraphs). Deleted words are " del { "struck through" } ", inserted ones " ins { "marked" } "." }
        (sections)
        (markup)
        details { summary { "The changes as a table" } (changes) }
        p { "The same diff from the API: " a href=(format!("/api/v1/negotiation/documents/{document}/diff?{query}")) { code { "/api/v1/negotiation/documents/" (document) "/diff" } } "." }
    };
    Ok(b.finish(
        format!(
            "{}: {} → {}",
            document.to_ascii_uppercase(),
            old.meta.label,
            new.meta.label
        ),
        body,
    ))
}

/// What the states of one group pledged, from the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct GroupPledges {
    /// Pledges of the members' own state entities, withdrawn and example records left out.
    pub made: usize,
    /// Of those, the ones whose latest progress update says fulfilled.
    pub fulfilled: usize,
}

/// Pledges made and fulfilled by the states of each group, from the registry.
pub fn group_pledges(
    registry: &passage_registry::Registry,
    groups: &[VoteGroup],
) -> Result<Vec<GroupPledges>, PageError> {
    let snapshot = registry.snapshot()?;
    let country_of = |entity: &str| {
        snapshot
            .entity(entity)
            .filter(|e| e.item.kind == passage_registry::EntityKind::State)
            .and_then(|e| e.item.country.clone())
    };
    let all = &snapshot.pledges;
    Ok(groups
        .iter()
        .map(|g| {
            let mine: Vec<_> = all
                .iter()
                .filter(|r| !r.pledge.withdrawn && !r.pledge.item.example)
                .filter(|r| {
                    country_of(&r.pledge.item.entity).is_some_and(|c| g.members.contains(&c))
                })
                .collect();
            let fulfilled = mine
                .iter()
                .filter(|r| stage_of(r) == Some(Stage::Fulfilled))
                .count();
            GroupPledges {
                made: mine.len(),
                fulfilled,
            }
        })
        .collect())
}

fn group_words(cast: VoteCast) -> &'static str {
    match cast {
        VoteCast::Yes => "voted yes",
        VoteCast::No => "voted no",
        VoteCast::Abstention => "abstained",
        VoteCast::NonVoting => "did not vote",
    }
}

/// `/negotiation/votes/{resolution}`: the vote, state by state, and its groups joined to the data.
pub fn vote(site: &dyn Site, slug: &str, params: &Params) -> Result<Page, PageError> {
    let rec = record(site)?;
    let vote: &RecordedVote = rec.vote(slug).map_err(not_found)?;
    let release = site.release();
    let year = params.year("year")?.unwrap_or(JOINED_YEAR);
    let y = passage_domain::Year::new(i32::from(year))
        .map_err(|e| PageError::bad("year", e.to_string()))?;
    let groups = vote_groups(vote, site.engine(), release, y)?;
    let pledges = group_pledges(site.registry(), &groups)?;
    let query = if params.get("year").is_some() {
        canonical(&[("year", &year.to_string())])
    } else {
        String::new()
    };
    let mut b = Builder::new(site, &vote_href(&vote.resolution), &query);
    let figure_columns: Vec<(String, String)> = groups
        .first()
        .map(|g| {
            g.figures
                .iter()
                .flat_map(|f| {
                    let mut c = vec![(f.indicator.clone(), format!("{} ({})", f.title, f.unit))];
                    if f.world.is_some() {
                        c.push((
                            format!("{}_share_of_world", f.indicator),
                            format!("{}: % of the world's", f.title),
                        ));
                    }
                    c
                })
                .collect()
        })
        .unwrap_or_default();
    let mut columns: Vec<(&str, &str)> = vec![("vote", "Vote"), ("states", "States")];
    columns.extend(figure_columns.iter().map(|(k, l)| (k.as_str(), l.as_str())));
    columns.push(("pledges", "Pledges made (registry)"));
    columns.push(("pledges_fulfilled", "Pledges fulfilled"));
    let mut table = DataTable::new(
        "groups",
        &format!("What the states of each group host, {year}: each group computed as one place"),
        &columns,
    );
    for (g, p) in groups.iter().zip(&pledges) {
        let mut cells = vec![
            Cell::Text(group_words(g.vote).into()),
            Cell::Number(Some(g.members.len() as f64), 0),
        ];
        for f in &g.figures {
            cells.push(Cell::Number(f.value, f.decimals));
            if f.world.is_some() {
                cells.push(Cell::Number(f.share_of_world, 1));
            }
        }
        cells.push(Cell::Number(Some(p.made as f64), 0));
        cells.push(Cell::Number(Some(p.fulfilled as f64), 0));
        table.push(cells, Some(year), None);
    }
    let mut states = DataTable::new(
        "states",
        &format!("Every Member State's vote, with what it hosts, {year}"),
        &[
            ("iso3", "ISO3"),
            ("member_state", "Member State (UN Digital Library)"),
            ("vote", "Vote"),
            ("refugees", "Refugees hosted"),
            ("refugees_per_1000_inhabitants", "Per 1,000 inhabitants"),
            ("refugees_per_usd_bn_gdp", "Per US$1 billion of GDP"),
            ("migrant_stock", "Migrant stock"),
        ],
    );
    for s in &vote.votes {
        let iso3 = s.iso3.to_string();
        let mut cells = vec![
            Cell::Link(iso3.clone(), country_href(&iso3)),
            Cell::Text(s.member_state.clone()),
            Cell::Text(s.vote.name().into()),
        ];
        if let Some(g) = groups.iter().find(|g| g.vote == s.vote) {
            let at = g.members.iter().position(|m| *m == iso3);
            for f in &g.figures {
                cells.push(Cell::Number(
                    at.and_then(|i| f.by_member.get(i).copied().flatten()),
                    f.decimals,
                ));
            }
        }
        states.push(cells, Some(year), Some(&iso3));
    }
    let t = vote.totals();
    let against = groups.iter().find(|g| g.vote == VoteCast::No);
    let headline = against.and_then(|g| {
        let f = g.figures.first()?;
        Some((g.members.len(), f.value?, f.share_of_world?))
    });
    // An indicator no group has a figure for in the year asked is named, with its caveats.
    let absent: Vec<(String, Vec<String>)> = groups
        .first()
        .map(|g| {
            g.figures
                .iter()
                .enumerate()
                .filter(|(i, _)| groups.iter().all(|g| g.figures[*i].value.is_none()))
                .map(|(_, f)| {
                    let caveats = site
                        .engine()
                        .indicator(&f.indicator)
                        .map(|i| i.caveats.clone())
                        .unwrap_or_default();
                    (f.title.clone(), caveats)
                })
                .collect()
        })
        .unwrap_or_default();
    let group_table = b.table(table);
    let states_table = b.table(states);
    let body = html! {
        p.lead { (vote.resolution) ", " (vote.date) ": " strong { (t.yes) " yes, " (t.no) " no, " (t.abstention) " abstentions" } " and " (t.non_voting) " not voting. Abstaining and not voting are different acts and are kept apart." }
        @if let Some(g) = against {
            p { "Voted no: " @for (i, m) in g.members.iter().enumerate() { @if i > 0 { ", " } a href=(country_href(m)) { (country_name(release, m)) } } "." }
        }
        @if let Some((n, people, share)) = headline {
            p.headline { "The " (n) " states that voted against host " strong { (format_count(people)) } " refugees and others in need of international protection, " strong { (format!("{share:.1}")) "%" } " of the world's (" (year) ")." }
        }
        form.controls method="get" action=(vote_href(&vote.resolution)) {
            label { "Figures of " input type="number" name="year" value=(year) min="2000" max="2030"; } " " button type="submit" { "Show" }
        }
        h2 { "Each group joined to the data" }
        p { "A group's ratio is its members' total over their total (refugees over population or GDP), never a sum or mean of their ratios. The figures of a group can be reproduced with " code { "/api/v1/indicators/ID?country=A,B,C&role=host" } ". Pledges are counted for states' own entities in the registry, withdrawn and example records left out." }
        (group_table)
        @for (title, caveats) in &absent {
            p.notice { strong { (title) } ": not available for " (year) " in this release (an empty cell, never 0)."
                @for c in caveats { " " (c) } }
        }
        h2 { "State by state" }
        (states_table)
        p.source { (b.source_line(&[Dataset::RecordedVotes, Dataset::Population, Dataset::WbPopulation, Dataset::WbGdp, Dataset::MigrantStock])) }
    };
    Ok(b.finish(format!("Recorded vote on {}", vote.resolution), body))
}

fn format_count(v: f64) -> String {
    let s = format!("{:.0}", v);
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 && c != '-' {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A path segment with its `%XX` escapes decoded (a label such as `zero%20draft`).
fn percent_decode(segment: &str) -> String {
    let decoded: Vec<u8> = percent_bytes(segment.as_bytes());
    String::from_utf8_lossy(&decoded).into_owned()
}

fn percent_bytes(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(h), Some(l)) => {
                out.push((h * 16 + l) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// How a country voted on each recorded vote of the record, for its page and report; `None`
/// when the release holds no vote.
pub fn country_votes(site: &dyn Site, iso3: &str) -> Result<Option<Markup>, PageError> {
    let rec = record(site)?;
    if rec.votes.is_empty() {
        return Ok(None);
    }
    let attribution = Dataset::RecordedVotes.provider().attribution();
    Ok(Some(html! {
        ul { @for v in &rec.votes {
            @let cast = v.votes.iter().find(|s| s.iso3.as_str() == iso3);
            li { a href=(vote_href(&v.resolution)) { (v.resolution) } " (" (v.date) "): "
                @match cast { Some(s) => { strong { (group_words(s.vote)) } }, None => { "not a Member State in the record" } } }
        } }
        p.source { (attribution) ", in release " (site.release().manifest.id) "." }
    }))
}

/// The adopted text of a GCM objective, for its page: its heading and actions, with the defects
/// and corrections recorded against it.
pub fn objective_text(
    site: &dyn Site,
    b: &mut Builder<'_>,
    number: usize,
) -> Result<Markup, PageError> {
    let rec = record(site)?;
    let Ok(r) = VersionRef::parse("gcm@adopted") else {
        return Ok(html! {});
    };
    let Ok(v) = rec.version(&r) else {
        return Ok(html! {});
    };
    let Ok(id) = passage_negotiation::PartId::root("objective", &number.to_string()) else {
        return Ok(html! {});
    };
    let Some(part) = v.imported.version.find(&id) else {
        return Ok(html! {});
    };
    let repeated = v.imported.findings.iter().find_map(|f| {
        let Finding::RepeatedBlock { part, repeats, .. } = f;
        (part == &id).then_some(repeats)
    });
    let correction = v.imported.version.corrections.iter().find(|c| c.part == id);
    let mut actions = DataTable::new(
        "actions",
        &format!("The actions of objective {number} as this copy has them"),
        &[("part", "Part"), ("text", "Text")],
    );
    for a in &part.children {
        actions.push(
            vec![Cell::Text(a.id.to_string()), Cell::Text(a.text.clone())],
            None,
            None,
        );
    }
    let actions = b.table(actions);
    let positions = crate::positions::positions_table(
        site,
        b,
        &passage_registry::PositionFilter::default()
            .document("gcm")?
            .part(id.as_str())?,
        "positions",
        &format!("Positions of states and groups on objective {number}"),
    )?;
    Ok(html! {
        h2 { "The text: objective " (number) " and its actions, as adopted" }
        @if let Some(rep) = repeated {
            p.notice { "The copy in this store repeats " code { (rep) } " word for word in place of this objective; it is shown as read."
                @if let Some(c) = correction { " The adopted title is “" (c.adopted) "” (" (c.source) "); this copy's actions for it are missing." } }
        }
        @if let Some(h) = &part.heading { p { "Title in this copy: " strong { (h) } } }
        (actions)
        @if let Some(p) = &positions { h3 { "Positions on it" } (p) }
        p { a href=(format!("{}#{}", version_href("gcm", "adopted"), id)) { "In the whole text" } " · " a href="/negotiation" { "The negotiation record" } }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_resolutions_become_paths_and_back() {
        assert_eq!(
            version_href("gcm", "zero draft"),
            "/negotiation/gcm/zero%20draft"
        );
        assert_eq!(percent_decode("zero%20draft"), "zero draft");
        assert_eq!(percent_decode("bad%2"), "bad%2");
        assert_eq!(vote_href("A/RES/73/195"), "/negotiation/votes/a-res-73-195");
        assert_eq!(format_count(1908962.0), "1,908,962");
    }
}
