//! A release as a Frictionless Data Package: one CSV per dataset (not available as an empty
//! field), `datapackage.json` with a Table Schema per resource and the licences and sources of
//! its files, and a README with the citation and licences, ready to zip or to write to a folder.

use passage_datasets::{Table, Value};
use passage_store::Release;
use serde_json::{json, Value as Json};

/// A file of the package: its path inside it and its contents.
#[derive(Debug, Clone, PartialEq)]
pub struct PackageFile {
    /// The path, `/`-separated.
    pub path: String,
    /// The contents.
    pub bytes: Vec<u8>,
}

/// A dataset's table as CSV: `year` (when it has years), its dimensions, then its measures.
pub fn table_csv(table: &Table) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = Vec::new();
    if table.years.is_some() {
        header.push("year");
    }
    header.extend(table.dims.iter().map(|d| d.name.as_str()));
    header.extend(table.measures.iter().map(|m| m.name.as_str()));
    // Writing into a Vec cannot fail.
    let _ = w.write_record(&header);
    let mut record: Vec<String> = Vec::with_capacity(header.len());
    for row in 0..table.len {
        record.clear();
        if let Some(y) = table.year(row) {
            record.push(y.to_string());
        }
        record.extend(table.dims.iter().map(|d| d.value(row).to_string()));
        record.extend(table.measures.iter().map(|m| match m.value(row) {
            Value::Null => String::new(),
            v => v.to_string(),
        }));
        let _ = w.write_record(&record);
    }
    w.into_inner().unwrap_or_default()
}

fn schema(table: &Table) -> Json {
    let mut fields = Vec::new();
    if table.years.is_some() {
        fields
            .push(json!({"name": "year", "type": "integer", "description": "The reference year."}));
    }
    for d in &table.dims {
        fields.push(json!({"name": d.name, "type": "string"}));
    }
    for m in &table.measures {
        fields.push(json!({"name": m.name, "type": if m.is_int() { "integer" } else { "number" }}));
    }
    json!({"fields": fields, "missingValues": [""]})
}

/// A licence as the package names it: a short name from its text, and the text as its title.
fn licence(text: &str) -> Json {
    let name: String = text
        .split([':', '('])
        .next()
        .unwrap_or(text)
        .trim()
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    json!({"name": name.trim_matches('-'), "title": text})
}

/// Every file of the release's package: `datapackage.json`, `README.md`, `data/{dataset}.csv`.
pub fn package_files(release: &Release) -> Vec<PackageFile> {
    let m = &release.manifest;
    let mut files = Vec::new();
    let mut resources = Vec::new();
    let mut readme_files = String::new();
    for t in release.tables() {
        let name = t.dataset.name();
        let bytes = table_csv(&t.table);
        let sources: Vec<_> = m
            .sources
            .iter()
            .filter(|s| s.datasets.iter().any(|d| d == name))
            .collect();
        let mut licences: Vec<Json> = Vec::new();
        for s in &sources {
            let l = licence(&s.licence);
            if !licences.contains(&l) {
                licences.push(l);
            }
        }
        resources.push(json!({
            "name": name,
            "title": t.dataset.title(),
            "path": format!("data/{name}.csv"),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "bytes": bytes.len(),
            "schema": schema(&t.table),
            "licenses": licences,
            "sources": sources.iter().map(|s| json!({"title": s.attribution, "path": s.file, "version": s.source_version, "sha256": s.sha256})).collect::<Vec<_>>(),
        }));
        readme_files.push_str(&format!(
            "- `data/{name}.csv`: {} ({} rows)\n",
            t.dataset.title(),
            t.table.len
        ));
        files.push(PackageFile {
            path: format!("data/{name}.csv"),
            bytes,
        });
    }
    let mut licences: Vec<Json> = Vec::new();
    for s in &m.sources {
        let l = licence(&s.licence);
        if !licences.contains(&l) {
            licences.push(l);
        }
    }
    let created = m.created_at.clone();
    let descriptor = json!({
        "profile": "tabular-data-package",
        "name": format!("passage-release-{}", m.id),
        "id": m.id.to_string(),
        "title": format!("Passage release {}", m.id),
        "description": "Refugee and migration statistics as imported by Passage: each dataset as published by its provider, with not available left empty.",
        "created": created,
        "version": m.id.to_string(),
        "licenses": licences,
        "sources": m.sources.iter().map(|s| json!({"title": s.attribution, "path": s.file, "version": s.source_version})).collect::<Vec<_>>(),
        "resources": resources,
    });
    // No access date: a release's package reads the same whenever it is made.
    let citation = crate::Citation {
        title: package_title(release),
        release: m.id.to_string(),
        issued: created.get(..10).unwrap_or("").into(),
        providers: providers(release),
        path: format!("/releases/{}/download.zip", m.id),
        site: None,
        accessed: String::new(),
    };
    let mut readme = format!(
        "# Passage release {id}\n\nCreated {created}. Every dataset as its provider published it, imported by Passage; an empty field is not available, never zero.\n\n## How to cite\n\n{cite_text} Add the date you accessed it.\n\nBibTeX:\n\n```bibtex\n{cite_bibtex}```\n\nCSL-JSON:\n\n```json\n{cite_csl}\n```\n\n## Files\n\n{readme_files}- `datapackage.json`: the Frictionless Data Package descriptor (a Table Schema per file, licences, sources)\n\n## Sources and licences\n\n",
        id = m.id,
        cite_text = citation.text(),
        cite_bibtex = citation.bibtex(),
        cite_csl = serde_json::to_string_pretty(&citation.csl_json()).unwrap_or_default(),
    );
    for s in &m.sources {
        readme.push_str(&format!(
            "- {}{}: licence {}. File `{}`, sha256 `{}`.\n",
            s.attribution,
            s.source_version
                .as_deref()
                .map(|v| format!(" ({v})"))
                .unwrap_or_default(),
            s.licence,
            s.file,
            s.sha256
        ));
    }
    files.insert(
        0,
        PackageFile {
            path: "README.md".into(),
            bytes: readme.into_bytes(),
        },
    );
    files.insert(
        0,
        PackageFile {
            path: "datapackage.json".into(),
            bytes: serde_json::to_vec_pretty(&descriptor).unwrap_or_default(),
        },
    );
    files
}

/// What a release's package is called where it is cited: its README and `/cite` of its ZIP.
pub fn package_title(release: &Release) -> String {
    format!(
        "Release {}: every dataset as a data package",
        release.manifest.id
    )
}

/// The providers of a release, each once, in the order of its sources.
pub fn providers(release: &Release) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in &release.manifest.sources {
        if !out.contains(&s.attribution) {
            out.push(s.attribution.clone());
        }
    }
    out
}
