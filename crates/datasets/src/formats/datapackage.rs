//! A release that Passage exported as a Frictionless Data Package, read back: `datapackage.json`
//! names the release it came from and gives a Table Schema per resource, which must be exactly its
//! dataset's columns; each resource's CSV is then read by that schema, an empty field being not
//! available. Only Passage's own packages are accepted: their columns are the store's.

use std::path::{Component, Path};

use passage_domain::ReleaseId;
use serde_json::Value as Json;

use crate::csv_input::{CsvInput, Row};
use crate::table::MeasureKind;
use crate::{Dataset, Findings, LoadError, Table};

/// The descriptor's file name at the root of a package.
pub const DESCRIPTOR: &str = "datapackage.json";

/// How the exporter names a package: this, then the release id.
const NAME_PREFIX: &str = "passage-release-";

/// What a Passage descriptor says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    /// The release the package was exported from.
    pub release: ReleaseId,
    /// Its resources, in the descriptor's order, one per dataset.
    pub resources: Vec<Resource>,
}

/// A resource of a Passage package: one dataset's CSV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resource {
    /// The dataset the resource holds.
    pub dataset: Dataset,
    /// The CSV's path inside the package, `/`-separated and checked to stay inside it.
    pub path: String,
    /// The CSV's size as the descriptor gives it, when it does.
    pub bytes: Option<u64>,
    /// The provider's version of the data that the original release recorded, when its sources
    /// agree on one.
    pub source_version: Option<String>,
}

/// The columns of a dataset's CSV in a package, in order: `year` (when it has years), its
/// dimensions, then its measures, as the exporter writes them.
pub fn header(dataset: Dataset) -> Vec<&'static str> {
    let s = dataset.schema();
    let mut h = Vec::with_capacity(1 + s.dims.len() + s.measures.len());
    if s.year {
        h.push("year");
    }
    h.extend(s.dims);
    h.extend(s.measures.iter().map(|m| m.0));
    h
}

/// The Table Schema field types of a dataset's columns, in [`header`]'s order.
fn field_types(dataset: Dataset) -> Vec<&'static str> {
    let s = dataset.schema();
    let mut t = Vec::new();
    if s.year {
        t.push("integer");
    }
    t.extend(s.dims.iter().map(|_| "string"));
    t.extend(s.measures.iter().map(|(_, k)| match k {
        MeasureKind::Int => "integer",
        MeasureKind::Float => "number",
    }));
    t
}

fn not_passage(file: &str, reason: impl Into<String>) -> LoadError {
    LoadError::NotPassagePackage {
        file: file.to_string(),
        reason: reason.into(),
    }
}

fn bad_resource(
    file: &str,
    resource: &str,
    field: Option<&str>,
    message: impl Into<String>,
) -> LoadError {
    LoadError::BadResource {
        file: file.to_string(),
        resource: resource.to_string(),
        field: field.map(str::to_string),
        message: message.into(),
    }
}

/// A path inside the package: relative, `/`-separated, each part a plain name (no `..`, no `.`, no
/// empty part), so that a descriptor can never make the import read a file outside its folder and
/// each resource has one spelling.
fn inside_package(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', ':'])
        && path.split('/').all(|part| {
            let mut c = Path::new(part).components();
            matches!((c.next(), c.next()), (Some(Component::Normal(n)), None) if n == part)
        })
}

/// Whether `data` is a descriptor written by Passage's exporter, judged by its name and id alone.
pub fn looks_like_passage(data: &[u8]) -> bool {
    serde_json::from_slice::<Json>(data)
        .ok()
        .is_some_and(|doc| release_of(DESCRIPTOR, &doc).is_ok())
}

fn release_of(file: &str, doc: &Json) -> Result<ReleaseId, LoadError> {
    let Some(obj) = doc.as_object() else {
        return Err(not_passage(file, "expected a JSON object"));
    };
    let name = obj.get("name").and_then(Json::as_str).unwrap_or_default();
    let Some(id) = name.strip_prefix(NAME_PREFIX) else {
        return Err(not_passage(
            file,
            format!("expected `name` to be `{NAME_PREFIX}<release id>`, found `{name}`"),
        ));
    };
    let release: ReleaseId = id.parse().map_err(|e: passage_domain::DomainError| {
        not_passage(file, format!("`name` names no release: {e}"))
    })?;
    match obj.get("id").and_then(Json::as_str) {
        Some(given) if given == release.as_str() => Ok(release),
        other => Err(not_passage(
            file,
            format!(
                "expected `id` to be `{release}` as its name says, found {}",
                other.map_or_else(|| "none".to_string(), |s| format!("`{s}`"))
            ),
        )),
    }
}

/// Reads a Passage descriptor: the release it was exported from and its resources, each checked
/// against its dataset's columns so that a CSV is only ever read by the store's schema.
pub fn read_descriptor(file: &str, data: &[u8]) -> Result<Package, LoadError> {
    let doc: Json = serde_json::from_slice(data).map_err(|e| {
        LoadError::at(
            file,
            e.line() as u64,
            Some(e.column()),
            None,
            format!("not valid JSON: {e}"),
        )
    })?;
    let release = release_of(file, &doc)?;
    let Some(list) = doc.get("resources").and_then(Json::as_array) else {
        return Err(not_passage(file, "expected a `resources` array"));
    };
    let mut resources: Vec<Resource> = Vec::with_capacity(list.len());
    for (i, r) in list.iter().enumerate() {
        let resource = read_resource(file, i, r)?;
        if let Some(first) = resources.iter().find(|o| o.dataset == resource.dataset) {
            return Err(LoadError::DuplicateSource {
                dataset: resource.dataset.name().to_string(),
                first: first.path.clone(),
                second: resource.path,
            });
        }
        resources.push(resource);
    }
    if resources.is_empty() {
        return Err(not_passage(file, "`resources` is empty"));
    }
    Ok(Package { release, resources })
}

fn read_resource(file: &str, index: usize, r: &Json) -> Result<Resource, LoadError> {
    let label = format!("#{}", index + 1);
    let Some(name) = r.get("name").and_then(Json::as_str) else {
        return Err(bad_resource(file, &label, None, "expected a `name`"));
    };
    let Some(dataset) = Dataset::ALL.into_iter().find(|d| d.name() == name) else {
        return Err(bad_resource(
            file,
            name,
            None,
            "not a dataset of Passage: a package holds only the datasets a release can",
        ));
    };
    let path = r.get("path").and_then(Json::as_str).unwrap_or_default();
    if !inside_package(path) {
        return Err(bad_resource(
            file,
            name,
            None,
            format!("expected `path` to be a relative path inside the package, found `{path}`"),
        ));
    }
    let bytes = match r.get("bytes") {
        None | Some(Json::Null) => None,
        Some(b) => Some(b.as_u64().ok_or_else(|| {
            bad_resource(
                file,
                name,
                None,
                format!("expected `bytes` to be a size, found {b}"),
            )
        })?),
    };
    check_schema(file, name, dataset, r.get("schema"))?;
    Ok(Resource {
        dataset,
        path: path.to_string(),
        bytes,
        source_version: agreed_version(r.get("sources")),
    })
}

/// Refuses a Table Schema that is not the dataset's own, naming the first field that differs.
fn check_schema(
    file: &str,
    name: &str,
    dataset: Dataset,
    schema: Option<&Json>,
) -> Result<(), LoadError> {
    let Some(fields) = schema
        .and_then(|s| s.get("fields"))
        .and_then(Json::as_array)
    else {
        return Err(bad_resource(
            file,
            name,
            None,
            "expected a `schema` with `fields`",
        ));
    };
    // An empty field means not available; any other marker would change what a cell means.
    if let Some(missing) = schema.and_then(|s| s.get("missingValues")) {
        if *missing != Json::Array(vec![Json::String(String::new())]) {
            return Err(bad_resource(
                file,
                name,
                None,
                format!("expected `missingValues` to be [\"\"], found {missing}"),
            ));
        }
    }
    let (want, types) = (header(dataset), field_types(dataset));
    if fields.len() != want.len() {
        return Err(bad_resource(
            file,
            name,
            None,
            format!(
                "expected {} fields ({}), found {}",
                want.len(),
                want.join(","),
                fields.len()
            ),
        ));
    }
    for (i, ((field, want), ty)) in fields.iter().zip(&want).zip(&types).enumerate() {
        let got = field.get("name").and_then(Json::as_str).unwrap_or_default();
        let got_type = field.get("type").and_then(Json::as_str).unwrap_or("string");
        if got != *want || got_type != *ty {
            return Err(bad_resource(
                file,
                name,
                Some(got),
                format!(
                    "field {}: expected `{want}` of type {ty}, found `{got}` of type {got_type}",
                    i + 1
                ),
            ));
        }
    }
    Ok(())
}

/// The one provider version a resource's sources record, if they agree on exactly one.
fn agreed_version(sources: Option<&Json>) -> Option<String> {
    let mut versions = sources?
        .as_array()?
        .iter()
        .filter_map(|s| s.get("version").and_then(Json::as_str));
    let first = versions.next()?;
    versions.all(|v| v == first).then(|| first.to_string())
}

/// A dimension cell exactly as written: the store's values are read back with their blanks.
fn raw_text<'r>(row: &'r Row<'_>, col: usize) -> Result<&'r str, LoadError> {
    let raw = row.record.get(col).unwrap_or_default();
    std::str::from_utf8(raw).map_err(|_| row.error(col, "expected UTF-8 text"))
}

/// Loads a resource's CSV of `dataset`, whose header must be its schema's fields in order.
pub fn load(
    file: &str,
    data: &[u8],
    dataset: Dataset,
    findings: &mut Findings,
) -> Result<Table, LoadError> {
    let input = CsvInput::new(file, data, 0)?;
    input.expect_header(&header(dataset))?;
    let schema = dataset.schema();
    let first_dim = usize::from(schema.year);
    let first_measure = first_dim + schema.dims.len();
    let mut b = dataset.builder();
    input.for_each_row(findings, |row, _| {
        if schema.year {
            b.push_year(row.year(0)?);
        }
        for i in 0..schema.dims.len() {
            b.push_dim(i, raw_text(row, first_dim + i)?);
        }
        for (i, (_, kind)) in schema.measures.iter().enumerate() {
            match kind {
                MeasureKind::Int => b.push_int(i, row.int(first_measure + i)?),
                MeasureKind::Float => b.push_float(i, row.float(first_measure + i)?),
            }
        }
        b.end_row();
        Ok(())
    })?;
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Value;

    fn descriptor(resources: &str) -> String {
        format!(
            r#"{{"profile": "tabular-data-package", "name": "passage-release-r0123456789ab", "id": "r0123456789ab", "resources": [{resources}]}}"#
        )
    }

    const IDMC: &str = r#"{"name": "idmc", "path": "data/idmc.csv", "bytes": 10,
        "schema": {"missingValues": [""], "fields": [
            {"name": "year", "type": "integer"},
            {"name": "coo_iso", "type": "string"}, {"name": "coa_iso", "type": "string"},
            {"name": "coo", "type": "string"}, {"name": "coa", "type": "string"},
            {"name": "coo_name", "type": "string"}, {"name": "coa_name", "type": "string"},
            {"name": "quality_flag", "type": "string"}, {"name": "total", "type": "integer"}]},
        "sources": [{"title": "IDMC", "path": "unhcr/idmc.csv", "version": "2025.12.1"}]}"#;

    #[test]
    fn a_passage_descriptor_names_its_release_and_resources() {
        let p = read_descriptor(DESCRIPTOR, descriptor(IDMC).as_bytes()).unwrap();
        assert_eq!(p.release.as_str(), "r0123456789ab");
        assert_eq!(
            p.resources,
            vec![Resource {
                dataset: Dataset::Idmc,
                path: "data/idmc.csv".into(),
                bytes: Some(10),
                source_version: Some("2025.12.1".into()),
            }]
        );
        assert!(looks_like_passage(descriptor(IDMC).as_bytes()));
    }

    #[test]
    fn other_descriptors_are_refused_with_what_is_wrong() {
        let err = |text: &str| read_descriptor(DESCRIPTOR, text.as_bytes()).unwrap_err();
        let e = err(r#"{"name": "world-bank", "resources": []}"#);
        assert!(matches!(e, LoadError::NotPassagePackage { .. }), "{e}");
        assert_eq!(
            e.to_string(),
            "datapackage.json: not a data package written by Passage: expected `name` to be \
             `passage-release-<release id>`, found `world-bank`"
        );
        let e = err("{\n  \"name\": ");
        assert_eq!(e.position().map(|p| p.line), Some(2), "{e}");
        let e = err(&descriptor(&IDMC.replace("coa_iso", "asylum")));
        assert_eq!(
            e.to_string(),
            "datapackage.json: resource `idmc`: field 3: expected `coa_iso` of type string, \
             found `asylum` of type string"
        );
        for outside in [
            "../idmc.csv",
            "/tmp/idmc.csv",
            "data//idmc.csv",
            "./data/idmc.csv",
            "data/",
        ] {
            let e = err(&descriptor(&IDMC.replace("data/idmc.csv", outside)));
            assert!(
                e.to_string().contains("inside the package"),
                "{outside}: {e}"
            );
        }
        let e = err(&descriptor(&format!("{IDMC}, {IDMC}")));
        assert!(matches!(e, LoadError::DuplicateSource { .. }), "{e}");
        let e = err(&descriptor(&IDMC.replace(r#"[""]"#, r#"["", "-"]"#)));
        assert!(e.to_string().contains("missingValues"), "{e}");
    }

    #[test]
    fn a_resource_reads_back_with_not_available_empty() {
        let csv = "year,coo_iso,coa_iso,coo,coa,coo_name,coa_name,quality_flag,total\n\
                   2024,SYR,SYR,SYR,SYR,\"Syria, Arab Rep.\",Syria,,0\n\
                   2025,SYR,SYR,SYR,SYR, padded ,Syria,,\n";
        let t = load(
            "data/idmc.csv",
            csv.as_bytes(),
            Dataset::Idmc,
            &mut Findings::default(),
        )
        .unwrap();
        assert_eq!(t.len, 2);
        assert_eq!(t.years, Some(vec![2024, 2025]));
        assert_eq!(t.dim("coo_name").unwrap().value(0), "Syria, Arab Rep.");
        assert_eq!(t.dim("coo_name").unwrap().value(1), " padded ");
        assert_eq!(t.measure("total").unwrap().value(0), Value::Int(0));
        assert_eq!(t.measure("total").unwrap().value(1), Value::Null);
        let bad = csv.replace(",,0\n", ",,zero\n");
        let e = load(
            "data/idmc.csv",
            bad.as_bytes(),
            Dataset::Idmc,
            &mut Findings::default(),
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "data/idmc.csv:2:9 (column `total`): expected a whole number or an empty cell, found `zero`"
        );
    }
}
