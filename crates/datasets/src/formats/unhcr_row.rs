//! The identity block shared by UNHCR's origin × asylum tables in every format (CSV, download, API
//! JSON): ISO codes normalised to their canonical form, the rest kept as published, quality flags.

use std::borrow::Cow;

use passage_domain::{canonical_iso, CodeSystem, CountryCode, CountryRef};

use crate::table::{Dim, Table, TableBuilder};
use crate::{Dataset, Findings};

/// The published identity fields of one row.
pub struct Identity<'a> {
    /// Country of origin, name as published.
    pub coo_name: &'a str,
    /// Country of origin, UNHCR code.
    pub coo: &'a str,
    /// Country of origin, ISO 3166 alpha-3 as published.
    pub coo_iso: &'a str,
    /// Country of asylum, name as published.
    pub coa_name: &'a str,
    /// Country of asylum, UNHCR code.
    pub coa: &'a str,
    /// Country of asylum, ISO 3166 alpha-3 as published.
    pub coa_iso: &'a str,
}

/// Row-level quality flags, joined with `;` into the `quality_flag` column.
#[derive(Default)]
pub struct Flags(String);

impl Flags {
    /// Adds a flag, such as `summed_dimension`, to the row's.
    pub fn add(&mut self, flag: &str) {
        if !self.0.is_empty() {
            self.0.push(';');
        }
        self.0.push_str(flag);
    }

    /// The flags as stored in `quality_flag`, `;`-separated; empty for a clean row.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Canonical ISO3 of a published ISO cell. Non-standard spellings of special codes are normalised
/// and flagged; a cell that is not a code at all is kept as published and flagged.
pub fn normalise_iso<'a>(
    raw: &'a str,
    column: &str,
    findings: &mut Findings,
    flags: &mut Flags,
    line: u64,
) -> Cow<'a, str> {
    if raw.is_empty() || raw == "-" {
        return Cow::Borrowed(raw);
    }
    match CountryCode::parse(CodeSystem::Iso, raw) {
        Ok(code) => {
            let canonical = canonical_iso(code);
            if canonical != code {
                findings.record(
                    "iso_alias",
                    "non-standard ISO code of a special code (e.g. STA, UKN) normalised to its canonical form (XXA, UNK)",
                    line,
                );
                flags.add(&format!("{column}_was_{raw}"));
            }
            if canonical == code
                && raw
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
            {
                Cow::Borrowed(raw)
            } else {
                Cow::Owned(canonical.as_str().to_string())
            }
        }
        Err(_) => {
            findings.record(
                "bad_iso_code",
                "a cell of an ISO column is not a three-character code; kept as published",
                line,
            );
            flags.add("bad_iso_code");
            Cow::Borrowed(raw)
        }
    }
}

/// Pushes the year and the six identity dimensions (columns 0–5 of every UNHCR schema).
fn push_identity(
    b: &mut TableBuilder,
    year: i16,
    id: &Identity<'_>,
    findings: &mut Findings,
    flags: &mut Flags,
    line: u64,
) {
    b.push_year(year);
    let coo_iso = normalise_iso(id.coo_iso, "coo_iso", findings, flags, line);
    let coa_iso = normalise_iso(id.coa_iso, "coa_iso", findings, flags, line);
    b.push_dim(0, &coo_iso);
    b.push_dim(1, &coa_iso);
    b.push_dim(2, id.coo);
    b.push_dim(3, id.coa);
    b.push_dim(4, id.coo_name);
    b.push_dim(5, id.coa_name);
}

/// Checks the sex and age bands of a demographics row: all bands zero with a non-zero total means
/// "not disaggregated", not zero people; bands that do not add up to their total reflect rounding.
pub fn check_demographics(
    measures: &[Option<i64>],
    findings: &mut Findings,
    flags: &mut Flags,
    line: u64,
) {
    if measures.len() != 15 {
        return;
    }
    let bands = |r: std::ops::Range<usize>| measures[r].iter().map(|v| v.unwrap_or(0)).sum::<i64>();
    let (f_bands, m_bands) = (bands(0..6), bands(7..13));
    let total = measures[14].unwrap_or(0);
    if f_bands == 0 && m_bands == 0 && total != 0 {
        findings.record(
            "not_disaggregated",
            "all sex and age bands are 0 but the total is not: the row is not disaggregated, not zero people",
            line,
        );
        flags.add("not_disaggregated");
    } else if measures[6].is_some_and(|t| t != f_bands)
        || measures[13].is_some_and(|t| t != m_bands)
    {
        findings.record(
            "bands_do_not_add_up",
            "age bands do not add up to the sex total (rounding at source)",
            line,
        );
        flags.add("bands_do_not_add_up");
    }
}

/// Pushes one whole row of a UNHCR table, whatever format it was read from: identity, the
/// dataset's extra dimensions, the quality checks and `flags` so far, and the measures.
#[allow(clippy::too_many_arguments)]
pub fn push_row(
    b: &mut TableBuilder,
    dataset: Dataset,
    year: i16,
    id: &Identity<'_>,
    extras: &[&str],
    measures: &[Option<i64>],
    mut flags: Flags,
    findings: &mut Findings,
    line: u64,
) {
    push_identity(b, year, id, findings, &mut flags, line);
    for (e, value) in extras.iter().enumerate() {
        b.push_dim(6 + e, value);
    }
    if dataset == Dataset::Demographics {
        check_demographics(measures, findings, &mut flags, line);
    }
    b.push_dim(6 + extras.len(), flags.as_str());
    for (i, m) in measures.iter().enumerate() {
        b.push_int(i, *m);
    }
    b.end_row();
}

/// Fills the UNHCR codes (`coo`, `coa`) of rows that carry ISO codes only (UNHCR's download format)
/// from the release's country list, flagging each filled row `unhcr_codes_from_iso`. Codes the list
/// does not know stay empty. Returns the number of rows filled.
pub fn fill_unhcr_codes(table: &mut Table, countries: &CountryRef) -> u64 {
    let flag_index = table.dims.len() - 1;
    let needs = |r: usize| table.dims[2].value(r).is_empty() || table.dims[3].value(r).is_empty();
    if !(0..table.len).any(needs) {
        return 0;
    }
    let unhcr_of = |iso: &str| {
        countries
            .parse(CodeSystem::Iso, iso)
            .map(|c| c.unhcr.as_str().to_string())
            .unwrap_or_default()
    };
    let mut filled = 0;
    let mut coo = Vec::with_capacity(table.len);
    let mut coa = Vec::with_capacity(table.len);
    let mut flags = Vec::with_capacity(table.len);
    for r in 0..table.len {
        let mut row_flags = Flags(table.dims[flag_index].value(r).to_string());
        let fill = |own: usize, iso: usize| match table.dims[own].value(r) {
            "" => unhcr_of(table.dims[iso].value(r)),
            code => code.to_string(),
        };
        let (o, a) = (fill(2, 0), fill(3, 1));
        if (o != table.dims[2].value(r)) || (a != table.dims[3].value(r)) {
            row_flags.add("unhcr_codes_from_iso");
            filled += 1;
        }
        coo.push(o);
        coa.push(a);
        flags.push(row_flags.0);
    }
    table.dims[2] = Dim::from_values("coo", &coo);
    table.dims[3] = Dim::from_values("coa", &coa);
    table.dims[flag_index] = Dim::from_values("quality_flag", &flags);
    filled
}
