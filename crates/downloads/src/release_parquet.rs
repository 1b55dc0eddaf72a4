//! A release as Parquet: one file per dataset with every row as stored (the year as an integer,
//! dimensions as text, measures as nullable numbers) and, in each file's metadata, the release
//! id, the dataset, its sources' attributions and licences and the citation, so DuckDB, Spark or
//! pyarrow read a release with its provenance attached.

use passage_datasets::{MeasureData, Table, Value};
use passage_store::{credits, Release};

use crate::datapackage::providers;
use crate::parquet_table::{
    table_parquet, ParquetColumn, ParquetTable, ParquetTableError, ParquetValues,
};
use crate::PackageFile;

/// One dataset's table as a Parquet file's columns.
fn columns(table: &Table) -> Vec<ParquetColumn> {
    let mut columns = Vec::with_capacity(1 + table.dims.len() + table.measures.len());
    if table.years.is_some() {
        columns.push(ParquetColumn {
            name: "year".into(),
            label: None,
            values: ParquetValues::Int64(
                (0..table.len)
                    .map(|r| table.year(r).map(i64::from))
                    .collect(),
            ),
        });
    }
    for d in &table.dims {
        columns.push(ParquetColumn {
            name: d.name.clone(),
            label: None,
            values: ParquetValues::Utf8(
                (0..table.len)
                    .map(|r| Some(d.value(r).to_string()))
                    .collect(),
            ),
        });
    }
    for m in &table.measures {
        let values = match m.data {
            MeasureData::Int(_) => ParquetValues::Int64(
                (0..table.len)
                    .map(|r| match m.value(r) {
                        Value::Int(i) => Some(i),
                        Value::Float(f) => Some(f as i64),
                        Value::Null => None,
                    })
                    .collect(),
            ),
            MeasureData::Float(_) => {
                ParquetValues::Float64((0..table.len).map(|r| m.value(r).as_f64()).collect())
            }
        };
        columns.push(ParquetColumn {
            name: m.name.clone(),
            label: None,
            values,
        });
    }
    columns
}

/// Every dataset of `release` as `{dataset}.parquet`, with a README of the citation and licences.
pub fn release_parquet_files(release: &Release) -> Result<Vec<PackageFile>, ParquetTableError> {
    let m = &release.manifest;
    let created = m.created_at.get(..10).unwrap_or("");
    let citation = format!(
        "Passage, release {} ({created}). Data: {}.",
        m.id,
        providers(release).join("; ")
    );
    let mut files = Vec::new();
    let mut readme = format!(
        "# Passage release {}\n\nCreated {created}. One Parquet file per dataset, every row as \
         imported; not available is null, never zero. Each file's metadata holds the release id, \
         the dataset, its sources' attributions and licences, and this citation.\n\n## How to \
         cite\n\n{citation}\n\n## Files\n\n",
        m.id
    );
    for dataset in passage_datasets::Dataset::ALL {
        let Some(t) = release.table(dataset) else {
            continue;
        };
        let name = dataset.name();
        let bytes = table_parquet(&ParquetTable {
            columns: columns(&t.table),
            metadata: vec![
                ("passage.release".into(), m.id.to_string()),
                ("passage.dataset".into(), name.into()),
                (
                    "passage.attribution".into(),
                    credits(release, dataset, |s| s.attribution.clone()),
                ),
                (
                    "passage.licence".into(),
                    credits(release, dataset, |s| s.licence.clone()),
                ),
                ("passage.citation".into(), citation.clone()),
                ("passage.not_available".into(), "null, never 0".into()),
            ],
        })?;
        readme.push_str(&format!(
            "- `{name}.parquet`: {} rows; {} (licence {})\n",
            t.table.len,
            credits(release, dataset, |s| s.attribution.clone()),
            credits(release, dataset, |s| s.licence.clone()),
        ));
        files.push(PackageFile {
            path: format!("{name}.parquet"),
            bytes,
        });
    }
    files.push(PackageFile {
        path: "README.md".into(),
        bytes: readme.into_bytes(),
    });
    Ok(files)
}
