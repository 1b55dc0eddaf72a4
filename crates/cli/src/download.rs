//! Fetching the official sources for `passage sync` without `--from`: UNHCR's population API paged
//! through in full (`coo_all`, `coa_all`, 10,000 rows a page) and the providers' published CSV
//! addresses, into a dated folder of the data directory that the import then reads. `curl` does the
//! transfer, so no TLS stack is compiled into Passage.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::Result;

use crate::UserError;

const UNHCR_API: &str = "https://api.unhcr.org/population/v1";
const UNHCR_ENDPOINTS: [&str; 7] = [
    "population",
    "asylum-applications",
    "asylum-decisions",
    "demographics",
    "solutions",
    "idmc",
    "unrwa",
];
const PAGE_LIMIT: u32 = 10_000;

/// Sources published as plain CSV at a stable address.
const CSV_SOURCES: [(&str, &str, &str); 1] = [(
    "IOM Missing Migrants Project",
    "https://missingmigrants.iom.int/sites/g/files/tmzbdl601/files/report-migrant-incident/Missing_Migrants_Global_Figures_allData.csv",
    "iom/missing_migrants_all_data.csv",
)];

/// Sources whose publishers offer no machine-readable address that Passage parses: supplied by hand.
const MANUAL_SOURCES: [&str; 4] = [
    "UN DESA International Migrant Stock 2024 (published as Excel workbooks)",
    "World Bank population and GDP (bulk CSV inside ZIP archives)",
    "UN WPP 2024 population (published as Excel and zipped CSV)",
    "IDMC GIDD (export behind the GIDD interface)",
];

fn fetch(url: &str, target: &Path) -> std::result::Result<(), String> {
    if let Some(parent) = target.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    let out = Command::new("curl")
        .args([
            "--fail",
            "--silent",
            "--show-error",
            "--location",
            "--max-time",
            "120",
            "--output",
        ])
        .arg(target)
        .arg(url)
        .output()
        .map_err(|e| format!("cannot run curl: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Pages through one endpoint of UNHCR's API at `base`; returns the number of pages saved.
fn fetch_unhcr(base: &str, endpoint: &str, dir: &Path) -> std::result::Result<u32, String> {
    let mut page = 1;
    loop {
        // Demographics are summed over population types and locations unless these are asked.
        let split = if endpoint == "demographics" {
            "&ptype_show=1&locationDescription_show=1&locationUR_show=1&locationAccType_show=1"
        } else {
            ""
        };
        let url = format!("{base}/{endpoint}/?limit={PAGE_LIMIT}&page={page}&coo_all=true&coa_all=true&yearFrom=1951&yearTo=2100{split}");
        let target = dir
            .join("unhcr")
            .join(format!("{endpoint}-page-{page}.json"));
        fetch(&url, &target)?;
        let text = std::fs::read_to_string(&target).map_err(|e| e.to_string())?;
        let doc: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("page {page}: {e}"))?;
        let max = doc
            .get("maxPages")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        if u64::from(page) >= max {
            return Ok(page);
        }
        page += 1;
    }
}

/// Whether `from` is the address of a population API v1 (UNHCR's, or another Passage's
/// compatible one), such as `http://HOST:8080/population/v1`.
pub fn is_unhcr_api(from: &str) -> bool {
    (from.starts_with("http://") || from.starts_with("https://"))
        && from.trim_end_matches('/').ends_with("/population/v1")
}

/// Pages through the seven tables of the population API v1 at `base` as UNHCR's own package
/// does (10,000 rows a page, every origin and asylum), into `data_dir/downloads/<time>`; all
/// of them or an error naming each that failed.
pub fn download_unhcr_api(base: &str, data_dir: &Path) -> Result<PathBuf> {
    let base = base.trim_end_matches('/');
    let stamp = passage_datasets::rfc3339(std::time::SystemTime::now()).replace(':', "");
    let dir = data_dir.join("downloads").join(stamp);
    let failures: Vec<String> = UNHCR_ENDPOINTS
        .iter()
        .filter_map(|endpoint| {
            fetch_unhcr(base, endpoint, &dir)
                .err()
                .map(|e| format!("{base}/{endpoint}/: {e}"))
        })
        .collect();
    if failures.is_empty() {
        return Ok(dir);
    }
    // Nothing of a partial download is imported: the next attempt starts again.
    let _ = std::fs::remove_dir_all(&dir);
    Err(UserError(format!(
        "could not page through the population API:\n  - {}",
        failures.join("\n  - ")
    ))
    .into())
}

/// Downloads every source it can into `data_dir/downloads/<time>`; fails naming each source that
/// could not be fetched.
pub fn download_all(data_dir: &Path) -> Result<PathBuf> {
    let stamp = passage_datasets::rfc3339(std::time::SystemTime::now()).replace(':', "");
    let dir = data_dir.join("downloads").join(stamp);
    let mut failures = Vec::new();
    for endpoint in UNHCR_ENDPOINTS {
        if let Err(e) = fetch_unhcr(UNHCR_API, endpoint, &dir) {
            failures.push(format!(
                "UNHCR population API /{endpoint}/ ({UNHCR_API}): {e}"
            ));
        }
    }
    for (name, url, file) in CSV_SOURCES {
        if let Err(e) = fetch(url, &dir.join(file)) {
            failures.push(format!("{name} ({url}): {e}"));
        }
    }
    if failures.is_empty() {
        errln!(
            "downloaded UNHCR and IOM sources into {}; these must be added by hand with --from: {}",
            dir.display(),
            MANUAL_SOURCES.join("; ")
        );
        return Ok(dir);
    }
    let mut message = String::from("could not download the official sources:\n");
    for f in &failures {
        message.push_str(&format!("  - {f}\n"));
    }
    for m in MANUAL_SOURCES {
        message.push_str(&format!("  - {m}: no download address Passage can read\n"));
    }
    message.push_str(
        "If this machine is offline, import files you already have: passage sync --from DIR",
    );
    Err(UserError(message).into())
}
