//! Property tests of the parsers: generated UNHCR rows written as CSV (with quoting where a name
//! needs it, empty cells and zeros) read back to exactly the values written.

use passage_datasets::formats::unhcr_csv;
use passage_datasets::{Dataset, Findings, Value};
use proptest::prelude::*;

/// A name as people write them: letters, spaces, commas, quotes, accents.
fn name() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[A-Za-zéü ,\"().'-]{1,24}")
        .unwrap()
        .prop_map(|s| s.trim().to_string())
}

fn code() -> impl Strategy<Value = String> {
    proptest::sample::select(vec!["SYR", "AFG", "UKR", "TUR", "DEU", "AUT"])
        .prop_map(str::to_string)
}

fn quote(s: &str) -> String {
    if s.contains([',', '"']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

type Row = (i16, String, String, String, Vec<Option<i64>>);

fn rows() -> impl Strategy<Value = Vec<Row>> {
    let measures = proptest::collection::vec(proptest::option::of(0i64..10_000_000), 9);
    proptest::collection::vec((1951i16..2026, name(), code(), code(), measures), 1..40)
}

proptest! {
    #[test]
    fn written_rows_read_back_unchanged(rows in rows()) {
        let mut csv = unhcr_csv::header(Dataset::Population).join(",") + "\n";
        for (year, coo_name, coo, coa, m) in &rows {
            let cells: Vec<String> = m.iter().map(|v| v.map_or(String::new(), |v| v.to_string())).collect();
            csv += &format!("{year},{},{coo},{coo},Host,{coa},{coa},{}\n", quote(coo_name), cells.join(","));
        }
        let mut findings = Findings::default();
        let t = unhcr_csv::load("gen.csv", csv.as_bytes(), Dataset::Population, &mut findings).unwrap();
        prop_assert_eq!(t.len, rows.len());
        for (i, (year, coo_name, coo, coa, m)) in rows.iter().enumerate() {
            prop_assert_eq!(t.year(i), Some(*year));
            prop_assert_eq!(t.dim("coo_name").unwrap().value(i), coo_name.as_str());
            prop_assert_eq!(t.dim("coo_iso").unwrap().value(i), coo.as_str());
            prop_assert_eq!(t.dim("coa").unwrap().value(i), coa.as_str());
            for (j, v) in m.iter().enumerate() {
                prop_assert_eq!(t.measures[j].value(i), v.map_or(Value::Null, Value::Int));
            }
        }
        prop_assert!(findings.is_empty());
    }

    #[test]
    fn any_bytes_give_a_table_or_an_error_never_a_panic(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let mut data = unhcr_csv::header(Dataset::Population).join(",").into_bytes();
        data.push(b'\n');
        data.extend(body);
        let _ = unhcr_csv::load("fuzz.csv", &data, Dataset::Population, &mut Findings::default());
    }
}
