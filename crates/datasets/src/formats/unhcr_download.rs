//! UNHCR's download format: a preamble (title, source, date, licence, notes), then a CSV whose
//! columns are human labels (`Country of origin (ISO)`, `Refugees under UNHCR's mandate`, …).

use crate::csv_input::CsvInput;
use crate::formats::unhcr_row::{push_row, Flags, Identity};
use crate::{Dataset, Findings, LoadError, Table};

/// Human labels of the download format and the field each stands for. Field names are accepted too.
const LABELS: &[(&str, &str)] = &[
    ("Year", "year"),
    ("Country of origin", "coo_name"),
    ("Country of origin (ISO)", "coo_iso"),
    ("Country of asylum", "coa_name"),
    ("Country of asylum (ISO)", "coa_iso"),
    ("Refugees under UNHCR's mandate", "refugees"),
    ("Asylum-seekers", "asylum_seekers"),
    ("Returned refugees", "returned_refugees"),
    ("IDPs of concern to UNHCR", "idps"),
    ("Returned IDPs", "returned_idps"),
    ("Returned IDPss", "returned_idps"),
    ("Stateless persons", "stateless"),
    ("Others of concern", "ooc"),
    ("Other people in need of international protection", "oip"),
    ("Host Community", "hst"),
    ("Resettlement arrivals", "resettlement"),
    ("Naturalisation", "naturalisation"),
    ("Total", "total"),
];

/// The number of preamble lines before the label header, if `data` looks like a download.
pub fn preamble_lines(data: &[u8]) -> Option<usize> {
    let text = std::str::from_utf8(data.get(..data.len().min(16 * 1024))?).ok()?;
    text.lines()
        .take(40)
        .position(|l| {
            let l = l.trim_start_matches('\u{feff}');
            (l.starts_with("Year,") || l.starts_with("\"Year\",")) && l.contains("Country of")
        })
        .filter(|&n| n > 0)
}

/// The download label of a field, for writing downloads; fields without a label keep their name.
pub fn label_of(field: &str) -> &str {
    LABELS
        .iter()
        .find(|(_, f)| *f == field)
        .map_or(field, |&(l, _)| l)
}

fn field_of(label: &str) -> Option<&'static str> {
    LABELS
        .iter()
        .find(|(l, f)| *l == label || *f == label)
        .map(|&(_, f)| f)
}

/// Loads a UNHCR download of `dataset`, skipping its preamble.
pub fn load(
    file: &str,
    data: &[u8],
    dataset: Dataset,
    findings: &mut Findings,
) -> Result<Table, LoadError> {
    let skip = preamble_lines(data).unwrap_or(0);
    let input = CsvInput::new(file, data, skip)?;
    let schema = dataset.schema();
    let header_line = skip as u64 + 1;
    let mut positions = Vec::with_capacity(input.header().len());
    for (i, label) in input.header().iter().enumerate() {
        let field = field_of(label).filter(|f| {
            ["year", "coo_name", "coo_iso", "coa_name", "coa_iso"].contains(f)
                || schema.measures.iter().any(|m| m.0 == *f)
        });
        match field {
            Some(f) => positions.push(f),
            None => {
                return Err(LoadError::at(
                    file,
                    header_line,
                    Some(i + 1),
                    None,
                    format!("unexpected column label `{label}` for {}: expected one of the download labels of that dataset", dataset.name()),
                ))
            }
        }
    }
    let col = |f: &str| positions.iter().position(|p| *p == f);
    let (Some(year_col), Some(coo_col), Some(coa_col)) =
        (col("year"), col("coo_iso"), col("coa_iso"))
    else {
        return Err(LoadError::at(
            file,
            header_line,
            None,
            None,
            "expected the columns `Year`, `Country of origin (ISO)` and `Country of asylum (ISO)`",
        ));
    };
    let name_cols = (col("coo_name"), col("coa_name"));
    let measure_cols: Vec<Option<usize>> = schema.measures.iter().map(|m| col(m.0)).collect();
    let mut b = dataset.builder();
    let extras = schema.dims.len() - 7;
    let mut measures = vec![None; schema.measures.len()];
    input.for_each_row(findings, |row, findings| {
        let year = row.year(year_col)?;
        let text = |c: Option<usize>| c.map_or(Ok(""), |c| row.text(c));
        let id = Identity {
            coo_name: text(name_cols.0)?,
            coo: "",
            coo_iso: row.text(coo_col)?,
            coa_name: text(name_cols.1)?,
            coa: "",
            coa_iso: row.text(coa_col)?,
        };
        for (m, c) in measures.iter_mut().zip(&measure_cols) {
            *m = match c {
                Some(c) if row.text(*c)? == "-" => None,
                Some(c) => row.int(*c)?,
                None => None,
            };
        }
        let none = [""; 4];
        push_row(
            &mut b,
            dataset,
            year,
            &id,
            &none[..extras],
            &measures,
            Flags::default(),
            findings,
            row.line,
        );
        Ok(())
    })?;
    if measure_cols.iter().any(Option::is_none) {
        findings.record(
            "columns_absent",
            "the download lacks some of the dataset's measures; they are not available (empty) for its rows",
            header_line,
        );
    }
    findings.record(
        "no_unhcr_codes",
        "the download format carries ISO codes only: UNHCR codes (coo, coa) are derived from the country list \
         imported with it (rows flagged `unhcr_codes_from_iso`), and stay empty without one",
        header_line,
    );
    Ok(b.finish())
}
