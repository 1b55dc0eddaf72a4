//! The columnar table every dataset is parsed into: a year column, dictionary-encoded text dimensions
//! and nullable numeric measures. "Not available" is a null, never a zero, all the way through.

use rustc_hash::FxHashMap;

/// The stored form of a null integer; no published count comes near it.
pub const NULL_INT: i64 = i64::MIN;

/// A dictionary-encoded text column. Code `i` stands for `dict[i]`; the empty string is a value.
#[derive(Debug, Clone, PartialEq)]
pub struct Dim {
    pub name: String,
    pub codes: Vec<u32>,
    pub dict: Vec<String>,
}

impl Dim {
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
    Int(Vec<i64>),
    Float(Vec<f64>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Measure {
    pub name: String,
    pub data: MeasureData,
}

/// A value of a measure cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Int(i64),
    Float(f64),
    Null,
}

impl Value {
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
    pub fn value(&self, row: usize) -> Value {
        match &self.data {
            MeasureData::Int(v) if v[row] == NULL_INT => Value::Null,
            MeasureData::Int(v) => Value::Int(v[row]),
            MeasureData::Float(v) if v[row].is_nan() => Value::Null,
            MeasureData::Float(v) => Value::Float(v[row]),
        }
    }

    pub fn is_int(&self) -> bool {
        matches!(self.data, MeasureData::Int(_))
    }
}

/// A whole dataset of a release, in columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub name: String,
    /// The reference year of each row; `None` for tables without one (the country list).
    pub years: Option<Vec<i16>>,
    pub dims: Vec<Dim>,
    pub measures: Vec<Measure>,
    pub len: usize,
}

impl Table {
    pub fn dim(&self, name: &str) -> Option<&Dim> {
        self.dims.iter().find(|d| d.name == name)
    }

    pub fn measure(&self, name: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.name == name)
    }

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
    Int,
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

    pub fn push_year(&mut self, year: i16) {
        if let Some(y) = &mut self.years {
            y.push(year);
        }
    }

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

    pub fn push_int(&mut self, i: usize, value: Option<i64>) {
        match &mut self.measures[i].data {
            MeasureData::Int(v) => v.push(value.unwrap_or(NULL_INT)),
            MeasureData::Float(v) => v.push(value.map_or(f64::NAN, |x| x as f64)),
        }
    }

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

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

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
