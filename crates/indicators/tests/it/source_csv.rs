//! Reading the published files directly, for expected values that share no code with the engine.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::OnceLock;

use passage_store::Release;

pub fn shared_data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

/// The real data imported once, as a release in memory.
pub fn release() -> &'static Release {
    static RELEASE: OnceLock<Release> = OnceLock::new();
    RELEASE.get_or_init(|| {
        let imported =
            passage_datasets::import_dir(&shared_data(), &Default::default(), &|_| {}).unwrap();
        Release::from_import(imported)
    })
}

/// A file's rows as maps from column name to cell.
pub fn rows(file: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(shared_data().join(file)).unwrap();
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            headers
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// A cell as a number; empty is none.
pub fn num(row: &HashMap<String, String>, column: &str) -> Option<f64> {
    let cell = row[column].trim();
    (!cell.is_empty()).then(|| cell.parse::<f64>().unwrap())
}

/// The sum of `columns` over rows that `keep` accepts, empty cells skipped.
pub fn sum(
    rows: &[HashMap<String, String>],
    columns: &[&str],
    keep: impl Fn(&HashMap<String, String>) -> bool,
) -> f64 {
    rows.iter()
        .filter(|r| keep(r))
        .flat_map(|r| columns.iter().filter_map(move |c| num(r, c)))
        .sum()
}
