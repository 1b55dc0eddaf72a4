//! Negotiation routes of the native API: the versions of the compacts' texts in the record, one
//! version whole, the diff of two versions, the recorded votes, and a vote's groups joined to
//! the indicators. The same record and engine the `/negotiation` pages read.

use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use passage_indicators::vote_groups;
use passage_negotiation::diff_versions;
use passage_store::{NegotiationRecord, StoreError, VersionOrigin, VersionRef};
use serde_json::{json, Value};

use super::error::ApiError;
use super::params::{read, ParamSpec};
use super::{active, no_params};
use crate::AppState;

/// The parameters of the diff route.
pub const DIFF_PARAMS: [ParamSpec; 2] = [
    ParamSpec {
        name: "from",
        description: "The old version's label (required).",
        example: "adopted",
    },
    ParamSpec {
        name: "to",
        description: "The new version's label (required).",
        example: "adopted",
    },
];

/// The parameters of the vote groups route.
pub const GROUPS_PARAMS: [ParamSpec; 1] = [ParamSpec {
    name: "year",
    description: "The reference year of the joined figures. Default 2024.",
    example: "2024",
}];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/negotiation/documents", get(documents))
        .route(
            "/api/v1/negotiation/documents/{document}/versions/{label}",
            get(version),
        )
        .route("/api/v1/negotiation/documents/{document}/diff", get(diff))
        .route("/api/v1/negotiation/votes", get(votes))
        .route("/api/v1/negotiation/votes/{resolution}", get(vote))
        .route("/api/v1/negotiation/votes/{resolution}/groups", get(groups))
}

/// A lookup the record could not answer: what it holds, as a 404.
fn unknown(e: StoreError) -> ApiError {
    match e {
        StoreError::Query(q) => ApiError::UnknownRecord(q.to_string()),
        other => other.into(),
    }
}

fn record(
    state: &AppState,
) -> Result<
    (
        std::sync::Arc<passage_store::Release>,
        std::sync::Arc<NegotiationRecord>,
    ),
    ApiError,
> {
    let release = active(state)?;
    let record = state.negotiation(&release)?;
    Ok((release, record))
}

async fn documents(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let (release, record) = record(&state)?;
    let versions: Vec<Value> = record
        .versions
        .iter()
        .map(|v| {
            let meta = &v.imported.version.meta;
            json!({
                "document": meta.document, "label": meta.label, "date": meta.date,
                "source": meta.source, "licence": meta.licence,
                "parts": v.imported.version.flatten().len(),
                "findings": v.imported.findings.len(),
                "origin": v.origin,
                "release": (v.origin == VersionOrigin::Release).then(|| release.manifest.id.to_string()),
                "href": format!("/api/v1/negotiation/documents/{}/versions/{}", meta.document, meta.label),
            })
        })
        .collect();
    Ok(Json(
        json!({"release": release.manifest.id.to_string(), "versions": versions}),
    ))
}

fn reference(document: &str, label: &str) -> Result<VersionRef, ApiError> {
    VersionRef::parse(&format!("{document}@{label}")).map_err(unknown)
}

async fn version(
    State(state): State<AppState>,
    Path((document, label)): Path<(String, String)>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let (release, record) = record(&state)?;
    let v = record
        .version(&reference(&document, &label)?)
        .map_err(unknown)?;
    Ok(Json(json!({
        "release": release.manifest.id.to_string(),
        "origin": v.origin,
        "version": v.imported.version,
        "findings": v.imported.findings,
    })))
}

async fn diff(
    State(state): State<AppState>,
    Path(document): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = read(q.as_deref().unwrap_or(""), &DIFF_PARAMS, &[])?;
    let (_, record) = record(&state)?;
    let pick = |name: &str| -> Result<&passage_negotiation::Version, ApiError> {
        let label = p.get(name).ok_or_else(|| {
            ApiError::invalid(name, "required: a version's label, such as `adopted`")
        })?;
        record.text(&reference(&document, label)?).map_err(unknown)
    };
    let (old, new) = (pick("from")?, pick("to")?);
    Ok(Json(json!(diff_versions(old, new))))
}

async fn votes(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let (release, record) = record(&state)?;
    let votes: Vec<Value> = record
        .votes
        .iter()
        .map(|v| {
            json!({"resolution": v.resolution, "date": v.date, "undl_record": v.undl_record,
                   "totals": v.totals(),
                   "href": format!("/api/v1/negotiation/votes/{}", v.resolution.to_ascii_lowercase().replace('/', "-"))})
        })
        .collect();
    Ok(Json(json!({
        "release": release.manifest.id.to_string(),
        "sources": release.manifest.sources_json(passage_datasets::Dataset::RecordedVotes.name()),
        "votes": votes,
    })))
}

async fn vote(
    State(state): State<AppState>,
    Path(resolution): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let (release, record) = record(&state)?;
    let v = record.vote(&resolution).map_err(unknown)?;
    Ok(Json(json!({
        "release": release.manifest.id.to_string(),
        "sources": release.manifest.sources_json(passage_datasets::Dataset::RecordedVotes.name()),
        "resolution": v.resolution, "date": v.date, "undl_record": v.undl_record,
        "totals": v.totals(), "votes": v.votes,
    })))
}

async fn groups(
    State(state): State<AppState>,
    Path(resolution): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = read(q.as_deref().unwrap_or(""), &GROUPS_PARAMS, &[])?;
    let year = match p.get("year") {
        None => passage_domain::Year::new(2024),
        Some(y) => y.parse::<passage_domain::Year>(),
    }
    .map_err(|e| ApiError::invalid("year", e.to_string()))?;
    let (release, record) = record(&state)?;
    let v = record.vote(&resolution).map_err(unknown)?.clone();
    let (st, r) = (state.clone(), release.clone());
    let (groups, pledges) = state
        .heavy()
        .run(move || {
            let groups = vote_groups(&v, st.engine(), &r, year)?;
            let pledges = passage_pages::group_pledges(st.registry(), &groups).map_err(|e| {
                tracing::error!(error = %e, "pledges of vote groups");
                ApiError::Internal
            })?;
            Ok::<_, ApiError>((groups, pledges))
        })
        .await??;
    let groups: Vec<Value> = groups
        .iter()
        .zip(&pledges)
        .map(|(g, p)| {
            let mut g = json!(g);
            g["pledges"] = json!(p);
            g
        })
        .collect();
    Ok(Json(json!({
        "release": release.manifest.id.to_string(),
        "resolution": resolution, "year": year.get(),
        "method": "each group computed as one place: a ratio is the group's total over its total; pledges are the members' own state entities' in the registry, withdrawn and example records left out",
        "groups": groups,
    })))
}
