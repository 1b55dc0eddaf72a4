//! Recognising a source file: its published format and the dataset(s) it feeds, from its header first
//! and its file name second, so that a damaged file of a known name is refused rather than skipped;
//! and recognising a folder that is a Passage data package, which is read whole, not file by file.

use std::path::{Path, PathBuf};

use crate::formats::world_bank::Indicator;
use crate::formats::{
    compact_text, countries, datapackage, idmc, migrant_stock, missing_migrants, recorded_votes,
    unhcr_csv, unhcr_download, unhcr_json, wdi_wpp, world_bank,
};
use crate::{Dataset, Provider};

/// A published format, with the dataset it holds where the format alone does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceFormat {
    /// UNHCR's CSV with the API's field names, of one dataset.
    UnhcrCsv(Dataset),
    /// UNHCR's country list.
    UnhcrCountries,
    /// UNHCR's download (preamble, then human-labelled columns), of one dataset.
    UnhcrDownload(Dataset),
    /// UNHCR's population API v1 JSON (one page or an array of pages), of one dataset.
    UnhcrApiJson(Dataset),
    /// IOM's Missing Migrants CSV.
    MissingMigrants,
    /// UN DESA's migrant stock in long form (gdidata).
    MigrantStock,
    /// A World Bank indicator CSV, of one indicator.
    WorldBank(Indicator),
    /// The gdidata long indicator file (WPP population, WDI indicators).
    WdiWpp,
    /// IDMC's GIDD country-year file.
    IdmcGidd,
    /// IDMC's new displacements by cause, in long form.
    IdmcCauses,
    /// A resource of a data package that Passage exported, of one dataset.
    PassagePackage(Dataset),
    /// A General Assembly recorded vote, long CSV (UN Digital Library).
    RecordedVote,
    /// A compact's text in the objective/action Markdown layout.
    CompactText,
}

impl SourceFormat {
    /// The format's name in reports, such as `UNHCR CSV (population)`.
    pub fn label(self) -> String {
        match self {
            SourceFormat::UnhcrCsv(d) => format!("UNHCR CSV ({})", d.name()),
            SourceFormat::UnhcrCountries => "UNHCR country list".into(),
            SourceFormat::UnhcrDownload(d) => format!("UNHCR download ({})", d.name()),
            SourceFormat::UnhcrApiJson(d) => format!("UNHCR population API v1 JSON ({})", d.name()),
            SourceFormat::MissingMigrants => "IOM Missing Migrants CSV".into(),
            SourceFormat::MigrantStock => "UN DESA migrant stock (long)".into(),
            SourceFormat::WorldBank(Indicator::Population) => {
                "World Bank indicator CSV (SP.POP.TOTL)".into()
            }
            SourceFormat::WorldBank(Indicator::Gdp) => {
                "World Bank indicator CSV (NY.GDP.MKTP.CD)".into()
            }
            SourceFormat::WdiWpp => "WPP/WDI long indicators (gdidata)".into(),
            SourceFormat::IdmcGidd => "IDMC GIDD country-year".into(),
            SourceFormat::IdmcCauses => "IDMC new displacements by cause".into(),
            SourceFormat::PassagePackage(d) => format!("Passage data package ({})", d.name()),
            SourceFormat::RecordedVote => "UN Digital Library recorded vote (long CSV)".into(),
            SourceFormat::CompactText => "Compact text, objectives and actions (Markdown)".into(),
        }
    }

    /// The datasets this source feeds.
    pub fn datasets(self) -> Vec<Dataset> {
        match self {
            SourceFormat::UnhcrCsv(d)
            | SourceFormat::UnhcrDownload(d)
            | SourceFormat::UnhcrApiJson(d)
            | SourceFormat::PassagePackage(d) => vec![d],
            SourceFormat::UnhcrCountries => vec![Dataset::Countries],
            SourceFormat::MissingMigrants => vec![Dataset::MissingMigrants],
            SourceFormat::MigrantStock => vec![Dataset::MigrantStock],
            SourceFormat::WorldBank(Indicator::Population) => {
                vec![Dataset::WbPopulation, Dataset::WbPopulationAggregates]
            }
            SourceFormat::WorldBank(Indicator::Gdp) => {
                vec![Dataset::WbGdp, Dataset::WbGdpAggregates]
            }
            SourceFormat::WdiWpp => vec![Dataset::WdiWpp],
            SourceFormat::IdmcGidd => vec![Dataset::IdmcGidd],
            SourceFormat::IdmcCauses => vec![Dataset::IdmcNewDisplacements],
            SourceFormat::RecordedVote => vec![Dataset::RecordedVotes],
            SourceFormat::CompactText => vec![Dataset::CompactText],
        }
    }

    /// Who publishes the format's data.
    pub fn provider(self) -> Provider {
        self.datasets()[0].provider()
    }
}

fn first_line(data: &[u8]) -> String {
    let data = data.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(data);
    let end = data
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(data.len())
        .min(4096);
    String::from_utf8_lossy(&data[..end])
        .trim_end_matches('\r')
        .to_string()
}

fn stem(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().to_ascii_lowercase().replace('-', "_"))
        .unwrap_or_default()
}

/// The UNHCR dataset a file name stands for: `population.csv`, `asylum-applications.json`,
/// `population_page_3.json`.
fn unhcr_dataset_of(stem: &str) -> Option<Dataset> {
    let unhcr = || Dataset::ALL.into_iter().filter(|d| d.is_unhcr_table());
    unhcr()
        .find(|d| d.name() == stem)
        .or_else(|| unhcr().find(|d| stem.starts_with(&format!("{}_", d.name()))))
}

/// The descriptor of the data package at `path`: `path` itself when it is a `datapackage.json`,
/// else `path/datapackage.json` when that exists. Such a folder is imported as a package (and
/// refused if Passage did not write it), never as loose files: its CSVs are in the store's columns,
/// not in any provider's.
pub fn detect_package(path: &Path) -> Option<PathBuf> {
    if path
        .file_name()
        .is_some_and(|n| n == datapackage::DESCRIPTOR)
        && path.is_file()
    {
        return Some(path.to_path_buf());
    }
    let inside = path.join(datapackage::DESCRIPTOR);
    inside.is_file().then_some(inside)
}

/// Recognises `path` with contents `data`, or `None` for a file that is not a source. A package's
/// resources are not recognised here: their format is known from the package's descriptor.
pub fn detect(path: &Path, data: &[u8]) -> Option<SourceFormat> {
    let stem = stem(path);
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if ext == "json" {
        return unhcr_json::looks_like_pages(data)
            .then(|| unhcr_dataset_of(&stem).map(SourceFormat::UnhcrApiJson))
            .flatten();
    }
    if ext == "md" {
        // By name too, so a damaged text is refused rather than skipped like a README.
        return (compact_text::looks_like(data) || stem.ends_with("objectives_actions"))
            .then_some(SourceFormat::CompactText);
    }
    if ext != "csv" {
        return None;
    }
    let header = first_line(data);
    let starts = |cols: &[&str]| header.starts_with(&cols.join(","));
    if starts(&unhcr_csv::IDENTITY_HEADER) {
        let by_header = Dataset::ALL
            .into_iter()
            .filter(|d| d.is_unhcr_table() && unhcr_csv::header(*d).join(",") == header)
            .collect::<Vec<_>>();
        return match (unhcr_dataset_of(&stem), by_header.as_slice()) {
            (Some(d), _) => Some(SourceFormat::UnhcrCsv(d)),
            (None, [d]) => Some(SourceFormat::UnhcrCsv(*d)),
            _ => None,
        };
    }
    let by_header = if starts(&countries::HEADER[..3]) {
        Some(SourceFormat::UnhcrCountries)
    } else if starts(&missing_migrants::HEADER_ALL_DATA[..2]) {
        Some(SourceFormat::MissingMigrants)
    } else if starts(&migrant_stock::HEADER[..5]) {
        Some(SourceFormat::MigrantStock)
    } else if starts(&world_bank::HEADER) {
        Some(SourceFormat::WorldBank(if stem.contains("gdp") {
            Indicator::Gdp
        } else {
            Indicator::Population
        }))
    } else if starts(&wdi_wpp::HEADER) {
        Some(SourceFormat::WdiWpp)
    } else if starts(&idmc::GIDD_HEADER[..4]) {
        Some(SourceFormat::IdmcGidd)
    } else if starts(&idmc::CAUSE_HEADER) {
        Some(SourceFormat::IdmcCauses)
    } else if starts(&recorded_votes::HEADER) {
        Some(SourceFormat::RecordedVote)
    } else {
        None
    };
    if by_header.is_some() {
        return by_header;
    }
    if unhcr_download::preamble_lines(data).is_some() {
        return unhcr_dataset_of(&stem).map(SourceFormat::UnhcrDownload);
    }
    // A known file name with an unknown header: hand it to its parser, which names what is wrong.
    if stem == "countries" {
        Some(SourceFormat::UnhcrCountries)
    } else if let Some(d) = unhcr_dataset_of(&stem) {
        Some(SourceFormat::UnhcrCsv(d))
    } else if stem.starts_with("missing_migrants") {
        Some(SourceFormat::MissingMigrants)
    } else if stem.contains("_vote_") {
        Some(SourceFormat::RecordedVote)
    } else if stem.starts_with("international_migrant_stock") {
        Some(SourceFormat::MigrantStock)
    } else if stem.contains("gdp") {
        Some(SourceFormat::WorldBank(Indicator::Gdp))
    } else if stem.starts_with("wdi_wpp") {
        Some(SourceFormat::WdiWpp)
    } else if stem.starts_with("gidd") {
        Some(SourceFormat::IdmcGidd)
    } else if stem.starts_with("new_displacements") {
        Some(SourceFormat::IdmcCauses)
    } else {
        None
    }
}
