//! Passage's native API under `/api/v1/`, designed against the compatible API's pain points: strict
//! parameters with one error table, ISO3 by default, real numbers and `null`, every response naming
//! its release and sources, ETag and Last-Modified per release, paging with the row count, CSV with
//! HXL hashtags, releases and their diff, and an OpenAPI document built from the same tables.

mod claims;
mod error;
mod http_date;
mod indicators;
mod openapi;
pub(crate) mod params;
mod registry;

use std::fmt::Write;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use passage_datasets::Dataset;
use passage_store::{run, Filter, Query, Release};

use crate::AppState;
use error::ApiError;
use params::{list, read, years_of, QUERY_PARAMS};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/datasets", get(datasets))
        .route("/api/v1/datasets/{dataset}", get(dataset))
        .route("/api/v1/releases", get(releases))
        .route("/api/v1/releases/{id}", get(release))
        .route("/api/v1/diff", get(diff))
        .merge(indicators::routes())
        .merge(claims::routes())
        .merge(registry::routes())
        .route(
            "/api/v1/openapi.json",
            get(|| async { Json(openapi::document()) }),
        )
        .route("/api/v1/docs", get(|| async { Html(openapi::docs_page()) }))
}

fn active(state: &AppState) -> Result<std::sync::Arc<Release>, ApiError> {
    state.release().ok_or(ApiError::NoRelease)
}

fn no_params(query: &Option<String>) -> Result<(), ApiError> {
    read(query.as_deref().unwrap_or(""), &[], &[]).map(|_| ())
}

fn sources_of(release: &Release, dataset: Dataset) -> serde_json::Value {
    release.manifest.sources_json(dataset.name())
}

async fn datasets(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    no_params(&q)?;
    let release = active(&state)?;
    let list: Vec<_> = release
        .tables()
        .map(|t| {
            serde_json::json!({
                "dataset": t.dataset.name(), "title": t.dataset.title(), "rows": t.table.len,
                "years": t.year_ranges.first().map(|f| [f.0, t.year_ranges.last().map_or(f.0, |l| l.0)]),
                "dimensions": t.table.dims.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
                "measures": t.table.measures.iter().map(|m| m.name.as_str()).collect::<Vec<_>>(),
                "sources": sources_of(&release, t.dataset),
            })
        })
        .collect();
    Ok(Json(serde_json::json!({"release": release.manifest.id, "datasets": list})).into_response())
}

/// The dimension a parameter or grouping name stands for, in the chosen code system.
fn dim_for(name: &str, unhcr: bool) -> String {
    match (name, unhcr) {
        ("origin", false) => "coo_iso".into(),
        ("origin", true) => "coo".into(),
        ("asylum", false) => "coa_iso".into(),
        ("asylum", true) => "coa".into(),
        ("country", _) => "iso3".into(),
        (other, _) => other.into(),
    }
}

/// The HXL hashtag of a column, for humanitarian tools.
fn hxl(column: &str) -> String {
    match column {
        "year" => "#date+year".into(),
        "coo_iso" | "coo" => "#country+code+origin".into(),
        "coa_iso" | "coa" => "#country+code+asylum".into(),
        "iso3" => "#country+code".into(),
        "sex" => "#group+sex".into(),
        other => format!("#indicator+{}", other.replace('_', "")),
    }
}

fn fnv(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

async fn dataset(
    State(state): State<AppState>,
    Path(name): Path<String>,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let release = active(&state)?;
    let ds = Dataset::from_name(&name)
        .filter(|d| release.table(*d).is_some())
        .ok_or(ApiError::UnknownDataset(name))?;
    let t = release.table(ds).ok_or(ApiError::Internal)?;
    let dims: Vec<&str> = t.table.dims.iter().map(|d| d.name.as_str()).collect();
    let p = read(q.as_deref().unwrap_or(""), &QUERY_PARAMS, &dims)?;

    let etag = format!(
        "\"{}-{:016x}\"",
        release.manifest.id,
        fnv(&format!("{}?{p:?}", ds.name()))
    );
    let last_modified = http_date::from_rfc3339(&release.manifest.created_at);
    let mut cache_headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        cache_headers.insert(header::ETAG, v);
    }
    if let Some(v) = last_modified
        .as_deref()
        .and_then(|d| HeaderValue::from_str(d).ok())
    {
        cache_headers.insert(header::LAST_MODIFIED, v);
    }
    let not_modified = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim() == etag || e.trim() == "*"));
    if not_modified {
        return Ok((StatusCode::NOT_MODIFIED, cache_headers).into_response());
    }

    let unhcr = match p.get("codes").map(String::as_str) {
        None | Some("iso") => false,
        Some("unhcr") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "codes",
                format!("expected `iso` or `unhcr`, found `{other}`"),
            ))
        }
    };
    let years = years_of(&p)?;
    let mut filters = Vec::new();
    for key in ["origin", "asylum", "country"] {
        if let Some(v) = p.get(key) {
            let dim = dim_for(key, unhcr);
            if !dims.contains(&dim.as_str()) {
                return Err(ApiError::invalid(
                    key,
                    format!("dataset `{}` has no {key} dimension", ds.name()),
                ));
            }
            filters.push(Filter {
                parameter: key.into(),
                dim,
                values: list(v),
            });
        }
    }
    for d in &dims {
        if let Some(v) = p.get(*d) {
            filters.push(Filter {
                parameter: d.to_string(),
                dim: d.to_string(),
                values: list(v),
            });
        }
    }
    let mut by: Vec<String> = match p.get("by") {
        Some(b) => list(b).iter().map(|n| dim_for(n, unhcr)).collect(),
        None if t.table.years.is_some() => vec!["year".into()],
        None => Vec::new(),
    };
    // Cases and persons are never summed together: their column always splits the rows.
    for unit in ["app_pc", "dec_pc"] {
        if dims.contains(&unit) && !by.iter().any(|b| b == unit) && !p.contains_key(unit) {
            by.push(unit.into());
        }
    }
    let measures = p.get("measures").map(|m| list(m)).unwrap_or_default();
    let limit: usize = match p.get("limit") {
        None => 1000,
        Some(l) => l
            .parse()
            .ok()
            .filter(|l| (1..=100_000).contains(l))
            .ok_or_else(|| {
                ApiError::invalid("limit", "expected a whole number from 1 to 100000")
            })?,
    };
    let offset: usize = match p.get("offset") {
        None => 0,
        Some(o) => o
            .parse()
            .map_err(|_| ApiError::invalid("offset", "expected a whole number, 0 or more"))?,
    };
    let query = Query {
        dataset: ds.name().into(),
        years,
        filters,
        by,
        measures,
    };
    let answer = run(&release, &query)?;
    let (from, to) = (
        offset.min(answer.len()),
        offset.saturating_add(limit).min(answer.len()),
    );

    let format = p.get("format").map_or("json", String::as_str);
    let mut response = match format {
        "json" => {
            let flags = flag_counts(&release, &query, &dims)?;
            let rows: Vec<serde_json::Value> = (from..to)
                .map(|i| {
                    let mut row = answer.row_json(i);
                    if let (Some(counts), serde_json::Value::Object(m)) =
                        (flags.get(&answer.row(i).keys.join("\u{1f}")), &mut row)
                    {
                        m.insert("flags".into(), serde_json::json!(counts));
                    }
                    row
                })
                .collect();
            Json(serde_json::json!({
                "release": release.manifest.id, "dataset": ds.name(),
                "sources": sources_of(&release, ds), "caveats": ds.provider().caveats(),
                "columns": answer.columns(),
                "total_rows": answer.len(), "offset": from, "limit": limit,
                "next_offset": (to < answer.len()).then_some(to),
                "rows": rows, "total": answer.total_json(),
            }))
            .into_response()
        }
        "csv" => {
            let columns = answer.columns();
            let mut out = columns.join(",");
            out.push('\n');
            out.push_str(&columns.iter().map(|c| hxl(c)).collect::<Vec<_>>().join(","));
            out.push('\n');
            for i in from..to {
                let _ = writeln!(out, "{}", answer.row_csv(i));
            }
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response()
        }
        "parquet" => {
            let bytes =
                passage_store::answer_to_parquet(&release, &answer, from, to).map_err(|e| {
                    tracing::error!(error = %e, "parquet output failed");
                    ApiError::Internal
                })?;
            (
                [(header::CONTENT_TYPE, "application/vnd.apache.parquet")],
                bytes,
            )
                .into_response()
        }
        other => {
            return Err(ApiError::invalid(
                "format",
                format!("expected `json`, `csv` or `parquet`, found `{other}`"),
            ))
        }
    };
    response.headers_mut().extend(cache_headers);
    if let Ok(v) = HeaderValue::from_str(release.manifest.id.as_str()) {
        response.headers_mut().insert("x-passage-release", v);
    }
    Ok(response)
}

/// For each answer row (by its keys), how many of its source rows carry each data-quality flag:
/// the same query, grouped by `quality_flag` too, counting rows.
fn flag_counts(
    release: &Release,
    query: &Query,
    dims: &[&str],
) -> Result<std::collections::HashMap<String, std::collections::BTreeMap<String, u64>>, ApiError> {
    let mut out: std::collections::HashMap<String, std::collections::BTreeMap<String, u64>> =
        Default::default();
    if !dims.contains(&"quality_flag") || query.by.iter().any(|b| b == "quality_flag") {
        return Ok(out);
    }
    let mut flagged = query.clone();
    flagged.by.push("quality_flag".into());
    flagged.measures = vec![];
    let answer = run(release, &flagged)?;
    for row in answer.rows() {
        let (flag, keys) = row.keys.split_last().ok_or(ApiError::Internal)?;
        for f in flag.split(';').filter(|f| !f.is_empty()) {
            *out.entry(keys.join("\u{1f}"))
                .or_default()
                .entry(f.to_string())
                .or_default() += row.source_rows;
        }
    }
    Ok(out)
}

async fn releases(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    no_params(&q)?;
    let active = state.release().map(|r| r.manifest.id.clone());
    let list: Vec<_> = state
        .store()
        .releases()?
        .iter()
        .map(|m| serde_json::json!({"id": m.id, "created_at": m.created_at, "active": Some(&m.id) == active.as_ref(),
                                    "tables": m.tables.len(), "findings": m.finding_count()}))
        .collect();
    Ok(Json(serde_json::json!({"releases": list})).into_response())
}

async fn release(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    no_params(&q)?;
    let id = state.store().resolve(&id)?;
    Ok(Json(state.store().manifest(&id)?).into_response())
}

async fn diff(State(state): State<AppState>, RawQuery(q): RawQuery) -> Result<Response, ApiError> {
    let specs = [
        params::ParamSpec {
            name: "from",
            description: "",
            example: "",
        },
        params::ParamSpec {
            name: "to",
            description: "",
            example: "",
        },
    ];
    let p = read(q.as_deref().unwrap_or(""), &specs, &[])?;
    let get = |k: &str| {
        p.get(k).cloned().ok_or_else(|| {
            ApiError::invalid(k, format!("`{k}` is required: a release id or `active`"))
        })
    };
    let (from, to) = (get("from")?, get("to")?);
    let store = state.store().clone();
    let d = tokio::task::spawn_blocking(move || -> Result<passage_store::Diff, ApiError> {
        let (a, b) = (store.resolve(&from)?, store.resolve(&to)?);
        Ok(passage_store::diff(&store.load(&a)?, &store.load(&b)?))
    })
    .await
    .map_err(|_| ApiError::Internal)??;
    Ok(Json(d).into_response())
}
