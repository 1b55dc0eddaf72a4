//! The pledge registry over HTTP under `/api/v1/registry/`: public reads (a pledge beside the
//! figures of the indicators it is linked to; positions by entity, country, document and part),
//! and writes that need a bearer token, pass the
//! registry's one authorisation check, quote the version they read (`If-Match`) to change a
//! record, and are rate-limited per verified token (per client address without one). The token is
//! checked before a body is read, and a body's size before it is read. Database work runs off
//! the async threads.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, FromRequestParts, Path, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Extension, Json, Router};
use passage_indicators::{Place, Request, Role as IndicatorRole};
use passage_registry::{
    bundle_from_csv, bundle_from_json, to_csv, CsvKind, Entity, IndicatorLink, Pledge, Position,
    PositionFilter, Principal, ProgressUpdate, Registry, RegistryError, Role, Timestamp, Versioned,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::{json, Value};

use super::error::ApiError;
use super::no_params;
use super::params::{read, ParamSpec};
use super::write_limit::{WriteKey, WriteLimiter, ADDRESS_BUDGET, MAX_BUCKETS, TOKEN_BUDGET};
use crate::AppState;

/// Bodies of single-record writes.
pub(super) const RECORD_BODY_BYTES: usize = 64 * 1024;
/// Bodies of imports.
const IMPORT_BODY_BYTES: usize = 2 << 20;

pub const EXPORT_PARAMS: [ParamSpec; 2] = [
    ParamSpec {
        name: "format",
        description: "json (default: everything) or csv (one kind).",
        example: "json",
    },
    ParamSpec {
        name: "kind",
        description: "With csv: entities, pledges, updates, links or positions.",
        example: "pledges",
    },
];

pub const EVENTS_PARAMS: [ParamSpec; 2] = [
    ParamSpec {
        name: "after",
        description: "Events after this sequence number. Default 0.",
        example: "0",
    },
    ParamSpec {
        name: "limit",
        description: "At most this many, 1 to 10000. Default 1000.",
        example: "1000",
    },
];

pub const PLEDGES_PARAMS: [ParamSpec; 1] = [ParamSpec {
    name: "entity",
    description: "Only the pledges of this entity, as submitter or co-pledger.",
    example: "",
}];

pub const POSITIONS_PARAMS: [ParamSpec; 4] = [
    ParamSpec {
        name: "entity",
        description: "Only the positions of this entity (a state or a group of states).",
        example: "",
    },
    ParamSpec {
        name: "country",
        description: "Only the positions of the state with this ISO3 code.",
        example: "CAN",
    },
    ParamSpec {
        name: "document",
        description: "Only the positions on this document, such as gcm or gcr.",
        example: "gcm",
    },
    ParamSpec {
        name: "part",
        description: "Only the positions on this part or a part below it: objective/8 takes in objective/8/action/b.",
        example: "objective/8",
    },
];

pub fn routes() -> Router<AppState> {
    let records = Router::new()
        .route("/api/v1/registry/entities", post(create_entity))
        .route("/api/v1/registry/entities/{id}", put(update_entity))
        .route("/api/v1/registry/pledges", post(create_pledge))
        .route(
            "/api/v1/registry/pledges/{id}",
            put(update_pledge).delete(withdraw_pledge),
        )
        .route("/api/v1/registry/pledges/{id}/updates", post(add_update))
        .route("/api/v1/registry/pledges/{id}/links", post(link_indicator))
        .route(
            "/api/v1/registry/pledges/{id}/co-pledgers/{entity}/confirm",
            post(confirm_co_pledger),
        )
        .route("/api/v1/registry/updates/{id}/verify", post(verify_update))
        .route("/api/v1/registry/positions", post(create_position))
        .route(
            "/api/v1/registry/positions/{id}",
            put(update_position).delete(withdraw_position),
        )
        .route("/api/v1/registry/tokens", post(issue_token))
        .route(
            "/api/v1/registry/tokens/{id}",
            axum::routing::delete(revoke_token),
        );
    Router::new()
        .route("/api/v1/registry/entities", get(entities))
        .route("/api/v1/registry/entities/{id}", get(entity))
        .route("/api/v1/registry/pledges", get(pledges))
        .route("/api/v1/registry/pledges/{id}", get(pledge))
        .route("/api/v1/registry/positions", get(positions))
        .route("/api/v1/registry/positions/{id}", get(position))
        .route("/api/v1/registry/events", get(events))
        .route("/api/v1/registry/verify", get(verify))
        .route("/api/v1/registry/export", get(export))
        .route("/api/v1/registry/import", post(import))
        .merge(records)
}

/// The write limiter every token-bearing route shares (the registry's and claim registration).
pub(super) fn write_limiter() -> Extension<Arc<WriteLimiter>> {
    Extension(Arc::new(WriteLimiter::new(MAX_BUCKETS)))
}

async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::Internal)?
}

/// Who sent a write: the limiter of this router, and the client's address when the server was
/// started with connection info (`passage serve` is).
pub(super) struct Client {
    limiter: Arc<WriteLimiter>,
    address: Option<IpAddr>,
}

impl FromRequestParts<AppState> for Client {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &AppState) -> Result<Client, ApiError> {
        let limiter = parts
            .extensions
            .get::<Arc<WriteLimiter>>()
            .cloned()
            .ok_or(ApiError::Internal)?;
        let address = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(Client { limiter, address })
    }
}

/// The writer a request's bearer token stands for. The token is verified first, so only its
/// holder spends its budget; a write without a valid token is charged to the client's address.
pub(super) async fn writer(
    state: &AppState,
    client: &Client,
    headers: &HeaderMap,
) -> Result<Principal, ApiError> {
    let secret = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|s| s.trim().to_string());
    let verified = match secret {
        Some(secret) => {
            let registry = state.registry().clone();
            blocking(move || Ok(registry.authenticate(&secret))).await?
        }
        None => Err(RegistryError::Unauthenticated),
    };
    let (key, budget) = match &verified {
        Ok(who) => (WriteKey::Token(who.actor.clone()), TOKEN_BUDGET),
        Err(_) => (WriteKey::Address(client.address), ADDRESS_BUDGET),
    };
    if !client.limiter.allow(key, budget) {
        return Err(ApiError::RateLimited);
    }
    Ok(verified?)
}

/// A body of at most `limit` bytes: a larger declared length is refused before anything is read,
/// and reading stops at the limit.
pub(super) async fn read_body(
    headers: &HeaderMap,
    body: Body,
    limit: usize,
) -> Result<Bytes, ApiError> {
    let too_large = || {
        ApiError::Registry(
            "body_too_large",
            format!("request body: more than {limit} bytes, or not received whole"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| too_large())
}

fn if_match(headers: &HeaderMap) -> Result<Option<i64>, ApiError> {
    headers
        .get(header::IF_MATCH)
        .map(|v| {
            v.to_str()
                .ok()
                .map(|s| s.trim().trim_start_matches("W/").trim_matches('"'))
                .and_then(|s| s.parse::<i64>().ok())
                .ok_or_else(|| {
                    ApiError::invalid("If-Match", "expected the record's version, such as \"3\"")
                })
        })
        .transpose()
}

fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, ApiError> {
    serde_json::from_slice(bytes).map_err(|e| {
        ApiError::Registry(
            "invalid_record",
            format!("request body:{}:{}: {e}", e.line(), e.column()),
        )
    })
}

/// A record with its version as the ETag, so a client can quote it in If-Match.
fn versioned(status: StatusCode, version: i64, doc: Value) -> Response {
    let mut response = (status, Json(doc)).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

async fn entities(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let registry = state.registry().clone();
    let list = blocking(move || Ok(registry.entities()?)).await?;
    Ok(Json(json!({ "entities": list })))
}

async fn entity(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    no_params(&q)?;
    let registry = state.registry().clone();
    let e = blocking(move || Ok(registry.entity(&id)?)).await?;
    Ok(versioned(StatusCode::OK, e.version, json!(e)))
}

async fn pledges(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = read(q.as_deref().unwrap_or(""), &PLEDGES_PARAMS, &[])?;
    let registry = state.registry().clone();
    let entity = p.get("entity").cloned().filter(|e| !e.is_empty());
    let list = blocking(move || Ok(registry.pledges(entity.as_deref())?)).await?;
    Ok(Json(json!({ "pledges": list })))
}

/// A pledge with its updates and links, each link beside the figures of its indicator.
async fn pledge(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    no_params(&q)?;
    let registry = state.registry().clone();
    let record = blocking(move || Ok(registry.pledge(&id)?)).await?;
    let release = state.release();
    let mut evidence = Vec::new();
    for link in &record.links {
        let l = &link.item;
        let figures = match &release {
            None => json!(null),
            Some(release) => {
                let place = match &l.country {
                    Some(c) => Place::Country(c.clone()),
                    None => Place::World,
                };
                let role = l.role.as_deref().and_then(IndicatorRole::parse);
                let request = Request::new(&l.indicator, place, role);
                match state.engine().evaluate(release, &request) {
                    Ok(series) => json!({
                        "release": series.release.to_string(),
                        "unit": series.indicator.unit,
                        "points": series.points.iter().filter(|p| p.value.is_some()).map(|p| json!({
                            "year": p.year, "keys": p.keys,
                            "value": passage_indicators::number(p.value, series.indicator.decimals),
                        })).collect::<Vec<_>>(),
                    }),
                    Err(e) => json!({ "error": e.to_string() }),
                }
            }
        };
        evidence
            .push(json!({ "link": link.item.id, "indicator": l.indicator, "figures": figures }));
    }
    let version = record.pledge.version;
    Ok(versioned(
        StatusCode::OK,
        version,
        json!({ "record": record, "evidence": evidence }),
    ))
}

/// The filter a positions query asks for; a criterion that does not parse is refused by name.
fn position_filter(
    p: &std::collections::BTreeMap<String, String>,
) -> Result<PositionFilter, ApiError> {
    type Set = fn(PositionFilter, &str) -> Result<PositionFilter, RegistryError>;
    let criteria: [(&str, Set); 4] = [
        ("entity", PositionFilter::entity),
        ("country", PositionFilter::country),
        ("document", PositionFilter::document),
        ("part", PositionFilter::part),
    ];
    let mut filter = PositionFilter::default();
    for (name, set) in criteria {
        if let Some(v) = p.get(name).filter(|v| !v.is_empty()) {
            filter = set(filter, v).map_err(|e| ApiError::invalid(name, e.to_string()))?;
        }
    }
    Ok(filter)
}

async fn positions(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = read(q.as_deref().unwrap_or(""), &POSITIONS_PARAMS, &[])?;
    let filter = position_filter(&p)?;
    let registry = state.registry().clone();
    let list = blocking(move || Ok(registry.positions(&filter)?)).await?;
    Ok(Json(json!({ "positions": list })))
}

async fn position(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    no_params(&q)?;
    let registry = state.registry().clone();
    let p = blocking(move || Ok(registry.position(&id)?)).await?;
    Ok(versioned(StatusCode::OK, p.version, json!(p)))
}

fn number_param(
    p: &std::collections::BTreeMap<String, String>,
    name: &str,
    default: i64,
    max: i64,
) -> Result<i64, ApiError> {
    match p.get(name) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| (0..=max).contains(n))
            .ok_or_else(|| ApiError::invalid(name, format!("expected 0 to {max}, found `{v}`"))),
    }
}

async fn events(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = read(q.as_deref().unwrap_or(""), &EVENTS_PARAMS, &[])?;
    let after = number_param(&p, "after", 0, i64::MAX)?;
    let limit = number_param(&p, "limit", 1000, 10_000)?.max(1);
    let registry = state.registry().clone();
    let list = blocking(move || Ok(registry.public_events(after, limit)?)).await?;
    Ok(Json(json!({ "events": list })))
}

async fn verify(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let registry = state.registry().clone();
    let v = blocking(move || Ok(registry.verify()?)).await?;
    Ok(Json(json!({ "ok": v.ok(), "verification": v })))
}

fn csv_kind(p: &std::collections::BTreeMap<String, String>) -> Result<CsvKind, ApiError> {
    let kind = p.get("kind").map(String::as_str).unwrap_or("");
    CsvKind::parse(kind).ok_or_else(|| {
        ApiError::invalid(
            "kind",
            format!("expected entities, pledges, updates, links or positions, found `{kind}`"),
        )
    })
}

async fn export(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, ApiError> {
    let p = read(q.as_deref().unwrap_or(""), &EXPORT_PARAMS, &[])?;
    let registry = state.registry().clone();
    let bundle = blocking(move || Ok(registry.public_export()?)).await?;
    match p.get("format").map(String::as_str) {
        None | Some("json") => Ok(Json(json!(bundle)).into_response()),
        Some("csv") => {
            let text = to_csv(csv_kind(&p)?, &bundle)?;
            Ok(([(header::CONTENT_TYPE, "text/csv; charset=utf-8")], text).into_response())
        }
        Some(other) => Err(ApiError::invalid(
            "format",
            format!("expected json or csv, found `{other}`"),
        )),
    }
}

async fn import(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    RawQuery(q): RawQuery,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let p = read(q.as_deref().unwrap_or(""), &EXPORT_PARAMS, &[])?;
    let who = writer(&state, &client, &headers).await?;
    let bytes = read_body(&headers, body, IMPORT_BODY_BYTES).await?;
    let text = std::str::from_utf8(&bytes)
        .map_err(|e| ApiError::Registry("invalid_record", format!("request body: not UTF-8: {e}")))?
        .to_string();
    let registry = state.registry().clone();
    let csv = match p.get("format").map(String::as_str) {
        None | Some("json") => None,
        Some("csv") => Some(csv_kind(&p)?),
        Some(other) => {
            return Err(ApiError::invalid(
                "format",
                format!("expected json or csv, found `{other}`"),
            ))
        }
    };
    let n = blocking(move || {
        let (bundle, lines) = match csv {
            None => (bundle_from_json(&text, "request body")?, Vec::new()),
            Some(kind) => bundle_from_csv(kind, &text, "request body")?,
        };
        let place = |kind: &str, i: usize| match lines.get(i) {
            Some(line) => format!("request body:{line}"),
            None => format!("request body: {kind}[{i}]"),
        };
        Ok(registry.import(&who, &bundle, &place)?)
    })
    .await?;
    Ok((StatusCode::CREATED, Json(json!({ "imported": n }))))
}

/// A write of one record: the writer is authenticated (and rate-limited) first, then the body is
/// read, within its limit, then the registry changes the record off the async threads; the
/// answer carries the record's new version as its ETag.
async fn record_write<A, T>(
    state: &AppState,
    client: &Client,
    request: (HeaderMap, Body),
    status: StatusCode,
    input: impl FnOnce(&HeaderMap, &Bytes) -> Result<A, ApiError>,
    op: impl FnOnce(&Registry, &Principal, A) -> Result<Versioned<T>, RegistryError> + Send + 'static,
) -> Result<Response, ApiError>
where
    A: Send + 'static,
    T: serde::Serialize + Send + 'static,
{
    let (headers, body) = request;
    let who = writer(state, client, &headers).await?;
    let bytes = read_body(&headers, body, RECORD_BODY_BYTES).await?;
    let input = input(&headers, &bytes)?;
    let registry = state.registry().clone();
    let v = blocking(move || Ok(op(&registry, &who, input)?)).await?;
    Ok(versioned(status, v.version, json!(v)))
}

async fn create_entity(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |_: &HeaderMap, b: &Bytes| self::body::<Entity>(b);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::CREATED,
        input,
        |r, who, e| r.create_entity(who, e),
    )
    .await
}

async fn update_entity(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |h: &HeaderMap, b: &Bytes| Ok((if_match(h)?, self::body::<Entity>(b)?));
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::OK,
        input,
        |r, who, (v, mut e)| {
            e.id = id;
            r.update_entity(who, e, v)
        },
    )
    .await
}

async fn create_pledge(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |_: &HeaderMap, b: &Bytes| self::body::<Pledge>(b);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::CREATED,
        input,
        |r, who, p| r.create_pledge(who, p),
    )
    .await
}

async fn update_pledge(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |h: &HeaderMap, b: &Bytes| Ok((if_match(h)?, self::body::<Pledge>(b)?));
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::OK,
        input,
        |r, who, (v, mut p)| {
            p.id = id;
            r.update_pledge(who, p, v)
        },
    )
    .await
}

async fn withdraw_pledge(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |h: &HeaderMap, _: &Bytes| if_match(h);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::OK,
        input,
        move |r, who, v| r.withdraw_pledge(who, &id, v),
    )
    .await
}

async fn add_update(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |_: &HeaderMap, b: &Bytes| self::body::<ProgressUpdate>(b);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::CREATED,
        input,
        move |r, who, u| r.add_update(who, &id, u),
    )
    .await
}

async fn confirm_co_pledger(
    State(state): State<AppState>,
    client: Client,
    Path((id, entity)): Path<(String, String)>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |h: &HeaderMap, _: &Bytes| if_match(h);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::OK,
        input,
        move |r, who, v| r.confirm_co_pledger(who, &id, &entity, v),
    )
    .await
}

async fn verify_update(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |h: &HeaderMap, _: &Bytes| if_match(h);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::OK,
        input,
        move |r, who, v| r.verify_update(who, &id, v),
    )
    .await
}

async fn link_indicator(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |_: &HeaderMap, b: &Bytes| self::body::<IndicatorLink>(b);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::CREATED,
        input,
        move |r, who, l| r.link_indicator(who, &id, l),
    )
    .await
}

async fn create_position(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |_: &HeaderMap, b: &Bytes| self::body::<Position>(b);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::CREATED,
        input,
        |r, who, p| r.create_position(who, p),
    )
    .await
}

async fn update_position(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |h: &HeaderMap, b: &Bytes| Ok((if_match(h)?, self::body::<Position>(b)?));
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::OK,
        input,
        |r, who, (v, mut p)| {
            p.id = id;
            r.update_position(who, p, v)
        },
    )
    .await
}

async fn withdraw_position(
    State(state): State<AppState>,
    client: Client,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let input = |h: &HeaderMap, _: &Bytes| if_match(h);
    record_write(
        &state,
        &client,
        (headers, body),
        StatusCode::OK,
        input,
        move |r, who, v| r.withdraw_position(who, &id, v),
    )
    .await
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TokenRequest {
    role: String,
    #[serde(default)]
    entity: Option<String>,
    #[serde(default)]
    label: String,
    #[serde(default)]
    expires_at: Option<String>,
}

async fn issue_token(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let who = writer(&state, &client, &headers).await?;
    let bytes = read_body(&headers, body, RECORD_BODY_BYTES).await?;
    let req: TokenRequest = self::body(&bytes)?;
    let role = Role::parse(&req.role).ok_or_else(|| {
        ApiError::Registry(
            "invalid_record",
            format!(
                "`role`: `{}` is not administrator, entity_editor, reviewer or claims_editor",
                req.role
            ),
        )
    })?;
    let expires_at = req
        .expires_at
        .as_deref()
        .map(|e| Timestamp::parse("expires_at", e))
        .transpose()?;
    let registry = state.registry().clone();
    let (record, secret) = blocking(move || {
        Ok(registry.issue_token(&who, role, req.entity.as_deref(), &req.label, expires_at)?)
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "token": record, "secret": secret })),
    ))
}

async fn revoke_token(
    State(state): State<AppState>,
    client: Client,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Value>, ApiError> {
    let who = writer(&state, &client, &headers).await?;
    let registry = state.registry().clone();
    let record = blocking(move || Ok(registry.revoke_token(&who, &id)?)).await?;
    Ok(Json(json!({ "token": record })))
}
