//! The long indicator file `geo,var,t,v` compiled by IOM's gdidata: `pop` is UN WPP 2024 population
//! (the SDG 10.7.4 denominator), `gdp` World Bank GDP, and other development indicators.

use crate::csv_input::CsvInput;
use crate::{Dataset, Findings, LoadError, Table};

/// The header of the gdidata long indicator file.
pub const HEADER: [&str; 4] = ["geo", "var", "t", "v"];

/// Loads the long indicator file into `Dataset::WdiWpp`.
pub fn load(file: &str, data: &[u8], findings: &mut Findings) -> Result<Table, LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    input.expect_header(&HEADER)?;
    let mut b = Dataset::WdiWpp.builder();
    input.for_each_row(findings, |row, _| {
        let year = row.year(2)?;
        let geo = row.text(0)?;
        if geo.len() != 3 {
            return Err(row.error(
                0,
                format!("expected a three-letter country code, found `{geo}`"),
            ));
        }
        b.push_year(year);
        b.push_dim(0, geo);
        b.push_dim(1, row.text(1)?);
        b.push_float(0, row.float(3)?);
        b.end_row();
        Ok(())
    })?;
    Ok(b.finish())
}
