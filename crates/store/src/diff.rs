//! Revisions between two releases: for each dataset and year, rows added, removed and changed, and
//! which measures changed. Rows are matched on their identifying dimensions (origin, asylum, type…;
//! incident ids for Missing Migrants), so a revised figure shows as a change, not a removal and an
//! addition.

use std::collections::BTreeMap;

use passage_datasets::{Dataset, Table, Value};
use passage_domain::ReleaseId;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::Release;

/// Counts for one dataset and year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct YearDiff {
    /// The reference year; `None` for datasets without years (the country list).
    pub year: Option<i16>,
    /// Rows in the new release with no matching row in the old.
    pub added: u64,
    /// Rows of the old release with no matching row in the new.
    pub removed: u64,
    /// Rows in both whose values differ.
    pub changed: u64,
}

/// The revisions of one dataset.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatasetDiff {
    /// The dataset's name, such as `population`.
    pub dataset: String,
    /// `added` or `removed` when the dataset is only in one of the releases.
    pub presence: Option<String>,
    /// Row counts per year, in year order; only years with a revision.
    pub years: Vec<YearDiff>,
    /// Changed cells per measure (or descriptive column).
    pub changed_cells: BTreeMap<String, u64>,
}

/// The revisions from `old` to `new`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// The release compared from.
    pub old: ReleaseId,
    /// The release compared to.
    pub new: ReleaseId,
    /// The datasets with a revision; unchanged ones are left out.
    pub datasets: Vec<DatasetDiff>,
}

impl Diff {
    /// True when the releases hold the same figures.
    pub fn is_empty(&self) -> bool {
        self.datasets.is_empty()
    }
}

/// The dimensions that identify a row; the others (names, flags, descriptions) are compared as content.
fn key_dims(dataset: Dataset, table: &Table) -> Vec<usize> {
    let names: &[&str] = match dataset {
        Dataset::MissingMigrants => &["main_id", "incident_id"],
        Dataset::Countries => &["unhcr_code"],
        _ => &[],
    };
    table
        .dims
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            if names.is_empty() {
                !matches!(
                    d.name.as_str(),
                    "coo_name" | "coa_name" | "name" | "quality_flag"
                )
            } else {
                names.contains(&d.name.as_str())
            }
        })
        .map(|(i, _)| i)
        .collect()
}

fn row_key(t: &Table, keys: &[usize], row: usize) -> String {
    let mut k = t.year(row).map_or(String::new(), |y| y.to_string());
    for &i in keys {
        k.push('\u{1f}');
        k.push_str(t.dims[i].value(row));
    }
    k
}

/// Differences of one row pair: the names of the columns whose values differ.
fn changed_columns(a: &Table, ra: usize, b: &Table, rb: usize, keys: &[usize]) -> Vec<String> {
    let mut out = Vec::new();
    for (i, (da, db)) in a.dims.iter().zip(&b.dims).enumerate() {
        if !keys.contains(&i) && da.value(ra) != db.value(rb) {
            out.push(da.name.clone());
        }
    }
    for (ma, mb) in a.measures.iter().zip(&b.measures) {
        let same = match (ma.value(ra), mb.value(rb)) {
            (Value::Float(x), Value::Float(y)) => x == y,
            (x, y) => x == y,
        };
        if !same {
            out.push(ma.name.clone());
        }
    }
    out
}

fn diff_table(dataset: Dataset, a: &Table, b: &Table) -> DatasetDiff {
    let keys = key_dims(dataset, a);
    let mut old_rows: FxHashMap<String, Vec<usize>> = FxHashMap::default();
    for r in (0..a.len).rev() {
        old_rows.entry(row_key(a, &keys, r)).or_default().push(r);
    }
    let mut years: BTreeMap<Option<i16>, YearDiff> = BTreeMap::new();
    let mut cells: BTreeMap<String, u64> = BTreeMap::new();
    for rb in 0..b.len {
        let year = b.year(rb);
        match old_rows.get_mut(&row_key(b, &keys, rb)).and_then(Vec::pop) {
            Some(ra) => {
                let changed = changed_columns(a, ra, b, rb, &keys);
                if !changed.is_empty() {
                    years
                        .entry(year)
                        .or_insert_with(|| YearDiff {
                            year,
                            ..Default::default()
                        })
                        .changed += 1;
                    for c in changed {
                        *cells.entry(c).or_default() += 1;
                    }
                }
            }
            None => {
                years
                    .entry(year)
                    .or_insert_with(|| YearDiff {
                        year,
                        ..Default::default()
                    })
                    .added += 1
            }
        }
    }
    for rows in old_rows.values() {
        for &ra in rows {
            let year = a.year(ra);
            years
                .entry(year)
                .or_insert_with(|| YearDiff {
                    year,
                    ..Default::default()
                })
                .removed += 1;
        }
    }
    DatasetDiff {
        dataset: dataset.name().into(),
        presence: None,
        years: years.into_values().collect(),
        changed_cells: cells,
    }
}

/// Compares two loaded releases, dataset by dataset.
pub fn diff(old: &Release, new: &Release) -> Diff {
    let mut datasets = Vec::new();
    for dataset in Dataset::ALL {
        let same_file = match (
            old.manifest.table(dataset.name()),
            new.manifest.table(dataset.name()),
        ) {
            (Some(a), Some(b)) => a.sha256 == b.sha256 && a.bytes == b.bytes,
            _ => false,
        };
        let d = match (old.table(dataset), new.table(dataset)) {
            // The same table file (its digest is checked on every load) holds the same rows:
            // comparing them cell by cell would only cost the memory of indexing both.
            (Some(_), Some(_)) if same_file => continue,
            (Some(a), Some(b))
                if a.table.dims.len() == b.table.dims.len()
                    && a.table.measures.len() == b.table.measures.len() =>
            {
                diff_table(dataset, &a.table, &b.table)
            }
            (None, None) => continue,
            (a, b) => DatasetDiff {
                dataset: dataset.name().into(),
                presence: Some(
                    if b.is_some() && a.is_none() {
                        "added"
                    } else if a.is_some() && b.is_none() {
                        "removed"
                    } else {
                        "schema changed"
                    }
                    .into(),
                ),
                years: Vec::new(),
                changed_cells: BTreeMap::new(),
            },
        };
        if d.presence.is_some() || !d.years.is_empty() {
            datasets.push(d);
        }
    }
    Diff {
        old: old.manifest.id.clone(),
        new: new.manifest.id.clone(),
        datasets,
    }
}
