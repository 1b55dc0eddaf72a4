//! The native API's one error contract: each error maps to an HTTP status, a stable machine code and
//! a message naming the parameter at fault. Internal details are logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use passage_claims::ClaimError;
use passage_indicators::IndicatorError;
use passage_registry::RegistryError;
use passage_store::{QueryError, StoreError};

/// Cells (grouping values and measures) one page of a dataset answer may hold: a page is built
/// in memory before it is sent, so its size bounds what each request in flight holds.
pub const ANSWER_CELLS_BUDGET: usize = 400_000;

/// An error of the native API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    UnknownParameter(String),
    InvalidParameter {
        parameter: String,
        message: String,
    },
    ConflictingParameters {
        parameter: String,
        message: String,
    },
    UnknownDataset(String),
    UnknownRelease(String),
    UnknownIndicator(String),
    UnknownClaim(String),
    /// No such document, version or recorded vote in the negotiation record: what it holds.
    UnknownRecord(String),
    InvalidClaim(String),
    ClaimExists(String),
    /// A write the registry refused: its machine code, status and message.
    Registry(&'static str, String),
    RateLimited,
    /// A page whose rendering would exceed the answer budget: the `limit` that fits.
    AnswerTooLarge {
        rows: usize,
        cells_per_row: usize,
        limit_that_fits: usize,
    },
    /// A path under the APIs that no route answers.
    UnknownRoute(String),
    /// A byte range that starts past the end of a file of this many bytes.
    RangeNotSatisfiable(u64),
    NoRelease,
    Internal,
}

/// The error table: (status, machine code) of each error.
pub const ERROR_TABLE: [(&str, u16, &str); 24] = [
    (
        "unknown_parameter",
        400,
        "a parameter this endpoint does not take",
    ),
    (
        "invalid_parameter",
        400,
        "a parameter whose value cannot be read",
    ),
    (
        "conflicting_parameters",
        400,
        "parameters that cannot be given together",
    ),
    ("unknown_dataset", 404, "no such dataset in the release"),
    ("unknown_release", 404, "no release matches the id"),
    (
        "unknown_indicator",
        404,
        "no such indicator in the catalogue",
    ),
    ("unknown_claim", 404, "no claim has this id"),
    (
        "unknown_record",
        404,
        "no such document, version or recorded vote in the negotiation record",
    ),
    (
        "invalid_claim",
        422,
        "a claim definition that does not parse or names what the catalogue lacks",
    ),
    ("claim_exists", 409, "a claim with this id exists already"),
    (
        "unauthorized",
        401,
        "a write without a valid bearer token (missing, unknown, expired or revoked)",
    ),
    (
        "forbidden",
        403,
        "the token's role may not make this change, or writes of this kind are not enabled",
    ),
    ("not_found", 404, "no registry record has this id"),
    (
        "exists",
        409,
        "a registry record with this id exists already",
    ),
    (
        "version_conflict",
        409,
        "the record changed since the version given in If-Match",
    ),
    (
        "version_required",
        428,
        "a change to an existing record needs If-Match with the version read",
    ),
    (
        "invalid_record",
        422,
        "a record that breaks a rule of the model, named by field, row or line",
    ),
    ("rate_limited", 429, "too many writes; wait and retry"),
    (
        "body_too_large",
        413,
        "a request body over the route's limit, refused before it is read",
    ),
    (
        "answer_too_large",
        413,
        "a page of an answer over the per-request budget of cells; a smaller `limit` fits",
    ),
    ("unknown_route", 404, "no endpoint at this path"),
    (
        "range_not_satisfiable",
        416,
        "a byte range that starts past the end of the file",
    ),
    ("no_release", 503, "no release is loaded yet"),
    ("internal", 500, "an internal error, logged on the server"),
];

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::UnknownParameter(_) => "unknown_parameter",
            ApiError::InvalidParameter { .. } => "invalid_parameter",
            ApiError::ConflictingParameters { .. } => "conflicting_parameters",
            ApiError::UnknownDataset(_) => "unknown_dataset",
            ApiError::UnknownRelease(_) => "unknown_release",
            ApiError::UnknownIndicator(_) => "unknown_indicator",
            ApiError::UnknownClaim(_) => "unknown_claim",
            ApiError::UnknownRecord(_) => "unknown_record",
            ApiError::InvalidClaim(_) => "invalid_claim",
            ApiError::ClaimExists(_) => "claim_exists",
            ApiError::Registry(code, _) => code,
            ApiError::RateLimited => "rate_limited",
            ApiError::AnswerTooLarge { .. } => "answer_too_large",
            ApiError::UnknownRoute(_) => "unknown_route",
            ApiError::RangeNotSatisfiable(_) => "range_not_satisfiable",
            ApiError::NoRelease => "no_release",
            ApiError::Internal => "internal",
        }
    }

    fn parameter(&self) -> Option<&str> {
        match self {
            ApiError::UnknownParameter(p) => Some(p),
            ApiError::InvalidParameter { parameter, .. }
            | ApiError::ConflictingParameters { parameter, .. } => Some(parameter),
            ApiError::AnswerTooLarge { .. } => Some("limit"),
            _ => None,
        }
    }

    fn message(&self) -> String {
        match self {
            ApiError::UnknownParameter(p) => {
                format!("unknown parameter `{p}`; see /api/v1/openapi.json")
            }
            ApiError::InvalidParameter { message, .. }
            | ApiError::ConflictingParameters { message, .. } => message.clone(),
            ApiError::UnknownDataset(d) => {
                format!("no dataset `{d}` in the release; see /api/v1/datasets")
            }
            ApiError::UnknownRelease(r) => format!("no release `{r}`; see /api/v1/releases"),
            ApiError::UnknownIndicator(i) => {
                format!("no indicator `{i}`; see /api/v1/indicators")
            }
            ApiError::UnknownClaim(c) => format!("no claim `{c}`; see /api/v1/claims"),
            ApiError::UnknownRecord(m) => format!("{m}; see /api/v1/negotiation/documents"),
            ApiError::InvalidClaim(m) => m.clone(),
            ApiError::ClaimExists(c) => format!("a claim `{c}` exists already"),
            ApiError::Registry(_, m) => m.clone(),
            ApiError::RateLimited => "too many writes; wait a second and retry".into(),
            ApiError::AnswerTooLarge {
                rows,
                cells_per_row,
                limit_that_fits,
            } => format!(
                "this page would hold {rows} rows of {cells_per_row} cells, over the budget of \
                 {ANSWER_CELLS_BUDGET} cells per page; ask for limit={limit_that_fits} or less \
                 and page on with `offset`"
            ),
            ApiError::UnknownRoute(p) => {
                format!("no endpoint at `{p}`; see /api/v1/openapi.json")
            }
            ApiError::RangeNotSatisfiable(len) => {
                format!("the range starts past the end of the file ({len} bytes)")
            }
            ApiError::NoRelease => "no release is loaded yet".into(),
            ApiError::Internal => "internal error".into(),
        }
    }

    pub fn invalid(parameter: &str, message: impl Into<String>) -> ApiError {
        ApiError::InvalidParameter {
            parameter: parameter.into(),
            message: message.into(),
        }
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        match e {
            QueryError::UnknownDataset(d, _) | QueryError::DatasetNotInRelease(d, _) => {
                ApiError::UnknownDataset(d)
            }
            QueryError::UnknownDimension { ref parameter, .. }
            | QueryError::BadValue { ref parameter, .. } => {
                ApiError::invalid(parameter, e.to_string())
            }
            QueryError::UnknownMeasure { .. } => ApiError::invalid("measures", e.to_string()),
        }
    }
}

impl From<IndicatorError> for ApiError {
    fn from(e: IndicatorError) -> Self {
        match e {
            IndicatorError::UnknownIndicator(i) => ApiError::UnknownIndicator(i),
            IndicatorError::BadValue { ref parameter, .. } => {
                ApiError::invalid(parameter, e.to_string())
            }
            IndicatorError::MissingDataset { ref dataset, .. } => {
                ApiError::UnknownDataset(dataset.clone())
            }
            IndicatorError::Query(q) => q.into(),
        }
    }
}

impl From<ClaimError> for ApiError {
    fn from(e: ClaimError) -> Self {
        match e {
            ClaimError::Unknown(c) => ApiError::UnknownClaim(c),
            ClaimError::Duplicate(c) => ApiError::ClaimExists(c),
            ClaimError::Invalid { .. } | ClaimError::Syntax(..) => {
                ApiError::InvalidClaim(e.to_string())
            }
            ClaimError::Indicator(i) => i.into(),
            other => {
                tracing::error!(error = %other, "claims store error");
                ApiError::Internal
            }
        }
    }
}

impl From<RegistryError> for ApiError {
    fn from(e: RegistryError) -> Self {
        let code = match &e {
            RegistryError::Invalid(_) | RegistryError::Import { .. } => "invalid_record",
            RegistryError::NotFound { .. } => "not_found",
            RegistryError::Exists { .. } => "exists",
            RegistryError::Conflict { .. } => "version_conflict",
            RegistryError::VersionRequired { .. } => "version_required",
            RegistryError::Unauthenticated => "unauthorized",
            RegistryError::Forbidden(_) => "forbidden",
            RegistryError::Url(_) | RegistryError::Database(_) => {
                tracing::error!(error = %e, "registry error");
                return ApiError::Internal;
            }
        };
        ApiError::Registry(code, e.to_string())
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::UnknownRelease(r) | StoreError::AmbiguousRelease(r) => {
                ApiError::UnknownRelease(r)
            }
            StoreError::NoActiveRelease => ApiError::NoRelease,
            StoreError::Query(q) => q.into(),
            other => {
                tracing::error!(error = %other, "store error");
                ApiError::Internal
            }
        }
    }
}

impl From<crate::heavy_work::HeavyWorkFailed> for ApiError {
    fn from(_: crate::heavy_work::HeavyWorkFailed) -> Self {
        ApiError::Internal
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = ERROR_TABLE
            .iter()
            .find(|(c, _, _)| *c == self.code())
            .and_then(|(_, s, _)| StatusCode::from_u16(*s).ok())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = serde_json::json!({"error": {"code": self.code(), "parameter": self.parameter(), "message": self.message()}});
        let mut response = (status, Json(body)).into_response();
        if self == ApiError::RateLimited {
            // Every write budget refills at least one write a second.
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}
