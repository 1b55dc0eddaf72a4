//! Passage's native API under `/api/v1/`, designed against the compatible API's pain points: strict
//! parameters with one error table, ISO3 by default, real numbers and `null`, every response naming
//! its release and sources, ETag and Last-Modified per release, paging with the row count, CSV with
//! HXL hashtags, releases, their files for mirrors and their diff, and an OpenAPI document built from the same tables.

mod claims;
mod error;
mod http_date;
mod indicators;
mod negotiation;
mod openapi;
pub(crate) mod params;
mod registry;
mod release_files;
mod write_limit;

use std::fmt::Write;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use passage_datasets::Dataset;
use passage_store::{run, Filter, Query, Release};

use crate::AppState;
pub(crate) use error::ApiError;
use error::ANSWER_CELLS_BUDGET;
use params::{list, read, years_of, QUERY_PARAMS};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/datasets", get(datasets))
        .route("/api/v1/datasets/{dataset}", get(dataset))
        .route("/api/v1/releases", get(releases))
        .route("/api/v1/releases/{id}", get(release))
        .route(
            "/api/v1/releases/{id}/manifest",
            get(release_files::manifest),
        )
        .route(
            "/api/v1/releases/{id}/tables/{dataset}",
            get(release_files::table),
        )
        .route("/api/v1/diff", get(diff))
        .merge(indicators::routes())
        .merge(claims::routes())
        .merge(negotiation::routes())
        .merge(registry::routes())
        .route(
            "/api/v1/openapi.json",
            get(|| async { Json(openapi::document()) }),
        )
        .route("/api/v1/docs", get(|| async { Html(openapi::docs_page()) }))
        .layer(registry::write_limiter())
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
    let by: Vec<String> = match p.get("by") {
        Some(b) => list(b).iter().map(|n| dim_for(n, unhcr)).collect(),
        None if t.table.years.is_some() => vec!["year".into()],
        None => Vec::new(),
    };
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
    let mut query = Query {
        dataset: ds.name().into(),
        years,
        filters,
        by,
        measures,
    };
    passage_store::check_country_codes(&release, &query)?;
    let comparable = passage_store::make_comparable(&release, &mut query)?;
    let format = p.get("format").cloned().unwrap_or_else(|| "json".into());
    if !matches!(format.as_str(), "json" | "csv" | "parquet" | "xlsx") {
        return Err(ApiError::invalid(
            "format",
            format!("expected `json`, `csv`, `parquet` or `xlsx`, found `{format}`"),
        ));
    }
    let options = passage_downloads::CsvOptions::parse(
        p.get("hxl").map(String::as_str),
        p.get("bom").map(String::as_str),
    )
    .map_err(|(name, message)| ApiError::invalid(name, message))?;
    let dims: Vec<String> = dims.iter().map(|d| d.to_string()).collect();
    let served = release.clone();
    let page = Page {
        offset,
        limit,
        options,
    };
    let mut response = state
        .heavy()
        .run(move || render_dataset(&served, ds, &dims, &query, &comparable, &format, page))
        .await??;
    response.headers_mut().extend(cache_headers);
    if let Ok(v) = HeaderValue::from_str(release.manifest.id.as_str()) {
        response.headers_mut().insert("x-passage-release", v);
    }
    Ok(response)
}

/// A dataset answer as sent, but for its rows, which are written apart.
#[derive(serde::Serialize)]
struct AnswerEnvelope<'a> {
    release: &'a str,
    dataset: &'a str,
    sources: serde_json::Value,
    caveats: &'a [&'a str],
    columns: Vec<&'a str>,
    total_rows: usize,
    offset: usize,
    limit: usize,
    next_offset: Option<usize>,
    total: serde_json::Value,
    notes: Vec<String>,
}

/// One page of a dataset answer: where it starts and how many rows it holds at most.
#[derive(Debug, Clone, Copy)]
struct Page {
    offset: usize,
    limit: usize,
    options: passage_downloads::CsvOptions,
}

/// Computes and renders a dataset answer: the heavy part of a dataset request, run off the async
/// threads.
fn render_dataset(
    release: &Release,
    ds: Dataset,
    dims: &[String],
    query: &Query,
    comparable: &passage_store::Comparable,
    format: &str,
    page: Page,
) -> Result<Response, ApiError> {
    // Refused before the answer is built: an answer of many rows takes tens of MB to build even
    // when only its page is sent. Only a limit that could exceed the budget costs the count.
    let measures = match query.measures.len() {
        0 => release.table(ds).map_or(0, |t| t.table.measures.len()),
        n => n,
    };
    let cells_per_row = (query.by.len() + measures).max(1);
    if page.limit.saturating_mul(cells_per_row) > ANSWER_CELLS_BUDGET {
        let rows = passage_store::count_rows(release, query)?
            .saturating_sub(page.offset)
            .min(page.limit);
        if rows.saturating_mul(cells_per_row) > ANSWER_CELLS_BUDGET {
            return Err(ApiError::AnswerTooLarge {
                rows,
                cells_per_row,
                limit_that_fits: ANSWER_CELLS_BUDGET / cells_per_row,
            });
        }
    }
    let answer = run(release, query)?;
    let (page_from, page_to) = (
        page.offset.min(answer.len()),
        page.offset.saturating_add(page.limit).min(answer.len()),
    );
    let total = match comparable.no_total {
        None => answer.total_json(),
        Some(_) => serde_json::Value::Null,
    };
    let mut notes = comparable.notes();
    let years: std::collections::BTreeSet<i32> =
        answer.held().filter_map(|i| answer.year_of(i)).collect();
    let labels = release.period_labels(ds, years.iter().copied());
    notes.extend(release.period_notes(ds, years));

    let response = match format {
        "json" => {
            let dims: Vec<&str> = dims.iter().map(String::as_str).collect();
            let flags = flag_counts(release, query, &dims)?;
            let envelope = AnswerEnvelope {
                release: release.manifest.id.as_str(),
                dataset: ds.name(),
                sources: sources_of(release, ds),
                caveats: ds.provider().caveats(),
                columns: answer.columns(),
                total_rows: answer.len(),
                offset: page_from,
                limit: page.limit,
                next_offset: (page_to < answer.len()).then_some(page_to),
                total,
                notes,
            };
            // The envelope, then its `rows` written one at a time into the same buffer before
            // its closing brace: a page of 100,000 rows as a tree of JSON values, or as text
            // copied into place, would hold several times its size in memory.
            let mut body = serde_json::to_vec(&envelope).map_err(|_| ApiError::Internal)?;
            body.pop();
            body.reserve((page_to - page_from) * 160 + 16);
            body.extend_from_slice(b",\"rows\":[");
            for i in page_from..page_to {
                if i > page_from {
                    body.push(b',');
                }
                body.push(b'{');
                answer.write_row_fields(i, &mut body);
                let counts = (!flags.is_empty())
                    .then(|| flags.get(&answer.row(i).keys.join("\u{1f}")))
                    .flatten();
                if let Some(counts) = counts {
                    body.extend_from_slice(b",\"flags\":");
                    serde_json::to_writer(&mut body, counts).map_err(|_| ApiError::Internal)?;
                }
                if let Some(p) = answer.year_of(i).and_then(|y| labels.get(&y)) {
                    body.extend_from_slice(b",\"reference_period\":");
                    serde_json::to_writer(&mut body, p).map_err(|_| ApiError::Internal)?;
                }
                body.push(b'}');
            }
            body.extend_from_slice(b"]}");
            (
                [(header::CONTENT_TYPE, "application/json")],
                axum::body::Bytes::from(body),
            )
                .into_response()
        }
        "csv" => {
            let columns = answer.columns();
            let options = page.options;
            let mut out = options.preamble().to_string();
            out.push_str(&columns.join(","));
            out.push('\n');
            if options.hxl {
                out.push_str(
                    &columns
                        .iter()
                        .map(|c| passage_downloads::hxl_tag(c))
                        .collect::<Vec<_>>()
                        .join(","),
                );
                out.push('\n');
            }
            for i in page_from..page_to {
                let _ = writeln!(out, "{}", answer.row_csv(i));
            }
            ([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], out).into_response()
        }
        "xlsx" => {
            use passage_downloads::{Sheet, XlsxCell};
            let columns = answer.columns();
            let mut rows = vec![columns
                .iter()
                .map(|c| XlsxCell::Text(c.to_string()))
                .collect::<Vec<_>>()];
            for i in page_from..page_to {
                let row = answer.row(i);
                let mut cells: Vec<XlsxCell> = answer
                    .keys
                    .iter()
                    .zip(row.keys)
                    .map(|(name, k)| match (*name, k.parse::<f64>()) {
                        ("year", Ok(y)) => XlsxCell::Number(y),
                        _ => XlsxCell::Text(k.to_string()),
                    })
                    .collect();
                cells.extend(
                    row.values
                        .iter()
                        .map(|v| v.as_f64().map_or(XlsxCell::Empty, XlsxCell::Number)),
                );
                rows.push(cells);
            }
            let mut notes = vec![
                vec![
                    XlsxCell::Text("Release".into()),
                    XlsxCell::Text(release.manifest.id.to_string()),
                ],
                vec![
                    XlsxCell::Text("Dataset".into()),
                    XlsxCell::Text(ds.name().into()),
                ],
                vec![
                    XlsxCell::Text("Not available".into()),
                    XlsxCell::Text("an empty cell, never 0".into()),
                ],
            ];
            for src in release
                .manifest
                .sources
                .iter()
                .filter(|s| s.datasets.iter().any(|d| d == ds.name()))
            {
                notes.push(vec![
                    XlsxCell::Text("Source".into()),
                    XlsxCell::Text(format!(
                        "{}; licence: {}; file {}",
                        src.attribution, src.licence, src.file
                    )),
                ]);
            }
            for n in comparable.notes() {
                notes.push(vec![XlsxCell::Text("Note".into()), XlsxCell::Text(n)]);
            }
            let book = passage_downloads::workbook(&[
                Sheet {
                    name: ds.name().into(),
                    rows,
                },
                Sheet {
                    name: "Sources and notes".into(),
                    rows: notes,
                },
            ]);
            (
                [(
                    header::CONTENT_TYPE,
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )],
                book,
            )
                .into_response()
        }
        "parquet" => {
            let bytes = passage_store::answer_to_parquet(release, &answer, page_from, page_to)
                .map_err(|e| {
                    tracing::error!(error = %e, "parquet output failed");
                    ApiError::Internal
                })?;
            (
                [(header::CONTENT_TYPE, "application/vnd.apache.parquet")],
                bytes,
            )
                .into_response()
        }
        _ => return Err(ApiError::Internal),
    };
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
    // A table none of whose rows carries a flag needs no second pass over the selection.
    let table = release.table(Dataset::from_name(&query.dataset).ok_or(ApiError::Internal)?);
    let flagged_anywhere = table
        .and_then(|t| t.table.dims.iter().find(|d| d.name == "quality_flag"))
        .is_some_and(|d| d.dict.iter().any(|v| v.split(';').any(|f| !f.is_empty())));
    if !flagged_anywhere {
        return Ok(out);
    }
    let mut flagged = query.clone();
    flagged.by.push("quality_flag".into());
    // Only the row counts are read: one measure keeps the grouped answer small.
    let first = release
        .table(Dataset::from_name(&query.dataset).ok_or(ApiError::Internal)?)
        .and_then(|t| t.table.measures.first())
        .map(|m| m.name.clone());
    flagged.measures = query
        .measures
        .first()
        .cloned()
        .or(first)
        .into_iter()
        .collect();
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
    let st = state.clone();
    let text = state
        .heavy()
        .run(move || -> Result<std::sync::Arc<String>, ApiError> {
            let store = st.store();
            let (a, b) = (store.resolve(&from)?, store.resolve(&to)?);
            if let Some(hit) = st.cached_diff(&a, &b) {
                return Ok(hit);
            }
            let diff = st.diff(&a, &b)?;
            let text = serde_json::to_string(diff.as_ref()).map_err(|e| {
                tracing::error!(error = %e, "diff rendering failed");
                ApiError::Internal
            })?;
            Ok(st.keep_diff(a, b, text))
        })
        .await??;
    Ok((
        [(header::CONTENT_TYPE, "application/json")],
        text.as_ref().clone(),
    )
        .into_response())
}
