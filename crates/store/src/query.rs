//! The typed query engine: filters on year (one, a list, a range) and on any dimension, grouping by
//! any dimensions, sums of the measures and a total. It works a column at a time: select rows (a
//! year range, or the index rows of the filtered countries), give each a group id packed from
//! dictionary ranks, then sum each measure in one tight loop. Sums keep "not available" apart from
//! zero: a group with no reported value is null, not 0.

use std::ops::Range;

use passage_datasets::{Dataset, MeasureData, Value, NULL_INT};
use passage_domain::{canonical_iso, CodeSystem, CountryCode, ReleaseId, Year, YearRange};
use rustc_hash::FxHashMap;

use crate::release::IndexedTable;
use crate::{QueryError, Release};

/// Which years a query keeps.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum YearFilter {
    /// Every year.
    #[default]
    All,
    /// These years.
    List(Vec<Year>),
    /// The years of an inclusive range.
    Range(YearRange),
}

/// Keep rows whose dimension `dim` has one of `values`. `parameter` names the user's parameter in
/// errors (`origin` for `coo_iso`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// The user's name for the filter, for errors.
    pub parameter: String,
    /// The dimension filtered on.
    pub dim: String,
    /// The values kept.
    pub values: Vec<String>,
}

/// A query over one dataset of a release.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// The dataset's name, such as `population`.
    pub dataset: String,
    /// Which years are kept.
    pub years: YearFilter,
    /// Filters on dimensions, all of which a row must pass.
    pub filters: Vec<Filter>,
    /// Grouping columns: `year` or dimension names. Empty gives one total row.
    pub by: Vec<String>,
    /// Measures to sum; empty means all of the dataset's.
    pub measures: Vec<String>,
}

/// The answer to a query, borrowing its key labels from the release it was computed from.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<'r> {
    /// The release answered from.
    pub release: &'r ReleaseId,
    /// The dataset queried.
    pub dataset: Dataset,
    /// Grouping column names, then measure names.
    pub keys: Vec<&'r str>,
    /// The measures summed, in the order of each row's values.
    pub measures: Vec<&'r str>,
    key_cells: Vec<&'r str>,
    values: Vec<Value>,
    source_rows: Vec<u64>,
    /// The index of the first row held: [`run_window`] holds only the rows of its window.
    first: usize,
    /// How many rows the answer has, held or not.
    rows: usize,
    /// Sums over every selected row.
    pub total: Vec<Value>,
    /// How many rows of the release's table were selected.
    pub total_source_rows: u64,
}

/// One row of an answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AnswerRow<'a, 'r> {
    /// The row's grouping values, in the order of the answer's keys.
    pub keys: &'a [&'r str],
    /// The row's sums, in the order of the answer's measures; `Null` is not available.
    pub values: &'a [Value],
    /// How many rows of the release's table were summed into this one.
    pub source_rows: u64,
}

impl<'r> Answer<'r> {
    /// How many rows the answer has, held or not.
    pub fn len(&self) -> usize {
        self.rows
    }

    /// The year of row `i` (one of the rows held), when the answer is grouped by year.
    pub fn year_of(&self, i: usize) -> Option<i32> {
        let k = self.keys.iter().position(|k| *k == "year")?;
        self.row(i).keys[k].parse().ok()
    }

    /// Whether the answer has no rows.
    pub fn is_empty(&self) -> bool {
        self.rows == 0
    }

    /// The rows held: all of them, but for an answer of [`run_window`].
    pub fn held(&self) -> std::ops::Range<usize> {
        self.first..self.first + self.source_rows.len()
    }

    /// Row `i`, which must be one of the rows held.
    pub fn row(&self, i: usize) -> AnswerRow<'_, 'r> {
        let (k, m) = (self.keys.len(), self.measures.len());
        let i = i - self.first;
        AnswerRow {
            keys: &self.key_cells[i * k..(i + 1) * k],
            values: &self.values[i * m..(i + 1) * m],
            source_rows: self.source_rows[i],
        }
    }

    /// The rows held.
    pub fn rows(&self) -> impl Iterator<Item = AnswerRow<'_, 'r>> {
        self.held().map(|i| self.row(i))
    }

    /// Grouping columns, then measures.
    pub fn columns(&self) -> Vec<&'r str> {
        self.keys.iter().chain(&self.measures).copied().collect()
    }

    /// Row `i` as a JSON object: its grouping values (years as numbers), its measures (numbers, or
    /// `null` for not available) and `source_rows`.
    pub fn row_json(&self, i: usize) -> serde_json::Value {
        let row = self.row(i);
        let mut m = serde_json::Map::new();
        for (name, v) in self.keys.iter().zip(row.keys) {
            let value = match (*name, v.parse::<i64>()) {
                ("year", Ok(y)) => y.into(),
                _ => (*v).into(),
            };
            m.insert(name.to_string(), value);
        }
        for (name, v) in self.measures.iter().zip(row.values) {
            m.insert(name.to_string(), v.to_json());
        }
        m.insert("source_rows".into(), row.source_rows.into());
        serde_json::Value::Object(m)
    }

    /// Row `i`'s fields as [`Answer::row_json`] writes them, without the enclosing braces, so a
    /// caller can add its own fields before closing the object: the same text, without building a
    /// map of JSON values for every row of a large page.
    pub fn write_row_fields(&self, i: usize, out: &mut Vec<u8>) {
        let row = self.row(i);
        let mut first = true;
        let mut name = |out: &mut Vec<u8>, name: &str| {
            if !first {
                out.push(b',');
            }
            first = false;
            push_json_string(out, name);
            out.push(b':');
        };
        for (key, v) in self.keys.iter().zip(row.keys) {
            name(out, key);
            match (*key, v.parse::<i64>()) {
                ("year", Ok(y)) => push_display(out, y),
                _ => push_json_string(out, v),
            }
        }
        for (measure, v) in self.measures.iter().zip(row.values) {
            name(out, measure);
            match v {
                Value::Int(n) => push_display(out, n),
                // serde_json writes floats its own way (and non-finite ones as null).
                Value::Float(_) => out.extend_from_slice(v.to_json().to_string().as_bytes()),
                Value::Null => out.extend_from_slice(b"null"),
            }
        }
        name(out, "source_rows");
        push_display(out, row.source_rows);
    }

    /// The totals as a JSON object of measures, with `source_rows`.
    pub fn total_json(&self) -> serde_json::Value {
        let mut m: serde_json::Map<String, serde_json::Value> = self
            .measures
            .iter()
            .zip(&self.total)
            .map(|(k, v)| (k.to_string(), v.to_json()))
            .collect();
        m.insert("source_rows".into(), self.total_source_rows.into());
        serde_json::Value::Object(m)
    }

    /// Row `i` as a CSV line (no line break): keys quoted where needed, empty for not available.
    pub fn row_csv(&self, i: usize) -> String {
        let row = self.row(i);
        let cells: Vec<String> = row
            .keys
            .iter()
            .map(|k| passage_datasets::csv_cell(k).into_owned())
            .chain(row.values.iter().map(Value::to_string))
            .collect();
        cells.join(",")
    }
}

/// Appends `s` as a JSON string, escaped as serde_json escapes it.
fn push_json_string(out: &mut Vec<u8>, s: &str) {
    let plain = s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\');
    if plain {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        out.extend_from_slice(serde_json::Value::from(s).to_string().as_bytes());
    }
}

fn push_display(out: &mut Vec<u8>, v: impl std::fmt::Display) {
    use std::io::Write;
    let _ = write!(out, "{v}");
}

/// The rows a query reads.
enum Selection {
    Range(Range<usize>),
    Rows(Vec<u32>),
}

impl Selection {
    fn len(&self) -> usize {
        match self {
            Selection::Range(r) => r.len(),
            Selection::Rows(v) => v.len(),
        }
    }
}

#[derive(Clone, Copy)]
enum KeyCol {
    Year { min: i16, card: u64 },
    Dim { index: usize, card: u64 },
}

impl KeyCol {
    fn card(self) -> u64 {
        match self {
            KeyCol::Year { card, .. } | KeyCol::Dim { card, .. } => card,
        }
    }
}

/// Group tables up to this many slots are addressed directly by the packed key.
const DENSE_SLOTS: u64 = 1 << 18;

/// Dense slots allowed per selected row (beyond a small floor). Zeroing and reading back a slot
/// table far larger than the selection costs more than hashing the few rows: an empty or
/// one-country answer would otherwise pay for every combination of years and countries.
const DENSE_SLOTS_PER_ROW: u64 = 8;

/// Slot tables this small are dense whatever the selection.
const DENSE_FLOOR: u64 = 256;

/// Whether a grouped query addresses its groups directly: the table of `capacity` slots is both
/// small and not much larger than the `selected` rows.
fn use_dense(capacity: u64, selected: usize) -> bool {
    capacity <= DENSE_SLOTS
        && capacity <= DENSE_FLOOR.max((selected as u64).saturating_mul(DENSE_SLOTS_PER_ROW))
}

fn is_country_dim(name: &str) -> bool {
    matches!(name, "coo_iso" | "coa_iso" | "iso3")
}

fn unknown_dim(t: &IndexedTable, parameter: &str, name: &str) -> QueryError {
    QueryError::UnknownDimension {
        parameter: parameter.into(),
        dataset: t.dataset.name().into(),
        name: name.into(),
        known: t
            .table
            .dims
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Per-dimension allowed codes, and the codes themselves (for the index).
struct DimFilter {
    index: usize,
    allowed: Vec<bool>,
    codes: Vec<u32>,
}

fn dim_filters(t: &IndexedTable, filters: &[Filter]) -> Result<Vec<DimFilter>, QueryError> {
    let mut out = Vec::with_capacity(filters.len());
    for f in filters {
        let index = t
            .dim_index(&f.dim)
            .ok_or_else(|| unknown_dim(t, &f.parameter, &f.dim))?;
        let dim = &t.table.dims[index];
        let mut allowed = vec![false; dim.dict.len()];
        let mut codes = Vec::new();
        for value in &f.values {
            let canonical;
            let value = if is_country_dim(&f.dim) {
                let code = CountryCode::parse(CodeSystem::Iso, value.trim()).map_err(|e| {
                    QueryError::BadValue {
                        parameter: f.parameter.clone(),
                        message: e.to_string(),
                    }
                })?;
                canonical = canonical_iso(code);
                canonical.as_str()
            } else {
                value.as_str()
            };
            if let Some(c) = t.code_of(index, value) {
                if !allowed[c as usize] {
                    allowed[c as usize] = true;
                    codes.push(c);
                }
            }
        }
        out.push(DimFilter {
            index,
            allowed,
            codes,
        });
    }
    Ok(out)
}

/// Chooses the rows to read: the year range, narrowed by the index of the most selective country
/// filter, then by the remaining filters.
fn select(t: &IndexedTable, filters: &[DimFilter], years: &YearFilter) -> Selection {
    // A filter none of whose values is in the table keeps no row: answer without scanning the
    // table for a dimension that has no index.
    if filters.iter().any(|f| f.codes.is_empty()) {
        return Selection::Rows(Vec::new());
    }
    let table = &t.table;
    let (first, last, list): (i16, i16, Option<Vec<i16>>) = match years {
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
    // A list that covers every year present between its first and last is a range: keep the
    // contiguous selection (and with it the rollups).
    let list = list.filter(|ys| {
        t.years()
            .filter(|y| (first..=last).contains(y))
            .any(|y| !ys.contains(&y))
    });
    let range = if table.years.is_some() {
        t.rows_in_years(first, last)
    } else {
        0..table.len
    };
    let best = filters
        .iter()
        .enumerate()
        .filter_map(|(i, f)| t.postings[f.index].as_ref().map(|p| (i, p, &f.codes)))
        .map(|(i, p, codes)| {
            (
                codes.iter().map(|&c| p.rows_of(c).len()).sum::<usize>(),
                i,
                p,
                codes,
            )
        })
        .min_by_key(|x| x.0);
    let mut rest: Vec<&DimFilter> = filters.iter().collect();
    let mut selection = match best {
        Some((n, i, p, codes)) if n < range.len() => {
            rest.remove(i);
            let mut rows = Vec::with_capacity(n);
            for &c in codes {
                let r = p.rows_of(c);
                let lo = r.partition_point(|&x| (x as usize) < range.start);
                let hi = r.partition_point(|&x| (x as usize) < range.end);
                rows.extend_from_slice(&r[lo..hi]);
            }
            Selection::Rows(rows)
        }
        _ => Selection::Range(range),
    };
    if let Some(list) = list.filter(|l| l.len() > 1) {
        let years = table.years.as_deref().unwrap_or(&[]);
        selection = retain(selection, |r| list.contains(&years[r]));
    }
    for f in rest {
        let codes = &table.dims[f.index].codes;
        selection = retain(selection, |r| f.allowed[codes[r] as usize]);
    }
    selection
}

fn retain(selection: Selection, keep: impl Fn(usize) -> bool) -> Selection {
    match selection {
        Selection::Range(range) => {
            Selection::Rows(range.filter(|&r| keep(r)).map(|r| r as u32).collect())
        }
        Selection::Rows(mut rows) => {
            rows.retain(|&r| keep(r as usize));
            Selection::Rows(rows)
        }
    }
}

/// Group slot of each selected row: the packed key itself (dense), or an id assigned by a hash map.
fn group_ids(
    t: &IndexedTable,
    sel: &Selection,
    cols: &[KeyCol],
    dense: bool,
    keys: &mut Vec<u64>,
) -> Vec<u32> {
    let table = &t.table;
    let years = table.years.as_deref().unwrap_or(&[]);
    let mut packed = vec![0u64; sel.len()];
    for &col in cols {
        let card = col.card();
        let mut apply = |i: usize, r: usize| {
            let v = match col {
                KeyCol::Year { min, .. } => (years[r] - min) as u64,
                KeyCol::Dim { index, .. } => {
                    u64::from(t.ranks[index][table.dims[index].codes[r] as usize])
                }
            };
            packed[i] = packed[i] * card + v;
        };
        match sel {
            Selection::Range(range) => range.clone().enumerate().for_each(|(i, r)| apply(i, r)),
            Selection::Rows(rows) => rows
                .iter()
                .enumerate()
                .for_each(|(i, &r)| apply(i, r as usize)),
        }
    }
    if dense {
        return packed.into_iter().map(|k| k as u32).collect();
    }
    let mut ids: FxHashMap<u64, u32> = FxHashMap::default();
    packed
        .into_iter()
        .map(|k| {
            *ids.entry(k).or_insert_with(|| {
                keys.push(k);
                (keys.len() - 1) as u32
            })
        })
        .collect()
}

/// Sums of one measure per group slot, with the count of reported values (0 means null).
struct Sums {
    ints: Vec<i64>,
    floats: Vec<f64>,
    present: Vec<u32>,
}

fn accumulate(sel: &Selection, gids: &[u32], data: &MeasureData, slots: usize) -> Sums {
    let mut s = Sums {
        ints: Vec::new(),
        floats: Vec::new(),
        present: vec![0; slots],
    };
    macro_rules! kernel {
        ($col:expr, $sums:expr, $is_null:expr) => {{
            let col = $col;
            match (sel, gids.is_empty()) {
                (Selection::Range(r), true) => {
                    for &v in &col[r.clone()] {
                        if !$is_null(v) {
                            $sums[0] += v;
                            s.present[0] += 1;
                        }
                    }
                }
                (Selection::Range(r), false) => {
                    for (&v, &g) in col[r.clone()].iter().zip(gids) {
                        if !$is_null(v) {
                            $sums[g as usize] += v;
                            s.present[g as usize] += 1;
                        }
                    }
                }
                (Selection::Rows(rows), true) => {
                    for &r in rows {
                        let v = col[r as usize];
                        if !$is_null(v) {
                            $sums[0] += v;
                            s.present[0] += 1;
                        }
                    }
                }
                (Selection::Rows(rows), false) => {
                    for (&r, &g) in rows.iter().zip(gids) {
                        let v = col[r as usize];
                        if !$is_null(v) {
                            $sums[g as usize] += v;
                            s.present[g as usize] += 1;
                        }
                    }
                }
            }
        }};
    }
    match data {
        MeasureData::Int(col) => {
            s.ints = vec![0; slots];
            kernel!(col, s.ints, |v: i64| v == NULL_INT);
        }
        MeasureData::Float(col) => {
            s.floats = vec![0.0; slots];
            kernel!(col, s.floats, |v: f64| v.is_nan());
        }
    }
    s
}

impl Sums {
    fn value(&self, slot: usize) -> Value {
        match (self.present[slot], self.ints.is_empty()) {
            (0, _) => Value::Null,
            (_, false) => Value::Int(self.ints[slot]),
            (_, true) => Value::Float(self.floats[slot]),
        }
    }

    fn total(&self) -> Value {
        if self.present.iter().all(|&p| p == 0) {
            Value::Null
        } else if self.ints.is_empty() {
            Value::Float(self.floats.iter().sum())
        } else {
            Value::Int(self.ints.iter().sum())
        }
    }
}

/// The table a query reads, refusing a year filter on a table without years.
fn table_for<'r>(release: &'r Release, query: &Query) -> Result<&'r IndexedTable, QueryError> {
    let dataset = Dataset::from_name(&query.dataset).ok_or_else(|| {
        let known: Vec<_> = Dataset::ALL.iter().map(|d| d.name()).collect();
        QueryError::UnknownDataset(query.dataset.clone(), known.join(", "))
    })?;
    let t = release.table(dataset).ok_or_else(|| {
        QueryError::DatasetNotInRelease(dataset.name().into(), release.manifest.id.to_string())
    })?;
    if t.table.years.is_none() && query.years != YearFilter::All {
        return Err(QueryError::BadValue {
            parameter: "year".into(),
            message: format!("dataset `{}` has no years", dataset.name()),
        });
    }
    Ok(t)
}

/// The rows of the release's table that `query` sums, in table order: what a figure is traced to.
pub fn trace<'r>(
    release: &'r Release,
    query: &Query,
) -> Result<(&'r IndexedTable, Vec<usize>), QueryError> {
    let t = table_for(release, query)?;
    let filters = dim_filters(t, &query.filters)?;
    let mut rows: Vec<usize> = match select(t, &filters, &query.years) {
        Selection::Range(r) => r.collect(),
        Selection::Rows(v) => v.into_iter().map(|r| r as usize).collect(),
    };
    rows.sort_unstable();
    Ok((t, rows))
}

/// Answers `query` from `release`.
pub fn run<'r>(release: &'r Release, query: &Query) -> Result<Answer<'r>, QueryError> {
    run_window(release, query, 0..usize::MAX)
}

/// Answers `query` from `release`, holding only the rows of `window` (its length and totals are
/// the whole answer's): a page of a large answer without the memory of all its rows.
pub fn run_window<'r>(
    release: &'r Release,
    query: &Query,
    window: Range<usize>,
) -> Result<Answer<'r>, QueryError> {
    let t = table_for(release, query)?;
    let (table, dataset) = (&t.table, t.dataset);

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
    let filters = dim_filters(t, &query.filters)?;
    let (cols, key_names, capacity) = key_cols(t, query)?;

    let sel = select(t, &filters, &query.years);
    let dense = use_dense(capacity, sel.len());
    if let (Selection::Range(range), true) =
        (&sel, matches!(cols.as_slice(), [] | [KeyCol::Year { .. }]))
    {
        let segments = year_segments(t, range, !cols.is_empty());
        let slots = if cols.is_empty() {
            1
        } else {
            capacity as usize
        };
        let mut counts = vec![0u64; slots];
        for (slot, _, r) in &segments {
            counts[*slot] += r.len() as u64;
        }
        let sums = measure_idx
            .iter()
            .map(|&m| accumulate_segments(t, m, &segments, slots))
            .collect();
        return Ok(assemble(
            release,
            t,
            &cols,
            key_names,
            &measure_idx,
            sums,
            counts,
            None,
            sel.len(),
            window,
        ));
    }
    let mut hashed_keys = Vec::new();
    let gids = if cols.is_empty() {
        Vec::new()
    } else {
        group_ids(t, &sel, &cols, dense, &mut hashed_keys)
    };
    let slots = if cols.is_empty() {
        1
    } else if dense {
        capacity as usize
    } else {
        hashed_keys.len()
    };
    let mut counts = vec![0u64; slots];
    // Grouped selections with no rows have no slots at all (hashed keys): only an ungrouped total
    // has the one slot to count into.
    if cols.is_empty() {
        counts[0] = sel.len() as u64;
    } else {
        for &g in &gids {
            counts[g as usize] += 1;
        }
    }
    let sums: Vec<Sums> = measure_idx
        .iter()
        .map(|&m| accumulate(&sel, &gids, &table.measures[m].data, slots))
        .collect();
    let hashed = (!dense).then_some(hashed_keys);
    Ok(assemble(
        release,
        t,
        &cols,
        key_names,
        &measure_idx,
        sums,
        counts,
        hashed,
        sel.len(),
        window,
    ))
}

/// The grouping columns of `query`, their names, and how many combinations they have.
fn key_cols<'r>(
    t: &'r IndexedTable,
    query: &Query,
) -> Result<(Vec<KeyCol>, Vec<&'r str>, u64), QueryError> {
    let table = &t.table;
    let mut cols = Vec::with_capacity(query.by.len());
    let mut key_names: Vec<&'r str> = Vec::with_capacity(query.by.len());
    for name in &query.by {
        if name == "year" {
            if table.years.is_none() {
                return Err(unknown_dim(t, "by", name));
            }
            // A table with a year column but no rows groups into no rows.
            let min = t.first_year().unwrap_or(0);
            cols.push(KeyCol::Year {
                min,
                card: t.year_labels.len().max(1) as u64,
            });
            key_names.push("year");
        } else {
            let index = t
                .dim_index(name)
                .ok_or_else(|| unknown_dim(t, "by", name))?;
            cols.push(KeyCol::Dim {
                index,
                card: table.dims[index].dict.len().max(1) as u64,
            });
            key_names.push(&table.dims[index].name);
        }
    }
    let capacity = cols
        .iter()
        .try_fold(1u64, |acc, c| acc.checked_mul(c.card()))
        .ok_or_else(|| QueryError::BadValue {
            parameter: "by".into(),
            message: "too many distinct combinations of these grouping columns; group by fewer"
                .into(),
        })?;
    Ok((cols, key_names, capacity))
}

/// How many rows [`run`] would answer `query` with, found by grouping the selected rows but
/// without summing or building the answer: what a caller checks a budget against first.
pub fn count_rows(release: &Release, query: &Query) -> Result<usize, QueryError> {
    let t = table_for(release, query)?;
    let filters = dim_filters(t, &query.filters)?;
    let (cols, _, capacity) = key_cols(t, query)?;
    let sel = select(t, &filters, &query.years);
    if cols.is_empty() {
        return Ok(usize::from(sel.len() > 0));
    }
    let dense = use_dense(capacity, sel.len());
    let mut keys = Vec::new();
    let gids = group_ids(t, &sel, &cols, dense, &mut keys);
    if !dense {
        return Ok(keys.len());
    }
    let mut seen = vec![false; capacity as usize];
    Ok(gids
        .iter()
        .filter(|&&g| !std::mem::replace(&mut seen[g as usize], true))
        .count())
}

/// The year ranges of `range`, each with its group slot (the year's offset when grouping by year,
/// else 0) and its index in the table's year ranges. Rows are sorted by year, so each year is one
/// contiguous slice.
fn year_segments(
    t: &IndexedTable,
    range: &Range<usize>,
    by_year: bool,
) -> Vec<(usize, usize, Range<usize>)> {
    let min = t.first_year().unwrap_or(0);
    if t.year_ranges.is_empty() {
        return vec![(0, usize::MAX, range.clone())];
    }
    t.year_ranges
        .iter()
        .enumerate()
        .map(|(i, &(y, a, b))| {
            let slot = if by_year { (y - min) as usize } else { 0 };
            (
                slot,
                i,
                (a as usize).max(range.start)..(b as usize).min(range.end),
            )
        })
        .filter(|(_, _, r)| !r.is_empty())
        .collect()
}

/// Sums of one measure over contiguous slices: a whole year comes from the table's rollups, a part
/// of one is scanned.
fn accumulate_segments(
    t: &IndexedTable,
    measure: usize,
    segments: &[(usize, usize, Range<usize>)],
    slots: usize,
) -> Sums {
    let rollup = &t.year_rollups[measure];
    let whole = |i: usize, r: &Range<usize>| {
        t.year_ranges
            .get(i)
            .is_some_and(|&(_, a, b)| a as usize == r.start && b as usize == r.end)
    };
    let mut s = Sums {
        ints: Vec::new(),
        floats: Vec::new(),
        present: vec![0; slots],
    };
    match &t.table.measures[measure].data {
        MeasureData::Int(col) => {
            s.ints = vec![0; slots];
            for (slot, i, r) in segments {
                if whole(*i, r) {
                    s.ints[*slot] += rollup.ints[*i];
                    s.present[*slot] += rollup.present[*i];
                    continue;
                }
                for &v in &col[r.clone()] {
                    if v != NULL_INT {
                        s.ints[*slot] += v;
                        s.present[*slot] += 1;
                    }
                }
            }
        }
        MeasureData::Float(col) => {
            s.floats = vec![0.0; slots];
            for (slot, i, r) in segments {
                if whole(*i, r) {
                    s.floats[*slot] += rollup.floats[*i];
                    s.present[*slot] += rollup.present[*i];
                    continue;
                }
                for &v in &col[r.clone()] {
                    if !v.is_nan() {
                        s.floats[*slot] += v;
                        s.present[*slot] += 1;
                    }
                }
            }
        }
    }
    s
}

/// Builds the answer from per-slot sums and row counts. Dense slots are ordered by their packed
/// ranks already; hashed slots carry their packed key and are sorted by it.
#[allow(clippy::too_many_arguments)]
fn assemble<'r>(
    release: &'r Release,
    t: &'r IndexedTable,
    cols: &[KeyCol],
    key_names: Vec<&'r str>,
    measure_idx: &[usize],
    sums: Vec<Sums>,
    counts: Vec<u64>,
    hashed_keys: Option<Vec<u64>>,
    selected: usize,
    window: Range<usize>,
) -> Answer<'r> {
    let table = &t.table;
    let order: Vec<(u64, usize)> = match hashed_keys {
        None if cols.is_empty() && selected == 0 => Vec::new(),
        None => (0..counts.len())
            .filter(|&s| counts[s] > 0 || cols.is_empty())
            .map(|s| (s as u64, s))
            .collect(),
        Some(keys) => {
            let mut o: Vec<(u64, usize)> = keys.iter().enumerate().map(|(s, &k)| (k, s)).collect();
            o.sort_unstable();
            o
        }
    };
    let rows = order.len();
    let first = window.start.min(rows);
    let held = &order[first..window.end.clamp(first, rows)];
    let mut key_cells = Vec::with_capacity(held.len() * cols.len());
    let mut values = Vec::with_capacity(held.len() * sums.len());
    let mut source_rows = Vec::with_capacity(held.len());
    let mut parts = vec![0u64; cols.len()];
    for &(mut key, slot) in held {
        for (p, c) in parts.iter_mut().zip(cols).rev() {
            *p = key % c.card();
            key /= c.card();
        }
        for (&p, c) in parts.iter().zip(cols) {
            key_cells.push(match *c {
                KeyCol::Year { .. } => t.year_labels[p as usize].as_str(),
                KeyCol::Dim { index, .. } => {
                    table.dims[index].dict[t.by_rank[index][p as usize] as usize].as_str()
                }
            });
        }
        values.extend(sums.iter().map(|s| s.value(slot)));
        source_rows.push(counts[slot]);
    }
    Answer {
        release: &release.manifest.id,
        dataset: t.dataset,
        keys: key_names,
        measures: measure_idx
            .iter()
            .map(|&i| table.measures[i].name.as_str())
            .collect(),
        key_cells,
        values,
        source_rows,
        first,
        rows,
        total: sums.iter().map(Sums::total).collect(),
        total_source_rows: selected as u64,
    }
}

/// Sums an integer measure over the rows `keep` accepts by a plain scan, without indexes: the
/// reference the engine is tested against.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparse_selections_are_hashed_not_dense() {
        // An empty answer, or one country in one year, over years × countries of origin.
        assert!(!use_dense(75 * 220, 0));
        assert!(!use_dense(75 * 220, 40));
        // A selection about as large as the slot table keeps the direct addressing.
        assert!(use_dense(75 * 220, 10_000));
        assert!(use_dense(200, 0));
        assert!(!use_dense(DENSE_SLOTS + 1, 10_000_000));
    }
}
