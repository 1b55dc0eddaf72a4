//! IDMC's Global Internal Displacement Database: country-year stocks and new displacements (conflict
//! and disaster, rounded and raw), and new displacements by cause in long form.

use crate::csv_input::CsvInput;
use crate::{Dataset, Findings, LoadError, Table};

/// The header of the GIDD country-year file.
pub const GIDD_HEADER: [&str; 11] = [
    "ISO3",
    "Name",
    "Year",
    "Conflict Stock Displacement",
    "Conflict Stock Displacement (Raw)",
    "Conflict Internal Displacements",
    "Conflict Internal Displacements (Raw)",
    "Disaster Internal Displacements",
    "Disaster Internal Displacements (Raw)",
    "Disaster Stock Displacement",
    "Disaster Stock Displacement (Raw)",
];

/// The GIDD column of each measure of [`Dataset::IdmcGidd`], in schema order.
const GIDD_MEASURE_COLUMNS: [usize; 8] = [3, 4, 5, 6, 7, 8, 9, 10];

/// The header of the long file of new displacements by cause.
pub const CAUSE_HEADER: [&str; 4] = ["geo", "t", "cause", "n"];

/// Loads the GIDD country-year file into `Dataset::IdmcGidd`.
pub fn load_gidd(file: &str, data: &[u8], findings: &mut Findings) -> Result<Table, LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    input.expect_header(&GIDD_HEADER)?;
    let mut b = Dataset::IdmcGidd.builder();
    input.for_each_row(findings, |row, _| {
        let year = row.year(2)?;
        let values = GIDD_MEASURE_COLUMNS
            .iter()
            .map(|&c| row.int(c))
            .collect::<Result<Vec<_>, _>>()?;
        b.push_year(year);
        b.push_dim(0, row.text(0)?);
        b.push_dim(1, row.text(1)?);
        for (i, v) in values.into_iter().enumerate() {
            b.push_int(i, v);
        }
        b.end_row();
        Ok(())
    })?;
    Ok(b.finish())
}

/// Loads the file of new displacements by cause into `Dataset::IdmcNewDisplacements`.
pub fn load_causes(file: &str, data: &[u8], findings: &mut Findings) -> Result<Table, LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    input.expect_header(&CAUSE_HEADER)?;
    let mut b = Dataset::IdmcNewDisplacements.builder();
    input.for_each_row(findings, |row, _| {
        let year = row.year(1)?;
        let n = row.int(3)?;
        b.push_year(year);
        b.push_dim(0, row.text(0)?);
        b.push_dim(1, row.text(2)?);
        b.push_int(0, n);
        b.end_row();
        Ok(())
    })?;
    Ok(b.finish())
}
