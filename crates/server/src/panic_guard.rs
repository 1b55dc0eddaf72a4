//! What a panic in a handler becomes: a 500 with the error table's `internal` code, never a
//! dropped connection, and one log line, never a flood. A panic is a bug; the client learns only
//! that it happened, the log says where, and repeats from the same place are counted, not printed.

use std::any::Any;
use std::collections::HashMap;
use std::sync::Mutex;

use axum::response::{IntoResponse, Response};
use tower_http::catch_panic::CatchPanicLayer;

use crate::native::ApiError;

/// The panic's message, when it has one.
fn message(payload: &(dyn Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

fn answer(payload: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!(
        panic = message(payload.as_ref()),
        "a request handler panicked"
    );
    ApiError::Internal.into_response()
}

/// The layer turning handler panics into 500 answers.
pub fn layer() -> CatchPanicLayer<fn(Box<dyn Any + Send + 'static>) -> Response> {
    CatchPanicLayer::custom(answer as fn(Box<dyn Any + Send + 'static>) -> Response)
}

/// How many panics were seen at each source location.
static SEEN: Mutex<Option<HashMap<String, u64>>> = Mutex::new(None);

/// Replaces the default panic hook (a message and, with `RUST_BACKTRACE`, a backtrace on stderr
/// for every panic) with one log line for the first panic at each location and for every 1000th
/// after it, so that a client repeating a request that panics cannot fill the disk.
pub fn install_quiet_hook() {
    std::panic::set_hook(Box::new(|info| {
        let place = info.location().map_or_else(
            || "unknown".to_string(),
            |l| format!("{}:{}", l.file(), l.line()),
        );
        let count = {
            let Ok(mut seen) = SEEN.lock() else { return };
            let n = seen
                .get_or_insert_with(HashMap::new)
                .entry(place.clone())
                .or_insert(0);
            *n += 1;
            *n
        };
        if count == 1 || count % 1000 == 0 {
            tracing::error!(
                location = %place,
                times = count,
                panic = message(info.payload()),
                "panic"
            );
        }
    }));
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt;

    #[tokio::test]
    async fn a_panicking_handler_answers_500_with_the_internal_code() {
        let app: Router = Router::new()
            .route(
                "/boom",
                get(|| async {
                    if std::hint::black_box(true) {
                        panic!("boom");
                    }
                    "unreachable"
                }),
            )
            .layer(super::layer());
        let response = app
            .oneshot(Request::get("/boom").body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal");
        assert!(!String::from_utf8_lossy(&body).contains("boom"));
    }
}
