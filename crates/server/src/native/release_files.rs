//! A release's files as the store keeps them, for mirrors: `GET /api/v1/releases/{id}/manifest`
//! (the manifest's bytes verbatim) and `GET /api/v1/releases/{id}/tables/{dataset}` (the Arrow IPC
//! file, its sha256 as ETag, one byte range per request), so a transfer cut short resumes where it
//! stopped and every byte can be checked against the manifest.

use std::io::{Read, Seek, SeekFrom};

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{no_params, ApiError};
use crate::AppState;

/// The bytes a `Range` header asks of a file of `len` bytes: `Ok(None)` for the whole file (no
/// header, several ranges or one that does not parse, which HTTP lets a server ignore), `Err` for
/// a range that starts past the end.
pub(crate) fn requested_range(
    value: Option<&str>,
    len: u64,
) -> Result<Option<(u64, u64)>, ApiError> {
    let Some(spec) = value.and_then(|v| v.trim().strip_prefix("bytes=")) else {
        return Ok(None);
    };
    if spec.contains(',') {
        return Ok(None);
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Ok(None);
    };
    let (first, last) = (first.trim(), last.trim());
    let range = match (first.parse::<u64>(), last.parse::<u64>()) {
        (Ok(start), Ok(end)) if start <= end => (start, end.min(len.saturating_sub(1))),
        (Ok(start), Err(_)) if last.is_empty() => (start, len.saturating_sub(1)),
        (Err(_), Ok(suffix)) if first.is_empty() && suffix > 0 => {
            (len.saturating_sub(suffix), len.saturating_sub(1))
        }
        _ => return Ok(None),
    };
    if range.0 >= len {
        return Err(ApiError::RangeNotSatisfiable(len));
    }
    Ok(Some(range))
}

pub(crate) async fn manifest(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    no_params(&q)?;
    let id = state.store().resolve(&id)?;
    let bytes = state.store().manifest_bytes(&id)?;
    let mut headers = HeaderMap::new();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // A release never changes once written, so its id names its manifest's bytes.
    if let Ok(v) = HeaderValue::from_str(&format!("\"{id}-manifest\"")) {
        headers.insert(header::ETAG, v);
    }
    Ok((headers, bytes).into_response())
}

pub(crate) async fn table(
    State(state): State<AppState>,
    Path((id, dataset)): Path<(String, String)>,
    RawQuery(q): RawQuery,
    request: HeaderMap,
) -> Result<Response, ApiError> {
    no_params(&q)?;
    let id = state.store().resolve(&id)?;
    let (path, entry) = state.store().table_file(&id, &dataset)?;
    let etag = format!("\"{}\"", entry.sha256);
    let len = entry.bytes;
    let if_range_holds = request
        .get(header::IF_RANGE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.trim() == etag);
    let range_header = request
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .filter(|_| if_range_holds);
    let mut headers = HeaderMap::new();
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/vnd.apache.arrow.file"),
    );
    let range = match requested_range(range_header, len) {
        Ok(r) => r,
        Err(e) => {
            let mut response = e.into_response();
            if let Ok(v) = HeaderValue::from_str(&format!("bytes */{len}")) {
                response.headers_mut().insert(header::CONTENT_RANGE, v);
            }
            return Ok(response);
        }
    };
    let (start, end) = range.unwrap_or((0, len.saturating_sub(1)));
    let count = if len == 0 { 0 } else { end - start + 1 };
    let bytes = state
        .heavy()
        .run(move || -> std::io::Result<Vec<u8>> {
            let mut file = std::fs::File::open(&path)?;
            file.seek(SeekFrom::Start(start))?;
            let mut buf = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
            file.take(count).read_to_end(&mut buf)?;
            Ok(buf)
        })
        .await
        .map_err(|_| ApiError::Internal)?
        .map_err(|e| {
            tracing::error!(error = %e, "cannot read a table file");
            ApiError::Internal
        })?;
    if bytes.len() as u64 != count {
        tracing::error!(%id, %dataset, "a table file is shorter than its manifest says");
        return Err(ApiError::Internal);
    }
    let status = match range {
        Some((start, end)) => {
            if let Ok(v) = HeaderValue::from_str(&format!("bytes {start}-{end}/{len}")) {
                headers.insert(header::CONTENT_RANGE, v);
            }
            StatusCode::PARTIAL_CONTENT
        }
        None => StatusCode::OK,
    };
    Ok((status, headers, bytes).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_are_read_as_http_reads_them() {
        assert_eq!(requested_range(None, 10), Ok(None));
        assert_eq!(requested_range(Some("bytes=4-"), 10), Ok(Some((4, 9))));
        assert_eq!(requested_range(Some("bytes=2-5"), 10), Ok(Some((2, 5))));
        assert_eq!(requested_range(Some("bytes=2-50"), 10), Ok(Some((2, 9))));
        assert_eq!(requested_range(Some("bytes=-3"), 10), Ok(Some((7, 9))));
        assert_eq!(requested_range(Some("bytes=0-1,4-5"), 10), Ok(None));
        assert_eq!(requested_range(Some("bytes=5-2"), 10), Ok(None));
        assert_eq!(requested_range(Some("items=1-2"), 10), Ok(None));
        assert_eq!(
            requested_range(Some("bytes=10-"), 10),
            Err(ApiError::RangeNotSatisfiable(10))
        );
    }
}
