//! IOM Missing Migrants Project incidents, in both published layouts (the 2014–2025 "all data"
//! download and the 2026 export), merged into one incident table with one set of names.

use rustc_hash::FxHashMap;

use crate::csv_input::{CsvInput, Row};
use crate::formats::unhcr_row::Flags;
use crate::table::TableBuilder;
use crate::{Dataset, Findings, LoadError, Table};

pub const HEADER_ALL_DATA: [&str; 25] = [
    "Main ID",
    "Incident ID",
    "Incident Type",
    "Region of Incident",
    "Incident Date",
    "Incident Year",
    "Month",
    "Number of Dead",
    "Minimum Estimated Number of Missing",
    "Total Number of Dead and Missing",
    "Number of Survivors",
    "Number of Females",
    "Number of Males",
    "Number of Children",
    "Country of Origin",
    "Region of Origin",
    "Cause of Death",
    "Country of Incident",
    "Migration Route",
    "Location of Incident",
    "Coordinates",
    "UNSD Geographical Grouping",
    "Information Source",
    "URL",
    "Source Quality",
];

pub const HEADER_EXPORT_2026: [&str; 22] = [
    "Main ID",
    "Incident ID",
    "Region",
    "Incident Date",
    "Year",
    "Reported Month",
    "Number Dead",
    "Minimum Estimated Number of Missing",
    "Number of Survivors",
    "Number of Females",
    "Number of Males",
    "Number of Children",
    "Region of Origin",
    "Cause of Death",
    "Country of Origin",
    "Location of death",
    "Information Source",
    "Coordinates",
    "Migration route",
    "URL",
    "UNSD Geographical Grouping",
    "Source Quality",
];

/// The two layouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    AllData,
    Export2026,
}

impl Layout {
    fn label(self) -> &'static str {
        match self {
            Layout::AllData => "all_data_2014_2025",
            Layout::Export2026 => "export_2026",
        }
    }

    /// Column of each unified field in this layout; `None` where the layout lacks it.
    fn columns(self) -> Columns {
        match self {
            Layout::AllData => Columns {
                main_id: 0,
                incident_id: 1,
                incident_type: Some(2),
                region: 3,
                date: 4,
                year: 5,
                month: 6,
                dead: 7,
                missing: 8,
                total: Some(9),
                survivors: 10,
                females: 11,
                males: 12,
                children: 13,
                origin: 14,
                region_of_origin: 15,
                cause: 16,
                country_of_incident: Some(17),
                route: 18,
                location: 19,
                coordinates: 20,
                unsd: 21,
                source: 22,
                url: 23,
                quality: 24,
            },
            Layout::Export2026 => Columns {
                main_id: 0,
                incident_id: 1,
                incident_type: None,
                region: 2,
                date: 3,
                year: 4,
                month: 5,
                dead: 6,
                missing: 7,
                total: None,
                survivors: 8,
                females: 9,
                males: 10,
                children: 11,
                origin: 14,
                region_of_origin: 12,
                cause: 13,
                country_of_incident: None,
                route: 18,
                location: 15,
                coordinates: 17,
                unsd: 20,
                source: 16,
                url: 19,
                quality: 21,
            },
        }
    }
}

struct Columns {
    main_id: usize,
    incident_id: usize,
    incident_type: Option<usize>,
    region: usize,
    date: usize,
    year: usize,
    month: usize,
    dead: usize,
    missing: usize,
    total: Option<usize>,
    survivors: usize,
    females: usize,
    males: usize,
    children: usize,
    origin: usize,
    region_of_origin: usize,
    cause: usize,
    country_of_incident: Option<usize>,
    route: usize,
    location: usize,
    coordinates: usize,
    unsd: usize,
    source: usize,
    url: usize,
    quality: usize,
}

/// Which layout a header line is, if either.
pub fn layout_of(header: &[String]) -> Option<Layout> {
    if header.iter().map(String::as_str).eq(HEADER_ALL_DATA) {
        Some(Layout::AllData)
    } else if header.iter().map(String::as_str).eq(HEADER_EXPORT_2026) {
        Some(Layout::Export2026)
    } else {
        None
    }
}

/// `2014-01-06` as published in the all-data layout, or `Thu, 01/01/2026 - 12:00` (MM/DD/YYYY) in
/// the 2026 export; both become ISO 8601 dates. Empty stays empty.
fn parse_date(row: &Row<'_>, col: usize, layout: Layout) -> Result<String, LoadError> {
    let text = row.text(col)?;
    if text.is_empty() {
        return Ok(String::new());
    }
    let ymd = match layout {
        Layout::AllData => {
            let mut p = text.splitn(3, '-');
            (p.next(), p.next(), p.next())
        }
        Layout::Export2026 => {
            let date = text
                .split(", ")
                .nth(1)
                .and_then(|s| s.split(' ').next())
                .unwrap_or("");
            let mut p = date.splitn(3, '/');
            let (m, d, y) = (p.next(), p.next(), p.next());
            (y, m, d)
        }
    };
    let ok = |s: Option<&str>, n: usize, max: u32| {
        s.filter(|s| s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<u32>().ok())
            .filter(|&v| v >= 1 && v <= max)
    };
    match (ok(ymd.0, 4, 9999), ok(ymd.1, 2, 12), ok(ymd.2, 2, 31)) {
        (Some(y), Some(m), Some(d)) => Ok(format!("{y:04}-{m:02}-{d:02}")),
        _ => Err(row.error(
            col,
            match layout {
                Layout::AllData => format!("expected a date like 2014-01-06, found `{text}`"),
                Layout::Export2026 => {
                    format!("expected a date like `Thu, 01/01/2026 - 12:00`, found `{text}`")
                }
            },
        )),
    }
}

fn parse_coordinates(text: &str) -> Option<(f64, f64)> {
    let (lat, lon) = text.split_once(',')?;
    let lat: f64 = lat.trim().parse().ok()?;
    let lon: f64 = lon.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon)).then_some((lat, lon))
}

/// Loads one file of either layout into its own part of the incident table.
pub fn load(file: &str, data: &[u8], findings: &mut Findings) -> Result<Table, LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    let layout = layout_of(input.header()).ok_or_else(|| {
        let first = input.header().first().cloned().unwrap_or_default();
        let expected = if input.header().len() >= 23 { &HEADER_ALL_DATA[..] } else { &HEADER_EXPORT_2026[..] };
        let col = input
            .header()
            .iter()
            .zip(expected)
            .position(|(a, b)| a != b)
            .unwrap_or(expected.len().min(input.header().len()));
        LoadError::at(
            file,
            1,
            Some(col + 1),
            None,
            format!(
                "unexpected header for Missing Migrants (starting `{first}`): expected either the 2014–2025 \
                 layout or the 2026 export; column {} should be `{}`",
                col + 1,
                expected.get(col).unwrap_or(&"(none)")
            ),
        )
    })?;
    let c = layout.columns();
    let mut b = Dataset::MissingMigrants.builder();
    let mut incidents: FxHashMap<String, Vec<String>> = FxHashMap::default();
    let mut first_line: FxHashMap<String, u64> = FxHashMap::default();
    input.for_each_row(findings, |row, findings| {
        push_row(
            &mut b,
            row,
            layout,
            &c,
            findings,
            &mut incidents,
            &mut first_line,
        )
    })?;
    let mut split: Vec<(u64, usize)> = incidents
        .iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(main, ids)| (first_line.get(main).copied().unwrap_or(0), ids.len()))
        .collect();
    split.sort_unstable();
    for (line, _) in split {
        findings.record(
            "split_incident",
            "one Main ID with several Incident IDs (a split incident); count each incident row once",
            line,
        );
    }
    Ok(b.finish())
}

fn push_row(
    b: &mut TableBuilder,
    row: &Row<'_>,
    layout: Layout,
    c: &Columns,
    findings: &mut Findings,
    incidents: &mut FxHashMap<String, Vec<String>>,
    first_line: &mut FxHashMap<String, u64>,
) -> Result<(), LoadError> {
    let mut flags = Flags::default();
    let main_id = row.text(c.main_id)?;
    if main_id.is_empty() {
        return Err(row.error(c.main_id, "expected a Main ID such as 2014.MMP00001"));
    }
    let incident_id = row.text(c.incident_id)?;
    let ids = incidents.entry(main_id.to_string()).or_default();
    if !ids.iter().any(|i| i == incident_id) {
        ids.push(incident_id.to_string());
    }
    first_line.entry(main_id.to_string()).or_insert(row.line);
    let date = parse_date(row, c.date, layout)?;
    let year = match row.text(c.year)? {
        "" => {
            let prefix = main_id.split('.').next().unwrap_or("");
            let year = prefix.parse::<passage_domain::Year>().map_err(|_| {
                row.error(c.year, "no year, and the Main ID does not start with one")
            })?;
            findings.record(
                "undated",
                "no date, year or month: the year is taken from the Main ID prefix and the row flagged",
                row.line,
            );
            flags.add("undated_year_from_main_id");
            year.get() as i16
        }
        _ => row.year(c.year)?,
    };
    let dead = row.int(c.dead)?;
    let missing = row.int(c.missing)?;
    let dead_and_missing = dead
        .unwrap_or(0)
        .checked_add(missing.unwrap_or(0))
        .ok_or_else(|| {
            row.error(
                c.missing,
                "dead and missing add up to more than a count can hold",
            )
        })?;
    let total = match c.total {
        Some(col) => {
            let total = row.int(col)?;
            if total.is_some() && total != Some(dead_and_missing) {
                findings.record(
                    "total_mismatch",
                    "dead + missing differs from the published total",
                    row.line,
                );
                flags.add("total_mismatch");
            }
            total
        }
        None if dead.is_none() && missing.is_none() => None,
        None => {
            findings.record(
                "total_derived",
                "the 2026 export has no total column: dead and missing = dead + minimum missing",
                row.line,
            );
            Some(dead_and_missing)
        }
    };
    let survivors = row.int(c.survivors)?;
    if survivors.is_some_and(|s| s < 0) {
        findings.record(
            "negative_survivors",
            "a negative number of survivors, kept as published",
            row.line,
        );
        flags.add("negative_survivors");
    }
    let incident_type = c.incident_type.map_or(Ok(""), |col| row.text(col))?;
    let origin = row.text(c.origin)?;
    let quality = row.text(c.quality)?;
    for (cell, code, message) in [
        (
            incident_type,
            "multi_valued_incident_type",
            "an Incident Type cell lists several types",
        ),
        (
            origin,
            "multiple_origins",
            "several countries of origin in one cell",
        ),
        (
            quality,
            "multi_valued_source_quality",
            "a Source Quality cell lists several grades",
        ),
    ] {
        if cell.contains(',') {
            findings.record(code, message, row.line);
            flags.add(code);
        }
    }
    let coordinates = row.text(c.coordinates)?;
    let point = parse_coordinates(coordinates);
    if point.is_none() && !coordinates.is_empty() {
        findings.record(
            "bad_coordinates",
            "coordinates that are not `lat, lon` in range; kept as text",
            row.line,
        );
        flags.add("bad_coordinates");
    }
    let dims = [
        main_id,
        incident_id,
        incident_type,
        row.text(c.region)?,
        &date,
        row.text(c.month)?,
        origin,
        row.text(c.region_of_origin)?,
        row.text(c.cause)?,
        c.country_of_incident.map_or(Ok(""), |col| row.text(col))?,
        row.text(c.route)?,
        row.text(c.location)?,
        coordinates,
        row.text(c.unsd)?,
        row.text(c.source)?,
        row.text(c.url)?,
        quality,
        layout.label(),
        flags.as_str(),
    ];
    let ints = [
        dead,
        missing,
        total,
        survivors,
        row.int(c.females)?,
        row.int(c.males)?,
        row.int(c.children)?,
    ];
    b.push_year(year);
    for (i, d) in dims.iter().enumerate() {
        b.push_dim(i, d);
    }
    for (i, v) in ints.iter().enumerate() {
        b.push_int(i, *v);
    }
    b.push_float(7, point.map(|p| p.0));
    b.push_float(8, point.map(|p| p.1));
    b.end_row();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dead_plus_missing_beyond_64_bits_is_an_error_not_a_panic() {
        let header = HEADER_EXPORT_2026.join(",");
        let mut cells = vec![""; HEADER_EXPORT_2026.len()];
        cells[0] = "2026.MMP1";
        cells[4] = "2026";
        cells[6] = "9223372036854775807";
        cells[7] = "1";
        let data = format!("{header}\n{}\n", cells.join(","));
        let err = load("m.csv", data.as_bytes(), &mut Findings::default())
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("m.csv:2:8"), "{err}");
        cells[7] = "2";
        cells[6] = "3";
        let data = format!("{header}\n{}\n", cells.join(","));
        let t = load("m.csv", data.as_bytes(), &mut Findings::default()).unwrap();
        assert_eq!(
            t.measure("dead_and_missing").unwrap().value(0),
            crate::Value::Int(5)
        );
    }
}
