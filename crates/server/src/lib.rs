//! Passage's HTTP server. [`router`] builds the whole application from an [`AppState`], so tests can
//! drive it without a socket; [`serve`] binds it with graceful shutdown and request limits. The
//! active release is swapped in place when a sync activates a new one ([`spawn_watcher`]).

mod compat;
mod health;
mod native;
mod state;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use state::{spawn_watcher, AppState, Options, StateError};

/// Both APIs' query-string parsers, for the fuzz targets; not part of the supported interface.
#[doc(hidden)]
pub mod parsers {
    pub use crate::compat::params::{CompatParams, DEFAULT_LIMIT};
    pub use crate::native::params::{list, read, years_of, ParamSpec, QUERY_PARAMS};
}

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub body_bytes: usize,
    pub timeout: Duration,
    /// Requests handled at once; further ones wait for a slot.
    pub concurrency: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            body_bytes: 8 << 20,
            timeout: Duration::from_secs(30),
            concurrency: 512,
        }
    }
}

/// The whole application.
pub fn router(state: AppState, limits: Limits) -> Router {
    Router::new()
        .merge(health::routes())
        .merge(compat::routes())
        .merge(native::routes())
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(ConcurrencyLimitLayer::new(limits.concurrency))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            limits.timeout,
        ))
        .layer(TraceLayer::new_for_http())
}

/// Serves `router` on `addr` until `shutdown` completes, then drains requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// The address a listener is bound to, for logs.
pub fn local_addr(listener: &tokio::net::TcpListener) -> Option<SocketAddr> {
    listener.local_addr().ok()
}
