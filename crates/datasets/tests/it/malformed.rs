//! A corpus of broken variants of every format, made from small valid fixtures: each variant must be
//! refused with an error naming the file, the line, the column and what was expected.

use std::path::Path;

use passage_datasets::{import_dir, ImportOptions, LoadError};

/// (file name, valid content, column of a whole number on line 2, column of the year on line 2).
const FIXTURES: &[(&str, &str, usize, usize)] = &[
    (
        "population.csv",
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,refugees,asylum_seekers,returned_refugees,idps,returned_idps,stateless,ooc,oip,hst\n\
         2024,Syrian Arab Rep.,SYR,SYR,Turkiye,TUR,TUR,2940735,154083,0,0,0,420,0,,0\n\
         2024,Afghanistan,AFG,AFG,Austria,AUS,AUT,40000,5000,0,0,0,0,0,,0\n",
        7,
        0,
    ),
    (
        "asylum_decisions.csv",
        "year,coo_name,coo,coo_iso,coa_name,coa,coa_iso,procedure_type,dec_level,dec_pc,dec_recognized,dec_other,dec_rejected,dec_closed,dec_total\n\
         2000,Afghanistan,AFG,AFG,Australia,AUL,AUS,G,AR,C,38,0,25,0,63\n",
        12,
        0,
    ),
    (
        "missing_migrants_2014_2025.csv",
        "Main ID,Incident ID,Incident Type,Region of Incident,Incident Date,Incident Year,Month,Number of Dead,Minimum Estimated Number of Missing,Total Number of Dead and Missing,Number of Survivors,Number of Females,Number of Males,Number of Children,Country of Origin,Region of Origin,Cause of Death,Country of Incident,Migration Route,Location of Incident,Coordinates,UNSD Geographical Grouping,Information Source,URL,Source Quality\n\
         2014.MMP00001,2014.MMP00001,Incident,North America,2014-01-06,2014,January,1,,1,,,1,,Guatemala,Central America,Mixed or unknown,United States of America,US-Mexico border crossing,Arizona,\"31.65, -110.36\",Northern America,PCOME,,5\n",
        7,
        5,
    ),
    (
        "missing_migrants_2026_export.csv",
        "Main ID,Incident ID,Region,Incident Date,Year,Reported Month,Number Dead,Minimum Estimated Number of Missing,Number of Survivors,Number of Females,Number of Males,Number of Children,Region of Origin,Cause of Death,Country of Origin,Location of death,Information Source,Coordinates,Migration route,URL,UNSD Geographical Grouping,Source Quality\n\
         2026.MMP0002,2026.MMP0002,Mediterranean,\"Fri, 01/02/2026 - 12:00\",2026,January,1,0,,,1,1,Northern Africa,Drowning,Morocco,Ceuta,El Faro,\"35.68, -5.31\",Western Mediterranean,,Uncategorized,1\n",
        6,
        4,
    ),
    (
        "international_migrant_stock_2024.csv",
        "geo,t,from,sex,n,type_b,type_c,type_r,type_i\nDEU,2024,SYR,female,100,1,0,1,0\nDEU,2024,SYR,male,120,1,0,1,0\n",
        4,
        1,
    ),
    ("gdp_current_usd.csv", "Country Name,Country Code,Year,Value\nAfghanistan,AFG,2000,3521418059.9\n", usize::MAX, 2),
    ("population_wb.csv", "Country Name,Country Code,Year,Value\nAruba,ABW,1960,54922\n", usize::MAX, 2),
    ("wdi_wpp_indicators_long.csv", "geo,var,t,v\nABW,pop,1990,62.1\n", usize::MAX, 2),
    (
        "gidd_country_year_2008_2022.csv",
        "ISO3,Name,Year,Conflict Stock Displacement,Conflict Stock Displacement (Raw),Conflict Internal Displacements,Conflict Internal Displacements (Raw),Disaster Internal Displacements,Disaster Internal Displacements (Raw),Disaster Stock Displacement,Disaster Stock Displacement (Raw)\n\
         AFG,Afghanistan,2022,4394000,4393749,32000,32424,220000,220387,2164000,2164085\n",
        3,
        2,
    ),
    ("new_displacements_by_cause_2008_2023.csv", "geo,t,cause,n\nAFG,2014,conflict,5\n", 3, 1),
    ("countries.csv", "iso_code,unhcr_code,name,unhcr_region,unsd_region,unsd_subregion,unsd_imregion\nAUT,AUS,Austria,Europe,Europe,Western Europe,\n", usize::MAX, usize::MAX),
];

fn import_one(name: &str, content: &str) -> Result<(), LoadError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), content).unwrap();
    import_dir(dir.path(), &ImportOptions::default(), &|_| {}).map(|imp| {
        assert_eq!(imp.sources.len(), 1, "{name} should be recognised");
    })
}

/// Splits a line on commas outside quotes, keeping the quotes.
fn fields(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quoted) = (Vec::new(), String::new(), false);
    for ch in line.chars() {
        if ch == '"' {
            quoted = !quoted;
        }
        if ch == ',' && !quoted {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(ch);
        }
    }
    out.push(cur);
    out
}

fn with_field(content: &str, col: usize, value: &str) -> String {
    let mut lines: Vec<String> = content.lines().map(str::to_string).collect();
    let mut f = fields(&lines[1]);
    f[col] = value.to_string();
    lines[1] = f.join(",");
    lines.join("\n") + "\n"
}

fn assert_error(err: LoadError, file: &str, line: u64, column: Option<usize>, expected: &str) {
    let text = err.to_string();
    let at = err
        .position()
        .unwrap_or_else(|| panic!("{file}: no position in `{text}`"));
    assert_eq!((at.file.as_str(), at.line), (file, line), "{text}");
    if column.is_some() {
        assert_eq!(at.column, column, "{text}");
    }
    assert!(
        text.contains(expected),
        "{file}: `{text}` should say `{expected}`"
    );
}

#[test]
fn valid_fixtures_import() {
    for (name, content, _, _) in FIXTURES {
        import_one(name, content).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn wrong_header_names_the_column() {
    for (name, content, _, _) in FIXTURES {
        let broken = content.replacen(content.split([',', '\n']).next().unwrap(), "Yr", 1);
        let err = import_one(name, &broken).unwrap_err();
        assert_error(err, name, 1, Some(1), "unexpected header");
    }
}

#[test]
fn bad_number_names_line_and_column() {
    for (name, content, num_col, _) in FIXTURES.iter().filter(|f| f.2 != usize::MAX) {
        let err = import_one(name, &with_field(content, *num_col, "12x")).unwrap_err();
        assert_error(err, name, 2, Some(num_col + 1), "expected a whole number");
    }
    let err = import_one("gdp_current_usd.csv", &with_field(FIXTURES[5].1, 3, "n/a")).unwrap_err();
    assert_error(err, "gdp_current_usd.csv", 2, Some(4), "expected a number");
}

#[test]
fn bad_year_names_line_and_column() {
    for (name, content, _, year_col) in FIXTURES.iter().filter(|f| f.3 != usize::MAX) {
        let err = import_one(name, &with_field(content, *year_col, "20x4")).unwrap_err();
        assert_error(err, name, 2, Some(year_col + 1), "not a year");
    }
}

#[test]
fn truncated_file_is_refused() {
    for (name, content, _, _) in FIXTURES {
        let last = content.trim_end().lines().last().unwrap();
        let keep = content.trim_end().len() - last.len() + fields(last)[..2].join(",").len();
        let broken = &content[..keep];
        let err = import_one(name, broken).unwrap_err();
        let line = content.trim_end().lines().count() as u64;
        assert_error(err, name, line, None, "the file looks truncated");
    }
}

#[test]
fn bad_values_of_a_known_shape_are_refused() {
    let mm = FIXTURES[3];
    let err = import_one(mm.0, &with_field(mm.1, 3, "2026-01-02")).unwrap_err();
    assert_error(
        err,
        mm.0,
        2,
        Some(4),
        "expected a date like `Thu, 01/01/2026 - 12:00`",
    );
    let stock = FIXTURES[4];
    let err = import_one(stock.0, &with_field(stock.1, 3, "both")).unwrap_err();
    assert_error(
        err,
        stock.0,
        2,
        Some(4),
        "expected `female`, `male` or `total`",
    );
    let err = import_one("population.csv", "").unwrap_err();
    assert_error(err, "population.csv", 1, None, "the file is empty");
}

#[test]
fn checksum_mismatch_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("population.csv"), FIXTURES[0].1).unwrap();
    std::fs::write(
        dir.path().join("SHA256SUMS"),
        format!("{}  ./population.csv\n", "0".repeat(64)),
    )
    .unwrap();
    let err = import_dir(dir.path(), &ImportOptions::default(), &|_| {}).unwrap_err();
    assert!(
        matches!(err, LoadError::Checksum { ref file, .. } if file == "population.csv"),
        "{err}"
    );
}

#[test]
fn two_files_for_one_dataset_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        std::fs::create_dir(dir.path().join(sub)).unwrap();
        std::fs::write(dir.path().join(sub).join("population.csv"), FIXTURES[0].1).unwrap();
    }
    let err = import_dir(dir.path(), &ImportOptions::default(), &|_| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("a/population.csv") && err.contains("b/population.csv"),
        "{err}"
    );
}

#[test]
fn unhcr_download_and_api_json_load_into_the_same_schema() {
    let dir = tempfile::tempdir().unwrap();
    let download = "UNHCR Refugee Population Statistics Database\nSource: UNHCR\nLicence: CC BY 4.0\n\n\
        Year,Country of origin,Country of origin (ISO),Country of asylum,Country of asylum (ISO),Refugees under UNHCR's mandate,Asylum-seekers,Other people in need of international protection\n\
        2024,Syrian Arab Rep.,SYR,Turkiye,TUR,2940735,154083,-\n";
    std::fs::create_dir(dir.path().join("dl")).unwrap();
    std::fs::write(dir.path().join("dl/population.csv"), download).unwrap();
    let json = r#"{"page":1,"maxPages":1,"total":{"dec_total":63},"items":[
        {"year":2000,"coo_id":1,"coo_name":"Afghanistan","coo":"AFG","coo_iso":"AFG","coa_id":2,"coa_name":"Australia","coa":"AUL","coa_iso":"AUS",
         "procedure_type":"G","dec_level":"AR","dec_pc":"C","dec_recognized":38,"dec_other":"0","dec_rejected":25,"dec_closed":"-","dec_total":63}]}"#;
    std::fs::write(dir.path().join("asylum-decisions.json"), json).unwrap();
    std::fs::write(
        dir.path().join("countries.csv"),
        "iso_code,unhcr_code,name,unhcr_region,unsd_region,unsd_subregion,unsd_imregion\n\
         SYR,SYR,Syrian Arab Rep.,Middle East and North Africa,Asia,Western Asia,\n\
         TUR,TUR,Turkiye,Europe,Asia,Western Asia,\n",
    )
    .unwrap();
    let imp = import_dir(dir.path(), &ImportOptions::default(), &|_| {}).unwrap();
    let pop = imp.tables.iter().find(|t| t.name == "population").unwrap();
    assert_eq!(
        pop.measure("refugees").unwrap().value(0),
        passage_datasets::Value::Int(2_940_735)
    );
    assert!(pop.measure("oip").unwrap().value(0).is_null());
    assert!(
        pop.measure("idps").unwrap().value(0).is_null(),
        "a measure absent from the download is not available"
    );
    // UNHCR codes come from the country list imported beside the download, and the row says so.
    let code = |d: &str| pop.dim(d).unwrap().value(0);
    assert_eq!((code("coo"), code("coa")), ("SYR", "TUR"));
    assert_eq!(code("quality_flag"), "unhcr_codes_from_iso");
    let dec = imp
        .tables
        .iter()
        .find(|t| t.name == "asylum_decisions")
        .unwrap();
    assert_eq!(
        dec.measure("dec_other").unwrap().value(0),
        passage_datasets::Value::Int(0)
    );
    assert!(dec.measure("dec_closed").unwrap().value(0).is_null());
    assert_eq!(dec.dim("dec_pc").unwrap().value(0), "C");

    let broken = json.replace("\"dec_rejected\":25", "\"dec_rejected\":\"many\"");
    std::fs::write(dir.path().join("asylum-decisions.json"), &broken).unwrap();
    let err = import_dir(dir.path(), &ImportOptions::default(), &|_| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("asylum-decisions.json") && err.contains("item 1, field `dec_rejected`"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("asylum-decisions.json"),
        &json[..json.len() - 10],
    )
    .unwrap();
    let err = import_dir(dir.path(), &ImportOptions::default(), &|_| {}).unwrap_err();
    let at = err.position().expect("a JSON syntax error has a position");
    assert_eq!(at.file, "asylum-decisions.json");
    assert!(at.line >= 2, "{err}");
}

#[test]
fn a_file_that_is_not_a_source_is_skipped_not_guessed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.csv"), "a,b\n1,2\n").unwrap();
    std::fs::write(dir.path().join("README.md"), "hello").unwrap();
    std::fs::write(dir.path().join("population.csv"), FIXTURES[0].1).unwrap();
    let imp = import_dir(dir.path(), &ImportOptions::default(), &|_| {}).unwrap();
    assert_eq!(
        imp.skipped,
        vec!["README.md".to_string(), "notes.csv".to_string()]
    );
    assert!(Path::new(&imp.sources[0].file).ends_with("population.csv"));
}
