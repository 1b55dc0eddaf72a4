//! The web pages over HTTP: every path the APIs do not own is a page, a twin, a chart, an embed,
//! an asset or a feed of `passage-pages`, rendered on the heavy-work pool from the release being
//! served, kept per release in a byte-bounded cache (gzip beside the plain bytes), and answered
//! with its `Server-Timing`. Errors are HTML pages that say what is wrong; details are logged.

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use passage_claims::{Claim, Evaluation, Record};
use passage_domain::ReleaseId;
use passage_indicators::Engine;
use passage_pages::{error_document, PageError, Site, SiteUrl};
use passage_registry::Registry;
use passage_store::{Diff, Manifest, NegotiationRecord, Release};

use crate::AppState;

/// The pages as the server's state sees them, on one release.
struct SiteView<'a> {
    state: &'a AppState,
    release: Arc<Release>,
}

impl Site for SiteView<'_> {
    fn release(&self) -> &Release {
        &self.release
    }
    fn site_url(&self) -> Option<&SiteUrl> {
        self.state.site_url()
    }
    fn engine(&self) -> &Engine {
        self.state.engine()
    }
    fn claims(&self) -> Result<Vec<Claim>, PageError> {
        Ok(self.state.claims().claims(self.state.engine())?)
    }
    fn evaluation(&self, claim: &Claim) -> Evaluation {
        self.state.evaluation(&self.release, claim)
    }
    fn verdict_history(&self) -> Result<Vec<Record>, PageError> {
        Ok(self.state.claims().history()?)
    }
    fn registry(&self) -> &Registry {
        self.state.registry()
    }
    fn releases(&self) -> Result<Vec<Manifest>, PageError> {
        Ok(self.state.store().releases()?)
    }
    fn release_by_id(&self, id: &ReleaseId) -> Result<Arc<Release>, PageError> {
        if &self.release.manifest.id == id {
            return Ok(self.release.clone());
        }
        Ok(Arc::new(self.state.store().load(id)?))
    }
    fn diff(&self, from: &ReleaseId, to: &ReleaseId) -> Result<Arc<Diff>, PageError> {
        Ok(self.state.diff(from, to)?)
    }
    fn negotiation(&self) -> Result<Arc<NegotiationRecord>, PageError> {
        Ok(self.state.negotiation(&self.release)?)
    }
}

/// Renders `path` with `query` from the release being served, without the cache: for benchmarks.
pub fn render_uncached(
    state: &AppState,
    path: &str,
    query: &str,
) -> Result<passage_pages::Response, PageError> {
    let release = state.release().ok_or(PageError::NoRelease)?;
    passage_pages::respond(&SiteView { state, release }, path, query)
}

/// A rendered answer, plain and gzipped.
pub(crate) struct Rendered {
    pub(crate) content_type: &'static str,
    pub(crate) attachment: Option<String>,
    // Shared, not copied, by every response that serves them.
    pub(crate) plain: Bytes,
    pub(crate) gzip: Bytes,
    /// The first render's time, and the part of it spent compressing (told apart in
    /// `Server-Timing`: compressing a large page takes longer than rendering it).
    pub(crate) micros: u128,
    pub(crate) gzip_micros: u128,
    /// Rendered when the release was warmed, before any request for it.
    pub(crate) warmed: bool,
}

/// Rendered pages by release and request, at most `max_bytes` in all; when full it starts again,
/// as a release's pages are cheap to render once more.
pub(crate) struct RenderedPages {
    max_bytes: usize,
    inner: Mutex<(usize, HashMap<String, Arc<Rendered>>)>,
}

impl RenderedPages {
    pub(crate) fn new(max_bytes: usize) -> RenderedPages {
        RenderedPages {
            max_bytes,
            inner: Mutex::new((0, HashMap::new())),
        }
    }

    pub(crate) fn get(&self, key: &str) -> Option<Arc<Rendered>> {
        self.inner.lock().ok()?.1.get(key).cloned()
    }

    pub(crate) fn keep(&self, key: String, rendered: Arc<Rendered>) {
        let size = rendered.plain.len() + rendered.gzip.len() + key.len();
        if size > self.max_bytes {
            return;
        }
        if let Ok(mut inner) = self.inner.lock() {
            if inner.0 + size > self.max_bytes {
                inner.1.clear();
                inner.0 = 0;
            }
            inner.0 += size;
            inner.1.insert(key, rendered);
        }
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    // Writing to a Vec cannot fail; an empty body is then sent plain.
    if e.write_all(bytes).is_err() {
        return Vec::new();
    }
    e.finish().unwrap_or_default()
}

pub(crate) fn error_page(status: StatusCode, message: &str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        error_document(status.as_u16(), message),
    )
        .into_response()
}

fn status_of(error: &PageError) -> StatusCode {
    match error {
        PageError::NotFound(_) => StatusCode::NOT_FOUND,
        PageError::BadParameter { .. } => StatusCode::BAD_REQUEST,
        PageError::Indicator(e) if e.to_string().contains("unknown indicator") => {
            StatusCode::NOT_FOUND
        }
        PageError::Indicator(_) => StatusCode::BAD_REQUEST,
        PageError::Registry(passage_registry::RegistryError::NotFound { .. }) => {
            StatusCode::NOT_FOUND
        }
        PageError::NoRelease => StatusCode::SERVICE_UNAVAILABLE,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Every path the APIs do not own: a report's PDF, or a page.
pub(crate) async fn fallback(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    if let Some(report) = crate::report_pdf::report_of(uri.path()) {
        if method != Method::GET && method != Method::HEAD {
            return error_page(StatusCode::METHOD_NOT_ALLOWED, "reports are read with GET");
        }
        let query = uri.query().unwrap_or("");
        return crate::report_pdf::pdf(state.clone(), report, query, headers).await;
    }
    page(State(state), method, uri, headers).await
}

/// A page, a twin, a chart, an asset or a feed.
pub(crate) async fn page(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let path = uri.path().to_string();
    if !passage_pages::is_page_path(&path) {
        return crate::native::ApiError::UnknownRoute(path).into_response();
    }
    if method != Method::GET && method != Method::HEAD {
        return error_page(StatusCode::METHOD_NOT_ALLOWED, "pages are read with GET");
    }
    let Some(release) = state.release() else {
        return error_page(
            StatusCode::SERVICE_UNAVAILABLE,
            &PageError::NoRelease.to_string(),
        );
    };
    let query = uri.query().unwrap_or("").to_string();
    let key = page_key(&state, &release, &path, &query);
    let cached = key.as_ref().and_then(|k| state.inner_rendered().get(k));
    let hit = cached.is_some();
    let rendered = match cached {
        Some(hit) => hit,
        None => {
            let st = state.clone();
            let result = state
                .heavy()
                .run(move || render(&st, release, &path, &query).map(Arc::new))
                .await;
            match result {
                Ok(Ok(r)) => {
                    if let Some(key) = key {
                        state.inner_rendered().keep(key, r.clone());
                    }
                    r
                }
                Ok(Err(e)) => {
                    let status = status_of(&e);
                    if status.is_server_error() {
                        tracing::error!(error = %e, path = %uri.path(), "page failed");
                        return error_page(
                            status,
                            "This page could not be made. The error is logged.",
                        );
                    }
                    return error_page(status, &e.to_string());
                }
                Err(_) => {
                    return error_page(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "This page could not be made. The error is logged.",
                    )
                }
            }
        }
    };
    page_response(&rendered, hit, &headers)
}

/// The key a page is kept under in the cache, or `None` when it is not kept. Pages show the
/// registry beside the release: a write to it, from this server or another process, moves its
/// head and so the key. The record's pages change with an import, not only with a release, and
/// are never kept; nor is anything while the registry cannot be read.
pub(crate) fn page_key(
    state: &AppState,
    release: &Release,
    path: &str,
    query: &str,
) -> Option<String> {
    let head = state.registry().head_seq().ok()?;
    (!path.starts_with("/negotiation"))
        .then(|| format!("{}@{head}{path}?{query}", release.manifest.id))
}

/// A page rendered from `release` and gzipped, each part timed.
pub(crate) fn render(
    state: &AppState,
    release: Arc<Release>,
    path: &str,
    query: &str,
) -> Result<Rendered, PageError> {
    let started = Instant::now();
    let site = SiteView { state, release };
    let r = passage_pages::respond(&site, path, query)?;
    let rendered = started.elapsed();
    let gz = gzip(&r.body);
    let total = started.elapsed();
    Ok(Rendered {
        content_type: r.content_type,
        attachment: r.attachment,
        plain: Bytes::from(r.body),
        gzip: Bytes::from(gz),
        micros: rendered.as_micros(),
        gzip_micros: (total - rendered).as_micros(),
        warmed: false,
    })
}

/// The response of a rendered answer: gzipped when the client takes it, its type, attachment
/// name, caching and `Server-Timing` (a cached answer says so, with its first render's time).
pub(crate) fn page_response(rendered: &Rendered, hit: bool, headers: &HeaderMap) -> Response {
    let gzip_ok = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")));
    let mut response = if gzip_ok && !rendered.gzip.is_empty() {
        let mut r = rendered.gzip.clone().into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        rendered.plain.clone().into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(rendered.content_type),
    );
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    if let Some(v) = rendered
        .attachment
        .as_ref()
        .and_then(|name| HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")).ok())
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=60"),
    );
    // A cached page says so, and that its render time is that of its first render, made by a
    // request or, before any, when the release was warmed.
    let ms = |micros: u128| micros as f64 / 1000.0;
    let mut timing = if hit {
        let which = if rendered.warmed {
            "warmed"
        } else {
            "first render"
        };
        format!(
            "cache;desc=\"hit\", render;dur={:.3};desc=\"{which}\"",
            ms(rendered.micros)
        )
    } else {
        format!("cache;desc=\"miss\", render;dur={:.3}", ms(rendered.micros))
    };
    if !rendered.gzip.is_empty() {
        timing.push_str(&format!(", gzip;dur={:.3}", ms(rendered.gzip_micros)));
    }
    if let Ok(v) = HeaderValue::from_str(&timing) {
        h.insert("server-timing", v);
    }
    response
}
