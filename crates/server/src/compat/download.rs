//! `download=true`: the query's rows as a CSV with human-label headers after a 14-line preamble
//! (title, source, release, licence and attribution, date, notes), zipped, as UNHCR's downloads are.
//! The labels come from the table Passage's own download parser reads, so a download re-imports.

use std::fmt::Write;

use passage_datasets::formats::unhcr_download::label_of;
use passage_datasets::{csv_cell, Value};
use passage_store::Release;
use rustc_hash::FxHashMap;

use super::endpoint::Endpoint;
use super::page::{answer_of, Shape};
use super::params::CompatParams;

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// The CSV file of a download: its name in the archive and its text.
pub fn download_csv(
    release: &Release,
    ep: Endpoint,
    p: &CompatParams,
    raw_query: &str,
) -> Option<(String, String)> {
    let t = release.table(ep.dataset)?;
    let (
        answer,
        Shape {
            grouped_coo,
            grouped_coa,
            categories,
        },
    ) = answer_of(release, t, ep, p, 0..usize::MAX)?;
    let shown: Vec<usize> = match &p.columns {
        None => (0..answer.measures.len()).collect(),
        Some(cols) => (0..answer.measures.len())
            .filter(|&i| cols.iter().any(|c| c == answer.measures[i]))
            .collect(),
    };
    let source = release
        .manifest
        .sources
        .iter()
        .find(|s| s.datasets.iter().any(|d| d == ep.dataset.name()));
    let mut out = String::new();
    let preamble = [
        format!(
            "UNHCR Refugee Population Statistics Database: {}",
            ep.dataset.title()
        ),
        format!(
            "Served offline by Passage from release {}",
            release.manifest.id
        ),
        format!("Source: {}", source.map_or("", |s| s.origin.as_str())),
        format!(
            "Attribution: {}",
            source.map_or("", |s| s.attribution.as_str())
        ),
        format!("Licence: {}", source.map_or("", |s| s.licence.as_str())),
        format!(
            "Source file: {} (sha256 {})",
            source.map_or("", |s| s.file.as_str()),
            source.map_or("", |s| s.sha256.as_str())
        ),
        format!(
            "Provider version: {}",
            source
                .and_then(|s| s.source_version.as_deref())
                .unwrap_or("not recorded")
        ),
        format!("Release created: {}", release.manifest.created_at),
        format!("Query: {raw_query}"),
        "Empty cells are not available; 0 is zero.".to_string(),
        "A dimension that was summed over shows - in its columns.".to_string(),
        ep.dataset.provider().caveats().join(" "),
        "Columns follow UNHCR's download labels.".to_string(),
        String::new(),
    ];
    for line in &preamble {
        let _ = writeln!(out, "{}", one_line(line));
    }
    let mut header = vec![
        label_of("year"),
        label_of("coo_name"),
        label_of("coo_iso"),
        label_of("coa_name"),
        label_of("coa_iso"),
    ];
    header.extend(categories.iter().copied());
    header.extend(shown.iter().map(|&i| label_of(answer.measures[i])));
    let _ = writeln!(
        out,
        "{}",
        header
            .iter()
            .map(|h| csv_cell(h))
            .collect::<Vec<_>>()
            .join(",")
    );

    // Names and ISO codes of each UNHCR code, from its first row.
    let labels = |side: &str| -> FxHashMap<&str, (&str, &str)> {
        let (Some(c), Some(n), Some(i)) = (
            t.dim_index(side),
            t.dim_index(&format!("{side}_name")),
            t.dim_index(&format!("{side}_iso")),
        ) else {
            return FxHashMap::default();
        };
        let d = &t.table.dims;
        let first = t.first_rows[c].as_deref().unwrap_or(&[]);
        d[c].dict
            .iter()
            .zip(first)
            .filter(|(_, &r)| r != u32::MAX)
            .map(|(code, &r)| {
                (
                    code.as_str(),
                    (d[n].value(r as usize), d[i].value(r as usize)),
                )
            })
            .collect()
    };
    let (coo_labels, coa_labels) = (labels("coo"), labels("coa"));
    for row in answer.rows() {
        let mut k = 1;
        let mut side = |grouped: bool, map: &FxHashMap<&str, (&str, &str)>| -> (String, String) {
            if !grouped {
                return ("-".into(), "-".into());
            }
            k += 1;
            map.get(row.keys[k - 1])
                .map_or(("-".into(), "-".into()), |(n, i)| {
                    (n.to_string(), i.to_string())
                })
        };
        let (coo_name, coo_iso) = side(grouped_coo, &coo_labels);
        let (coa_name, coa_iso) = side(grouped_coa, &coa_labels);
        let mut cells = vec![
            row.keys[0].to_string(),
            csv_cell(&coo_name).into_owned(),
            coo_iso,
            csv_cell(&coa_name).into_owned(),
            coa_iso,
        ];
        cells.extend((0..categories.len()).map(|c| csv_cell(row.keys[k + c]).into_owned()));
        cells.extend(shown.iter().map(|&i| match row.values[i] {
            Value::Null => String::new(),
            v => v.to_string(),
        }));
        let _ = writeln!(out, "{}", cells.join(","));
    }
    Some((format!("{}.csv", ep.path), out))
}
