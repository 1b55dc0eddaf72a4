//! A small data package written here as Passage's exporter writes one: imported, it gives its
//! datasets' tables with not available kept apart from zero and its provenance recorded; broken
//! variants are refused with errors naming the file and line, or the resource and field.

use std::path::Path;

use passage_datasets::{import_dir, Dataset, ImportOptions, LoadError, Value};

const GDP_CSV: &str = "year,iso3,name,gdp_usd\n\
                       2022,SYR,\"Syria, Arab Rep.\",23630000000.5\n\
                       2023,SYR,\"Syria, Arab Rep.\",\n\
                       2023,TUV,Tuvalu,0\n";

const CAUSES_CSV: &str = "year,iso3,cause,new_displacements\n\
                          2021,AFG,conflict,723000\n\
                          2022,AFG,flood,\n";

fn descriptor(gdp_bytes: usize, causes_bytes: usize) -> String {
    format!(
        r#"{{
  "profile": "tabular-data-package",
  "name": "passage-release-r00112233aabb",
  "id": "r00112233aabb",
  "resources": [
    {{"name": "wb_gdp", "path": "data/wb_gdp.csv", "bytes": {gdp_bytes},
      "schema": {{"fields": [
        {{"name": "year", "type": "integer"}}, {{"name": "iso3", "type": "string"}},
        {{"name": "name", "type": "string"}}, {{"name": "gdp_usd", "type": "number"}}],
        "missingValues": [""]}},
      "sources": [{{"title": "World Bank", "path": "worldbank/gdp_current_usd.csv", "version": null}}]}},
    {{"name": "idmc_new_displacements", "path": "data/idmc_new_displacements.csv", "bytes": {causes_bytes},
      "schema": {{"fields": [
        {{"name": "year", "type": "integer"}}, {{"name": "iso3", "type": "string"}},
        {{"name": "cause", "type": "string"}}, {{"name": "new_displacements", "type": "integer"}}],
        "missingValues": [""]}},
      "sources": [{{"title": "IDMC", "path": "idmc/causes.csv", "version": "2024"}}]}}
  ]
}}"#,
    )
}

fn write_package(dir: &Path, descriptor_text: &str, gdp: &str, causes: &str) {
    std::fs::create_dir_all(dir.join("data")).unwrap();
    std::fs::write(dir.join("datapackage.json"), descriptor_text).unwrap();
    std::fs::write(dir.join("README.md"), "# Passage release r00112233aabb\n").unwrap();
    std::fs::write(dir.join("data/wb_gdp.csv"), gdp).unwrap();
    std::fs::write(dir.join("data/idmc_new_displacements.csv"), causes).unwrap();
}

fn package(dir: &Path) {
    write_package(
        dir,
        &descriptor(GDP_CSV.len(), CAUSES_CSV.len()),
        GDP_CSV,
        CAUSES_CSV,
    );
}

fn import(path: &Path) -> Result<passage_datasets::Imported, LoadError> {
    import_dir(path, &ImportOptions::default(), &|_| {})
}

#[test]
fn a_passage_package_imports_as_its_tables_with_its_provenance() {
    let dir = tempfile::tempdir().unwrap();
    package(dir.path());
    let imported = import(dir.path()).unwrap();
    let names: Vec<&str> = imported.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["wb_gdp", "idmc_new_displacements"]);
    let gdp = &imported.tables[0];
    assert_eq!(gdp.years, Some(vec![2022, 2023, 2023]));
    assert_eq!(gdp.dim("name").unwrap().value(0), "Syria, Arab Rep.");
    let v = gdp.measure("gdp_usd").unwrap();
    assert_eq!(v.value(0), Value::Float(23_630_000_000.5));
    assert_eq!(v.value(1), Value::Null, "an empty field is not available");
    assert_eq!(v.value(2), Value::Float(0.0), "and 0 is a real zero");
    let causes = &imported.tables[1];
    assert_eq!(
        causes.measure("new_displacements").unwrap().value(1),
        Value::Null
    );
    assert_eq!(
        causes
            .dims
            .iter()
            .map(|d| d.name.as_str())
            .collect::<Vec<_>>(),
        Dataset::IdmcNewDisplacements.schema().dims
    );

    let s = &imported.sources[1];
    assert_eq!(s.file, "data/idmc_new_displacements.csv");
    assert_eq!(s.format, "Passage data package (idmc_new_displacements)");
    assert_eq!(s.datasets, ["idmc_new_displacements"]);
    assert_eq!(
        s.exported_from.as_ref().map(|r| r.as_str()),
        Some("r00112233aabb")
    );
    assert_eq!(s.source_version.as_deref(), Some("2024"));
    assert_eq!(s.rows, 2);
    assert!(
        s.licence.contains("CC BY-NC"),
        "the provider's licence stays"
    );
    assert_eq!(imported.sources[0].source_version, None);
    assert_eq!(imported.skipped, ["README.md"]);

    // The descriptor itself names the package just as well as its folder.
    let again = import(&dir.path().join("datapackage.json")).unwrap();
    // Debug output, as NaN (not available in a float column) is unequal to itself.
    assert_eq!(
        format!("{:?}", again.tables),
        format!("{:?}", imported.tables)
    );
}

#[test]
fn a_csv_that_does_not_match_its_schema_names_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let gdp = GDP_CSV.replace("23630000000.5", "23.6 bn");
    write_package(
        dir.path(),
        &descriptor(gdp.len(), CAUSES_CSV.len()),
        &gdp,
        CAUSES_CSV,
    );
    let e = import(dir.path()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "data/wb_gdp.csv:2:4 (column `gdp_usd`): expected a number or an empty cell, found `23.6 bn`"
    );
    let causes = CAUSES_CSV.replace("year,iso3,cause", "year,cause,iso3");
    write_package(
        dir.path(),
        &descriptor(GDP_CSV.len(), causes.len()),
        GDP_CSV,
        &causes,
    );
    let e = import(dir.path()).unwrap_err();
    let at = e.position().unwrap();
    assert_eq!(
        (at.file.as_str(), at.line, at.column),
        ("data/idmc_new_displacements.csv", 1, Some(2)),
        "{e}"
    );
}

#[test]
fn a_missing_or_cut_resource_and_a_foreign_descriptor_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    package(dir.path());
    std::fs::remove_file(dir.path().join("data/idmc_new_displacements.csv")).unwrap();
    let e = import(dir.path()).unwrap_err();
    assert!(
        matches!(&e, LoadError::MissingResource { file, resource, .. }
            if file == "data/idmc_new_displacements.csv" && resource == "idmc_new_displacements"),
        "{e}"
    );

    // Cut at a line break, the CSV still parses; its size gives it away.
    let cut = &GDP_CSV[..GDP_CSV.rfind("2023,TUV").unwrap()];
    write_package(
        dir.path(),
        &descriptor(GDP_CSV.len(), CAUSES_CSV.len()),
        cut,
        CAUSES_CSV,
    );
    let e = import(dir.path()).unwrap_err();
    assert!(
        matches!(&e, LoadError::BadResource { resource, .. } if resource == "wb_gdp"),
        "{e}"
    );

    let foreign = descriptor(GDP_CSV.len(), CAUSES_CSV.len())
        .replace("passage-release-r00112233aabb", "gdp-current-usd");
    write_package(dir.path(), &foreign, GDP_CSV, CAUSES_CSV);
    let e = import(dir.path()).unwrap_err();
    assert!(
        matches!(&e, LoadError::NotPassagePackage { file, .. } if file == "datapackage.json"),
        "{e}"
    );

    let zip = dir.path().join("passage.zip");
    std::fs::write(&zip, b"PK\x05\x06").unwrap();
    let e = import(&zip).unwrap_err();
    assert!(e.to_string().contains("unzip it"), "{e}");

    let wrong_type = descriptor(GDP_CSV.len(), CAUSES_CSV.len()).replace(
        r#""name": "gdp_usd", "type": "number""#,
        r#""name": "gdp_usd", "type": "integer""#,
    );
    write_package(dir.path(), &wrong_type, GDP_CSV, CAUSES_CSV);
    let e = import(dir.path()).unwrap_err();
    assert!(
        matches!(&e, LoadError::BadResource { resource, field: Some(f), .. }
            if resource == "wb_gdp" && f == "gdp_usd"),
        "{e}"
    );
}
