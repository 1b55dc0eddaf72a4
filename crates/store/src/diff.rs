//! Revisions between two releases: for each dataset and year, rows added, removed and changed,
//! which measures changed, and the rows themselves, the largest changes first. Rows are matched on their identifying dimensions (origin, asylum, type…;
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

/// The rows of a dataset a diff gives whole, the largest changes first; the counts cover all.
pub const ROWS_GIVEN: usize = 100;

/// One cell of a row that differs: its column and its values before and after (`None` when the
/// row is not in that release, or the value is not available there).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellChange {
    /// The column, a measure or a descriptive dimension.
    pub column: String,
    /// In the old release.
    pub old: Option<String>,
    /// In the new release.
    pub new: Option<String>,
}

/// A row added, removed or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChange {
    /// `added`, `removed` or `changed`.
    pub change: &'static str,
    /// Its reference year, if the dataset has years.
    pub year: Option<i16>,
    /// The dimensions that identify it, by name.
    pub key: Vec<(String, String)>,
    /// The cells that differ; every measure of a row added or removed.
    pub cells: Vec<CellChange>,
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
    /// At most [`ROWS_GIVEN`] of its rows, the largest absolute change of a measure first.
    pub rows: Vec<RowChange>,
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
    // Every revised row as (size, old row, new row); only the largest are written out whole.
    let mut revised: Vec<(f64, Option<usize>, Option<usize>)> = Vec::new();
    for rb in 0..b.len {
        let year = b.year(rb);
        match old_rows.get_mut(&row_key(b, &keys, rb)).and_then(Vec::pop) {
            Some(ra) => {
                let changed = changed_columns(a, ra, b, rb, &keys);
                if !changed.is_empty() {
                    revised.push((size_of(a, Some(ra), b, Some(rb)), Some(ra), Some(rb)));
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
                revised.push((size_of(a, None, b, Some(rb)), None, Some(rb)));
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
            revised.push((size_of(a, Some(ra), b, None), Some(ra), None));
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
    // Largest first; equal sizes by the new row, then the old, so the order is the same each time.
    revised.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.2.cmp(&y.2)).then(x.1.cmp(&y.1)));
    revised.truncate(ROWS_GIVEN);
    DatasetDiff {
        dataset: dataset.name().into(),
        presence: None,
        years: years.into_values().collect(),
        changed_cells: cells,
        rows: revised
            .into_iter()
            .filter_map(|(_, ra, rb)| row_change(a, ra, b, rb, &keys))
            .collect(),
    }
}

/// How large a revision is: the largest absolute difference of a measure, a value not available
/// counting as nothing (a row added or removed is as large as its largest figure).
fn size_of(a: &Table, ra: Option<usize>, b: &Table, rb: Option<usize>) -> f64 {
    let at = |t: &Table, r: Option<usize>, m: usize| {
        r.and_then(|r| t.measures.get(m).and_then(|c| c.value(r).as_f64()))
    };
    (0..a.measures.len().max(b.measures.len()))
        .map(|m| match (at(a, ra, m), at(b, rb, m)) {
            (Some(x), Some(y)) => (y - x).abs(),
            (Some(v), None) | (None, Some(v)) => v.abs(),
            (None, None) => 0.0,
        })
        .filter(|d| d.is_finite())
        .fold(0.0, f64::max)
}

/// The row of `a` at `ra` and of `b` at `rb` (one may be absent) as a [`RowChange`].
fn row_change(
    a: &Table,
    ra: Option<usize>,
    b: &Table,
    rb: Option<usize>,
    keys: &[usize],
) -> Option<RowChange> {
    let (t, r) = match (ra, rb) {
        (_, Some(rb)) => (b, rb),
        (Some(ra), None) => (a, ra),
        (None, None) => return None,
    };
    let shown = |v: Value| (!matches!(v, Value::Null)).then(|| v.to_string());
    let key = keys
        .iter()
        .filter_map(|&i| t.dims.get(i))
        .map(|d| (d.name.clone(), d.value(r).to_string()))
        .collect();
    let cells = match (ra, rb) {
        (Some(ra), Some(rb)) => changed_columns(a, ra, b, rb, keys)
            .into_iter()
            .map(|column| {
                let old = value_of(a, ra, &column);
                let new = value_of(b, rb, &column);
                CellChange { column, old, new }
            })
            .collect(),
        _ => t
            .measures
            .iter()
            .map(|m| {
                let v = shown(m.value(r));
                CellChange {
                    column: m.name.clone(),
                    old: if ra.is_some() { v.clone() } else { None },
                    new: if rb.is_some() { v } else { None },
                }
            })
            .collect(),
    };
    Some(RowChange {
        change: match (ra, rb) {
            (Some(_), Some(_)) => "changed",
            (None, _) => "added",
            (Some(_), None) => "removed",
        },
        year: t.year(r),
        key,
        cells,
    })
}

/// The value of column `name` (a dimension or a measure) in row `r`, `None` when not available.
fn value_of(t: &Table, r: usize, name: &str) -> Option<String> {
    if let Some(d) = t.dims.iter().find(|d| d.name == name) {
        return Some(d.value(r).to_string()).filter(|v| !v.is_empty());
    }
    let m = t.measures.iter().find(|m| m.name == name)?;
    match m.value(r) {
        Value::Null => None,
        v => Some(v.to_string()),
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
                rows: Vec::new(),
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
