//! The web pages over HTTP on the real data: every page type answers, its twins carry the same
//! tables, its figures equal the native API's, nothing points outside this origin, and bad paths
//! and parameters get an error page that names them.

use serde_json::Value;

use crate::{get, get_json, get_with, shared};

/// One path of each page type, with the parameters users give.
const PAGES: [&str; 23] = [
    "/",
    "/countries",
    "/countries?q=syr",
    "/countries/SYR",
    "/countries/DEU",
    "/indicators",
    "/indicators/refugees",
    "/indicators/internally_displaced_share",
    "/map?indicator=refugees&year=2024&role=host",
    "/map?indicator=refugee_recognition_rate&role=origin",
    "/map/incidents?year=2023",
    "/compacts/gcr",
    "/compacts/gcm",
    "/compacts/gcm/objectives/8",
    "/claims",
    "/pledges",
    "/releases",
    "/search?q=syria",
    "/countries/TUR",
    "/negotiation",
    "/negotiation/gcm/adopted",
    "/negotiation/gcm/diff?from=adopted&to=adopted",
    "/negotiation/votes/a-res-73-195",
];

/// The path of a page's twin with `extension`, keeping its query.
fn twin(page: &str, extension: &str) -> String {
    let (path, query) = page.split_once('?').unwrap_or((page, ""));
    let path = if path == "/" { "/index" } else { path };
    if query.is_empty() {
        format!("{path}.{extension}")
    } else {
        format!("{path}.{extension}?{query}")
    }
}

/// A GET whose body may not be text: the response head (lower case) and the body's bytes.
pub(crate) fn get_bytes(
    addr: std::net::SocketAddr,
    path: &str,
    extra_headers: &str,
) -> (String, Vec<u8>) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: x\r\n{extra_headers}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let at = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    (
        String::from_utf8_lossy(&raw[..at]).to_ascii_lowercase(),
        raw[at + 4..].to_vec(),
    )
}

/// Block elements written inside a paragraph, which the HTML parser does not nest: it closes the
/// paragraph before them, so the page a reader gets is not the one written (and an orphan `</p>`
/// follows). Each is given with the paragraph's start.
fn blocks_in_paragraphs(html: &str) -> Vec<String> {
    const BLOCKS: [&str; 13] = [
        "<p>", "<p ", "<ul", "<ol", "<dl", "<table", "<div", "<figure", "<details", "<section",
        "<form", "<h2", "<h3",
    ];
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = ["<p>", "<p "].iter().filter_map(|t| rest.find(t)).min() {
        let inside = &rest[at + 2..];
        let end = inside.find("</p>").unwrap_or(inside.len());
        if let Some(block) = BLOCKS.iter().find(|b| inside[..end].contains(*b)) {
            let start: String = rest[at..].chars().take(80).collect();
            found.push(format!("{block} in {start}"));
        }
        rest = &inside[end..];
    }
    found
}

#[test]
fn every_page_type_answers_with_html_and_twins_of_the_same_tables() {
    let s = shared();
    for page in PAGES {
        let (status, head, html) = get_with(s.addr, page, "");
        assert_eq!(status, 200, "{page}: {html}");
        assert!(
            head.to_ascii_lowercase()
                .contains("content-type: text/html"),
            "{page}: {head}"
        );
        assert!(html.starts_with("<!DOCTYPE html>"), "{page}");
        assert!(html.contains("<h1>"), "{page}");
        assert_eq!(blocks_in_paragraphs(&html), Vec::<String>::new(), "{page}");
        let doc = get_json(s.addr, &twin(page, "json"));
        let tables = doc["tables"].as_array().unwrap();
        assert_eq!(
            tables.len(),
            html.matches("<table class=\"data\"").count(),
            "{page}: the JSON twin has the page's tables"
        );
        for t in tables {
            let id = t["id"].as_str().unwrap();
            let rows = t["rows"].as_array().unwrap().len();
            let marker = format!("id=\"table-{id}\"");
            assert!(html.contains(&marker), "{page}: table {id} in the HTML");
            let (status, csv) = get(
                s.addr,
                &format!(
                    "{}{}table={id}",
                    twin(page, "csv"),
                    if page.contains('?') { "&" } else { "?" }
                ),
            );
            assert_eq!(status, 200, "{page} csv {id}: {csv}");
            assert_eq!(
                csv.lines().count(),
                rows + 2,
                "{page}: CSV of {id} has a header, HXL hashtags and every row"
            );
        }
        assert_eq!(
            doc["release"],
            s.state.release().unwrap().manifest.id.to_string()
        );
    }
}

#[test]
fn figures_on_the_pages_equal_the_native_apis() {
    let s = shared();
    let mut compared = 0;
    for page in [
        "/countries/SYR",
        "/countries/DEU",
        "/countries/TUR",
        "/indicators/refugees",
        "/map?indicator=refugees&year=2024&role=host",
        "/map?indicator=refugees_per_1000_inhabitants&year=2023&role=host",
        "/",
    ] {
        let doc = get_json(s.addr, &twin(page, "json"));
        for t in doc["tables"].as_array().unwrap() {
            let Some(api) = t["api"].as_str() else {
                continue;
            };
            let answer = get_json(s.addr, api);
            let points = answer["points"].as_array().unwrap();
            for row in t["rows"].as_array().unwrap() {
                // A table of countries in one year has no year column: its API request names the year.
                let year: Option<i64> = row
                    .get("year")
                    .and_then(Value::as_str)
                    .map(|y| y.parse().unwrap());
                let country = row.get("iso3").and_then(Value::as_str);
                let found = points
                    .iter()
                    .find(|p| {
                        year.is_none_or(|y| p["year"].as_i64() == Some(y))
                            && p.get("country").and_then(Value::as_str) == country
                    })
                    .unwrap_or_else(|| {
                        panic!("{page}: {api} has no point for {year:?} {country:?}")
                    });
                assert_eq!(
                    row["value"], found["value"],
                    "{page}: {api} {year:?} {country:?}"
                );
                compared += 1;
            }
        }
    }
    assert!(compared > 500, "only {compared} figures compared");
}

#[test]
fn no_page_points_outside_its_origin_and_every_chart_is_labelled() {
    let s = shared();
    for page in PAGES {
        let (_, html) = get(s.addr, page);
        for attr in ["href=\"", "src=\"", "action=\"", "url("] {
            for (at, _) in html.match_indices(attr) {
                let value = &html[at + attr.len()..];
                let value = value.trim_start_matches(['"', '\'']);
                assert!(
                    !(value.starts_with("http:")
                        || value.starts_with("https:")
                        || value.starts_with("//")),
                    "{page}: a foreign address at {}",
                    &html[at..(at + 80).min(html.len())]
                );
            }
        }
        let svgs = html.matches("<svg ").count();
        assert_eq!(
            svgs,
            html.matches("role=\"img\"").count(),
            "{page}: every chart is an image"
        );
        assert!(!html.contains("NaN"), "{page}: NaN in the page");
        for (at, _) in html.match_indices("<svg ") {
            let chart = &html[at..];
            let end = chart.find("</svg>").unwrap();
            let chart = &chart[..end];
            assert!(
                chart.contains("<title id=") && chart.contains("<desc id="),
                "{page}: a chart without title or desc"
            );
        }
    }
}

#[test]
fn charts_come_as_svg_png_and_embed() {
    let s = shared();
    let doc = get_json(s.addr, "/countries/SYR.json");
    let chart = &doc["charts"][0];
    let (status, svg) = get(s.addr, chart["svg"].as_str().unwrap());
    assert_eq!(status, 200);
    assert!(
        svg.starts_with("<svg") && svg.contains("role=\"img\""),
        "{svg}"
    );
    let (_, png) = get_bytes(s.addr, chart["png"].as_str().unwrap(), "");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    let embed = format!(
        "/embed/countries/SYR/charts/{}",
        chart["id"].as_str().unwrap()
    );
    let (status, html) = get(s.addr, &embed);
    assert_eq!(status, 200, "{embed}");
    assert!(
        html.contains("<svg") && !html.contains("<nav"),
        "an embed is the figure without the site's chrome"
    );
}

#[test]
fn feeds_are_atom() {
    let s = shared();
    for feed in ["releases", "verdicts", "pledges"] {
        let (status, head, body) = get_with(s.addr, &format!("/feeds/{feed}.atom"), "");
        assert_eq!(status, 200, "{feed}");
        assert!(head.contains("application/atom+xml"), "{head}");
        assert!(
            body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            "{body}"
        );
    }
    let (_, _, body) = get_with(s.addr, "/feeds/releases.atom", "");
    assert!(body.contains(&format!(
        "urn:passage:release:{}",
        s.state.release().unwrap().manifest.id
    )));
}

#[test]
fn bad_paths_and_parameters_get_an_error_page_that_names_them() {
    let s = shared();
    for (path, status, says) in [
        ("/countries/ZZZ", 404, "ZZZ"),
        ("/countries/syr", 404, "/countries/SYR"),
        ("/indicators/nope", 404, "nope"),
        ("/map?indicator=nope", 400, "indicator"),
        ("/map?indicator=refugees&year=1800", 400, "year"),
        ("/map?indicator=refugees&role=sideways", 400, "role"),
        ("/map?indicator=sdg_10_7_3", 400, "world only"),
        ("/compacts/gcm/objectives/24", 404, "1 to 23"),
        ("/claims/no-such-claim", 404, "no-such-claim"),
        ("/pledges/NOPE", 404, "NOPE"),
        ("/releases/r000", 404, "r000"),
        ("/countries/SYR/charts/nope.svg", 404, "nope"),
        ("/nowhere", 404, "/nowhere"),
    ] {
        let (got, body) = get(s.addr, path);
        assert_eq!(got, status, "{path}: {body}");
        assert!(body.contains(says), "{path} should say {says}: {body}");
        assert!(body.contains("<h1>"), "{path}: an HTML error page");
    }
    let (status, body) = get(s.addr, "/api/v1/nope");
    assert_eq!(status, 404);
    assert!(body.contains("\"unknown_route\""), "{body}");
}

#[test]
fn pages_are_compressed_when_the_client_accepts_it() {
    let s = shared();
    let (head, body) = get_bytes(s.addr, "/countries/SYR", "Accept-Encoding: gzip\r\n");
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert_eq!(&body[..2], b"\x1f\x8b", "a gzip body");
    assert!(head.contains("content-encoding: gzip"), "{head}");
    assert!(head.contains("server-timing: cache;desc="), "{head}");
    // The compressing is timed apart from the render.
    assert!(head.contains(", gzip;dur="), "{head}");
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&body[..]), &mut unzipped)
        .expect("the gzip body decompresses");
    let (_, plain) = get_bytes(s.addr, "/countries/SYR", "");
    assert_eq!(unzipped, plain, "the gzip body is the plain page");
}

#[test]
fn server_timing_says_whether_a_page_came_from_the_cache() {
    let s = shared();
    // A query no other test asks: the first answer is rendered, the second comes from the cache.
    let path = "/countries?q=server-timing";
    let (first, _) = get_bytes(s.addr, path, "");
    assert!(
        first.contains(r#"server-timing: cache;desc="miss", render;dur="#),
        "{first}"
    );
    let (second, _) = get_bytes(s.addr, path, "");
    assert!(
        second.contains(r#"server-timing: cache;desc="hit", render;dur="#)
            && second.contains(r#"desc="first render""#),
        "{second}"
    );
}

#[test]
fn every_page_and_a_release_download_can_be_cited_in_three_forms() {
    let s = shared();
    let release = s.state.release().unwrap().manifest.id.to_string();
    for path in [
        "/claims",
        "/pledges",
        "/releases",
        "/search?q=syria",
        "/indicators",
    ] {
        let (_, page) = get_bytes(s.addr, path, "");
        let page = String::from_utf8(page).unwrap();
        let at = page
            .find("Cite this page: ")
            .unwrap_or_else(|| panic!("{path}: no citation"));
        let links: Vec<&str> = page[at..]
            .split("href=\"")
            .skip(1)
            .take(3)
            .filter_map(|l| l.split('"').next())
            .collect();
        assert_eq!(links.len(), 3, "{path}: {links:?}");
        for (link, needle) in links
            .iter()
            .zip(["Accessed", "@misc{", "\"type\":\"dataset\""])
        {
            let link = link.replace("&amp;", "&");
            let (head, body) = get_bytes(s.addr, &link, "");
            let body = String::from_utf8(body).unwrap();
            assert!(head.starts_with("http/1.1 200"), "{link}: {head}");
            assert!(
                body.contains(needle) && body.contains(&release) && body.contains("UNHCR"),
                "{link}: {body}"
            );
        }
    }
    let zip = format!("/releases/{release}/download.zip");
    let (head, body) = get_bytes(s.addr, &format!("/cite/text?path={zip}"), "");
    let body = String::from_utf8(body).unwrap();
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(body.contains(&format!("Release {release}: every dataset")) && body.contains(&zip));
    let (head, _) = get_bytes(
        s.addr,
        "/cite/text?path=/releases/r000000000000/download.zip",
        "",
    );
    assert!(head.starts_with("http/1.1 404"), "{head}");
}

#[test]
fn pages_name_their_icon_so_no_browser_asks_for_a_missing_favicon() {
    let s = shared();
    let (_, page) = get_bytes(s.addr, "/", "");
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains(r#"<link rel="icon" type="image/svg+xml" href="/assets/passage-icon.svg">"#),
        "no icon link on /"
    );
    let (head, icon) = get_bytes(s.addr, "/assets/passage-icon.svg", "");
    assert!(head.starts_with("http/1.1 200"), "{head}");
    assert!(head.contains("content-type: image/svg+xml"), "{head}");
    assert!(icon.starts_with(b"<svg xmlns=\"http://www.w3.org/2000/svg\""));
}

#[test]
fn a_warmed_release_serves_its_first_pages_from_the_cache() {
    let s = crate::start(&crate::shared_data());
    let (before, _) = get_bytes(s.addr, "/claims?q=not-warmed", "");
    assert!(before.contains(r#"cache;desc="miss""#), "{before}");
    s.state.warm();
    for path in [
        "/",
        "/claims",
        "/map",
        "/countries",
        "/indicators",
        "/pledges",
    ] {
        let (head, body) = get_bytes(s.addr, path, "");
        assert!(head.starts_with("http/1.1 200"), "{path}: {head}");
        assert!(
            head.contains(r#"cache;desc="hit""#) && head.contains(r#"desc="warmed""#),
            "{path}: {head}"
        );
        // What was kept is the page as rendered now.
        let fresh = passage_server::render_uncached(&s.state, path, "").unwrap();
        assert_eq!(body, fresh.body, "{path}");
    }
}

#[test]
fn pledges_appear_beside_their_data_in_lists_pages_compacts_and_feeds() {
    let s = crate::start(&crate::shared_data());
    let seed = passage_registry::bundle_from_json(passage_registry::SEED, "seed.json").unwrap();
    let count = seed.pledges.len();
    s.state
        .registry()
        .import(&passage_registry::Principal::local(), &seed, &|w, i| {
            format!("{w}[{i}]")
        })
        .unwrap();
    let list = get_json(s.addr, "/pledges.json");
    let rows = list["tables"][0]["rows"].as_array().unwrap();
    assert_eq!(rows.len(), count);
    let gcr = get_json(s.addr, "/pledges.json?compact=GCR");
    let gcr_rows = gcr["tables"][0]["rows"].as_array().unwrap();
    assert!(
        !gcr_rows.is_empty() && gcr_rows.len() < count,
        "the compact filter keeps some"
    );
    assert!(gcr_rows.iter().all(|r| r["compact"] == "GCR"));
    let linked = seed
        .links
        .first()
        .expect("the seed links a pledge to an indicator");
    let (status, html) = get(s.addr, &format!("/pledges/{}", linked.pledge));
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("Example record.") && html.contains("<svg "),
        "the pledge beside its indicator's chart"
    );
    assert!(
        html.contains("<strong>verified</strong>"),
        "the chain's verification is shown"
    );
    let (_, feed) = get(s.addr, "/feeds/pledges.atom");
    assert!(feed.matches("<entry>").count() >= count, "{feed}");
    let compact = get_json(s.addr, "/compacts/gcr.json");
    let pledged: f64 = compact["tables"][0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["pledges"].as_f64().unwrap())
        .sum();
    assert!(
        pledged > 0.0,
        "objectives count the pledges that address them"
    );
}

#[test]
fn a_country_page_counts_the_dead_and_missing_on_its_territory_as_the_api_does() {
    let s = shared();
    let doc = get_json(s.addr, "/countries/ITA.json");
    let table = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "dead-and-missing")
        .expect("Italy has incidents");
    let row = table["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["year"] == "2023")
        .unwrap();
    let api = get_json(s.addr, "/api/v1/datasets/missing_migrants?year=2023&country_of_incident=Italy&measures=dead_and_missing");
    assert_eq!(row["dead_and_missing"], api["total"]["dead_and_missing"]);
    assert!(row["dead_and_missing"].as_i64().unwrap() > 0);
}

#[test]
fn spreadsheets_have_typed_figures_and_a_sheet_of_sources_and_wide_tables_have_a_year_per_column() {
    let s = shared();
    let (head, book) = get_bytes(s.addr, "/countries/SYR.xlsx", "");
    assert!(head.contains("attachment; filename="), "{head}");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("syr.xlsx");
    std::fs::write(&path, book).unwrap();
    let api = get_json(
        s.addr,
        "/api/v1/indicators/refugees?country=SYR&role=origin&year=2024",
    );
    let expected = api["points"][0]["value"].as_i64().unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys, openpyxl; b = openpyxl.load_workbook(sys.argv[1]); s = b['refugees-origin']; rows = list(s.iter_rows(values_only=True)); v = [h for h in rows[0]].index('Value (persons)'); row = [r for r in rows if r[0] == '2024'][0]; print(b.sheetnames[-1], row[v], type(row[v]).__name__)"])
        .arg(&path)
        .output()
        .expect("python3 with openpyxl (PyPI) is installed by .ci/run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("Sources and notes {expected} int")
    );
    let (status, csv) = get(s.addr, "/indicators/refugees/wide.csv?role=host&hxl=0");
    assert_eq!(status, 200, "{csv}");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    assert_eq!(&header[..2], ["iso3", "country"]);
    let col = header.iter().position(|h| *h == "2024").unwrap();
    let tur = lines.find(|l| l.starts_with("TUR,")).unwrap();
    let api = get_json(
        s.addr,
        "/api/v1/indicators/refugees?country=TUR&role=host&year=2024",
    );
    assert_eq!(
        tur.split(',').nth(col).unwrap(),
        api["points"][0]["value"].to_string()
    );
}

#[test]
fn a_native_answer_as_xlsx_has_the_same_figures_as_its_json() {
    let s = shared();
    let path = "/api/v1/datasets/population?year=2024&origin=SYR&by=asylum&measures=refugees";
    let json = get_json(s.addr, path);
    let (_, book) = get_bytes(s.addr, &format!("{path}&format=xlsx"), "");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.xlsx");
    std::fs::write(&file, book).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", "import sys, openpyxl; b = openpyxl.load_workbook(sys.argv[1]); s = b['population']; rows = list(s.iter_rows(values_only=True)); i = rows[0].index('refugees'); print(len(rows) - 1, sum(r[i] or 0 for r in rows[1:]), b.sheetnames[1])"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows = json["rows"].as_array().unwrap();
    let total: i64 = rows
        .iter()
        .map(|r| r["refugees"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        format!("{} {total} Sources and notes", rows.len())
    );
}

/// Reads the Parquet file at `argv[1]` with pyarrow and prints, as JSON, its column types and
/// labels, rows, and key-value metadata both as the file holds it and as pyarrow's table shows it.
const PYARROW_DUMP: &str = r#"
import json, sys
import pyarrow.parquet as pq
t = pq.read_table(sys.argv[1])
def pairs(m):
    return {k.decode(): v.decode() for k, v in (m or {}).items() if not k.startswith(b"ARROW:")}
print(json.dumps({
    "file_metadata": pairs(pq.ParquetFile(sys.argv[1]).metadata.metadata),
    "types": {f.name: str(f.type) for f in t.schema},
    "labels": {f.name: (f.metadata or {}).get(b"label", b"").decode() for f in t.schema},
    "rows": t.to_pylist(),
    "metadata": pairs(t.schema.metadata),
}))
"#;

/// The rows, column types and metadata pyarrow reads from `bytes`.
pub(crate) fn pyarrow_read(bytes: &[u8]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("t.parquet");
    std::fs::write(&file, bytes).unwrap();
    let out = std::process::Command::new("python3")
        .args(["-c", PYARROW_DUMP])
        .arg(&file)
        .output()
        .expect("python3 with pyarrow (PyPI) is installed by .ci/run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn parquet_twins_read_back_with_pyarrow_as_the_json_twin_with_the_release_and_sources() {
    let s = shared();
    let release = s.state.release().unwrap().manifest.id.to_string();
    let (head, bytes) = get_bytes(s.addr, "/countries/SYR.parquet?table=refugees-origin", "");
    assert!(head.contains("200 ok"), "{head}");
    assert!(
        head.contains("content-type: application/vnd.apache.parquet"),
        "{head}"
    );
    assert!(
        head.contains("filename=\"passage-countries-syr-refugees-origin.parquet\""),
        "{head}"
    );
    let file = pyarrow_read(&bytes);
    let doc = get_json(s.addr, "/countries/SYR.json");
    let table = doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == "refugees-origin")
        .unwrap();
    let rows = file["rows"].as_array().unwrap();
    assert_eq!(
        rows,
        table["rows"].as_array().unwrap(),
        "every row, as JSON"
    );
    let columns: Vec<&str> = file["types"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        columns,
        table["columns"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect::<Vec<_>>()
    );

    // The figure a person would quote, equal to the API's and typed as a whole number.
    let value_key = file["types"]
        .as_object()
        .unwrap()
        .iter()
        .find(|(_, t)| *t == "int64")
        .map(|(k, _)| k.clone())
        .expect("a whole-number column");
    let y2024 = rows.iter().find(|r| r["year"] == "2024").unwrap();
    let api = get_json(
        s.addr,
        "/api/v1/indicators/refugees?country=SYR&role=origin&year=2024",
    );
    assert_eq!(y2024[&value_key], api["points"][0]["value"], "{y2024}");
    assert!(y2024[&value_key].as_i64().unwrap() > 1_000_000);
    assert_eq!(file["types"]["year"], "string");
    assert!(!file["labels"][&value_key].as_str().unwrap().is_empty());

    let meta = &file["metadata"];
    assert_eq!(
        meta, &file["file_metadata"],
        "pyarrow's table and the file agree"
    );
    assert_eq!(meta["passage.release"], release.as_str());
    assert_eq!(meta["passage.page"], "/countries/SYR");
    assert_eq!(meta["passage.table"], "refugees-origin");
    for key in ["passage.attribution", "passage.sources", "passage.citation"] {
        assert!(
            meta[key].as_str().unwrap().contains("UNHCR"),
            "{key}: {meta}"
        );
    }
    assert!(
        meta["passage.licence"]
            .as_str()
            .unwrap()
            .contains("CC BY 4.0"),
        "{meta}"
    );
    assert!(
        meta["passage.citation"]
            .as_str()
            .unwrap()
            .contains(&release),
        "{meta}"
    );

    // Without `?table=`, the page's first table, as the CSV twin does; an unknown one is named.
    let (_, first) = get_bytes(s.addr, "/countries/SYR.parquet", "");
    assert_eq!(
        pyarrow_read(&first)["metadata"]["passage.table"],
        doc["tables"][0]["id"]
    );
    let (status, body) = get(s.addr, "/countries/SYR.parquet?table=nope");
    assert_eq!(status, 400);
    assert!(body.contains("nope"), "{body}");
}

#[test]
fn not_available_is_null_in_a_parquet_twin_and_every_table_of_every_page_type_writes_one() {
    let s = shared();
    let mut read = 0;
    for page in PAGES {
        let doc = get_json(s.addr, &twin(page, "json"));
        for t in doc["tables"].as_array().unwrap() {
            let id = t["id"].as_str().unwrap();
            let path = format!(
                "{}{}table={id}",
                twin(page, "parquet"),
                if page.contains('?') { "&" } else { "?" }
            );
            let (head, bytes) = get_bytes(s.addr, &path, "");
            assert!(head.contains("200 ok"), "{path}: {head}");
            assert!(
                bytes.starts_with(b"PAR1") && bytes.ends_with(b"PAR1"),
                "{path}"
            );
            let has_null = t["rows"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r.as_object().unwrap().values().any(Value::is_null));
            // pyarrow starts slowly: a few tables with gaps are enough to see nulls kept.
            if has_null && read < 4 {
                read += 1;
                let file = pyarrow_read(&bytes);
                assert_eq!(
                    file["rows"], t["rows"],
                    "{path}: nulls where the JSON has them"
                );
            }
        }
    }
    assert!(read > 0, "some figure is not available on the pages");
}

#[test]
fn a_release_of_some_sources_shows_the_dashboard_it_can_and_names_what_it_lacks() {
    // The Missing Migrants Project and UNHCR's country list alone: no population, hence no
    // forcibly displaced.
    let dir = tempfile::tempdir().unwrap();
    let unhcr = dir.path().join("unhcr");
    std::fs::create_dir(&unhcr).unwrap();
    std::fs::copy(
        crate::shared_data().join("unhcr/countries.csv"),
        unhcr.join("countries.csv"),
    )
    .unwrap();
    let iom = dir.path().join("iom");
    std::fs::create_dir(&iom).unwrap();
    for entry in std::fs::read_dir(crate::shared_data().join("iom")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            std::fs::copy(&path, iom.join(path.file_name().unwrap())).unwrap();
        }
    }
    let s = crate::start(dir.path());
    let (status, html) = get(s.addr, "/");
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("This release lacks data for part of the dashboard")
            && html.contains("forcibly_displaced (needs the population dataset)"),
        "{html}"
    );
    assert!(html.contains(r#"id="fig-dead-and-missing""#), "{html}");
    assert!(!html.contains(r#"id="fig-forcibly-displaced""#));
    let (status, html) = get(s.addr, "/countries/ITA");
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("(this release has no population data)")
            && html.contains(r#"id="dead-and-missing""#),
        "{html}"
    );
}

#[test]
fn the_incidents_map_is_cited_with_its_year_once_and_its_filters() {
    let s = shared();
    let cite_of = |path: &str| {
        let (_, body) = get(s.addr, path);
        let start = body
            .find(r#"<span class="cite-text">"#)
            .expect("a cite text")
            + 24;
        let end = start + body[start..].find("</span>").unwrap();
        body[start..end].to_string()
    };
    let all = cite_of("/map/incidents?year=2023");
    assert!(
        all.starts_with("Migrants dead and missing, by incident, 2023: all regions, all causes."),
        "{all}"
    );
    let head = all.split(". ").next().unwrap_or("");
    assert_eq!(head.matches("2023").count(), 1, "{all}");
    assert!(all.contains(". Retrieved from Passage, release "), "{all}");
    let one = cite_of("/map/incidents?year=2023&cause=Drowning");
    assert!(one.contains(": all regions, cause Drowning."), "{one}");
    let map = cite_of("/map?indicator=refugees&year=2024&role=host");
    assert!(
        map.starts_with("Refugees and other people in need of international protection, by country as host, 2024. UNHCR"),
        "{map}"
    );
}

#[test]
fn the_incidents_table_comes_a_page_at_a_time_and_its_twins_hold_every_incident() {
    let s = shared();
    let rows_of = |body: &str| body.matches("<tr data-year=").count();
    let (status, first) = get(s.addr, "/map/incidents?year=2023");
    assert_eq!(status, 200);
    let (_, csv) = get(s.addr, "/map/incidents.csv?year=2023");
    // The header, then the HXL row, tagged as humanitarian tools tag events on a map.
    let incidents = csv.lines().count() - 2;
    assert_eq!(
        csv.lines().nth(1),
        Some("#date,#loc+name,#region+name,#cause,#geo+lat,#geo+lon,#affected+dead+missing")
    );
    assert!(incidents > 200, "{incidents} incidents in 2023");
    assert_eq!(rows_of(&first), 100);
    // The key in words: the largest incident's count, as the table's first row has it.
    let top = first
        .split("<tr data-year=")
        .nth(1)
        .and_then(|r| r.split(r#"data-value=""#).last())
        .and_then(|v| v.split('"').next())
        .and_then(|v| v.parse::<f64>().ok())
        .expect("the first row's count");
    let digits = (top as u64).to_string();
    let grouped: String = digits
        .chars()
        .enumerate()
        .flat_map(|(i, c)| {
            let comma = i > 0 && (digits.len() - i).is_multiple_of(3);
            comma.then_some(',').into_iter().chain([c])
        })
        .collect();
    let words = format!("its area in proportion to its dead and missing (the largest: {grouped})");
    assert!(first.contains(&words), "{words}");
    // Every incident is still a point on the map.
    assert!(first.matches("<circle").count() > incidents * 9 / 10);
    let (_, second) = get(s.addr, "/map/incidents?year=2023&page=2");
    assert_eq!(rows_of(&second), 100);
    assert!(first.contains(r#"rel="next" href="/map/incidents?year=2023&amp;page=2""#));
    assert!(second.contains(r#"rel="prev" href="/map/incidents?year=2023""#));
    let row = |body: &str| body.split("<tr data-year=").nth(1).map(str::to_string);
    assert_ne!(
        row(&first),
        row(&second),
        "page 2 starts where page 1 ended"
    );
    let last = incidents.div_ceil(100);
    let (_, end) = get(s.addr, &format!("/map/incidents?year=2023&page={last}"));
    assert_eq!(rows_of(&end), incidents - (last - 1) * 100);
    assert!(!end.contains(r#"rel="next""#));
    for bad in ["0", "x", &(last + 1).to_string()] {
        let (status, body) = get(s.addr, &format!("/map/incidents?year=2023&page={bad}"));
        assert_eq!(status, 400, "page={bad}");
        assert!(body.contains("page"), "{body}");
    }
}

#[test]
fn a_report_comes_as_one_html_file_that_reads_the_same_offline() {
    let s = shared();
    let (status, served) = get(s.addr, "/reports/countries/SYR");
    assert_eq!(status, 200);
    assert!(served.contains(r#"href="/reports/countries/SYR.html" download"#));
    let (status, head, file) = get_with(s.addr, "/reports/countries/SYR.html", "");
    assert_eq!(status, 200, "{file}");
    assert!(
        head.to_ascii_lowercase().contains(
            "content-disposition: attachment; filename=\"passage-reports-countries-syr.html\""
        ),
        "{head}"
    );
    assert!(
        !file.contains("/assets/"),
        "the file needs the server's assets"
    );
    assert!(file.contains("<style>") && file.contains("table.data caption"));
    // The same report: its figures' tables are those of the page served.
    let tables = |html: &str| html.matches("<table class=\"data\"").count();
    assert_eq!(tables(&file), tables(&served));
    assert!(tables(&file) > 10);
    // Read as a file, a link to /countries/IRQ would lead nowhere: with no site address set,
    // the links to the site's pages are taken out, their text kept, and the rows of links to
    // its downloads hidden. Links within the file stay.
    assert!(served.contains(r#"href="/countries/IRQ""#));
    assert!(
        !file.contains(r#"href="/"#),
        "a link to the site is left in the file"
    );
    assert!(file.contains(r##"href="#sources""##));
    assert!(file.contains(r#"<body class="report offline">"#));
    assert!(file.contains("Iraq"));
    let (status, _) = get(s.addr, "/countries/SYR.html");
    assert_eq!(status, 404, "only reports come as one file");
}

#[test]
fn an_incidents_selection_with_none_says_so_and_has_no_pager() {
    let s = shared();
    // Central Asia has incidents in other years, none in 2023.
    let (status, body) = get(s.addr, "/map/incidents?year=2023&region=Central%20Asia");
    assert_eq!(status, 200, "{body}");
    assert!(
        body.contains(
            r#"<option value="Central Asia" selected>Central Asia (none in 2023)</option>"#
        ),
        "the form shows the view asked for: {body}"
    );
    assert!(
        body.contains("by incident, 2023: incidents none</caption>"),
        "{body}"
    );
    assert!(!body.contains(r#"class="pager""#));
    assert!(
        body.contains("No incidents are recorded for this selection"),
        "{body}"
    );
    assert!(
        !body.contains("0 people dead or missing"),
        "none recorded is not zero dead"
    );
}

#[test]
fn an_incidents_value_no_year_has_is_a_bad_parameter() {
    let s = shared();
    let (status, body) = get(s.addr, "/map/incidents?year=2023&cause=No%20such%20cause");
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("no incident has cause &quot;No such cause&quot;"),
        "the parameter and its value are named: {body}"
    );
    assert!(body.contains("Drowning"), "the causes are listed: {body}");
    let (status, body) = get(s.addr, "/map/incidents?region=Atlantis");
    assert_eq!(status, 400, "{body}");
    assert!(
        body.contains("Mediterranean"),
        "the regions are listed: {body}"
    );
}
