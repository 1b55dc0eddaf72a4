//! UNHCR's country list (`iso_code,unhcr_code,name,unhcr_region,unsd_region,…`), joined with ISO 3166
//! into the release's country reference.

use passage_domain::{CountryRef, CountryRow};

use crate::csv_input::CsvInput;
use crate::{Dataset, Findings, LoadError, Table};

/// The header of UNHCR's country list.
pub const HEADER: [&str; 7] = [
    "iso_code",
    "unhcr_code",
    "name",
    "unhcr_region",
    "unsd_region",
    "unsd_subregion",
    "unsd_imregion",
];

/// Parses the list into a reference, and the reference into the `countries` table.
pub fn load(
    file: &str,
    data: &[u8],
    findings: &mut Findings,
) -> Result<(CountryRef, Table), LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    input.expect_header(&HEADER)?;
    let mut rows: Vec<[String; 7]> = Vec::new();
    input.for_each_row(findings, |row, findings| {
        let mut r: [String; 7] = Default::default();
        for (i, cell) in r.iter_mut().enumerate() {
            *cell = row.text(i)?.to_string();
        }
        if let Err(e) = passage_domain::CountryCode::parse(passage_domain::CodeSystem::Unhcr, &r[1]) {
            return Err(row.error(1, e.to_string()));
        }
        if r[0] == "XXX" {
            findings.record(
                "unknown_iso_spelling",
                "Unknown is listed with ISO code XXX while the data files use UNK; both resolve to UNK",
                row.line,
            );
        }
        rows.push(r);
        Ok(())
    })?;
    let reference = CountryRef::from_rows(rows.iter().map(|r| CountryRow {
        iso: &r[0],
        unhcr: &r[1],
        name: &r[2],
        unhcr_region: &r[3],
        unsd_region: &r[4],
        unsd_subregion: &r[5],
        unsd_imregion: &r[6],
    }))
    .map_err(|e| LoadError::Unusable {
        file: file.to_string(),
        message: e.to_string(),
    })?;
    Ok((reference.clone(), table_of(&reference)))
}

/// The reference as a table, one row per country or area.
pub fn table_of(reference: &CountryRef) -> Table {
    let mut b = Dataset::Countries.builder();
    for c in reference.countries() {
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        let cells = [
            c.iso3.as_str().to_string(),
            c.unhcr.as_str().to_string(),
            c.iso2.map(|i| i.as_str().to_string()).unwrap_or_default(),
            c.m49.map(|m| format!("{m:03}")).unwrap_or_default(),
            c.name.clone(),
            opt(&c.unhcr_region),
            opt(&c.m49_region),
            opt(&c.m49_subregion),
            opt(&c.m49_intermediate_region),
            c.special.map(|s| s.name().to_string()).unwrap_or_default(),
        ];
        for (i, cell) in cells.iter().enumerate() {
            b.push_dim(i, cell);
        }
        b.end_row();
    }
    b.finish()
}
