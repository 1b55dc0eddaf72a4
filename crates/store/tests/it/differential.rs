//! Differential testing of the query engine: random queries over every dataset of the real data,
//! each answered by the engine and by a plain scan written here (no index, no rollup, no packed
//! keys), which must agree on every group, value, source-row count and total. Most queries run on
//! an every-k-th-row sample of each table, so that 100,000 of them fit in a CI run; a smaller
//! number run on the whole tables.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use passage_datasets::{Dim, Measure, MeasureData, Table, Value, NULL_INT};
use passage_domain::{Year, YearRange};
use passage_store::{run, Filter, Query, Release, YearFilter};

use crate::fixtures::shared_data;

/// SplitMix64: a deterministic generator, so a failure names a seed that reproduces it.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

fn full() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let imported =
            passage_datasets::import_dir(&shared_data(), &Default::default(), &|_| {}).unwrap();
        Release::from_import(imported)
    })
}

/// Every `step`-th row of a table (rows stay sorted by year, as the engine expects).
fn sample(t: &Table, step: usize) -> Table {
    let rows: Vec<usize> = (0..t.len).step_by(step.max(1)).collect();
    Table {
        name: t.name.clone(),
        years: t
            .years
            .as_ref()
            .map(|y| rows.iter().map(|&r| y[r]).collect()),
        dims: t
            .dims
            .iter()
            .map(|d| {
                let values: Vec<&str> = rows.iter().map(|&r| d.value(r)).collect();
                Dim::from_values(&d.name, &values)
            })
            .collect(),
        measures: t
            .measures
            .iter()
            .map(|m| Measure {
                name: m.name.clone(),
                data: match &m.data {
                    MeasureData::Int(v) => MeasureData::Int(rows.iter().map(|&r| v[r]).collect()),
                    MeasureData::Float(v) => {
                        MeasureData::Float(rows.iter().map(|&r| v[r]).collect())
                    }
                },
            })
            .collect(),
        len: rows.len(),
    }
}

fn sampled() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let r = full();
        let tables = r
            .tables()
            .map(|t| sample(&t.table, (t.table.len / 1500).max(1)))
            .collect();
        Release::from_tables(r.manifest.clone(), tables)
    })
}

/// Values a filter may ask for: mostly values present in the column, sometimes absent ones (an
/// ISO code with no rows, a code of no system, an empty string).
fn filter_values(rng: &mut Rng, dim: &Dim, country: bool) -> Vec<String> {
    let n = 1 + rng.below(3);
    (0..n)
        .map(|_| {
            if rng.chance(12) {
                let absent = if country {
                    ["ATA", "ZZZ", "BVT", "Q1Z"]
                } else {
                    ["", "no-such-value", "ZZZ", "P"]
                };
                absent[rng.below(absent.len())].to_string()
            } else {
                dim.dict[rng.below(dim.dict.len())].clone()
            }
        })
        .collect()
}

fn random_query(rng: &mut Rng, release: &Release) -> Query {
    let tables: Vec<_> = release.tables().collect();
    let t = tables[rng.below(tables.len())];
    let table = &t.table;
    let years: Vec<i16> = t.years().collect();
    let year = |rng: &mut Rng| -> Year {
        let y = if years.is_empty() || rng.chance(10) {
            1940 + rng.below(100) as i32
        } else {
            i32::from(years[rng.below(years.len())])
        };
        Year::new(y).unwrap()
    };
    let year_filter = if table.years.is_none() {
        YearFilter::All
    } else {
        match rng.below(4) {
            0 => YearFilter::All,
            1 => YearFilter::List(vec![year(rng)]),
            2 => YearFilter::List((0..1 + rng.below(4)).map(|_| year(rng)).collect()),
            _ => {
                let (a, b) = (year(rng), year(rng));
                let (first, last) = if a <= b { (a, b) } else { (b, a) };
                YearFilter::Range(YearRange { first, last })
            }
        }
    };
    let mut filters = Vec::new();
    for d in &table.dims {
        if d.dict.is_empty() || !rng.chance(20) {
            continue;
        }
        let country = matches!(d.name.as_str(), "coo_iso" | "coa_iso" | "iso3");
        filters.push(Filter {
            parameter: d.name.clone(),
            dim: d.name.clone(),
            values: filter_values(rng, d, country),
        });
    }
    let mut groupable: Vec<String> = table.dims.iter().map(|d| d.name.clone()).collect();
    if table.years.is_some() {
        groupable.push("year".into());
    }
    let arity = rng.below(groupable.len().min(4) + 1);
    let mut by = Vec::new();
    for _ in 0..arity {
        let g = groupable.remove(rng.below(groupable.len()));
        by.push(g);
    }
    let measures = if rng.chance(30) {
        Vec::new()
    } else {
        table
            .measures
            .iter()
            .filter(|_| rng.chance(50))
            .map(|m| m.name.clone())
            .collect()
    };
    Query {
        dataset: t.dataset.name().into(),
        years: year_filter,
        filters,
        by,
        measures,
    }
}

/// A measure's sum as the scan keeps it: integers exactly, floats as floats, `None` when no row
/// of the group reported a value.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Sum {
    Int(i128),
    Float(f64),
}

type Groups = BTreeMap<Vec<String>, (Vec<Option<Sum>>, u64)>;

/// The oracle: every row of the table, kept or not by reading its cells as text.
fn scan(release: &Release, q: &Query) -> (Groups, Vec<Option<Sum>>, u64) {
    let t = release
        .tables()
        .find(|t| t.dataset.name() == q.dataset)
        .unwrap();
    let table = &t.table;
    let measures: Vec<&Measure> = if q.measures.is_empty() {
        table.measures.iter().collect()
    } else {
        q.measures
            .iter()
            .map(|m| table.measure(m).unwrap())
            .collect()
    };
    let year_ok = |y: i16| match &q.years {
        YearFilter::All => true,
        YearFilter::List(list) => list.iter().any(|l| l.get() == i32::from(y)),
        YearFilter::Range(r) => (r.first.get()..=r.last.get()).contains(&i32::from(y)),
    };
    let add = |acc: &mut Option<Sum>, m: &Measure, row: usize| match (&m.data, *acc) {
        (MeasureData::Int(v), _) if v[row] == NULL_INT => {}
        (MeasureData::Int(v), None) => *acc = Some(Sum::Int(i128::from(v[row]))),
        (MeasureData::Int(v), Some(Sum::Int(s))) => *acc = Some(Sum::Int(s + i128::from(v[row]))),
        (MeasureData::Float(v), _) if v[row].is_nan() => {}
        (MeasureData::Float(v), None) => *acc = Some(Sum::Float(v[row])),
        (MeasureData::Float(v), Some(Sum::Float(s))) => *acc = Some(Sum::Float(s + v[row])),
        _ => unreachable!("a column is integers or floats throughout"),
    };
    let mut groups = Groups::new();
    let mut total = vec![None; measures.len()];
    let mut selected = 0u64;
    for row in 0..table.len {
        if let Some(y) = table.year(row) {
            if !year_ok(y) {
                continue;
            }
        }
        let keep = q.filters.iter().all(|f| {
            let d = table.dim(&f.dim).unwrap();
            f.values.iter().any(|v| v == d.value(row))
        });
        if !keep {
            continue;
        }
        selected += 1;
        let key: Vec<String> =
            q.by.iter()
                .map(|b| match b.as_str() {
                    "year" => table.year(row).unwrap().to_string(),
                    dim => table.dim(dim).unwrap().value(row).to_string(),
                })
                .collect();
        let entry = groups
            .entry(key)
            .or_insert_with(|| (vec![None; measures.len()], 0));
        entry.1 += 1;
        for (i, m) in measures.iter().enumerate() {
            add(&mut entry.0[i], m, row);
            add(&mut total[i], m, row);
        }
    }
    (groups, total, selected)
}

fn agrees(engine: Value, oracle: Option<Sum>) -> bool {
    match (engine, oracle) {
        (Value::Null, None) => true,
        (Value::Int(a), Some(Sum::Int(b))) => i128::from(a) == b,
        (Value::Float(a), Some(Sum::Float(b))) => (a - b).abs() <= 1e-9 * b.abs().max(1.0),
        _ => false,
    }
}

/// Runs `n` random queries from `seed` against `release`, failing on the first disagreement.
fn differential(release: &Release, seed: u64, n: usize) -> (usize, usize) {
    let mut rng = Rng(seed);
    let (mut empty, mut grouped_rows) = (0, 0);
    for i in 0..n {
        let q = random_query(&mut rng, release);
        let a = run(release, &q).unwrap_or_else(|e| panic!("query {i} (seed {seed}): {q:?}: {e}"));
        let (groups, total, selected) = scan(release, &q);
        let ctx = || format!("query {i} (seed {seed}): {q:?}");
        assert_eq!(a.total_source_rows, selected, "{}", ctx());
        for (k, (v, o)) in a.total.iter().zip(&total).enumerate() {
            assert!(
                agrees(*v, *o),
                "{}: total of {}: {v:?} vs {o:?}",
                ctx(),
                a.measures[k]
            );
        }
        if q.by.is_empty() {
            // A total over an empty selection is one row of not-available values; otherwise one row.
            assert!(a.len() <= 1, "{}", ctx());
        } else {
            assert_eq!(a.len(), groups.len(), "{}: groups", ctx());
        }
        if selected == 0 {
            empty += 1;
        }
        grouped_rows += a.len();
        for row in a.rows() {
            if q.by.is_empty() {
                assert_eq!(row.source_rows, selected, "{}", ctx());
                continue;
            }
            let key: Vec<String> = row.keys.iter().map(|k| k.to_string()).collect();
            let (sums, count) = groups.get(&key).unwrap_or_else(|| {
                panic!("{}: engine has a group {key:?} the scan has not", ctx())
            });
            assert_eq!(row.source_rows, *count, "{}: rows of {key:?}", ctx());
            for (k, (v, o)) in row.values.iter().zip(sums).enumerate() {
                assert!(
                    agrees(*v, *o),
                    "{}: {key:?} {}: {v:?} vs {o:?}",
                    ctx(),
                    a.measures[k]
                );
            }
        }
    }
    (empty, grouped_rows)
}

#[test]
fn the_engine_agrees_with_a_plain_scan_on_100000_random_queries_over_samples() {
    let (empty, rows) = differential(sampled(), 0x5eed_0001, 100_000);
    // The generator must reach empty selections and grouped answers, or it tests little.
    assert!(empty > 1_000, "only {empty} empty selections");
    assert!(rows > 100_000, "only {rows} answer rows");
}

#[test]
fn the_engine_agrees_with_a_plain_scan_on_whole_tables() {
    let (empty, _) = differential(full(), 0x5eed_0002, 1_500);
    assert!(empty > 10, "only {empty} empty selections");
}
