//! UNHCR's CSV with the API's field names (`year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,…`), as
//! written by the `refugees` R package and the Refugee Data Finder.

use crate::csv_input::CsvInput;
use crate::formats::unhcr_row::{push_row, Flags, Identity};
use crate::{Dataset, Findings, LoadError, Table};

/// The identity columns that open every UNHCR CSV except the country list.
pub const IDENTITY_HEADER: [&str; 7] = [
    "year", "coo_name", "coo", "coo_iso", "coa_name", "coa", "coa_iso",
];

/// The full published header of a UNHCR dataset.
pub fn header(dataset: Dataset) -> Vec<&'static str> {
    let s = dataset.schema();
    let mut h = IDENTITY_HEADER.to_vec();
    h.extend(&s.dims[6..s.dims.len() - 1]);
    h.extend(s.measures.iter().map(|m| m.0));
    h
}

/// Loads a UNHCR CSV of `dataset`.
pub fn load(
    file: &str,
    data: &[u8],
    dataset: Dataset,
    findings: &mut Findings,
) -> Result<Table, LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    input.expect_header(&header(dataset))?;
    let schema = dataset.schema();
    let extras = schema.dims.len() - 7;
    let mut b = dataset.builder();
    let mut measures = vec![None; schema.measures.len()];
    input.for_each_row(findings, |row, findings| {
        let year = row.year(0)?;
        let id = Identity {
            coo_name: row.text(1)?,
            coo: row.text(2)?,
            coo_iso: row.text(3)?,
            coa_name: row.text(4)?,
            coa: row.text(5)?,
            coa_iso: row.text(6)?,
        };
        for (i, m) in measures.iter_mut().enumerate() {
            *m = row.int(7 + extras + i)?;
        }
        let mut extra = [""; 4];
        for (e, slot) in extra.iter_mut().enumerate().take(extras) {
            *slot = row.text(7 + e)?;
        }
        push_row(
            &mut b,
            dataset,
            year,
            &id,
            &extra[..extras],
            &measures,
            Flags::default(),
            findings,
            row.line,
        );
        Ok(())
    })?;
    Ok(b.finish())
}
