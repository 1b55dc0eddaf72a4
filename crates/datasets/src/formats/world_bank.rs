//! World Bank indicator files (`Country Name,Country Code,Year,Value`) for population and GDP.
//! Aggregates (World, regions, income groups) are recognised and kept in their own table, so that they
//! are never summed with countries.

use crate::csv_input::{CsvInput, Row};
use crate::{Dataset, Findings, LoadError, Table};

pub const HEADER: [&str; 4] = ["Country Name", "Country Code", "Year", "Value"];

/// The World Bank's aggregate codes (regions, income and lending groups, demographic groups, World).
pub const AGGREGATES: [&str; 48] = [
    "AFE", "AFW", "ARB", "CEB", "CSS", "EAP", "EAR", "EAS", "ECA", "ECS", "EMU", "EUU", "FCS",
    "HIC", "HPC", "IBD", "IBT", "IDA", "IDB", "IDX", "LAC", "LCN", "LDC", "LIC", "LMC", "LMY",
    "LTE", "MEA", "MIC", "MNA", "NAC", "OED", "OSS", "PRE", "PSS", "PST", "SAS", "SSA", "SSF",
    "SST", "TEA", "TEC", "TLA", "TMN", "TSA", "TSS", "UMC", "WLD",
];

/// Which World Bank indicator a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Indicator {
    Population,
    Gdp,
}

impl Indicator {
    fn tables(self) -> (Dataset, Dataset) {
        match self {
            Indicator::Population => (Dataset::WbPopulation, Dataset::WbPopulationAggregates),
            Indicator::Gdp => (Dataset::WbGdp, Dataset::WbGdpAggregates),
        }
    }
}

/// A population cell: a whole number, or a decimal one rounded (some exports write `40099462.0`).
/// Decimals too large for a count are refused: converted, they would saturate or become the
/// table's null marker.
fn population(row: &Row<'_>) -> Result<Option<i64>, LoadError> {
    row.int(3).or_else(|_| match row.float(3)? {
        None => Ok(None),
        Some(f) if f.abs() < 9.0e18 => Ok(Some(f.round() as i64)),
        Some(f) => Err(row.error(3, format!("expected a population count, found `{f}`"))),
    })
}

/// Loads the file into its country table and its aggregate table.
pub fn load(
    file: &str,
    data: &[u8],
    indicator: Indicator,
    findings: &mut Findings,
) -> Result<Vec<Table>, LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    input.expect_header(&HEADER)?;
    let (countries, aggregates) = indicator.tables();
    let (mut cb, mut ab) = (countries.builder(), aggregates.builder());
    input.for_each_row(findings, |row, findings| {
        let code = row.text(1)?;
        if code.len() != 3 {
            return Err(row.error(
                1,
                format!("expected a three-letter country or aggregate code, found `{code}`"),
            ));
        }
        let year = row.year(2)?;
        let b = if AGGREGATES.contains(&code) {
            findings.record(
                "aggregate",
                "World Bank aggregate rows, kept apart in the aggregates table",
                row.line,
            );
            &mut ab
        } else {
            &mut cb
        };
        b.push_year(year);
        b.push_dim(0, code);
        b.push_dim(1, row.text(0)?);
        match indicator {
            Indicator::Population => b.push_int(0, population(row)?),
            Indicator::Gdp => b.push_float(0, row.float(3)?),
        }
        b.end_row();
        Ok(())
    })?;
    Ok(vec![cb.finish(), ab.finish()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_population_beyond_64_bits_is_refused_not_stored_as_null() {
        for value in ["-1e300", "1e19", "-9.3e18"] {
            let data = format!("Country Name,Country Code,Year,Value\nAruba,ABW,1960,{value}\n");
            let err = load(
                "wb.csv",
                data.as_bytes(),
                Indicator::Population,
                &mut Findings::default(),
            )
            .unwrap_err()
            .to_string();
            assert!(err.starts_with("wb.csv:2:4"), "{value}: {err}");
        }
        let data = b"Country Name,Country Code,Year,Value\nAruba,ABW,1960,54922.4\n";
        let t = load(
            "wb.csv",
            data,
            Indicator::Population,
            &mut Findings::default(),
        )
        .unwrap();
        assert_eq!(t[0].measures[0].value(0), crate::Value::Int(54922));
    }
}
