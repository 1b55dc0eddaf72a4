//! Liveness and readiness: `/healthz` answers while the process runs; `/readyz` only once a release
//! is loaded, naming it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(state): State<AppState>) -> Response {
    match state.release() {
        Some(r) => {
            Json(serde_json::json!({"ready": true, "release": r.manifest.id})).into_response()
        }
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"ready": false, "release": null})),
        )
            .into_response(),
    }
}
