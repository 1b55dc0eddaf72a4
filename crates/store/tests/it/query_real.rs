//! The query engine on the real data, against sums computed here by a plain scan of the table.

use std::sync::OnceLock;

use passage_datasets::{Dataset, Value};
use passage_domain::{Year, YearRange};
use passage_store::{
    count_rows, run, run_window, scan_sum, Filter, Query, QueryError, Release, YearFilter,
};

use crate::fixtures::shared_data;

fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let imported =
            passage_datasets::import_dir(&shared_data(), &Default::default(), &|_| {}).unwrap();
        Release::from_import(imported)
    })
}

fn filter(parameter: &str, dim: &str, values: &[&str]) -> Filter {
    Filter {
        parameter: parameter.into(),
        dim: dim.into(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

#[test]
fn refugees_hosted_by_turkiye_by_year_match_a_scan() {
    let r = release();
    let t = r.table(Dataset::Population).unwrap();
    let coa = t.table.dim("coa_iso").unwrap();
    let tur = coa.code_of("TUR").unwrap();
    let q = Query {
        dataset: "population".into(),
        years: YearFilter::Range("2015..2025".parse::<YearRange>().unwrap()),
        filters: vec![filter("asylum", "coa_iso", &["TUR"])],
        by: vec!["year".into()],
        measures: vec!["refugees".into()],
    };
    let a = run(r, &q).unwrap();
    assert_eq!(a.len(), 11);
    for row in a.rows() {
        let y: i16 = row.keys[0].parse().unwrap();
        let expected = scan_sum(t, 0, |i| t.table.year(i) == Some(y) && coa.codes[i] == tur);
        assert_eq!(
            row.values[0],
            expected.map_or(Value::Null, Value::Int),
            "{y}"
        );
    }
    // Türkiye hosted more than 2.5 million refugees every year from 2015 to 2024, then returns to
    // Syria began after December 2024.
    assert!(a
        .rows()
        .take(10)
        .all(|r| matches!(r.values[0], Value::Int(v) if v > 2_500_000)));
    assert!(
        matches!((a.row(9).values[0], a.row(10).values[0]), (Value::Int(y24), Value::Int(y25)) if y25 < y24)
    );
}

#[test]
fn origin_and_asylum_filters_take_iso_codes_and_group_by_both() {
    let r = release();
    let q = Query {
        dataset: "population".into(),
        years: YearFilter::List(vec![Year::new(2024).unwrap()]),
        filters: vec![
            filter("origin", "coo_iso", &["syr", "AFG"]),
            filter("asylum", "coa_iso", &["DEU", "AUT"]),
        ],
        by: vec!["coo_iso".into(), "coa_iso".into()],
        measures: vec!["refugees".into(), "asylum_seekers".into()],
    };
    let a = run(r, &q).unwrap();
    let keys: Vec<_> = a.rows().map(|r| r.keys.join("→")).collect();
    assert_eq!(keys, ["AFG→AUT", "AFG→DEU", "SYR→AUT", "SYR→DEU"]);
    // UNHCR's `AUS` is Austria; as an ISO code it is Australia and is not Austria's row.
    let aus = Query {
        filters: vec![filter("asylum", "coa_iso", &["AUS"])],
        ..q.clone()
    };
    let b = run(r, &aus).unwrap();
    assert!(b.rows().all(|row| row.keys[1] == "AUS"));
    assert_ne!(b.total.as_slice(), a.row(0).values);
}

#[test]
fn a_group_with_no_reported_value_is_null_not_zero() {
    let r = release();
    // `oip` did not exist before 2022: every cell of earlier years is empty.
    let q = Query {
        dataset: "population".into(),
        by: vec!["year".into()],
        measures: vec!["oip".into()],
        ..Default::default()
    };
    let a = run(r, &q).unwrap();
    let y2000 = a.rows().find(|r| r.keys[0] == "2000").unwrap();
    assert_eq!(y2000.values[0], Value::Null);
    assert!(y2000.source_rows > 0);
    let y2024 = a.rows().find(|r| r.keys[0] == "2024").unwrap();
    assert!(matches!(y2024.values[0], Value::Int(v) if v > 0));
}

#[test]
fn errors_name_the_parameter() {
    let r = release();
    let bad = |q: Query| run(r, &q).unwrap_err();
    let base = Query {
        dataset: "population".into(),
        ..Default::default()
    };
    assert!(matches!(
        bad(Query {
            dataset: "populations".into(),
            ..base.clone()
        }),
        QueryError::UnknownDataset(..)
    ));
    let e = bad(Query {
        by: vec!["planet".into()],
        ..base.clone()
    });
    assert!(e.to_string().starts_with("parameter `by`"), "{e}");
    let e = bad(Query {
        filters: vec![filter("origin", "coo_iso", &["SY"])],
        ..base.clone()
    });
    assert!(e.to_string().starts_with("parameter `origin`"), "{e}");
    let e = bad(Query {
        measures: vec!["refugee".into()],
        ..base.clone()
    });
    assert!(e.to_string().contains("has no measure `refugee`"), "{e}");
    let e = bad(Query {
        dataset: "countries".into(),
        years: YearFilter::List(vec![Year::new(2020).unwrap()]),
        ..base
    });
    assert!(e.to_string().starts_with("parameter `year`"), "{e}");
}

#[test]
fn missing_migrants_by_region_and_cause() {
    let r = release();
    let q = Query {
        dataset: "missing_migrants".into(),
        years: YearFilter::List(vec![Year::new(2023).unwrap()]),
        filters: vec![filter("where", "region_of_incident", &["Mediterranean"])],
        by: vec!["cause_of_death".into()],
        measures: vec!["dead_and_missing".into()],
    };
    let a = run(r, &q).unwrap();
    let t = r.table(Dataset::MissingMigrants).unwrap();
    let region = t.table.dim("region_of_incident").unwrap();
    let med = region.code_of("Mediterranean").unwrap();
    let expected = scan_sum(t, 2, |i| {
        t.table.year(i) == Some(2023) && region.codes[i] == med
    });
    assert_eq!(a.total[0], expected.map_or(Value::Null, Value::Int));
    // IOM recorded over 3,000 dead and missing in the Mediterranean in 2023.
    assert!(matches!(a.total[0], Value::Int(v) if v > 3_000));
    let drowning = a.rows().find(|r| r.keys[0] == "Drowning").unwrap();
    assert!(matches!(drowning.values[0], Value::Int(v) if v > 1_000));
}

/// A grouped query whose key space is too large for direct addressing, over no rows, once
/// indexed an empty vector (issue: "a panic on ordinary input").
#[test]
fn a_grouped_query_selecting_no_rows_has_no_rows_not_a_panic() {
    let r = release();
    for (filters, years) in [
        (vec![filter("origin", "coo_iso", &["ATA"])], YearFilter::All),
        (
            vec![
                filter("origin", "coo_iso", &["HUN", "UNK"]),
                filter("asylum", "coa_iso", &["CZE", "ZAF"]),
            ],
            YearFilter::List(vec![Year::new(1974).unwrap()]),
        ),
    ] {
        let q = Query {
            dataset: "population".into(),
            years,
            filters,
            by: vec!["year".into(), "coo_iso".into(), "coa_iso".into()],
            measures: vec!["refugees".into()],
        };
        let a = run(r, &q).unwrap();
        assert_eq!(a.len(), 0);
        assert_eq!(a.total_source_rows, 0);
        assert_eq!(a.total, vec![Value::Null]);
    }
}

#[test]
fn rows_written_directly_are_the_text_of_their_json_values() {
    let r = release();
    let queries = [
        ("population", vec!["year", "coo_iso", "coa_iso"]),
        (
            "asylum_decisions",
            vec!["year", "coo", "dec_level", "dec_pc"],
        ),
        ("demographics", vec!["year", "pop_type"]),
        ("flows", vec![]),
    ];
    for (dataset, by) in queries {
        let q = Query {
            dataset: dataset.into(),
            by: by.iter().map(|b| b.to_string()).collect(),
            ..Default::default()
        };
        let a = run(r, &q).unwrap();
        assert!(!a.is_empty(), "{dataset}");
        for i in (0..a.len()).step_by(a.len() / 50 + 1) {
            let mut text = b"{".to_vec();
            a.write_row_fields(i, &mut text);
            text.push(b'}');
            assert_eq!(
                String::from_utf8(text).unwrap(),
                a.row_json(i).to_string(),
                "{dataset} row {i}"
            );
        }
    }
}

#[test]
fn rows_counted_before_running_are_the_rows_answered() {
    let r = release();
    let years = |y: &str| YearFilter::Range(y.parse::<YearRange>().unwrap());
    let cases = [
        (
            "population",
            vec!["year", "coo_iso", "coa_iso"],
            vec![],
            YearFilter::All,
        ),
        ("population", vec!["year"], vec![], years("2015..2024")),
        ("population", vec![], vec![], YearFilter::All),
        (
            "population",
            vec!["year", "coo"],
            vec![filter("origin", "coo", &["ZZZ"])],
            YearFilter::All,
        ),
        (
            "population",
            vec!["year", "coa_iso"],
            vec![filter("origin", "coo_iso", &["SYR"])],
            years("2015..2015"),
        ),
        (
            "population",
            vec![],
            vec![filter("origin", "coo_iso", &["ATA"])],
            YearFilter::All,
        ),
        (
            "asylum_decisions",
            vec!["coo", "dec_level"],
            vec![],
            years("2000..2024"),
        ),
        ("flows", vec!["year", "coo_iso"], vec![], YearFilter::All),
    ];
    for (dataset, by, filters, years) in cases {
        let q = Query {
            dataset: dataset.into(),
            years,
            filters,
            by: by.iter().map(|b| b.to_string()).collect(),
            measures: Vec::new(),
        };
        assert_eq!(
            count_rows(r, &q).unwrap(),
            run(r, &q).unwrap().len(),
            "{q:?}"
        );
    }
}

#[test]
fn a_window_holds_the_same_rows_length_and_totals_as_the_whole_answer() {
    let r = release();
    let q = Query {
        dataset: "population".into(),
        by: vec!["year".into(), "coo".into(), "coa".into()],
        ..Default::default()
    };
    let all = run(r, &q).unwrap();
    for window in [
        0..10,
        1000..3000,
        all.len() - 5..all.len() + 100,
        all.len() + 1..all.len() + 9,
    ] {
        let part = run_window(r, &q, window.clone()).unwrap();
        assert_eq!((part.len(), &part.total), (all.len(), &all.total));
        let held = part.held();
        assert_eq!(held.start, window.start.min(all.len()), "{window:?}");
        assert_eq!(held.end, window.end.min(all.len()), "{window:?}");
        for i in held {
            assert_eq!(part.row(i), all.row(i), "row {i}");
        }
    }
}

#[test]
fn codes_found_by_binary_search_are_the_dictionarys_own() {
    let r = release();
    for dataset in [Dataset::Population, Dataset::MissingMigrants] {
        let t = r.table(dataset).unwrap();
        for (i, dim) in t.table.dims.iter().enumerate() {
            for value in &dim.dict {
                assert_eq!(t.code_of(i, value), dim.code_of(value), "{}", dim.name);
            }
            for absent in ["", "zzz-not-a-value", "SYR "] {
                assert_eq!(t.code_of(i, absent), dim.code_of(absent), "{absent:?}");
            }
        }
        assert_eq!(t.code_of(t.table.dims.len(), "SYR"), None);
    }
}
