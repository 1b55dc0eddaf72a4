//! UNHCR's population API v1 as `../shared/reference/unhcr-population-api-v1.md` records it.

use std::collections::HashMap;

use serde_json::Value;

use crate::{get, get_json, shared, shared_data};

fn items(v: &Value) -> &Vec<Value> {
    v["items"].as_array().unwrap()
}

/// A cell as the API writes it, from a CSV cell: empty → "-", 0 → "0", else the number.
fn api_cell(csv: &str) -> Value {
    match csv {
        "" => Value::from("-"),
        "0" => Value::from("0"),
        n => Value::from(n.parse::<i64>().unwrap()),
    }
}

fn page_through(path: &str) -> Vec<Value> {
    let s = shared();
    let first = get_json(s.addr, &format!("{path}&page=1"));
    let pages = first["maxPages"].as_u64().unwrap();
    let mut all = items(&first).clone();
    for page in 2..=pages {
        all.extend(
            items(&get_json(s.addr, &format!("{path}&page={page}")))
                .iter()
                .cloned(),
        );
    }
    all
}

/// Splits a CSV line, honouring quotes; cells are trimmed, as Passage's parser trims them.
fn split_csv(line: &str) -> Vec<String> {
    let mut f: Vec<String> = Vec::new();
    let (mut cur, mut q) = (String::new(), false);
    for ch in line.chars() {
        match ch {
            '"' => q = !q,
            ',' if !q => f.push(std::mem::take(&mut cur).trim().to_string()),
            c => cur.push(c),
        }
    }
    f.push(cur.trim().to_string());
    f
}

const CATEGORIES: [&str; 9] = [
    "procedure_type",
    "app_type",
    "dec_level",
    "app_pc",
    "dec_pc",
    "pop_type",
    "location",
    "loc_type",
    "acc_type",
];

/// Pages through an endpoint with `coo_all` and `coa_all` and checks that the rows are exactly the
/// source file's: same count, and for each row the same names, ISO codes, categories and cells.
fn round_trip(endpoint: &str, file: &str, extra: &str) {
    let all = page_through(&format!(
        "/population/v1/{endpoint}/?coo_all=true&coa_all=true&limit=10000&yearFrom=1900&yearTo=2100{extra}"
    ));
    let text = std::fs::read_to_string(shared_data().join("unhcr").join(file)).unwrap();
    let mut lines = text.lines();
    let header = split_csv(lines.next().unwrap());
    let key_columns: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| {
            ["year", "coo", "coa"].contains(&h.as_str()) || CATEGORIES.contains(&h.as_str())
        })
        .map(|(i, _)| i)
        .collect();
    let mut expected: HashMap<Vec<String>, Vec<Value>> = HashMap::new();
    for line in lines {
        let f = split_csv(line);
        let key = key_columns.iter().map(|&i| f[i].clone()).collect();
        let cells = header
            .iter()
            .zip(&f)
            .filter(|(h, _)| h.as_str() != "year" && !key_columns.iter().any(|&i| header[i] == **h))
            .map(|(h, v)| {
                if h.ends_with("_name") || h.ends_with("_iso") {
                    Value::from(v.as_str())
                } else {
                    api_cell(v)
                }
            })
            .collect();
        assert!(
            expected.insert(key, cells).is_none(),
            "{file}: keys are unique"
        );
    }
    assert_eq!(
        all.len(),
        expected.len(),
        "{endpoint}: as many rows as {file}"
    );
    let mut last_year = 0;
    for item in &all {
        let year = item["year"].as_i64().unwrap();
        assert!(year >= last_year, "rows come year-ascending");
        last_year = year;
        let key: Vec<String> = key_columns
            .iter()
            .map(|&i| match &item[header[i].as_str()] {
                Value::Number(n) => n.to_string(),
                v => v.as_str().unwrap_or_default().to_string(),
            })
            .collect();
        let want = expected
            .get(&key)
            .unwrap_or_else(|| panic!("{endpoint}: {key:?} is not a row of {file}"));
        let got: Vec<Value> = header
            .iter()
            .filter(|h| h.as_str() != "year" && !key_columns.iter().any(|&i| header[i] == **h))
            .map(|h| item[h.as_str()].clone())
            .collect();
        assert_eq!(&got, want, "{endpoint}: {key:?}");
    }
}

#[test]
fn paging_through_each_dataset_gives_back_its_source_file() {
    round_trip("population", "population.csv", "");
    round_trip("asylum-applications", "asylum_applications.csv", "");
    round_trip("asylum-decisions", "asylum_decisions.csv", "");
    round_trip("solutions", "solutions.csv", "");
    round_trip("idmc", "idmc.csv", "");
    round_trip("unrwa", "unrwa.csv", "");
    round_trip(
        "demographics",
        "demographics.csv",
        "&ptype_show=1&locationDescription_show=1&locationUR_show=1&locationAccType_show=1",
    );
}

#[test]
fn identity_block_and_summed_dimensions() {
    let s = shared();
    let v = get_json(s.addr, "/population/v1/population/?year=2024");
    assert_eq!(v["maxPages"], 1);
    assert_eq!(v["total"], serde_json::json!([]));
    let row = &items(&v)[0];
    let keys: Vec<&str> = row
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        &keys[..9],
        ["year", "coo_id", "coo_name", "coo", "coo_iso", "coa_id", "coa_name", "coa", "coa_iso"]
    );
    for k in [
        "coo_id", "coo_name", "coo", "coo_iso", "coa_id", "coa_name", "coa", "coa_iso",
    ] {
        assert_eq!(row[k], "-", "{k} of a summed dimension");
    }
    assert!(row["refugees"].as_i64().unwrap() > 30_000_000);
}

#[test]
fn codes_are_unhcr_unless_cf_type_iso() {
    let s = shared();
    let austria = get_json(s.addr, "/population/v1/population/?year=2024&coa=AUS");
    assert_eq!(items(&austria)[0]["coa_name"], "Austria");
    assert_eq!(items(&austria)[0]["coa_iso"], "AUT");
    let australia = get_json(
        s.addr,
        "/population/v1/population/?year=2024&coa=AUS&cf_type=iso",
    );
    assert_eq!(items(&australia)[0]["coa_name"], "Australia");
    let none = get_json(s.addr, "/population/v1/population/?year=2024&coa=DEU");
    assert_eq!(
        (none["maxPages"].clone(), items(&none).len()),
        (Value::from(0), 0)
    );
    let two = get_json(
        s.addr,
        "/population/v1/population/?year=2024&coo[]=SYR&coo[]=AFG",
    );
    let coos: Vec<&str> = items(&two)
        .iter()
        .map(|i| i["coo"].as_str().unwrap())
        .collect();
    assert_eq!(
        coos,
        ["AFG", "SYR"],
        "one row per listed code, never summed together"
    );
}

#[test]
fn year_parameters_behave_as_the_original() {
    let s = shared();
    let years = |q: &str| -> Vec<i64> {
        items(&get_json(
            s.addr,
            &format!("/population/v1/population/?{q}&limit=500"),
        ))
        .iter()
        .map(|i| i["year"].as_i64().unwrap())
        .collect()
    };
    assert_eq!(years("year=2024,2023"), [2024], "year=A,B keeps only A");
    assert_eq!(years("year[]=2023&year[]=2024"), [2023, 2024]);
    assert_eq!(years("yearFrom=2020&yearTo=2022"), [2020, 2021, 2022]);
    assert_eq!(
        years("yearFrom=2020").len(),
        75,
        "a lone bound is ignored: the full history"
    );
    assert_eq!(
        years("yearFrom=2024&yearTo=2035"),
        [2024, 2025],
        "a window beyond coverage is clipped"
    );
    assert_eq!(
        years("year=2021&yearFrom=2020&yearTo=2022"),
        [2021],
        "year and a window: the intersection"
    );
}

#[test]
fn paging_limits_and_columns() {
    let s = shared();
    let v = get_json(
        s.addr,
        "/population/v1/population/?year=2024&coo_all=true&limit=7",
    );
    let rows = get_json(
        s.addr,
        "/population/v1/population/?year=2024&coo_all=true&limit=100000",
    );
    let n = items(&rows).len() as u64;
    assert_eq!(v["maxPages"].as_u64().unwrap(), n.div_ceil(7));
    assert_eq!(items(&v).len(), 7);
    let past = get_json(
        s.addr,
        "/population/v1/population/?year=2024&coo_all=true&limit=7&page=999",
    );
    assert_eq!(
        (past["page"].clone(), items(&past).len()),
        (Value::from(999), 0)
    );
    let zero = get_json(
        s.addr,
        "/population/v1/population/?year=2024&coo_all=true&limit=0",
    );
    assert_eq!(items(&zero).len(), 10, "limit=0 is ignored");
    let one = get_json(
        s.addr,
        "/population/v1/population/?year=2024&coo_all=true&limit=1",
    );
    assert_eq!(
        one["maxPages"].as_u64().unwrap(),
        n,
        "clients count rows with limit=1"
    );
    let cols = get_json(
        s.addr,
        "/population/v1/population/?year=2024&columns[]=refugees&columns[]=nonsense&unknown=1",
    );
    let keys: Vec<&str> = items(&cols)[0]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 10);
    assert_eq!(keys[9], "refugees");
}

#[test]
fn asylum_totals_sum_the_whole_query_and_demographics_show_types_on_request() {
    let s = shared();
    let v = get_json(
        s.addr,
        "/population/v1/asylum-decisions/?year=2024&coo=AFG&coa=GFR&limit=1",
    );
    let all = get_json(
        s.addr,
        "/population/v1/asylum-decisions/?year=2024&coo=AFG&coa=GFR&limit=1000",
    );
    let sum: i64 = items(&all)
        .iter()
        .map(|i| match &i["dec_total"] {
            Value::Number(n) => n.as_i64().unwrap(),
            _ => 0,
        })
        .sum();
    assert_eq!(
        v["total"]["dec_total"].as_i64().unwrap(),
        sum,
        "cases and persons summed, as the original does"
    );
    assert!(items(&v)[0]["dec_pc"].is_string());
    let plain = get_json(
        s.addr,
        "/population/v1/demographics/?year=2025&coo=UKR&coa_all=true&limit=1",
    );
    assert!(items(&plain)[0].get("pop_type").is_none());
    let typed = get_json(
        s.addr,
        "/population/v1/demographics/?year=2025&coo=UKR&coa_all=true&limit=1&ptype_show=1",
    );
    assert!(items(&typed)[0]["pop_type"].is_string());
}

#[test]
fn reference_endpoints_and_errors() {
    let s = shared();
    let countries = get_json(s.addr, "/population/v1/countries/?limit=1000");
    let austria = items(&countries)
        .iter()
        .find(|c| c["code"] == "AUS")
        .unwrap();
    assert_eq!(
        (austria["iso"].as_str(), austria["name"].as_str()),
        (Some("AUT"), Some("Austria"))
    );
    assert_eq!(items(&get_json(s.addr, "/population/v1/regions/")).len(), 6);
    let years = get_json(s.addr, "/population/v1/years/?limit=1000");
    assert_eq!(items(&years).first().unwrap()["year"], 1951);
    assert_eq!(items(&years).last().unwrap()["year"], 2027);
    let foot = get_json(s.addr, "/population/v1/footnotes/");
    assert!(
        foot.get("total").is_none() && foot.get("short-url").is_none() && items(&foot).is_empty()
    );
    assert_eq!(
        items(&get_json(s.addr, "/population/v1/nowcasting/")).len(),
        0
    );
    assert_eq!(
        get_json(s.addr, "/population/v1/")["path"],
        "/population/v1/"
    );
    let (status, body) = get(s.addr, "/population/v1/planets/");
    assert_eq!(status, 404);
    assert!(body.starts_with("<!doctype html>"));
}

/// The bytes of the first file of a stored (uncompressed) ZIP, and its name.
fn first_stored_file(zip: &[u8]) -> (String, Vec<u8>) {
    assert_eq!(&zip[..4], b"PK\x03\x04", "a ZIP local file header");
    let u16_at = |i: usize| u16::from_le_bytes([zip[i], zip[i + 1]]) as usize;
    let size = u32::from_le_bytes([zip[18], zip[19], zip[20], zip[21]]) as usize;
    let (name_len, extra_len) = (u16_at(26), u16_at(28));
    let name = String::from_utf8(zip[30..30 + name_len].to_vec()).unwrap();
    let start = 30 + name_len + extra_len;
    (name, zip[start..start + size].to_vec())
}

fn get_bytes(addr: std::net::SocketAddr, path: &str) -> Vec<u8> {
    use std::io::{Read, Write};
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    assert!(
        head.starts_with("http/1.1 200") && head.contains("application/zip"),
        "{head}"
    );
    assert!(!head.contains("chunked"), "{head}");
    raw[split + 4..].to_vec()
}

#[test]
fn download_is_a_zip_of_labelled_csv_that_passage_reimports() {
    let s = shared();
    let query = "year=2024&coo=SYR&coa_all=true";
    let zip = get_bytes(
        s.addr,
        &format!("/population/v1/population/?{query}&download=true"),
    );
    let (name, csv) = first_stored_file(&zip);
    assert_eq!(name, "population.csv");
    let text = String::from_utf8(csv.clone()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[0].starts_with("UNHCR Refugee Population Statistics Database"));
    assert!(lines[14].starts_with("Year,Country of origin,Country of origin (ISO),Country of asylum,Country of asylum (ISO),Refugees under UNHCR's mandate"), "{}", lines[14]);

    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("population.csv"), &csv).unwrap();
    let imported = passage_datasets::import_dir(dir.path(), &Default::default(), &|_| {}).unwrap();
    assert_eq!(imported.sources[0].format, "UNHCR download (population)");
    let t = imported
        .tables
        .iter()
        .find(|t| t.name == "population")
        .unwrap();
    let api = get_json(
        s.addr,
        &format!("/population/v1/population/?{query}&limit=1000"),
    );
    assert_eq!(t.len, items(&api).len());
    let refugees = t.measure("refugees").unwrap();
    let coa = t.dim("coa_iso").unwrap();
    for (i, item) in items(&api).iter().enumerate() {
        assert_eq!(coa.value(i), item["coa_iso"].as_str().unwrap());
        let expected = match &item["refugees"] {
            Value::Number(n) => passage_datasets::Value::Int(n.as_i64().unwrap()),
            Value::String(z) if z == "0" => passage_datasets::Value::Int(0),
            _ => passage_datasets::Value::Null,
        };
        assert_eq!(refugees.value(i), expected, "{}", coa.value(i));
    }
}
