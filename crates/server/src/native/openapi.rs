//! The native API's OpenAPI 3.1 document, built from the same parameter and error tables the
//! handlers validate with, and a docs page rendered from it that needs no network.

use passage_datasets::Dataset;
use serde_json::{json, Value};

use super::error::ERROR_TABLE;
use super::indicators::{INDICATOR_PARAMS, PROFILE_PARAMS, RANKING_PARAMS};
use super::negotiation::{DIFF_PARAMS, GROUPS_PARAMS};
use super::params::{ParamSpec, QUERY_PARAMS};
use super::registry::{EVENTS_PARAMS, EXPORT_PARAMS, PLEDGES_PARAMS, POSITIONS_PARAMS};

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

fn query_params(specs: &[ParamSpec]) -> Vec<Value> {
    specs
        .iter()
        .map(|p| {
            json!({"name": p.name, "in": "query", "required": false, "description": p.description,
                   "schema": {"type": "string"}, "example": p.example})
        })
        .collect()
}

fn path_param(name: &str, schema: Value) -> Value {
    json!({"name": name, "in": "path", "required": true, "schema": schema})
}

/// The claim definition schema: what `passage claims add` reads from TOML, as JSON.
fn claim_schema() -> Value {
    let operand = json!({"type": "object", "required": ["indicator"], "additionalProperties": false, "properties": {
        "indicator": {"type": "string"}, "country": {"type": "string"}, "region": {"type": "string"},
        "role": {"type": "string", "enum": ["host", "origin"]},
        "where": {"type": "object", "additionalProperties": {"type": "string"}},
        "year": {"type": "integer"}}});
    let op = json!({"type": "string", "enum": [">", ">=", "<", "<=", "=="]});
    json!({"type": "object", "required": ["id", "text", "context", "test"], "additionalProperties": false,
    "properties": {
        "id": {"type": "string", "pattern": "^[a-z0-9-]{1,80}$"}, "text": {"type": "string"},
        "context": {"type": "string"}, "tags": {"type": "array", "items": {"type": "string"}},
        "test": {"oneOf": [
            {"type": "object", "required": ["kind", "operand", "op", "value"], "properties": {
                "kind": {"const": "threshold"}, "operand": operand, "op": op, "value": {"type": "number"}}},
            {"type": "object", "required": ["kind", "left", "op", "right"], "properties": {
                "kind": {"const": "compare"}, "left": operand, "op": op, "right": operand, "factor": {"type": "number"}}},
            {"type": "object", "required": ["kind", "operand", "op", "position"], "properties": {
                "kind": {"const": "rank"}, "operand": operand, "op": op, "position": {"type": "integer", "minimum": 0}}},
        ]}}})
}

fn strings() -> Value {
    json!({"type": "array", "items": {"type": "string"}})
}

/// Request bodies of the registry's writes.
fn registry_schemas() -> Vec<(&'static str, Value)> {
    vec![
        (
            "Entity",
            json!({"type": "object", "required": ["id", "kind", "name"], "properties": {
            "id": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$"},
            "kind": {"type": "string", "enum": ["state", "group_of_states", "international_organisation", "ngo", "private_sector", "academia", "refugee_led_organisation", "city", "faith_based", "sports", "other"]},
            "name": {"type": "string"}, "country": {"type": "string", "description": "ISO3; required for a state."},
            "example": {"type": "boolean"}}}),
        ),
        (
            "Pledge",
            json!({"type": "object", "required": ["id", "title", "entity", "forum", "forum_year", "compact", "contribution"], "properties": {
            "id": {"type": "string"}, "title": {"type": "string"}, "description": {"type": "string"},
            "entity": {"type": "string"}, "co_pledgers": strings(), "matched": strings(),
            "forum": {"type": "string", "enum": ["grf", "imrf", "hlom", "other"]}, "forum_year": {"type": "integer"},
            "compact": {"type": "string", "enum": ["GCR", "GCM"]},
            "objectives": {"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 23}},
            "principles": strings(), "area": {"type": "string"},
            "contribution": {"type": "string", "enum": ["financial", "material", "technical", "resettlement_places", "complementary_pathways", "policy", "human_resources", "other"]},
            "amount": {"type": "number"}, "currency": {"type": "string"}, "places": {"type": "integer", "minimum": 0},
            "scope": strings(), "target_date": {"type": "string", "format": "date"}, "example": {"type": "boolean"}}}),
        ),
        (
            "ProgressUpdate",
            json!({"type": "object", "required": ["stage", "date", "text"], "properties": {
            "stage": {"type": "string", "enum": ["planning", "in_progress", "fulfilled"]},
            "date": {"type": "string", "format": "date"}, "text": {"type": "string"}, "evidence": strings()}}),
        ),
        (
            "IndicatorLink",
            json!({"type": "object", "required": ["indicator"], "properties": {
            "indicator": {"type": "string"}, "country": {"type": "string"},
            "role": {"type": "string", "enum": ["host", "origin"]}, "note": {"type": "string"}}}),
        ),
        (
            "Position",
            json!({"type": "object", "required": ["entity", "document", "part", "date", "stance", "summary", "source"],
            "additionalProperties": false, "properties": {
            "id": {"type": "string", "description": "ENTITY-pN, given by the registry; leave it out."},
            "entity": {"type": "string", "pattern": "^[a-z0-9-]{1,64}$", "description": "A state or a group of states of the registry."},
            "document": {"type": "string", "pattern": "^[a-z0-9-]+$", "example": "gcm"},
            "part": {"type": "string", "pattern": "^[a-z]+/[a-z0-9]+(/[a-z]+/[a-z0-9]+)*$", "example": "objective/8/action/b"},
            "date": {"type": "string", "format": "date"},
            "stance": {"type": "string", "enum": passage_registry::Stance::ALL.iter().map(|s| s.name()).collect::<Vec<_>>()},
            "summary": {"type": "string", "minLength": 1}, "quote": {"type": "string", "minLength": 1},
            "source": {"type": "string", "format": "uri", "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://"},
            "forum": {"type": "string", "minLength": 1, "example": "intergovernmental negotiations, round 3"}}}),
        ),
        (
            "TokenRequest",
            json!({"type": "object", "required": ["role"], "properties": {
            "role": {"type": "string", "enum": ["administrator", "entity_editor", "reviewer", "claims_editor"]},
            "entity": {"type": "string"}, "label": {"type": "string"},
            "expires_at": {"type": "string", "description": "YYYY-MM-DDTHH:MM:SSZ"}}}),
        ),
    ]
}

/// The whole document.
pub fn document() -> Value {
    let mut doc = main_document();
    if let Some(paths) = doc["paths"].as_object_mut() {
        paths.extend(negotiation_paths());
    }
    doc
}

/// The negotiation record's routes.
fn negotiation_paths() -> serde_json::Map<String, Value> {
    let ok = |d: &str| {
        let mut r = errors();
        if let Value::Object(m) = &mut r {
            m.insert("200".into(), json!({"description": d}));
        }
        r
    };
    let document = path_param("document", json!({"type": "string", "example": "gcm"}));
    let resolution = path_param(
        "resolution",
        json!({"type": "string", "example": "a-res-73-195", "description": "The resolution's symbol with `-` for `/`."}),
    );
    let Value::Object(paths) = json!({
        "/api/v1/negotiation/documents": {"get": {"operationId": "listVersions", "summary": "The versions of the compacts' texts in the record: the release's and those users imported",
            "responses": ok("Each version: document, label, date, source, licence, parts, findings, origin.")}},
        "/api/v1/negotiation/documents/{document}/versions/{label}": {"get": {"operationId": "getVersion", "summary": "One version whole: its tree of parts, defects found and corrections recorded",
            "parameters": [document.clone(), path_param("label", json!({"type": "string", "example": "adopted"}))],
            "responses": ok("The version and its findings.")}},
        "/api/v1/negotiation/documents/{document}/diff": {"get": {"operationId": "diffVersions", "summary": "The diff of two versions: each part unchanged, changed, moved, added or removed, with word-level edits",
            "parameters": std::iter::once(document).chain(query_params(&DIFF_PARAMS)).collect::<Vec<_>>(),
            "responses": ok("The summary, counts per section and every part's change.")}},
        "/api/v1/negotiation/votes": {"get": {"operationId": "listVotes", "summary": "The recorded votes of the General Assembly on the compacts, with their totals",
            "responses": ok("Each resolution with its yes, no, abstention and non-voting counts.")}},
        "/api/v1/negotiation/votes/{resolution}": {"get": {"operationId": "getVote", "summary": "A recorded vote, every Member State with its ISO3 code",
            "parameters": [resolution.clone()], "responses": ok("The vote, state by state.")}},
        "/api/v1/negotiation/votes/{resolution}/groups": {"get": {"operationId": "voteGroups", "summary": "Each group of a vote joined to what its members host, computed as one place",
            "parameters": std::iter::once(resolution).chain(query_params(&GROUPS_PARAMS)).collect::<Vec<_>>(),
            "responses": ok("Per group: members, and refugees, per 1,000 inhabitants, per US$1 billion of GDP, migrant stock, with shares of the world's.")}},
    }) else {
        return serde_json::Map::new();
    };
    paths
}

fn main_document() -> Value {
    let datasets: Vec<&str> = Dataset::ALL.iter().map(|d| d.name()).collect();
    let dataset_params = query_params(&QUERY_PARAMS);
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
    let ok_with = |status: &str, desc: &str| -> Value {
        let mut r = errors();
        if let Value::Object(m) = &mut r {
            m.insert(status.into(), json!({"description": desc, "content": {"application/json": {"schema": {"type": "object"}}}}));
        }
        r
    };
    let ok = |desc: &str| ok_with("200", desc);
    let indicators: Vec<String> = passage_indicators::Catalogue::builtin()
        .map(|c| c.indicators.into_iter().map(|i| i.id).collect())
        .unwrap_or_default();
    let indicator_id = path_param("id", json!({"type": "string", "enum": indicators}));
    let claim_body = json!({"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Claim"}}}});
    let body_of = |schema: &str| json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{schema}")}}}});
    let id = |name: &str| vec![path_param(name, json!({"type": "string"}))];
    let if_match = json!({"name": "If-Match", "in": "header", "required": true, "schema": {"type": "string"},
        "description": "The version of the record that was read (its ETag), such as \"3\"."});
    let write = |op: &str, summary: &str, params: Vec<Value>, body: Option<Value>, status: &str| {
        let mut o = json!({"operationId": op, "summary": summary, "security": [{"bearer": []}],
            "parameters": params, "responses": ok_with(status, "The record with its new version (also the ETag).")});
        if let (Some(b), Value::Object(m)) = (body, &mut o) {
            m.insert("requestBody".into(), b);
        }
        o
    };
    let with_if_match = |mut params: Vec<Value>| {
        params.push(if_match.clone());
        params
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
                    .chain(dataset_params).collect::<Vec<_>>(),
                "responses": dataset_responses}},
            "/api/v1/releases": {"get": {"operationId": "listReleases", "summary": "Releases in the store", "responses": ok("Releases, the active one marked.")}},
            "/api/v1/releases/{id}": {"get": {"operationId": "getRelease", "summary": "A release's manifest: sources, licences, digests, findings",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}], "responses": ok("The manifest.")}},
            "/api/v1/releases/{id}/manifest": {"get": {"operationId": "getReleaseManifestFile", "summary": "A release's manifest file, byte for byte as the store keeps it (for mirrors)",
                "description": "`id` is a release id, an unambiguous prefix or `active`. The release id is derived from the manifest's sources, so a mirror can check it.",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "active"}],
                "responses": {"200": {"description": "manifest.json as stored.", "content": {"application/json": {"schema": {"type": "object"}}}},
                              "404": error_response(), "400": error_response()}}},
            "/api/v1/releases/{id}/tables/{dataset}": {"get": {"operationId": "getReleaseTableFile", "summary": "A table file of a release, as the store keeps it (Arrow IPC), with byte ranges",
                "description": "The file's sha256 (as the manifest records it) is the `ETag`. One byte range per request (`Range: bytes=N-`), answered `206` with `Content-Range`, so a transfer cut short resumes; a range past the end is `416`.",
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}, "example": "active"},
                               {"name": "dataset", "in": "path", "required": true, "schema": {"type": "string", "enum": Dataset::ALL.iter().map(|d| d.name()).collect::<Vec<_>>()}},
                               {"name": "Range", "in": "header", "required": false, "schema": {"type": "string"}, "example": "bytes=1048576-"}],
                "responses": {"200": {"description": "The whole file.", "content": {"application/vnd.apache.arrow.file": {"schema": {"type": "string", "format": "binary"}}}},
                              "206": {"description": "The range asked for.", "content": {"application/vnd.apache.arrow.file": {"schema": {"type": "string", "format": "binary"}}}},
                              "416": error_response(), "404": error_response(), "400": error_response()}}},
            "/api/v1/diff": {"get": {"operationId": "diffReleases", "summary": "Revisions between two releases",
                "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "string"}},
                               {"name": "to", "in": "query", "required": true, "schema": {"type": "string"}}],
                "responses": ok("Rows added, removed and changed, by dataset and year.")}},
            "/api/v1/indicators": {"get": {"operationId": "listIndicators", "summary": "The indicator catalogue",
                "description": "Each indicator with the compact objectives it evidences, unit, definition, formula terms, sources, roles, breakdowns and caveats.",
                "responses": ok("The catalogue.")}},
            "/api/v1/indicators/{id}": {"get": {"operationId": "getIndicator", "summary": "An indicator over years, for the world, a region, a country or every country",
                "description": "Every figure with its parts, the source rows behind each part, its change since the previous figure and since the base year, and the queries and source files it comes from. The indicator's breakdown and split dimensions are filter parameters too.",
                "parameters": std::iter::once(indicator_id.clone()).chain(query_params(&INDICATOR_PARAMS)).collect::<Vec<_>>(),
                "responses": ok("The series.")}},
            "/api/v1/indicators/{id}/ranking": {"get": {"operationId": "rankIndicator", "summary": "Countries ranked by an indicator in one year",
                "parameters": std::iter::once(indicator_id).chain(query_params(&RANKING_PARAMS)).collect::<Vec<_>>(),
                "responses": ok("The ranking, largest first.")}},
            "/api/v1/countries/{country}/profile": {"get": {"operationId": "countryProfile", "summary": "A country's indicators as host and as origin",
                "parameters": std::iter::once(path_param("country", json!({"type": "string", "example": "SYR"}))).chain(query_params(&PROFILE_PARAMS)).collect::<Vec<_>>(),
                "responses": ok("Every indicator that applies to the country, by role, over years.")}},
            "/api/v1/claims": {
                "get": {"operationId": "listClaims", "summary": "Claims with their verdicts on the served release",
                    "description": "Each claim, its verdict (with the figures it rests on) and the data years in which it changed.",
                    "responses": ok("The claims.")},
                "post": {"operationId": "registerClaim", "summary": "Register a claim (needs the server's claims token)",
                    "security": [{"bearer": []}], "requestBody": claim_body.clone(),
                    "responses": ok_with("201", "The claim and its first evaluation.")}},
            "/api/v1/claims/check": {"post": {"operationId": "checkClaim", "summary": "Evaluate a claim definition without registering it",
                "requestBody": claim_body, "responses": ok("The evaluation and its timeline.")}},
            "/api/v1/claims/{id}": {"get": {"operationId": "getClaim", "summary": "A claim: verdict, timeline over data years and recorded history",
                "parameters": [path_param("id", json!({"type": "string"}))], "responses": ok("The claim.")}},
            "/api/v1/registry/entities": {
                "get": {"operationId": "listEntities", "summary": "Entities of the pledge registry", "responses": ok("Entities with their versions.")},
                "post": write("createEntity", "Add an entity (administrators)", vec![], Some(body_of("Entity")), "201")},
            "/api/v1/registry/entities/{id}": {
                "get": {"operationId": "getEntity", "summary": "One entity", "parameters": id("id"), "responses": ok("The entity; its version is the ETag.")},
                "put": write("updateEntity", "Change an entity (administrators, its own editors)", with_if_match(id("id")), Some(body_of("Entity")), "200")},
            "/api/v1/registry/pledges": {
                "get": {"operationId": "listPledges", "summary": "Pledges, withdrawn ones marked", "parameters": query_params(&PLEDGES_PARAMS), "responses": ok("Pledges with their versions.")},
                "post": write("createPledge", "Add a pledge (administrators, the submitting entity's editors)", vec![], Some(body_of("Pledge")), "201")},
            "/api/v1/registry/pledges/{id}": {
                "get": {"operationId": "getPledge", "summary": "A pledge with its progress updates and links, each link beside its indicator's figures",
                    "parameters": id("id"), "responses": ok("The pledge record and the evidence.")},
                "put": write("updatePledge", "Change a pledge", with_if_match(id("id")), Some(body_of("Pledge")), "200"),
                "delete": write("withdrawPledge", "Withdraw a pledge: it stays, marked withdrawn, with its history", with_if_match(id("id")), None, "200")},
            "/api/v1/registry/pledges/{id}/updates": {"post": write("addProgressUpdate", "Report progress on a pledge", id("id"), Some(body_of("ProgressUpdate")), "201")},
            "/api/v1/registry/pledges/{id}/links": {"post": write("linkIndicator", "Link a pledge to an indicator for a country and role", id("id"), Some(body_of("IndicatorLink")), "201")},
            "/api/v1/registry/pledges/{id}/co-pledgers/{entity}/confirm": {"post": write("confirmCoPledge", "Confirm an entity's consent to co-pledge (its editors, administrators)", with_if_match([id("id"), id("entity")].concat()), None, "200")},
            "/api/v1/registry/updates/{id}/verify": {"post": write("verifyProgressUpdate", "Mark a progress update verified (reviewers)", with_if_match(id("id")), None, "200")},
            "/api/v1/registry/positions": {
                "get": {"operationId": "listPositions", "summary": "Positions of states and groups on parts of the compacts' texts, withdrawn ones marked",
                    "parameters": query_params(&POSITIONS_PARAMS), "responses": ok("Positions with their versions.")},
                "post": write("createPosition", "Record a position (administrators, the stating entity's editors); the registry gives its id", vec![], Some(body_of("Position")), "201")},
            "/api/v1/registry/positions/{id}": {
                "get": {"operationId": "getPosition", "summary": "One position", "parameters": id("id"), "responses": ok("The position; its version is the ETag.")},
                "put": write("updatePosition", "Change a position; it stays with the entity that stated it", with_if_match(id("id")), Some(body_of("Position")), "200"),
                "delete": write("withdrawPosition", "Withdraw a position: it stays, marked withdrawn, with its history", with_if_match(id("id")), None, "200")},
            "/api/v1/registry/tokens": {"post": write("issueToken", "Issue a token; the secret is in this answer only (administrators)", vec![], Some(body_of("TokenRequest")), "201")},
            "/api/v1/registry/tokens/{id}": {"delete": write("revokeToken", "Revoke a token (administrators)", id("id"), None, "200")},
            "/api/v1/registry/import": {"post": write("importRecords", "Import a JSON bundle or a CSV file of one kind, all or nothing (administrators)",
                query_params(&EXPORT_PARAMS), Some(json!({"required": true, "content": {"application/json": {"schema": {"type": "object"}}, "text/csv": {"schema": {"type": "string"}}}})), "201")},
            "/api/v1/registry/export": {"get": {"operationId": "exportRecords", "summary": "Everything as JSON, or one kind as CSV",
                "parameters": query_params(&EXPORT_PARAMS), "responses": ok("The records.")}},
            "/api/v1/registry/events": {"get": {"operationId": "listEvents", "summary": "The hash-chained history of changes",
                "parameters": query_params(&EVENTS_PARAMS), "responses": ok("Events, oldest first.")}},
            "/api/v1/registry/verify": {"get": {"operationId": "verifyHistory", "summary": "Check the history's chain and that the records are what it says",
                "responses": ok("Whether the history is intact, and the first bad event.")}},
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}, "schemas": {
            "Claim": claim_schema(),
            "Entity": registry_schemas()[0].1, "Pledge": registry_schemas()[1].1,
            "ProgressUpdate": registry_schemas()[2].1, "IndicatorLink": registry_schemas()[3].1,
            "Position": registry_schemas()[4].1,
            "TokenRequest": registry_schemas()[5].1,
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
                                             "additionalProperties": {"type": "integer"}},
                                   "reference_period": {"type": "string", "description": "Present when the row's year is not an ordinary end-of-year figure: `mid-year`, or uncertain."}},
                    "additionalProperties": {"type": ["string", "number", "null", "object"]}}},
                "total": {"type": ["object", "null"], "description": "Null when the rows are unlike figures (stocks of several years, cases and persons); `notes` says why.",
                          "additionalProperties": {"type": ["number", "null"]}},
                "notes": {"type": "array", "items": {"type": "string"}, "description": "How the answer was split, why it has no total, which years are mid-year."}}},
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
        for (path, method, op) in paths.iter().flat_map(|(path, ops)| {
            ops.as_object()
                .into_iter()
                .flatten()
                .map(move |(method, op)| (path, method, op))
        }) {
            html.push_str(&format!(
                "<h2><code>{} {}</code></h2><p>{}</p>",
                method.to_uppercase(),
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
