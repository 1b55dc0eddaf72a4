//! The typed query engine: filters on year (one, a list, a range) and on any dimension, grouping by
//! any dimensions, sums of the measures and a total. Country filters use the indexes; sums keep "not
//! available" apart from zero: a group with no reported value is null, not 0.

use passage_datasets::{Dataset, MeasureData, Value, NULL_INT};
use passage_domain::{canonical_iso, CodeSystem, CountryCode, ReleaseId, Year, YearRange};
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::release::IndexedTable;
use crate::{QueryError, Release};

/// Which years a query keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum YearFilter {
    #[default]
    All,
    List(Vec<Year>),
    Range(YearRange),
}

/// Keep rows whose dimension `dim` has one of `values`. `parameter` names the user's parameter in
/// errors (`origin` for `coo_iso`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub parameter: String,
    pub dim: String,
    pub values: Vec<String>,
}

/// A query over one dataset of a release.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    pub dataset: String,
    pub years: YearFilter,
    pub filters: Vec<Filter>,
    /// Grouping columns: `year` or dimension names. Empty gives one total row.
    pub by: Vec<String>,
    /// Measures to sum; empty means all of the dataset's.
    pub measures: Vec<String>,
}

/// One row of an answer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnswerRow {
    pub keys: Vec<String>,
    #[serde(serialize_with = "values_as_json")]
    pub values: Vec<Value>,
    /// How many rows of the release's table were summed into this one.
    pub source_rows: u64,
}

fn values_as_json<S: serde::Serializer>(values: &[Value], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(values.len()))?;
    for v in values {
        match v {
            Value::Int(i) => seq.serialize_element(i)?,
            Value::Float(f) => seq.serialize_element(f)?,
            Value::Null => seq.serialize_element(&())?,
        }
    }
    seq.end()
}

/// The answer to a query, naming the release it was computed from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Answer {
    pub release: ReleaseId,
    pub dataset: String,
    pub keys: Vec<String>,
    pub measures: Vec<String>,
    pub rows: Vec<AnswerRow>,
    pub total: AnswerRow,
}

#[derive(Clone, Copy)]
enum KeyCol {
    Year { min: i16, card: u64 },
    Dim { index: usize, card: u64 },
}

struct Accumulator {
    ints: Vec<i64>,
    floats: Vec<f64>,
    present: Vec<u32>,
    rows: Vec<u64>,
    width: usize,
}

impl Accumulator {
    fn new(width: usize) -> Self {
        Accumulator {
            ints: Vec::new(),
            floats: Vec::new(),
            present: Vec::new(),
            rows: Vec::new(),
            width,
        }
    }

    fn add_group(&mut self) -> usize {
        self.ints.extend(std::iter::repeat_n(0, self.width));
        self.floats.extend(std::iter::repeat_n(0.0, self.width));
        self.present.extend(std::iter::repeat_n(0, self.width));
        self.rows.push(0);
        self.rows.len() - 1
    }

    #[inline]
    fn add_row(&mut self, group: usize, row: usize, measures: &[&MeasureData]) {
        self.rows[group] += 1;
        let base = group * self.width;
        for (j, m) in measures.iter().enumerate() {
            match m {
                MeasureData::Int(v) => {
                    let x = v[row];
                    if x != NULL_INT {
                        self.ints[base + j] += x;
                        self.present[base + j] += 1;
                    }
                }
                MeasureData::Float(v) => {
                    let x = v[row];
                    if !x.is_nan() {
                        self.floats[base + j] += x;
                        self.present[base + j] += 1;
                    }
                }
            }
        }
    }

    fn values(&self, group: usize, measures: &[&MeasureData]) -> Vec<Value> {
        let base = group * self.width;
        measures
            .iter()
            .enumerate()
            .map(|(j, m)| match (self.present[base + j], m) {
                (0, _) => Value::Null,
                (_, MeasureData::Int(_)) => Value::Int(self.ints[base + j]),
                (_, MeasureData::Float(_)) => Value::Float(self.floats[base + j]),
            })
            .collect()
    }
}

fn is_country_dim(name: &str) -> bool {
    matches!(name, "coo_iso" | "coa_iso" | "iso3")
}

/// Answers `query` from `release`.
pub fn run(release: &Release, query: &Query) -> Result<Answer, QueryError> {
    let dataset = Dataset::from_name(&query.dataset).ok_or_else(|| {
        let known: Vec<_> = Dataset::ALL.iter().map(|d| d.name()).collect();
        QueryError::UnknownDataset(query.dataset.clone(), known.join(", "))
    })?;
    let t = release.table(dataset).ok_or_else(|| {
        QueryError::DatasetNotInRelease(dataset.name().into(), release.manifest.id.to_string())
    })?;
    let table = &t.table;
    let dims_known = || {
        table
            .dims
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };

    let measure_idx: Vec<usize> = if query.measures.is_empty() {
        (0..table.measures.len()).collect()
    } else {
        query
            .measures
            .iter()
            .map(|name| {
                table
                    .measures
                    .iter()
                    .position(|m| &m.name == name)
                    .ok_or_else(|| QueryError::UnknownMeasure {
                        dataset: dataset.name().into(),
                        name: name.clone(),
                        known: table
                            .measures
                            .iter()
                            .map(|m| m.name.as_str())
                            .collect::<Vec<_>>()
                            .join(", "),
                    })
            })
            .collect::<Result<_, _>>()?
    };
    let measures: Vec<&MeasureData> = measure_idx
        .iter()
        .map(|&i| &table.measures[i].data)
        .collect();

    // Filters become a table of allowed codes per dimension.
    let mut filters: Vec<(usize, Vec<bool>, Vec<u32>)> = Vec::new();
    for f in &query.filters {
        let index = t
            .dim_index(&f.dim)
            .ok_or_else(|| QueryError::UnknownDimension {
                parameter: f.parameter.clone(),
                dataset: dataset.name().into(),
                name: f.dim.clone(),
                known: dims_known(),
            })?;
        let dim = &table.dims[index];
        let mut allowed = vec![false; dim.dict.len()];
        let mut codes = Vec::new();
        for value in &f.values {
            let value = if is_country_dim(&f.dim) {
                let code = CountryCode::parse(CodeSystem::Iso, value.trim()).map_err(|e| {
                    QueryError::BadValue {
                        parameter: f.parameter.clone(),
                        message: e.to_string(),
                    }
                })?;
                canonical_iso(code).as_str().to_string()
            } else {
                value.clone()
            };
            if let Some(c) = dim.code_of(&value) {
                if !allowed[c as usize] {
                    allowed[c as usize] = true;
                    codes.push(c);
                }
            }
        }
        filters.push((index, allowed, codes));
    }

    let has_years = table.years.is_some();
    if !has_years && query.years != YearFilter::All {
        return Err(QueryError::BadValue {
            parameter: "year".into(),
            message: format!("dataset `{}` has no years", dataset.name()),
        });
    }
    let (first, last, year_set): (i16, i16, Option<Vec<i16>>) = match &query.years {
        YearFilter::All => (i16::MIN, i16::MAX, None),
        YearFilter::Range(r) => (r.first.get() as i16, r.last.get() as i16, None),
        YearFilter::List(list) => {
            let ys: Vec<i16> = list.iter().map(|y| y.get() as i16).collect();
            (
                ys.iter().copied().min().unwrap_or(0),
                ys.iter().copied().max().unwrap_or(-1),
                Some(ys),
            )
        }
    };

    let mut key_cols = Vec::new();
    for name in &query.by {
        if name == "year" {
            if !has_years {
                return Err(QueryError::UnknownDimension {
                    parameter: "by".into(),
                    dataset: dataset.name().into(),
                    name: name.clone(),
                    known: dims_known(),
                });
            }
            let min = t.year_ranges.first().map_or(0, |r| r.0);
            let max = t.year_ranges.last().map_or(0, |r| r.0);
            key_cols.push(KeyCol::Year {
                min,
                card: (max - min + 1) as u64,
            });
        } else {
            let index = t
                .dim_index(name)
                .ok_or_else(|| QueryError::UnknownDimension {
                    parameter: "by".into(),
                    dataset: dataset.name().into(),
                    name: name.clone(),
                    known: dims_known(),
                })?;
            key_cols.push(KeyCol::Dim {
                index,
                card: table.dims[index].dict.len().max(1) as u64,
            });
        }
    }
    let mut capacity: u64 = 1;
    for k in &key_cols {
        let card = match k {
            KeyCol::Year { card, .. } | KeyCol::Dim { card, .. } => *card,
        };
        capacity = capacity
            .checked_mul(card)
            .ok_or_else(|| QueryError::BadValue {
                parameter: "by".into(),
                message: "too many distinct combinations of these grouping columns; group by fewer"
                    .into(),
            })?;
    }

    let range = if has_years {
        t.rows_in_years(first, last)
    } else {
        0..table.len
    };
    let years = table.years.as_deref().unwrap_or(&[]);
    let keep = |row: usize| -> bool {
        if let Some(set) = &year_set {
            if !set.contains(&years[row]) {
                return false;
            }
        }
        filters
            .iter()
            .all(|(i, allowed, _)| allowed[table.dims[*i].codes[row] as usize])
    };
    let key_of = |row: usize| -> u64 {
        let mut key = 0u64;
        for k in &key_cols {
            match *k {
                KeyCol::Year { min, card } => key = key * card + (years[row] - min) as u64,
                KeyCol::Dim { index, card } => {
                    key = key * card + u64::from(table.dims[index].codes[row])
                }
            }
        }
        key
    };

    let mut acc = Accumulator::new(measures.len());
    let mut groups: FxHashMap<u64, usize> = FxHashMap::default();
    let mut group_keys: Vec<u64> = Vec::new();
    let mut visit = |row: usize| {
        if !keep(row) {
            return;
        }
        let g = if key_cols.is_empty() {
            if group_keys.is_empty() {
                group_keys.push(0);
                acc.add_group();
            }
            0
        } else {
            let key = key_of(row);
            *groups.entry(key).or_insert_with(|| {
                group_keys.push(key);
                acc.add_group()
            })
        };
        acc.add_row(g, row, &measures);
    };

    // Use the smallest candidate set: the year range, or the rows of the filtered country codes.
    let best_posting = filters
        .iter()
        .filter_map(|(i, _, codes)| t.postings[*i].as_ref().map(|p| (p, codes)))
        .map(|(p, codes)| {
            (
                codes.iter().map(|&c| p.rows_of(c).len()).sum::<usize>(),
                p,
                codes,
            )
        })
        .min_by_key(|x| x.0);
    match best_posting {
        Some((n, p, codes)) if n < range.len() => {
            for &c in codes {
                let rows = p.rows_of(c);
                let lo = rows.partition_point(|&r| (r as usize) < range.start);
                let hi = rows.partition_point(|&r| (r as usize) < range.end);
                for &r in &rows[lo..hi] {
                    visit(r as usize);
                }
            }
        }
        _ => range.for_each(&mut visit),
    }

    let decode = |mut key: u64| -> Vec<String> {
        let mut parts = vec![String::new(); key_cols.len()];
        for (slot, k) in parts.iter_mut().zip(&key_cols).rev() {
            match *k {
                KeyCol::Year { min, card } => {
                    *slot = (i64::from(min) + (key % card) as i64).to_string();
                    key /= card;
                }
                KeyCol::Dim { index, card } => {
                    *slot = table.dims[index].dict[(key % card) as usize].clone();
                    key /= card;
                }
            }
        }
        parts
    };
    let mut rows: Vec<AnswerRow> = group_keys
        .iter()
        .enumerate()
        .map(|(g, &key)| AnswerRow {
            keys: decode(key),
            values: acc.values(g, &measures),
            source_rows: acc.rows[g],
        })
        .collect();
    let year_pos = query.by.iter().position(|b| b == "year");
    rows.sort_by(|a, b| {
        let ya = year_pos.map(|p| a.keys[p].parse::<i32>().unwrap_or(0));
        let yb = year_pos.map(|p| b.keys[p].parse::<i32>().unwrap_or(0));
        ya.cmp(&yb).then_with(|| a.keys.cmp(&b.keys))
    });

    let mut total = Accumulator::new(measures.len());
    total.add_group();
    for g in 0..group_keys.len() {
        total.rows[0] += acc.rows[g];
        for j in 0..measures.len() {
            let i = g * measures.len() + j;
            total.ints[j] += acc.ints[i];
            total.floats[j] += acc.floats[i];
            total.present[j] += acc.present[i];
        }
    }
    Ok(Answer {
        release: release.manifest.id.clone(),
        dataset: dataset.name().into(),
        keys: query.by.clone(),
        measures: measure_idx
            .iter()
            .map(|&i| table.measures[i].name.clone())
            .collect(),
        rows,
        total: AnswerRow {
            keys: Vec::new(),
            values: total.values(0, &measures),
            source_rows: total.rows[0],
        },
    })
}

/// Runs a query against the rows of `t` without indexes: the reference the engine is tested against.
#[doc(hidden)]
pub fn scan_sum(t: &IndexedTable, measure: usize, keep: impl Fn(usize) -> bool) -> Option<i64> {
    let MeasureData::Int(v) = &t.table.measures[measure].data else {
        return None;
    };
    let mut sum = None;
    for (row, &x) in v.iter().enumerate() {
        if x != NULL_INT && keep(row) {
            *sum.get_or_insert(0) += x;
        }
    }
    sum
}
