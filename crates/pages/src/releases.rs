//! `/releases`, `/releases/{id}` and `/releases/{a}/diff/{b}`: the store's releases with their
//! manifests (sources, licences, digests, findings), and what changed between two, by dataset and
//! year, with the cells changed per column.

use maud::html;
use passage_charts::exact;
use passage_store::Manifest;

use crate::page::{Builder, Page};
use crate::table::{Cell, DataTable};
use crate::{PageError, Site};

fn find(site: &dyn Site, id: &str) -> Result<Manifest, PageError> {
    site.releases()?
        .into_iter()
        .find(|m| m.id.to_string() == id)
        .ok_or_else(|| PageError::NotFound(format!("no release `{id}`; see /releases")))
}

/// The releases.
pub fn releases(site: &dyn Site) -> Result<Page, PageError> {
    let active = site.release().manifest.id.to_string();
    let mut list = site.releases()?;
    list.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    let mut b = Builder::new(site, "/releases", "");
    let mut t = DataTable::new(
        "releases",
        "Releases, newest first",
        &[
            ("id", "Release"),
            ("created_at", "Created"),
            ("sources", "Source files"),
            ("rows", "Rows"),
            ("findings", "Findings"),
            ("active", "Active"),
        ],
    );
    for m in &list {
        let id = m.id.to_string();
        t.push(
            vec![
                Cell::Link(id.clone(), format!("/releases/{id}")),
                Cell::Text(m.created_at.clone()),
                Cell::Number(Some(m.sources.len() as f64), 0),
                Cell::Number(Some(m.tables.iter().map(|t| t.rows).sum::<u64>() as f64), 0),
                Cell::Number(Some(m.finding_count() as f64), 0),
                Cell::Text(if id == active {
                    "active".into()
                } else {
                    String::new()
                }),
            ],
            None,
            None,
        );
    }
    let table = b.table(t);
    let diffs: Vec<(String, String)> = list
        .windows(2)
        .map(|w| (w[1].id.to_string(), w[0].id.to_string()))
        .collect();
    let body = html! {
        p.lead { "Every import of the official data is a release: immutable, named by its content, with the provenance of each file. Figures always cite the release they come from." }
        (table)
        @if !diffs.is_empty() {
            h2 { "What changed" }
            ul { @for (a, z) in &diffs { li { a href=(format!("/releases/{a}/diff/{z}")) { code { (a) } " → " code { (z) } } } } }
        }
    };
    Ok(b.finish("Releases", body))
}

/// One release's manifest.
pub fn release(site: &dyn Site, id: &str) -> Result<Page, PageError> {
    let m = find(site, id)?;
    let mut b = Builder::new(site, &format!("/releases/{id}"), "");
    let mut s = DataTable::new(
        "sources",
        "Source files",
        &[
            ("file", "File"),
            ("format", "Format"),
            ("attribution", "Attribution"),
            ("licence", "Licence"),
            ("version", "Version"),
            ("rows", "Rows"),
            ("sha256", "SHA-256"),
        ],
    );
    for src in &m.sources {
        s.push(
            vec![
                Cell::Text(src.file.clone()),
                Cell::Text(src.format.clone()),
                Cell::Text(src.attribution.clone()),
                Cell::Text(src.licence.clone()),
                Cell::Text(src.source_version.clone().unwrap_or_default()),
                Cell::Number(Some(src.rows as f64), 0),
                Cell::Text(src.sha256.clone()),
            ],
            None,
            None,
        );
    }
    let mut f = DataTable::new(
        "findings",
        "Findings: defects of the source files, reported at import",
        &[
            ("file", "File"),
            ("code", "Finding"),
            ("count", "Count"),
            ("message", "What it means"),
            ("lines", "Example lines"),
        ],
    );
    for src in &m.sources {
        for finding in src.findings.iter() {
            f.push(
                vec![
                    Cell::Text(src.file.clone()),
                    Cell::Text(finding.code.clone()),
                    Cell::Number(Some(finding.count as f64), 0),
                    Cell::Text(finding.message.clone()),
                    Cell::Text(
                        finding
                            .example_lines
                            .iter()
                            .map(|l| l.to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                    ),
                ],
                None,
                None,
            );
        }
    }
    let mut t = DataTable::new(
        "tables",
        "Tables",
        &[
            ("dataset", "Dataset"),
            ("rows", "Rows"),
            ("bytes", "Bytes"),
            ("sha256", "SHA-256"),
            ("carried_from", "Carried from"),
        ],
    );
    for e in &m.tables {
        t.push(
            vec![
                Cell::Text(e.dataset.clone()),
                Cell::Number(Some(e.rows as f64), 0),
                Cell::Number(Some(e.bytes as f64), 0),
                Cell::Text(e.sha256.clone()),
                Cell::Text(
                    e.carried_from
                        .as_ref()
                        .map(|c| c.to_string())
                        .unwrap_or_default(),
                ),
            ],
            None,
            None,
        );
    }
    let (sources, findings, tables) = (b.table(s), b.table(f), b.table(t));
    let body = html! {
        p.lead { "Created " (m.created_at) " by format version " (m.format_version) ". "
            @if site.release().manifest.id == m.id { "This is the active release." } @else { "Not the active release." } }
        h2 { "Sources" } (sources)
        h2 { "Tables" } (tables)
        h2 { "Findings" } (findings)
        @if !m.skipped.is_empty() { h2 { "Files skipped" } ul { @for s in &m.skipped { li { (s) } } } }
        p { a href=(format!("/releases/{id}/download.zip")) download { "Download the release" } " as one ZIP: a Frictionless Data Package (a CSV per dataset, "
            code { "datapackage.json" } " with a Table Schema each) and a README with the citation and licences. "
            a href=(format!("/api/v1/releases/{id}")) { "The manifest in the API" } "." }
    };
    Ok(b.finish(format!("Release {id}"), body))
}

/// What changed between two releases.
pub fn diff(site: &dyn Site, from: &str, to: &str) -> Result<Page, PageError> {
    let (a, z) = (find(site, from)?, find(site, to)?);
    let d = site.diff(&a.id, &z.id)?;
    let mut b = Builder::new(site, &format!("/releases/{from}/diff/{to}"), "");
    let mut t = DataTable::new(
        "changes",
        "Rows added, removed and changed, by dataset and year",
        &[
            ("dataset", "Dataset"),
            ("year", "Year"),
            ("added", "Added"),
            ("removed", "Removed"),
            ("changed", "Changed"),
        ],
    );
    let mut years: Vec<_> = d
        .datasets
        .iter()
        .flat_map(|ds| ds.years.iter().map(move |y| (ds, y)))
        .collect();
    years.sort_by(|x, y| {
        (y.1.added + y.1.removed + y.1.changed).cmp(&(x.1.added + x.1.removed + x.1.changed))
    });
    for (ds, y) in years {
        t.push(
            vec![
                Cell::Text(ds.dataset.clone()),
                Cell::Text(
                    y.year
                        .map(|y| y.to_string())
                        .unwrap_or_else(|| "no year".into()),
                ),
                Cell::Number(Some(y.added as f64), 0),
                Cell::Number(Some(y.removed as f64), 0),
                Cell::Number(Some(y.changed as f64), 0),
            ],
            y.year,
            None,
        );
    }
    let mut c = DataTable::new(
        "cells",
        "Cells changed, by column",
        &[
            ("dataset", "Dataset"),
            ("column", "Column"),
            ("cells", "Cells changed"),
        ],
    );
    for ds in &d.datasets {
        for (col, n) in &ds.changed_cells {
            c.push(
                vec![
                    Cell::Text(ds.dataset.clone()),
                    Cell::Text(col.clone()),
                    Cell::Number(Some(*n as f64), 0),
                ],
                None,
                None,
            );
        }
    }
    let mut r = DataTable::new(
        "rows",
        &format!(
            "The rows that changed, the largest first (at most {} a dataset)",
            passage_store::ROWS_GIVEN
        ),
        &[
            ("dataset", "Dataset"),
            ("change", "Change"),
            ("year", "Year"),
            ("row", "Row"),
            ("column", "Column"),
            ("old", "Before"),
            ("new", "After"),
        ],
    );
    for ds in &d.datasets {
        for row in &ds.rows {
            let key = row
                .key
                .iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ");
            for cell in &row.cells {
                // Whole figures read grouped, as in every other table; others as stored.
                let value = |v: &Option<String>| match v {
                    Some(v) => match v.parse::<i64>() {
                        Ok(n) => Cell::Number(Some(n as f64), 0),
                        Err(_) => Cell::Text(v.clone()),
                    },
                    None => Cell::Text(String::new()),
                };
                r.push(
                    vec![
                        Cell::Text(ds.dataset.clone()),
                        Cell::Text(row.change.into()),
                        Cell::Text(row.year.map(|y| y.to_string()).unwrap_or_default()),
                        Cell::Text(key.clone()),
                        Cell::Text(cell.column.clone()),
                        value(&cell.old),
                        value(&cell.new),
                    ],
                    row.year,
                    None,
                );
            }
        }
    }
    let (changes, cells, rows) = (b.table(t), b.table(c), b.table(r));
    let body = html! {
        p.lead { "From " a href=(format!("/releases/{from}")) { code { (from) } } " (" (a.created_at.get(..10).unwrap_or("")) ") to "
            a href=(format!("/releases/{to}")) { code { (to) } } " (" (z.created_at.get(..10).unwrap_or("")) "), largest changes first." }
        @if d.datasets.is_empty() { p { "No figure changed." } }
        @if !d.datasets.is_empty() {
            ul { @for ds in &d.datasets { li { (crate::home::diff_line(ds)) } } }
            (changes)
            (cells)
            (rows)
        }
        p { "Rows counted: " (exact(d.datasets.iter().flat_map(|x| x.years.iter()).map(|y| y.added + y.removed + y.changed).sum::<u64>() as f64, 0)) " rows. An empty Before or After is a row not in that release, or a value not available there. The same rows in the API: " a href=(format!("/api/v1/diff?from={from}&to={to}")) { "the diff" } "." }
    };
    Ok(b.finish(format!("Changes from {from} to {to}"), body))
}
