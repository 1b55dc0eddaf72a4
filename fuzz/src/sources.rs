//! Checks of the source-format parsers on raw bytes: each parser either refuses the input with an
//! error or returns tables of its datasets' shape; the API's JSON pages also agree, cell by cell,
//! with an independent reading of the same document; a data package's CSV read back and written
//! again is unchanged.

use std::path::Path;

use passage_datasets::formats::world_bank::Indicator;
use passage_datasets::formats::{
    compact_text, countries as country_list, datapackage as package, idmc as idmc_format,
    migrant_stock as stock, missing_migrants as mmp, recorded_votes, unhcr_csv as csv_format,
    unhcr_download as download, unhcr_json as json_pages, wdi_wpp as wdi, world_bank as wb,
};
use passage_datasets::{csv_cell, detect, Dataset, Findings, SourceFormat, Table, Value};
use serde_json::Value as Json;

use super::choice::Choices;
use super::table_shape::assert_whole;

fn unhcr_tables() -> Vec<Dataset> {
    Dataset::ALL
        .into_iter()
        .filter(|d| d.is_unhcr_table())
        .collect()
}

fn whole(result: Result<Table, passage_datasets::LoadError>, dataset: Dataset) {
    if let Ok(table) = result {
        assert_whole(&table, dataset);
    }
}

pub fn unhcr_csv(data: &[u8]) {
    let mut c = Choices::new(data);
    let dataset = c.pick(&unhcr_tables());
    let data = c.rest();
    whole(
        csv_format::load("f.csv", data, dataset, &mut Findings::default()),
        dataset,
    );
}

pub fn unhcr_download(data: &[u8]) {
    let mut c = Choices::new(data);
    let dataset = c.pick(&unhcr_tables());
    let data = c.rest();
    let _ = download::preamble_lines(data);
    whole(
        download::load("f.csv", data, dataset, &mut Findings::default()),
        dataset,
    );
}

pub fn countries(data: &[u8]) {
    if let Ok((reference, table)) =
        country_list::load("countries.csv", data, &mut Findings::default())
    {
        assert_whole(&table, Dataset::Countries);
        assert_eq!(
            table.len,
            reference.len(),
            "one row per country of the reference"
        );
    }
}

pub fn idmc(data: &[u8]) {
    let mut c = Choices::new(data);
    let gidd = c.pick(&[true, false]);
    let data = c.rest();
    let mut findings = Findings::default();
    if gidd {
        whole(
            idmc_format::load_gidd("g.csv", data, &mut findings),
            Dataset::IdmcGidd,
        );
    } else {
        whole(
            idmc_format::load_causes("c.csv", data, &mut findings),
            Dataset::IdmcNewDisplacements,
        );
    }
}

pub fn migrant_stock(data: &[u8]) {
    whole(
        stock::load("s.csv", data, &mut Findings::default()),
        Dataset::MigrantStock,
    );
}

pub fn missing_migrants(data: &[u8]) {
    whole(
        mmp::load("m.csv", data, &mut Findings::default()),
        Dataset::MissingMigrants,
    );
}

pub fn wdi_wpp(data: &[u8]) {
    whole(
        wdi::load("w.csv", data, &mut Findings::default()),
        Dataset::WdiWpp,
    );
}

pub fn world_bank(data: &[u8]) {
    let mut c = Choices::new(data);
    let indicator = c.pick(&[Indicator::Population, Indicator::Gdp]);
    world_bank_tables(c.rest(), indicator);
}

fn world_bank_tables(data: &[u8], indicator: Indicator) {
    let (countries, aggregates) = match indicator {
        Indicator::Population => (Dataset::WbPopulation, Dataset::WbPopulationAggregates),
        Indicator::Gdp => (Dataset::WbGdp, Dataset::WbGdpAggregates),
    };
    if let Ok(tables) = wb::load("wb.csv", data, indicator, &mut Findings::default()) {
        assert_eq!(tables.len(), 2, "a country table and an aggregates table");
        assert_whole(&tables[0], countries);
        assert_whole(&tables[1], aggregates);
    }
}

/// File names of every format, so that recognition and loading run as an import runs them.
const NAMES: [&str; 18] = [
    "population.csv",
    "asylum_decisions.csv",
    "demographics.csv",
    "population.json",
    "asylum_applications_page_2.json",
    "countries.csv",
    "missing_migrants_2014_2025.csv",
    "international_migrant_stock_2024.csv",
    "population_wb.csv",
    "gdp_current_usd.csv",
    "wdi_wpp_indicators_long.csv",
    "gidd_country_year.csv",
    "new_displacements_by_cause.csv",
    "solutions.csv",
    "notes.txt",
    "flows.csv",
    "gcm_vote_a_res_73_195_2018-12-19.csv",
    "gcm_objectives_actions_2018.md",
];

/// Recognises the bytes under a chosen file name, then loads them with the parser chosen.
pub fn detected(data: &[u8]) {
    let mut c = Choices::new(data);
    let name = c.pick(&NAMES);
    let data = c.rest();
    let Some(format) = detect(Path::new(name), data) else {
        return;
    };
    let mut findings = Findings::default();
    match format {
        SourceFormat::UnhcrCsv(d) => whole(csv_format::load(name, data, d, &mut findings), d),
        SourceFormat::UnhcrDownload(d) => whole(download::load(name, data, d, &mut findings), d),
        SourceFormat::UnhcrApiJson(d) => json_agrees(data, d),
        SourceFormat::UnhcrCountries => countries(data),
        SourceFormat::MissingMigrants => missing_migrants(data),
        SourceFormat::MigrantStock => migrant_stock(data),
        SourceFormat::WorldBank(i) => world_bank_tables(data, i),
        SourceFormat::WdiWpp => wdi_wpp(data),
        SourceFormat::IdmcGidd => whole(
            idmc_format::load_gidd(name, data, &mut findings),
            Dataset::IdmcGidd,
        ),
        SourceFormat::IdmcCauses => whole(
            idmc_format::load_causes(name, data, &mut findings),
            Dataset::IdmcNewDisplacements,
        ),
        SourceFormat::PassagePackage(d) => whole(package::load(name, data, d, &mut findings), d),
        SourceFormat::RecordedVote => {
            if let Ok(table) = recorded_votes::load(name, data) {
                assert_whole(&table, Dataset::RecordedVotes);
                let back = recorded_votes::votes_of(&table).expect("a loaded vote reads back");
                assert_eq!(back.iter().map(|v| v.votes.len()).sum::<usize>(), table.len);
            }
        }
        SourceFormat::CompactText => {
            if let Ok(table) = compact_text::load(name, data, &mut findings) {
                assert_whole(&table, Dataset::CompactText);
                let back = compact_text::versions_of(&table).expect("a loaded text reads back");
                let parts: usize = back.iter().map(|v| v.version.flatten().len()).sum();
                assert_eq!(parts, table.len, "every row comes back as one part");
            }
        }
    }
}

/// A table as the exporter lays it out (`year`, dimensions, measures; not available empty),
/// written here independently of it.
fn package_csv(table: &Table) -> String {
    let mut out = String::new();
    let mut header: Vec<&str> = Vec::new();
    if table.years.is_some() {
        header.push("year");
    }
    header.extend(table.dims.iter().map(|d| d.name.as_str()));
    header.extend(table.measures.iter().map(|m| m.name.as_str()));
    out.push_str(&header.join(","));
    out.push('\n');
    for row in 0..table.len {
        let mut cells: Vec<String> = Vec::new();
        if let Some(y) = table.year(row) {
            cells.push(y.to_string());
        }
        cells.extend(
            table
                .dims
                .iter()
                .map(|d| csv_cell(d.value(row)).into_owned()),
        );
        cells.extend(table.measures.iter().map(|m| m.value(row).to_string()));
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// A package in one input: `datapackage.json`, a NUL byte, then the CSV of its first resource
/// (of a dataset chosen by the CSV's first byte when the descriptor is refused). An accepted
/// descriptor keeps every resource inside the package; an accepted CSV has its dataset's shape
/// and, written out again and read back, gives the same table.
pub fn datapackage(data: &[u8]) {
    let split = data.iter().position(|&b| b == 0).unwrap_or(data.len());
    let (descriptor, csv) = (&data[..split], data.get(split + 1..).unwrap_or_default());
    let _ = package::looks_like_passage(descriptor);
    let (dataset, csv) = match package::read_descriptor(package::DESCRIPTOR, descriptor) {
        Ok(p) => {
            for r in &p.resources {
                assert!(
                    !r.path.contains('\\')
                        && !r
                            .path
                            .split('/')
                            .any(|c| c.is_empty() || c == "." || c == ".."),
                    "a resource path outside the package was accepted: {}",
                    r.path
                );
            }
            (p.resources[0].dataset, csv)
        }
        Err(_) => {
            let mut c = Choices::new(csv);
            (c.pick(&Dataset::ALL), c.rest())
        }
    };
    let Ok(table) = package::load("data/t.csv", csv, dataset, &mut Findings::default()) else {
        return;
    };
    assert_whole(&table, dataset);
    let written = package_csv(&table);
    let again = package::load(
        "again.csv",
        written.as_bytes(),
        dataset,
        &mut Findings::default(),
    )
    .unwrap_or_else(|e| panic!("a table written as its package CSV is refused: {e}\n{written}"));
    assert_eq!(again.len, table.len, "rows");
    assert_eq!(package_csv(&again), written, "read back, the table changed");
}

pub fn unhcr_json(data: &[u8]) {
    let mut c = Choices::new(data);
    let dataset = c.pick(&unhcr_tables());
    let data = c.rest();
    let _ = json_pages::looks_like_pages(data);
    json_agrees(data, dataset);
}

/// A count cell of the API as its documentation describes it, read without the parser: a whole
/// number, `"0"`-style digits, or `"-"`, empty or null for not available. `Err` for anything else,
/// including numbers no count can be (outside the 64-bit range, or the null marker itself).
fn expected_count(cell: Option<&Json>) -> Result<Option<i64>, ()> {
    let in_range = |v: i64| if v == i64::MIN { Err(()) } else { Ok(Some(v)) };
    match cell {
        None | Some(Json::Null) => Ok(None),
        Some(Json::Number(n)) => {
            if let Some(v) = n.as_i64() {
                return in_range(v);
            }
            match n.as_f64() {
                Some(f) if f.fract() == 0.0 && f > -9.2e18 && f < 9.2e18 => in_range(f as i64),
                _ => Err(()),
            }
        }
        Some(Json::String(s)) if s.is_empty() || s == "-" => Ok(None),
        Some(Json::String(s)) => s.trim().parse::<i64>().map_err(|_| ()).and_then(in_range),
        Some(_) => Err(()),
    }
}

/// Loads the pages and compares every row with the document: same number of items, same years,
/// and each count cell read as [`expected_count`] reads it.
fn json_agrees(data: &[u8], dataset: Dataset) {
    let Ok(table) = json_pages::load("p.json", data, dataset, &mut Findings::default()) else {
        return;
    };
    assert_whole(&table, dataset);
    let doc: Json = serde_json::from_slice(data).expect("the parser accepted this JSON");
    let pages: Vec<&Json> = match &doc {
        Json::Array(pages) => pages.iter().collect(),
        page => vec![page],
    };
    let items: Vec<&Json> = pages
        .iter()
        .flat_map(|p| p["items"].as_array().into_iter().flatten())
        .collect();
    assert_eq!(items.len(), table.len, "one row per item");
    let years = table.years.as_ref().expect("UNHCR tables have years");
    for (row, item) in items.iter().enumerate() {
        let year = match &item["year"] {
            Json::Number(n) => n.to_string(),
            Json::String(s) => s.clone(),
            other => panic!("item {row}: the parser accepted year {other}"),
        };
        assert_eq!(
            year.trim().parse::<i16>().ok(),
            Some(years[row]),
            "item {row}: year"
        );
        for m in &table.measures {
            let want = expected_count(item.get(&m.name)).unwrap_or_else(|()| {
                panic!(
                    "item {row}: `{}` = {:?} is not a count, yet it was accepted as {:?}",
                    m.name,
                    item.get(&m.name),
                    m.value(row)
                )
            });
            let got = match m.value(row) {
                Value::Int(v) => Some(v),
                Value::Null => None,
                Value::Float(f) => panic!("item {row}: `{}` is a float {f}", m.name),
            };
            assert_eq!(got, want, "item {row}: `{}`", m.name);
        }
    }
}
