//! The native API's OpenAPI 3.1 document, built from the same parameter and error tables the
//! handlers validate with, and a docs page rendered from it that needs no network.

use passage_datasets::Dataset;
use serde_json::{json, Value};

use super::error::ERROR_TABLE;
use super::params::QUERY_PARAMS;

fn error_response() -> Value {
    json!({"description": "An error from the error table (`x-error-codes`).",
           "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}})
}

fn errors() -> Value {
    let mut r = serde_json::Map::new();
    for (_, status, _) in ERROR_TABLE {
        r.insert(status.to_string(), error_response());
    }
    Value::Object(r)
}

/// The whole document.
pub fn document() -> Value {
    let datasets: Vec<&str> = Dataset::ALL.iter().map(|d| d.name()).collect();
    let query_params: Vec<Value> = QUERY_PARAMS
        .iter()
        .map(|p| {
            json!({"name": p.name, "in": "query", "required": false, "description": p.description,
                        "schema": {"type": "string"}, "example": p.example})
        })
        .collect();
    let mut dataset_responses = errors();
    if let Value::Object(m) = &mut dataset_responses {
        m.insert("200".into(), json!({"description": "Rows of the answer, with the release and sources.",
            "headers": {"ETag": {"schema": {"type": "string"}}, "Last-Modified": {"schema": {"type": "string"}}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Answer"}},
                        "text/csv": {"schema": {"type": "string"}},
                        "application/vnd.apache.parquet": {"schema": {"type": "string", "format": "binary"}}}}));
        m.insert(
            "304".into(),
            json!({"description": "Not modified (If-None-Match matched the ETag)."}),
        );
    }
    let ok = |desc: &str| -> Value {
        let mut r = errors();
        if let Value::Object(m) = &mut r {
            m.insert("200".into(), json!({"description": desc, "content": {"application/json": {"schema": {"type": "object"}}}}));
        }
        r
    };
    json!({
        "openapi": "3.1.0",
        "info": {"title": "Passage native API", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Refugee and migration statistics from immutable, versioned releases. Every answer names its release and sources."},
        "paths": {
            "/api/v1/datasets": {"get": {"operationId": "listDatasets", "summary": "Datasets of the active release", "responses": ok("Datasets, their dimensions, measures and sources.")}},
            "/api/v1/datasets/{dataset}": {"get": {
                "operationId": "queryDataset", "summary": "Filter, group and sum a dataset",
                "description": "Any dimension of the dataset is also a filter parameter (comma-separated values). Asylum data is always split by case/person unit.",
                "parameters": std::iter::once(json!({"name": "dataset", "in": "path", "required": true, "schema": {"type": "string", "enum": datasets}}))
                    .chain(query_params).collect::<Vec<_>>(),
                "responses": dataset_responses}},
            "/api/v1/releases": {"get": {"operationId": "listReleases", "summary": "Releases in the store", "responses": ok("Releases, the active one marked.")}},
            "/api/v1/releases/{id}": {"get": {"operationId": "getRelease", "summary": "A release's manifest: sources, licences, digests, findings",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": ok("The manifest.")}},
            "/api/v1/diff": {"get": {"operationId": "diffReleases", "summary": "Revisions between two releases",
                "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "string"}},
                               {"name": "to", "in": "query", "required": true, "schema": {"type": "string"}}],
                "responses": ok("Rows added, removed and changed, by dataset and year.")}},
        },
        "components": {"schemas": {
            "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object",
                "required": ["code", "message"],
                "properties": {"code": {"type": "string", "enum": ERROR_TABLE.iter().map(|e| e.0).collect::<Vec<_>>()},
                               "parameter": {"type": ["string", "null"]}, "message": {"type": "string"}}}}},
            "Answer": {"type": "object", "required": ["release", "dataset", "rows", "total_rows"], "properties": {
                "release": {"type": "string"}, "dataset": {"type": "string"}, "sources": {"type": "array"},
                "caveats": {"type": "array", "items": {"type": "string"}}, "columns": {"type": "array", "items": {"type": "string"}},
                "total_rows": {"type": "integer"}, "offset": {"type": "integer"}, "limit": {"type": "integer"},
                "next_offset": {"type": ["integer", "null"]},
                "rows": {"type": "array", "items": {"type": "object",
                    "properties": {"flags": {"type": "object", "description": "Data-quality flags: how many of the row's source rows carry each.",
                                             "additionalProperties": {"type": "integer"}}},
                    "additionalProperties": {"type": ["string", "number", "null", "object"]}}},
                "total": {"type": "object", "additionalProperties": {"type": ["number", "null"]}}}},
        }},
        "x-error-codes": ERROR_TABLE.iter().map(|(c, s, d)| json!({"code": c, "status": s, "meaning": d})).collect::<Vec<_>>(),
    })
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A plain HTML page of the document: endpoints, parameters, errors. No scripts, no CDN.
pub fn docs_page() -> String {
    let doc = document();
    let mut html = String::from("<!doctype html><html><head><meta charset=\"utf-8\"><title>Passage API</title>\
        <style>body{font-family:sans-serif;max-width:60em;margin:2em auto}code{background:#eee}td{padding:.2em .6em;vertical-align:top}</style>\
        </head><body><h1>Passage native API</h1><p>Machine-readable: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a></p>");
    if let Some(paths) = doc["paths"].as_object() {
        for (path, ops) in paths {
            let op = &ops["get"];
            html.push_str(&format!(
                "<h2><code>GET {}</code></h2><p>{}</p>",
                escape(path),
                escape(op["summary"].as_str().unwrap_or(""))
            ));
            if let Some(d) = op["description"].as_str() {
                html.push_str(&format!("<p>{}</p>", escape(d)));
            }
            if let Some(params) = op["parameters"].as_array() {
                html.push_str("<table>");
                for p in params {
                    html.push_str(&format!(
                        "<tr><td><code>{}</code></td><td>{}</td></tr>",
                        escape(p["name"].as_str().unwrap_or("")),
                        escape(p["description"].as_str().unwrap_or(""))
                    ));
                }
                html.push_str("</table>");
            }
        }
    }
    html.push_str("<h2>Errors</h2><table>");
    for (code, status, meaning) in ERROR_TABLE {
        html.push_str(&format!(
            "<tr><td>{status}</td><td><code>{code}</code></td><td>{}</td></tr>",
            escape(meaning)
        ));
    }
    html.push_str("</table></body></html>");
    html
}
