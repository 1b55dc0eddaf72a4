//! Claim routes of the native API: every claim with its verdict on the served release, one claim
//! with its timeline and recorded history, checking a definition without storing it, and
//! registering one: with a registry token whose role may (administrator, claims editor), or the
//! server's configured claims token, kept for existing deployments.

use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use passage_claims::{turning_points, Claim};
use passage_registry::{authorize, Action};

use super::registry::{read_body, writer, Client, RECORD_BODY_BYTES};
use serde_json::{json, Value};

use super::error::ApiError;
use super::{active, no_params};
use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/claims", get(list).post(register))
        .route("/api/v1/claims/check", post(check))
        .route("/api/v1/claims/{id}", get(one))
}

/// A claim definition from a request body, refusing what does not parse.
fn parse_body(body: &[u8]) -> Result<Claim, ApiError> {
    serde_json::from_slice(body).map_err(|e| ApiError::InvalidClaim(format!("request body: {e}")))
}

async fn list(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let release = active(&state)?;
    let engine = state.engine();
    let claims = state.claims().claims(engine)?;
    let items: Vec<Value> = claims
        .iter()
        .map(|c| {
            let e = state.evaluation(&release, c);
            json!({"claim": c, "verdict": e.verdict, "turning_points": turning_points(&e.timeline)})
        })
        .collect();
    Ok(Json(
        json!({"release": release.manifest.id.to_string(), "claims": items}),
    ))
}

async fn one(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let release = active(&state)?;
    let engine = state.engine();
    let claim = state.claims().get(engine, &id)?;
    let e = state.evaluation(&release, &claim);
    let history: Vec<_> = state
        .claims()
        .history()?
        .into_iter()
        .filter(|r| r.evaluation.claim == id)
        .collect();
    Ok(Json(json!({
        "claim": claim,
        "evaluation": e,
        "turning_points": turning_points(&e.timeline),
        "history": history,
    })))
}

async fn check(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
    body: axum::body::Bytes,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let claim = parse_body(&body)?;
    let engine = state.engine();
    claim.check(engine, "request body")?;
    let release = active(&state)?;
    let e = state.evaluation(&release, &claim);
    Ok(Json(
        json!({"claim": claim, "evaluation": e, "turning_points": turning_points(&e.timeline)}),
    ))
}

async fn register(
    State(state): State<AppState>,
    client: Client,
    RawQuery(q): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    no_params(&q)?;
    let configured = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .is_some_and(|s| state.claims_token_matches(s.trim()));
    if !configured {
        // Verified first and charged to the token (or, without a valid one, to the client's
        // address), as every registry write is; the body is read only after.
        let who = writer(&state, &client, &headers).await?;
        authorize(Some(&who), Action::RegisterClaim, None)?;
    }
    let body = read_body(&headers, body, RECORD_BODY_BYTES).await?;
    let claim = parse_body(&body)?;
    let engine = state.engine();
    {
        // The guard only orders registrations: one that panicked left nothing to repair.
        let _guard = state
            .claim_writes()
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        state.claims().add(engine, &claim, "request body")?;
    }
    let release = active(&state)?;
    let e = state.evaluation(&release, &claim);
    Ok((
        StatusCode::CREATED,
        Json(json!({"claim": claim, "evaluation": e})),
    ))
}
