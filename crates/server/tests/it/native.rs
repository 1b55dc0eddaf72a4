//! The native API: strict parameters and the error table, ISO by default, real numbers and null,
//! release and sources named, caching headers, CSV with HXL, releases and their files for mirrors,
//! and the OpenAPI document.

use serde_json::Value;

use crate::{get, get_json, get_with, request, shared};

fn error(path: &str) -> (u16, Value) {
    let (status, body) = get(shared().addr, path);
    (
        status,
        serde_json::from_str(&body).unwrap_or_else(|e| panic!("{path}: {e}: {body}")),
    )
}

#[test]
fn strict_parameters_answer_from_one_error_table() {
    for (path, status, code, parameter) in [
        (
            "/api/v1/datasets/population?yaer=2024",
            400,
            "unknown_parameter",
            Some("yaer"),
        ),
        (
            "/api/v1/datasets/population?year=2024&years=2020..2024",
            400,
            "conflicting_parameters",
            Some("years"),
        ),
        (
            "/api/v1/datasets/population?year=20x4",
            400,
            "invalid_parameter",
            Some("year"),
        ),
        (
            "/api/v1/datasets/population?origin=SYRIA",
            400,
            "invalid_parameter",
            Some("origin"),
        ),
        (
            "/api/v1/datasets/population?limit=0",
            400,
            "invalid_parameter",
            Some("limit"),
        ),
        (
            "/api/v1/datasets/population?year=2024&year=2023",
            400,
            "conflicting_parameters",
            Some("year"),
        ),
        (
            "/api/v1/datasets/population?by=planet",
            400,
            "invalid_parameter",
            Some("by"),
        ),
        (
            "/api/v1/datasets/wb_gdp?origin=SYR",
            400,
            "invalid_parameter",
            Some("origin"),
        ),
        ("/api/v1/datasets/planets", 404, "unknown_dataset", None),
        (
            "/api/v1/releases/rffffffffffff",
            404,
            "unknown_release",
            None,
        ),
        (
            "/api/v1/diff?from=active",
            400,
            "invalid_parameter",
            Some("to"),
        ),
    ] {
        let (got, body) = error(path);
        assert_eq!(got, status, "{path}: {body}");
        assert_eq!(body["error"]["code"], code, "{path}");
        assert_eq!(body["error"]["parameter"].as_str(), parameter, "{path}");
        assert!(!body["error"]["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn answers_use_iso_real_numbers_and_name_their_release() {
    let s = shared();
    let v = get_json(
        s.addr,
        "/api/v1/datasets/population?year=2024&origin=SYR&by=asylum&measures=refugees,oip&limit=5",
    );
    assert_eq!(v["release"], get_json(s.addr, "/readyz")["release"]);
    assert_eq!(
        v["columns"],
        serde_json::json!(["coa_iso", "refugees", "oip"])
    );
    assert!(v["total_rows"].as_u64().unwrap() > 100);
    assert_eq!(v["rows"].as_array().unwrap().len(), 5);
    assert_eq!(v["next_offset"], 5);
    let tur = get_json(
        s.addr,
        "/api/v1/datasets/population?year=2024&origin=SYR&asylum=TUR&by=asylum",
    );
    assert_eq!(tur["rows"][0]["refugees"], 2_901_478);
    assert!(tur["rows"][0]["oip"].is_null(), "not available is null");
    assert_eq!(tur["rows"][0]["hst"], 0, "zero is 0");
    assert_eq!(
        tur["sources"][0]["attribution"],
        "UNHCR Refugee Data Finder"
    );
    assert!(tur["caveats"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c.as_str().unwrap().contains("rounded")));
    // ISO by default: AUS is Australia; with codes=unhcr it is Austria.
    let aus = get_json(
        s.addr,
        "/api/v1/datasets/population?year=2024&asylum=AUS&by=asylum",
    );
    assert_eq!(aus["rows"][0]["coa_iso"], "AUS");
    let aut = get_json(
        s.addr,
        "/api/v1/datasets/population?year=2024&asylum=AUS&by=asylum&codes=unhcr",
    );
    assert_eq!(aut["rows"][0]["coa"], "AUS");
    assert_ne!(aus["rows"][0]["refugees"], aut["rows"][0]["refugees"]);
    // Cases and persons are never summed together.
    let dec = get_json(
        s.addr,
        "/api/v1/datasets/asylum_decisions?years=2000..2024&origin=AFG&limit=1000",
    );
    assert_eq!(dec["columns"][1], "dec_pc");
    let units: std::collections::BTreeSet<&str> = dec["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["dec_pc"].as_str().unwrap())
        .collect();
    assert_eq!(
        units.into_iter().collect::<Vec<_>>(),
        ["C", "P"],
        "case and person rows stay apart"
    );
    // Other datasets of the store.
    let mm = get_json(s.addr, "/api/v1/datasets/missing_migrants?year=2023&region_of_incident=Mediterranean&by=cause_of_death&measures=dead_and_missing");
    assert!(mm["total"]["dead_and_missing"].as_i64().unwrap() > 3_000);
}

#[test]
fn caching_headers_and_304() {
    let s = shared();
    let path = "/api/v1/datasets/population?year=2024&by=year";
    let (status, head, _) = get_with(s.addr, path, "");
    assert_eq!(status, 200);
    let header = |name: &str| {
        head.lines()
            .find_map(|l| {
                l.split_once(':')
                    .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                    .map(|(_, v)| v.trim().to_string())
            })
            .unwrap_or_else(|| panic!("no {name} in {head}"))
    };
    let etag = header("etag");
    assert!(header("last-modified").ends_with(" GMT"));
    let (status, _, body) = get_with(s.addr, path, &format!("If-None-Match: {etag}\r\n"));
    assert_eq!((status, body.as_str()), (304, ""));
    let (status, _, _) = get_with(
        s.addr,
        "/api/v1/datasets/population?year=2023&by=year",
        &format!("If-None-Match: {etag}\r\n"),
    );
    assert_eq!(status, 200, "another query has another ETag");
}

#[test]
fn csv_carries_an_hxl_row() {
    let (status, body) = get(shared().addr, "/api/v1/datasets/population?years=2023..2024&origin=SYR&by=year,origin&measures=refugees&format=csv");
    assert_eq!(status, 200);
    let lines: Vec<&str> = body.lines().collect();
    assert_eq!(lines[0], "year,coo_iso,refugees");
    assert_eq!(
        lines[1],
        "#date+year,#country+code+origin,#indicator+refugees"
    );
    assert!(lines[2].starts_with("2023,SYR,") && lines[3].starts_with("2024,SYR,"));
}

#[test]
fn releases_and_the_openapi_document() {
    let s = shared();
    let r = get_json(s.addr, "/api/v1/releases");
    assert_eq!(r["releases"][0]["active"], true);
    let id = r["releases"][0]["id"].as_str().unwrap().to_string();
    let m = get_json(s.addr, &format!("/api/v1/releases/{id}"));
    assert_eq!(m["sources"].as_array().unwrap().len(), 20);
    let d = get_json(s.addr, &format!("/api/v1/diff?from={id}&to=active"));
    assert_eq!(d["datasets"].as_array().unwrap().len(), 0);

    let doc = get_json(s.addr, "/api/v1/openapi.json");
    assert_eq!(doc["openapi"], "3.1.0");
    let params: Vec<&str> = doc["paths"]["/api/v1/datasets/{dataset}"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    for p in [
        "dataset", "year", "years", "origin", "asylum", "by", "measures", "codes", "format",
        "limit", "offset",
    ] {
        assert!(params.contains(&p), "{p} documented");
    }
    let (status, html) = get(s.addr, "/api/v1/docs");
    assert_eq!(status, 200);
    assert!(html.contains("/api/v1/datasets/{dataset}") && html.contains("unknown_parameter"));
    assert!(
        !html.contains("<script") && !html.contains("https://"),
        "the docs page works offline"
    );
}

#[test]
fn data_quality_flags_are_attached_to_the_rows_they_concern() {
    let s = shared();
    // Demographics rows whose bands are all 0 but whose total is not are "not disaggregated".
    let v = get_json(
        s.addr,
        "/api/v1/datasets/demographics?year=2025&by=year,pop_type&measures=total&limit=100",
    );
    let rows = v["rows"].as_array().unwrap();
    let flagged: u64 = rows
        .iter()
        .filter_map(|r| r["flags"]["not_disaggregated"].as_u64())
        .sum();
    assert!(flagged > 0, "{v}");
    for r in rows {
        if let Some(n) = r["flags"]["not_disaggregated"].as_u64() {
            assert!(
                n <= r["source_rows"].as_u64().unwrap(),
                "a flag counts source rows of its own row"
            );
        }
    }
    // Missing Migrants' undated incidents of 2020 show on the 2020 row.
    let mm = get_json(
        s.addr,
        "/api/v1/datasets/missing_migrants?years=2019..2021&measures=dead_and_missing",
    );
    let y2020 = mm["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == 2020)
        .unwrap();
    assert_eq!(y2020["flags"]["undated_year_from_main_id"], 13);
    let y2019 = mm["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == 2019)
        .unwrap();
    assert!(y2019["flags"].get("undated_year_from_main_id").is_none());
}

#[test]
fn parquet_output_reads_back_with_the_release_in_its_metadata() {
    use arrow_array::{Array, Int64Array, StringArray};
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
    use std::io::{Read, Write};

    let s = shared();
    let path = "/api/v1/datasets/population?years=2023..2024&origin=SYR&asylum=TUR,LBN&by=year,asylum&measures=refugees,oip&format=parquet";
    let mut conn = std::net::TcpStream::connect(s.addr).unwrap();
    write!(
        conn,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    conn.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&raw[..split]).to_ascii_lowercase();
    assert!(
        head.contains("200 ok") && head.contains("application/vnd.apache.parquet"),
        "{head}"
    );
    let body = bytes::Bytes::copy_from_slice(&raw[split + 4..]);

    let builder = ParquetRecordBatchReaderBuilder::try_new(body).unwrap();
    let meta = builder
        .metadata()
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .clone();
    let release = get_json(s.addr, "/readyz")["release"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(meta
        .iter()
        .any(|kv| kv.key == "passage.release" && kv.value.as_deref() == Some(release.as_str())));
    let credit = |key: &str| {
        meta.iter()
            .find(|kv| kv.key == key)
            .and_then(|kv| kv.value.clone())
            .unwrap_or_default()
    };
    assert!(credit("passage.attribution").contains("UNHCR"), "{meta:?}");
    assert!(credit("passage.licence").contains("CC BY 4.0"), "{meta:?}");
    let batch = builder.build().unwrap().next().unwrap().unwrap();
    assert_eq!(batch.num_rows(), 4);
    let json = get_json(s.addr, &path.replace("&format=parquet", ""));
    let years = batch
        .column_by_name("year")
        .unwrap()
        .as_any()
        .downcast_ref::<Int64Array>()
        .unwrap();
    let hosts = batch
        .column_by_name("coa_iso")
        .unwrap()
        .as_any()
        .downcast_ref::<StringArray>()
        .unwrap();
    let refugees = batch
        .column_by_name("refugees")
        .unwrap()
        .as_any()
        .downcast_ref::<Int64Array>()
        .unwrap();
    let oip = batch.column_by_name("oip").unwrap();
    for (i, row) in json["rows"].as_array().unwrap().iter().enumerate() {
        assert_eq!(years.value(i), row["year"].as_i64().unwrap());
        assert_eq!(hosts.value(i), row["coa_iso"].as_str().unwrap());
        assert_eq!(refugees.value(i), row["refugees"].as_i64().unwrap());
        assert_eq!(
            oip.is_null(i),
            row["oip"].is_null(),
            "not available stays null"
        );
    }
}

#[test]
fn parquet_answers_read_back_with_pyarrow_as_their_json_with_the_release_and_attribution() {
    let s = shared();
    let path = "/api/v1/datasets/population?years=2023..2024&origin=SYR&by=year,asylum&measures=refugees,oip";
    let json = get_json(s.addr, path);
    let (head, body) = crate::pages::get_bytes(s.addr, &format!("{path}&format=parquet"), "");
    assert!(head.contains("200 ok"), "{head}");
    let file = crate::pages::pyarrow_read(&body);
    assert_eq!(file["types"]["year"], "int64");
    assert_eq!(file["types"]["coa_iso"], "string");
    assert_eq!(file["types"]["refugees"], "int64");
    let rows = file["rows"].as_array().unwrap();
    let expected = json["rows"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    assert!(rows.len() > 20, "Syrians in many countries: {}", rows.len());
    let mut nulls = 0;
    for (got, want) in rows.iter().zip(expected) {
        for key in ["year", "coa_iso", "refugees", "oip"] {
            assert_eq!(got[key], want[key], "{key} of {want}");
        }
        nulls += usize::from(got["oip"].is_null());
    }
    assert!(nulls > 0, "not available stays null in pyarrow, never 0");
    let meta = &file["file_metadata"];
    assert_eq!(
        meta["passage.release"],
        s.state.release().unwrap().manifest.id.to_string()
    );
    assert_eq!(meta["passage.dataset"], "population");
    assert!(
        meta["passage.attribution"]
            .as_str()
            .unwrap()
            .contains("UNHCR"),
        "{meta}"
    );
    assert!(
        meta["passage.licence"]
            .as_str()
            .unwrap()
            .contains("CC BY 4.0"),
        "{meta}"
    );
}

#[test]
fn a_release_s_files_are_served_as_stored_with_their_digest_and_byte_ranges() {
    let s = shared();
    let id = s.store.active_id().unwrap().unwrap();
    let header = |head: &str, name: &str| {
        head.lines().find_map(|l| {
            l.split_once(':')
                .filter(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.trim().to_string())
        })
    };
    let (status, manifest) = get(s.addr, "/api/v1/releases/active/manifest");
    assert_eq!(status, 200);
    assert_eq!(manifest.as_bytes(), s.store.manifest_bytes(&id).unwrap());

    let (_, entry) = s.store.table_file(&id, "population").unwrap();
    let path = format!("/api/v1/releases/{id}/tables/population");
    let (status, head, _) = request(s.addr, "HEAD", &path, "", "");
    assert_eq!(status, 200, "{head}");
    assert_eq!(
        header(&head, "content-length"),
        Some(entry.bytes.to_string())
    );
    assert_eq!(header(&head, "etag"), Some(format!("\"{}\"", entry.sha256)));
    assert_eq!(header(&head, "accept-ranges").as_deref(), Some("bytes"));

    // An Arrow IPC file starts and ends with its magic: ranges at both ends read it.
    let n = entry.bytes;
    let tail = format!("bytes {}-{}/{n}", n - 6, n - 1);
    for (range, content_range) in [
        ("bytes=0-5".to_string(), format!("bytes 0-5/{n}")),
        ("bytes=-6".to_string(), tail.clone()),
        (format!("bytes={}-", n - 6), tail),
    ] {
        let (status, head, body) = get_with(s.addr, &path, &format!("Range: {range}\r\n"));
        assert_eq!(status, 206, "{range}: {head}");
        assert_eq!(body, "ARROW1", "{range}");
        assert_eq!(
            header(&head, "content-range"),
            Some(content_range),
            "{range}"
        );
    }
    let (status, head, body) = get_with(s.addr, &path, &format!("Range: bytes={n}-\r\n"));
    assert_eq!(status, 416, "{head}");
    assert_eq!(header(&head, "content-range"), Some(format!("bytes */{n}")));
    assert!(body.contains("range_not_satisfiable"), "{body}");

    assert_eq!(
        error(&format!("/api/v1/releases/{id}/tables/nothing")).0,
        404
    );
    assert_eq!(error("/api/v1/releases/r000000000000/manifest").0, 404);
    let doc = get_json(s.addr, "/api/v1/openapi.json");
    for p in [
        "/api/v1/releases/{id}/manifest",
        "/api/v1/releases/{id}/tables/{dataset}",
    ] {
        assert!(doc["paths"][p]["get"].is_object(), "{p} documented");
    }
}
