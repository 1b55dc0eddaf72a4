//! The columnar table every dataset is parsed into: a year column, dictionary-encoded text dimensions
//! and nullable numeric measures. "Not available" is a null, never a zero, all the way through.

use rustc_hash::FxHashMap;

/// The stored form of a null integer; no published count comes near it.
pub const NULL_INT: i64 = i64::MIN;

/// A dictionary-encoded text column. Code `i` stands for `dict[i]`; the empty string is a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Dim {
    /// The column's name.
    pub name: String,
    /// The code of each row.
    pub codes: Vec<u32>,
    /// The distinct values the codes stand for.
    pub dict: Vec<String>,
}

impl Dim {
    /// The value of a row.
    pub fn value(&self, row: usize) -> &str {
        &self.dict[self.codes[row] as usize]
    }

    /// A column from one value per row.
    pub fn from_values<S: AsRef<str>>(name: &str, values: &[S]) -> Dim {
        let mut map: FxHashMap<&str, u32> = FxHashMap::default();
        let mut dim = Dim {
            name: name.to_string(),
            codes: Vec::with_capacity(values.len()),
            dict: Vec::new(),
        };
        for v in values {
            let v = v.as_ref();
            let code = *map.entry(v).or_insert_with(|| {
                dim.dict.push(v.to_string());
                (dim.dict.len() - 1) as u32
            });
            dim.codes.push(code);
        }
        dim
    }

    /// The code of `value`, if it occurs in this column.
    pub fn code_of(&self, value: &str) -> Option<u32> {
        self.dict.iter().position(|d| d == value).map(|i| i as u32)
    }
}

/// A numeric column; nulls are [`NULL_INT`] or NaN.
#[derive(Debug, Clone, PartialEq)]
pub enum MeasureData {
    /// Integers; a missing value is `NULL_INT`.
    Int(Vec<i64>),
    /// Floats; a missing value is NaN.
    Float(Vec<f64>),
}

/// A numeric column of a table: a count or amount per row.
#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    /// The column's name, such as `refugees`.
    pub name: String,
    /// One value per row.
    pub data: MeasureData,
}

/// A value of a measure cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// A whole number, such as a count of people.
    Int(i64),
    /// A fractional number, such as a GDP or a rate.
    Float(f64),
    /// Not available: the source left the cell empty or marked it missing.
    Null,
}

impl Value {
    /// The value as a number, `None` when not available.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            Value::Null => None,
        }
    }

    /// True when the value is not available.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// The value as JSON: a number, or `null` for not available (and for a non-finite float).
    pub fn to_json(self) -> serde_json::Value {
        match self {
            Value::Int(i) => i.into(),
            Value::Float(f) => {
                serde_json::Number::from_f64(f).map_or(serde_json::Value::Null, Into::into)
            }
            Value::Null => serde_json::Value::Null,
        }
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(v) => write!(f, "{v}"),
            Value::Float(v) => write!(f, "{v}"),
            Value::Null => Ok(()),
        }
    }
}

impl Measure {
    /// The value of a row; `Null` for a missing one.
    pub fn value(&self, row: usize) -> Value {
        match &self.data {
            MeasureData::Int(v) if v[row] == NULL_INT => Value::Null,
            MeasureData::Int(v) => Value::Int(v[row]),
            MeasureData::Float(v) if v[row].is_nan() => Value::Null,
            MeasureData::Float(v) => Value::Float(v[row]),
        }
    }

    /// Whether the column holds integers.
    pub fn is_int(&self) -> bool {
        matches!(self.data, MeasureData::Int(_))
    }
}

/// A whole dataset of a release, in columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The dataset's name.
    pub name: String,
    /// The reference year of each row; `None` for tables without one (the country list).
    pub years: Option<Vec<i16>>,
    /// The text columns.
    pub dims: Vec<Dim>,
    /// The numeric columns.
    pub measures: Vec<Measure>,
    /// The number of rows.
    pub len: usize,
}

impl Table {
    /// The text column of that name.
    pub fn dim(&self, name: &str) -> Option<&Dim> {
        self.dims.iter().find(|d| d.name == name)
    }

    /// The numeric column of that name.
    pub fn measure(&self, name: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.name == name)
    }

    /// The reference year of a row; `None` for tables without years.
    pub fn year(&self, row: usize) -> Option<i16> {
        self.years.as_ref().map(|y| y[row])
    }

    /// Concatenates parts of one dataset (same columns, in the same order), re-coding dictionaries.
    pub fn concat(parts: Vec<Table>) -> Option<Table> {
        let mut iter = parts.into_iter();
        let mut out = iter.next()?;
        let mut maps: Vec<FxHashMap<String, u32>> = out
            .dims
            .iter()
            .map(|d| {
                d.dict
                    .iter()
                    .enumerate()
                    .map(|(i, s)| (s.clone(), i as u32))
                    .collect()
            })
            .collect();
        for part in iter {
            if let (Some(ys), Some(py)) = (out.years.as_mut(), part.years.as_ref()) {
                ys.extend_from_slice(py);
            }
            for ((dim, map), pdim) in out.dims.iter_mut().zip(maps.iter_mut()).zip(&part.dims) {
                let remap: Vec<u32> = pdim
                    .dict
                    .iter()
                    .map(|s| {
                        *map.entry(s.clone()).or_insert_with(|| {
                            dim.dict.push(s.clone());
                            (dim.dict.len() - 1) as u32
                        })
                    })
                    .collect();
                dim.codes
                    .extend(pdim.codes.iter().map(|&c| remap[c as usize]));
            }
            for (m, pm) in out.measures.iter_mut().zip(part.measures) {
                match (&mut m.data, pm.data) {
                    (MeasureData::Int(a), MeasureData::Int(b)) => a.extend(b),
                    (MeasureData::Float(a), MeasureData::Float(b)) => a.extend(b),
                    (MeasureData::Int(a), MeasureData::Float(b)) => {
                        a.extend(
                            b.iter()
                                .map(|&v| if v.is_nan() { NULL_INT } else { v as i64 }),
                        )
                    }
                    (MeasureData::Float(a), MeasureData::Int(b)) => {
                        a.extend(
                            b.iter()
                                .map(|&v| if v == NULL_INT { f64::NAN } else { v as f64 }),
                        )
                    }
                }
            }
            out.len += part.len;
        }
        Some(out)
    }

    /// Reorders rows by year, keeping the published order within a year (a stable counting sort), so
    /// that a year filter is a contiguous range and paging is year-ascending.
    pub fn sort_by_year(&mut self) {
        let Some(years) = &self.years else { return };
        if years.windows(2).all(|w| w[0] <= w[1]) {
            return;
        }
        let mut order: Vec<u32> = (0..self.len as u32).collect();
        order.sort_by_key(|&i| years[i as usize]);
        let take = |v: &Vec<u32>| order.iter().map(|&i| v[i as usize]).collect::<Vec<_>>();
        if let Some(ys) = &mut self.years {
            *ys = order.iter().map(|&i| ys[i as usize]).collect();
        }
        for d in &mut self.dims {
            d.codes = take(&d.codes);
        }
        for m in &mut self.measures {
            m.data = match &m.data {
                MeasureData::Int(v) => {
                    MeasureData::Int(order.iter().map(|&i| v[i as usize]).collect())
                }
                MeasureData::Float(v) => {
                    MeasureData::Float(order.iter().map(|&i| v[i as usize]).collect())
                }
            };
        }
    }
}

/// The kind of a measure column being built.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeasureKind {
    /// Integer values, such as counts of people.
    Int,
    /// Floating-point values, such as GDP or rates.
    Float,
}

/// Builds a [`Table`] row by row, interning dimension values.
pub struct TableBuilder {
    name: String,
    years: Option<Vec<i16>>,
    dims: Vec<(Dim, FxHashMap<String, u32>)>,
    measures: Vec<Measure>,
    len: usize,
}

impl TableBuilder {
    /// A builder of an empty table with these columns; `with_year` adds the year column.
    pub fn new(
        name: &str,
        with_year: bool,
        dims: &[&str],
        measures: &[(&str, MeasureKind)],
    ) -> Self {
        TableBuilder {
            name: name.to_string(),
            years: with_year.then(Vec::new),
            dims: dims
                .iter()
                .map(|n| {
                    let dim = Dim {
                        name: n.to_string(),
                        codes: Vec::new(),
                        dict: Vec::new(),
                    };
                    (dim, FxHashMap::default())
                })
                .collect(),
            measures: measures
                .iter()
                .map(|&(n, k)| Measure {
                    name: n.to_string(),
                    data: match k {
                        MeasureKind::Int => MeasureData::Int(Vec::new()),
                        MeasureKind::Float => MeasureData::Float(Vec::new()),
                    },
                })
                .collect(),
            len: 0,
        }
    }

    /// Sets the current row's year (ignored for a table without years).
    pub fn push_year(&mut self, year: i16) {
        if let Some(y) = &mut self.years {
            y.push(year);
        }
    }

    /// Sets the current row's value of the `i`th text column.
    pub fn push_dim(&mut self, i: usize, value: &str) {
        let (dim, map) = &mut self.dims[i];
        // Published files come in runs of one origin or one asylum country: repeat the last code
        // without hashing when the value is the same.
        if let Some(&last) = dim.codes.last() {
            if dim.dict[last as usize] == value {
                dim.codes.push(last);
                return;
            }
        }
        let code = match map.get(value) {
            Some(&c) => c,
            None => {
                let c = dim.dict.len() as u32;
                dim.dict.push(value.to_string());
                map.insert(value.to_string(), c);
                c
            }
        };
        dim.codes.push(code);
    }

    /// Sets the current row's value of the `i`th measure; `None` for a missing value.
    pub fn push_int(&mut self, i: usize, value: Option<i64>) {
        match &mut self.measures[i].data {
            MeasureData::Int(v) => v.push(value.unwrap_or(NULL_INT)),
            MeasureData::Float(v) => v.push(value.map_or(f64::NAN, |x| x as f64)),
        }
    }

    /// Sets the current row's value of the `i`th measure; `None` for a missing value.
    pub fn push_float(&mut self, i: usize, value: Option<f64>) {
        match &mut self.measures[i].data {
            MeasureData::Float(v) => v.push(value.unwrap_or(f64::NAN)),
            MeasureData::Int(v) => v.push(value.map_or(NULL_INT, |x| x as i64)),
        }
    }

    /// Closes the current row.
    pub fn end_row(&mut self) {
        self.len += 1;
    }

    /// Rows finished so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no row has been finished.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The table built.
    pub fn finish(self) -> Table {
        Table {
            name: self.name,
            years: self.years,
            dims: self.dims.into_iter().map(|(d, _)| d).collect(),
            measures: self.measures,
            len: self.len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(rows: &[(i16, &str, Option<i64>)]) -> Table {
        let mut b = TableBuilder::new("t", true, &["coo_iso"], &[("refugees", MeasureKind::Int)]);
        for &(y, c, v) in rows {
            b.push_year(y);
            b.push_dim(0, c);
            b.push_int(0, v);
            b.end_row();
        }
        b.finish()
    }

    #[test]
    fn concat_recodes_and_sort_is_stable() {
        let a = part(&[(2020, "SYR", Some(1)), (2019, "AFG", None)]);
        let b = part(&[(2019, "UKR", Some(0)), (2020, "SYR", Some(3))]);
        let mut t = Table::concat(vec![a, b]).unwrap();
        t.sort_by_year();
        let rows: Vec<_> = (0..t.len)
            .map(|i| {
                (
                    t.year(i).unwrap(),
                    t.dims[0].value(i).to_string(),
                    t.measures[0].value(i),
                )
            })
            .collect();
        assert_eq!(
            rows,
            vec![
                (2019, "AFG".into(), Value::Null),
                (2019, "UKR".into(), Value::Int(0)),
                (2020, "SYR".into(), Value::Int(1)),
                (2020, "SYR".into(), Value::Int(3)),
            ]
        );
        assert_eq!(t.dims[0].dict.len(), 3);
    }
}
