//! Passage's HTTP server. [`router`] builds the whole application from an [`AppState`], so tests can
//! drive it without a socket; [`serve`] binds it with graceful shutdown and request limits. The
//! active release is swapped in place when a sync activates a new one ([`spawn_watcher`]).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod compat;
mod connection;
mod health;
mod heavy_work;
mod native;
mod panic_guard;
mod report_pdf;
mod state;
mod warm;
mod web;

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use connection::{serve, serve_with, HEADER_READ_TIMEOUT};
pub use panic_guard::install_quiet_hook;
pub use state::{spawn_watcher, AppState, Options, StateError};

/// Rendering a page without the server's cache, for benchmarks; not part of the supported interface.
#[doc(hidden)]
pub use web::render_uncached;

/// Both APIs' query-string parsers, for the fuzz targets; not part of the supported interface.
#[doc(hidden)]
pub mod parsers {
    pub use crate::compat::params::{CompatParams, DEFAULT_LIMIT};
    pub use crate::native::params::{list, read, years_of, ParamSpec, QUERY_PARAMS};
}

/// Limits applied to every request.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// The largest request body read, in bytes.
    pub body_bytes: usize,
    /// How long a request may take before it is answered 408.
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
    let timeout = |t| TimeoutLayer::with_status_code(axum::http::StatusCode::REQUEST_TIMEOUT, t);
    // A report's PDF may wait for the first start of a browser on a busy machine, which has
    // taken over 30 s: the reports have a deadline of their own.
    let reports = Router::new()
        .route("/reports/{*report}", axum::routing::get(web::fallback))
        .layer(timeout(limits.timeout.max(report_pdf::PRINT_TIMEOUT)));
    let rest = Router::new()
        .merge(health::routes())
        .merge(compat::routes())
        .merge(native::routes())
        .fallback(web::fallback)
        .layer(timeout(limits.timeout));
    Router::new()
        .merge(reports)
        .merge(rest)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(limits.body_bytes))
        .layer(ConcurrencyLimitLayer::new(limits.concurrency))
        .layer(TraceLayer::new_for_http())
        // Outermost, so that a panic anywhere inside still gets an answer.
        .layer(panic_guard::layer())
}

/// The address a listener is bound to, for logs.
pub fn local_addr(listener: &tokio::net::TcpListener) -> Option<SocketAddr> {
    listener.local_addr().ok()
}
