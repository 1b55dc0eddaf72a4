//! Properties of the query engine on generated tables: grouped sums add up to the ungrouped total,
//! filters commute, the index path agrees with a scan, and a year list is the union of its years.

use passage_datasets::{MeasureKind, Table, TableBuilder, Value};
use passage_domain::Year;
use passage_store::{run, Filter, Manifest, Query, Release, YearFilter};
use proptest::prelude::*;

const CODES: [&str; 5] = ["SYR", "AFG", "UKR", "TUR", "DEU"];

type Row = (i16, usize, usize, Option<i64>);

fn table(rows: &[Row]) -> Table {
    let mut b = TableBuilder::new(
        "population",
        true,
        &[
            "coo_iso",
            "coa_iso",
            "coo",
            "coa",
            "coo_name",
            "coa_name",
            "quality_flag",
        ],
        &[("refugees", MeasureKind::Int)],
    );
    for &(y, o, a, v) in rows {
        b.push_year(y);
        for (i, v) in [CODES[o], CODES[a], "", "", "", "", ""].iter().enumerate() {
            b.push_dim(i, v);
        }
        b.push_int(0, v);
        b.end_row();
    }
    let mut t = b.finish();
    t.sort_by_year();
    t
}

fn release(rows: &[Row]) -> Release {
    let manifest = Manifest {
        id: "r000000000000".parse().unwrap(),
        format_version: 1,
        created_at: String::new(),
        sources: Vec::new(),
        tables: Vec::new(),
        skipped: Vec::new(),
    };
    Release::from_tables(manifest, vec![table(rows)])
}

fn rows() -> impl Strategy<Value = Vec<Row>> {
    proptest::collection::vec(
        (
            2015i16..2020,
            0usize..5,
            0usize..5,
            proptest::option::weighted(0.8, 0i64..1_000_000),
        ),
        0..120,
    )
}

fn total(r: &Release, q: &Query) -> Value {
    run(r, q).unwrap().total[0]
}

fn add(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(x + y),
        (Value::Null, v) | (v, Value::Null) => v,
        _ => unreachable!(),
    }
}

fn f(parameter: &str, dim: &str, values: &[usize]) -> Filter {
    Filter {
        parameter: parameter.into(),
        dim: dim.into(),
        values: values.iter().map(|&i| CODES[i].to_string()).collect(),
    }
}

proptest! {
    #[test]
    fn grouped_sums_equal_the_ungrouped_sum(rows in rows(), by in proptest::sample::subsequence(vec!["year", "coo_iso", "coa_iso"], 0..=3)) {
        let r = release(&rows);
        let q = Query { dataset: "population".into(), by: by.iter().map(|s| s.to_string()).collect(), ..Default::default() };
        let a = run(&r, &q).unwrap();
        let summed = a.rows().fold(Value::Null, |acc, row| add(acc, row.values[0]));
        prop_assert_eq!(summed, a.total[0]);
        prop_assert_eq!(a.total_source_rows as usize, rows.len());
        prop_assert_eq!(a.rows().map(|r| r.source_rows).sum::<u64>() as usize, rows.len());
        let mut sorted: Vec<Vec<&str>> = a.rows().map(|r| r.keys.to_vec()).collect();
        // Four-digit years and codes: lexicographic order is the output order.
        sorted.sort();
        prop_assert_eq!(sorted, a.rows().map(|r| r.keys.to_vec()).collect::<Vec<_>>(), "rows come in key order");
        let ungrouped = total(&r, &Query { dataset: "population".into(), ..Default::default() });
        prop_assert_eq!(ungrouped, a.total[0]);
        let expected = rows.iter().filter_map(|r| r.3).fold(None, |acc: Option<i64>, v| Some(acc.unwrap_or(0) + v));
        prop_assert_eq!(ungrouped, expected.map_or(Value::Null, Value::Int));
    }

    #[test]
    fn filters_commute_and_agree_with_a_scan(rows in rows(), origins in proptest::sample::subsequence(vec![0usize, 1, 2, 3, 4], 1..=3), asylums in proptest::sample::subsequence(vec![0usize, 1, 2, 3, 4], 1..=3)) {
        let r = release(&rows);
        let (fo, fa) = (f("origin", "coo_iso", &origins), f("asylum", "coa_iso", &asylums));
        let q1 = Query { dataset: "population".into(), filters: vec![fo.clone(), fa.clone()], ..Default::default() };
        let q2 = Query { filters: vec![fa, fo], ..q1.clone() };
        let expected = rows
            .iter()
            .filter(|r| origins.contains(&r.1) && asylums.contains(&r.2))
            .filter_map(|r| r.3)
            .fold(None, |acc: Option<i64>, v| Some(acc.unwrap_or(0) + v));
        prop_assert_eq!(total(&r, &q1), total(&r, &q2));
        prop_assert_eq!(total(&r, &q1), expected.map_or(Value::Null, Value::Int));
    }

    #[test]
    fn a_year_list_is_the_union_of_its_years(rows in rows(), years in proptest::sample::subsequence(vec![2015i16, 2016, 2017, 2018, 2019], 1..=5), origin in 0usize..5) {
        let r = release(&rows);
        let ys = |list: &[i16]| YearFilter::List(list.iter().map(|&y| Year::new(i32::from(y)).unwrap()).collect());
        let base = Query { dataset: "population".into(), filters: vec![f("origin", "coo_iso", &[origin])], ..Default::default() };
        let together = total(&r, &Query { years: ys(&years), ..base.clone() });
        let apart = years.iter().fold(Value::Null, |acc, &y| add(acc, total(&r, &Query { years: ys(&[y]), ..base.clone() })));
        prop_assert_eq!(together, apart);
    }
}
