//! UN DESA International Migrant Stock 2024 in long form: destination `geo`, year `t`, origin `from`,
//! `sex`, count `n` and the estimate-type flags. A missing origin–destination pair is "not estimated".

use passage_domain::iso3166_by_alpha3;

use crate::csv_input::CsvInput;
use crate::formats::unhcr_row::{normalise_iso, Flags};
use crate::{Dataset, Findings, LoadError, Table};

/// The header of the long migrant stock file.
pub const HEADER: [&str; 9] = [
    "geo", "t", "from", "sex", "n", "type_b", "type_c", "type_r", "type_i",
];

/// Loads the migrant stock file into `Dataset::MigrantStock`.
pub fn load(file: &str, data: &[u8], findings: &mut Findings) -> Result<Table, LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    input.expect_header(&HEADER)?;
    let mut b = Dataset::MigrantStock.builder();
    input.for_each_row(findings, |row, findings| {
        let year = row.year(1)?;
        let sex = row.text(3)?;
        if !matches!(sex, "female" | "male" | "total") {
            return Err(row.error(3, format!("expected `female`, `male` or `total`, found `{sex}`")));
        }
        let mut flags = Flags::default();
        let dest = normalise_iso(row.text(0)?, "coa_iso", findings, &mut flags, row.line);
        let origin = normalise_iso(row.text(2)?, "coo_iso", findings, &mut flags, row.line);
        if iso3166_by_alpha3(&origin).is_none() && origin != "XXA" && origin != "UNK" {
            findings.record(
                "non_iso_origin",
                "an origin code outside ISO 3166 (such as OOO, other or unknown origins); kept as published",
                row.line,
            );
        }
        let n = row.int(4)?;
        b.push_year(year);
        for (i, v) in [&*origin, &*dest, sex, row.text(5)?, row.text(6)?, row.text(7)?, row.text(8)?]
            .iter()
            .enumerate()
        {
            b.push_dim(i, v);
        }
        b.push_int(0, n);
        b.end_row();
        Ok(())
    })?;
    Ok(b.finish())
}
