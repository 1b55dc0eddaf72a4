//! The shape every parsed table must have, whatever the input: the dataset's columns in schema
//! order, one value per row in each, dictionary codes in range and each dictionary value once.

use std::collections::HashSet;

use passage_datasets::{Dataset, MeasureData, Table};

/// Panics if `table` is not a well-formed table of `dataset`.
pub fn assert_whole(table: &Table, dataset: Dataset) {
    let schema = dataset.schema();
    assert_eq!(table.name, dataset.name(), "table name");
    let dims: Vec<&str> = table.dims.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(dims, schema.dims, "dimensions of {}", dataset.name());
    let measures: Vec<&str> = table.measures.iter().map(|m| m.name.as_str()).collect();
    let expected: Vec<&str> = schema.measures.iter().map(|m| m.0).collect();
    assert_eq!(measures, expected, "measures of {}", dataset.name());
    match &table.years {
        Some(years) => {
            assert!(schema.year, "{} has no year column", dataset.name());
            assert_eq!(years.len(), table.len, "years");
            assert!(
                years.iter().all(|y| (1900..=2100).contains(y)),
                "a year out of range"
            );
        }
        None => assert!(!schema.year, "{} lacks its year column", dataset.name()),
    }
    for dim in &table.dims {
        assert_eq!(dim.codes.len(), table.len, "rows of `{}`", dim.name);
        assert!(
            dim.codes.iter().all(|&c| (c as usize) < dim.dict.len()),
            "a code of `{}` outside its dictionary",
            dim.name
        );
        let distinct: HashSet<&str> = dim.dict.iter().map(String::as_str).collect();
        assert_eq!(
            distinct.len(),
            dim.dict.len(),
            "`{}` repeats a dictionary value",
            dim.name
        );
    }
    for m in &table.measures {
        let len = match &m.data {
            MeasureData::Int(v) => v.len(),
            MeasureData::Float(v) => v.len(),
        };
        assert_eq!(len, table.len, "rows of `{}`", m.name);
        if let MeasureData::Float(v) = &m.data {
            assert!(
                v.iter().all(|x| x.is_nan() || x.is_finite()),
                "an infinite value in `{}`",
                m.name
            );
        }
    }
}
