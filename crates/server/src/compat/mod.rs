//! UNHCR's population API v1 under `/population/v1/`, answered from the active release with the
//! original's contract, quirks included (`../shared/reference/unhcr-population-api-v1.md`), so that
//! existing clients work with only their base URL changed. Errors are HTML pages, as there.

mod cache;
mod download;
mod endpoint;
mod page;
pub(crate) mod params;

use std::collections::BTreeSet;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use passage_datasets::Dataset;
use passage_store::Release;

use crate::AppState;
pub use cache::PageCache;
use endpoint::Endpoint;
use params::CompatParams;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/population/v1", get(root))
        .route("/population/v1/", get(root))
        .route("/population/v1/{endpoint}", get(endpoint))
        .route("/population/v1/{endpoint}/", get(endpoint))
}

fn json(body: String) -> Response {
    ([(header::CONTENT_TYPE, "application/json")], body).into_response()
}

fn html_error(status: StatusCode, message: &str) -> Response {
    (status, Html(format!("<!doctype html><html><head><title>{status}</title></head><body><h1>{status}</h1><p>{message}</p></body></html>"))).into_response()
}

async fn root() -> Response {
    json(r#"{"message":"Welcome to the API, served offline by Passage from its active release","path":"/population/v1/"}"#.into())
}

async fn endpoint(
    State(state): State<AppState>,
    Path(name): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    let raw = query.unwrap_or_default();
    let params = CompatParams::parse(&raw);
    let Some(release) = state.release() else {
        return html_error(
            StatusCode::SERVICE_UNAVAILABLE,
            "No release is loaded yet: run passage sync.",
        );
    };
    if let Some(ep) = Endpoint::find(&name) {
        if params.download {
            let file =
                tokio::task::block_in_place(|| download::download_csv(&release, ep, &params, &raw));
            let Some((file_name, csv)) = file else {
                return html_error(
                    StatusCode::NOT_FOUND,
                    "This release does not hold that dataset.",
                );
            };
            let archive = passage_downloads::zip(&[(file_name, csv.into_bytes())]);
            let disposition = format!("attachment; filename=\"{}.zip\"", ep.path);
            return (
                [
                    (header::CONTENT_TYPE, "application/zip".to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                archive,
            )
                .into_response();
        }
        let body = tokio::task::block_in_place(|| {
            page::data_page(&release, ep, &params, &raw, state.pages())
        });
        return json(body);
    }
    match name.as_str() {
        "countries" => json(countries(&release, &params, &raw)),
        "regions" => json(regions(&release, &params, &raw)),
        "years" => json(years(&release, &params, &raw)),
        "footnotes" => json(format!(
            "{{\"page\":{},\"maxPages\":0,\"items\":[]}}",
            params.page
        )),
        "nowcasting" => json(page::empty_page(&params, &raw, false)),
        _ => html_error(StatusCode::NOT_FOUND, "No such endpoint."),
    }
}

fn envelope(p: &CompatParams, raw: &str, items: Vec<serde_json::Value>) -> String {
    let max_pages = items.len().div_ceil(p.limit.max(1));
    let start = (p.page - 1).saturating_mul(p.limit).min(items.len());
    let end = start.saturating_add(p.limit).min(items.len());
    serde_json::json!({
        "page": p.page, "short-url": page::short_url(raw), "maxPages": max_pages, "total": [],
        "items": &items[start..end],
    })
    .to_string()
}

fn countries(release: &Release, p: &CompatParams, raw: &str) -> String {
    let items = release
        .countries()
        .countries()
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.m49, "code": c.unhcr, "iso": c.iso3, "iso2": c.iso2, "name": c.name,
                "nationality": "-", "region": c.unhcr_region, "majorArea": c.m49_region,
            })
        })
        .collect();
    envelope(p, raw, items)
}

fn regions(release: &Release, p: &CompatParams, raw: &str) -> String {
    let names: BTreeSet<&str> = release
        .countries()
        .countries()
        .iter()
        .filter_map(|c| c.unhcr_region.as_deref())
        .collect();
    let items = names
        .into_iter()
        .enumerate()
        .map(|(i, n)| serde_json::json!({"id": i + 1, "name": n}))
        .collect();
    envelope(p, raw, items)
}

/// Years offered: from 1951 to two years after the latest year with population data, including
/// years without data, as the original lists them.
fn years(release: &Release, p: &CompatParams, raw: &str) -> String {
    let last = release
        .table(Dataset::Population)
        .and_then(|t| t.years().last())
        .map_or(1951, i32::from);
    let items = (1951..=last + 2)
        .map(|y| serde_json::json!({"year": y}))
        .collect();
    envelope(p, raw, items)
}
