//! Indicator routes of the native API: the catalogue, any indicator for the world, a region, a
//! country or every country over years (with parts, changes and sources), rankings, and country
//! profiles. Parameters are strict, declared once for validation and the OpenAPI document.

use std::collections::BTreeMap;

use axum::extract::{Path, RawQuery, State};
use axum::routing::get;
use axum::{Json, Router};
use passage_domain::Year;
use passage_indicators::{Indicator, Place, Request, Role, COMPACTS_ADOPTED};
use serde_json::{json, Value};

use super::error::ApiError;
use super::params::{list, read, years_of, ParamSpec};
use super::{active, no_params};
use crate::AppState;

pub const INDICATOR_PARAMS: [ParamSpec; 8] = [
    ParamSpec { name: "country", description: "A country, ISO3; or several, comma-separated, for one figure of them together (as for a region). Without country, region or each: the world.", example: "SYR" },
    ParamSpec { name: "region", description: "A UN M49 region, subregion or intermediate region by name, or a UNHCR region as unhcr:NAME.", example: "Europe" },
    ParamSpec { name: "each", description: "true: one figure per country.", example: "false" },
    ParamSpec { name: "role", description: "The side of the country or region: host (asylum, arrival, destination) or origin.", example: "origin" },
    ParamSpec { name: "year", description: "Years, comma-separated.", example: "2024" },
    ParamSpec { name: "years", description: "An inclusive range of years, A..B. Not with `year`.", example: "2014..2025" },
    ParamSpec { name: "by", description: "Breakdowns among the indicator's `by` dimensions, comma-separated. Those dimensions (and `split` ones) are also filters.", example: "migration_route" },
    ParamSpec { name: "base_year", description: "Base year of the change column. Default 2018, the compacts' adoption.", example: "2018" },
];

pub const RANKING_PARAMS: [ParamSpec; 3] = [
    ParamSpec {
        name: "year",
        description: "The year ranked (required).",
        example: "2024",
    },
    ParamSpec {
        name: "role",
        description: "host (default) or origin.",
        example: "host",
    },
    ParamSpec {
        name: "top",
        description: "How many countries, 1 to 300. Default 10.",
        example: "10",
    },
];

pub const PROFILE_PARAMS: [ParamSpec; 3] = [
    ParamSpec {
        name: "year",
        description: "Years, comma-separated.",
        example: "2024",
    },
    ParamSpec {
        name: "years",
        description: "An inclusive range of years, A..B. Not with `year`.",
        example: "2015..2024",
    },
    ParamSpec {
        name: "base_year",
        description: "Base year of the change column. Default 2018.",
        example: "2018",
    },
];

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/indicators", get(catalogue))
        .route("/api/v1/indicators/{id}", get(indicator))
        .route("/api/v1/indicators/{id}/ranking", get(ranking))
        .route("/api/v1/countries/{country}/profile", get(profile))
}

async fn catalogue(
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    no_params(&q)?;
    let engine = state.engine();
    Ok(Json(json!({
        "indicators": engine.catalogue.indicators.iter().map(Indicator::to_json).collect::<Vec<_>>(),
        "income_classification": engine.groups.income_classification,
    })))
}

/// The indicator's dimensions a request may filter on.
fn dims(indicator: &Indicator) -> Vec<&str> {
    indicator
        .split
        .iter()
        .chain(&indicator.by)
        .map(String::as_str)
        .collect()
}

fn filters(p: &BTreeMap<String, String>, indicator: &Indicator) -> Vec<(String, Vec<String>)> {
    dims(indicator)
        .into_iter()
        .filter_map(|d| p.get(d).map(|v| (d.to_string(), list(v))))
        .collect()
}

fn role(p: &BTreeMap<String, String>) -> Result<Option<Role>, ApiError> {
    p.get("role")
        .map(|r| {
            Role::parse(r).ok_or_else(|| {
                ApiError::invalid("role", format!("expected host or origin, found `{r}`"))
            })
        })
        .transpose()
}

fn base_year(p: &BTreeMap<String, String>) -> Result<i16, ApiError> {
    p.get("base_year").map_or(Ok(COMPACTS_ADOPTED), |v| {
        v.parse::<Year>()
            .map(|y| y.get() as i16)
            .map_err(|e| ApiError::invalid("base_year", e.to_string()))
    })
}

async fn indicator(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let engine = state.engine();
    let ind = engine.indicator(&id)?;
    let p = read(q.as_deref().unwrap_or(""), &INDICATOR_PARAMS, &dims(ind))?;
    let each = match p.get("each").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(other) => {
            return Err(ApiError::invalid(
                "each",
                format!("expected true or false, found `{other}`"),
            ))
        }
    };
    let place = match (p.get("country"), p.get("region"), each) {
        (Some(_), Some(_), _) | (Some(_), _, true) | (_, Some(_), true) => {
            return Err(ApiError::ConflictingParameters {
                parameter: "country".into(),
                message: "give one of `country`, `region` and `each`".into(),
            })
        }
        (Some(c), None, false) if c.contains(',') => {
            let codes = list(c);
            Place::countries(&codes.join(", "), &codes, "country")?
        }
        (Some(c), None, false) => Place::country(c, "country")?,
        (None, Some(r), false) => Place::Region(r.clone()),
        (None, None, true) => Place::EachCountry,
        (None, None, false) => Place::World,
    };
    let request = Request {
        indicator: id,
        place,
        role: role(&p)?,
        years: years_of(&p)?,
        by: p.get("by").map(|b| list(b)).unwrap_or_default(),
        filters: filters(&p, ind),
    };
    let release = active(&state)?;
    let series = engine.evaluate(&release, &request)?;
    Ok(Json(series.to_json(
        |d| release.manifest.sources_json(d),
        base_year(&p)?,
    )))
}

async fn ranking(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let engine = state.engine();
    let ind = engine.indicator(&id)?;
    let p = read(q.as_deref().unwrap_or(""), &RANKING_PARAMS, &dims(ind))?;
    let year = p
        .get("year")
        .ok_or_else(|| ApiError::invalid("year", "the year to rank is required"))?
        .parse::<Year>()
        .map_err(|e| ApiError::invalid("year", e.to_string()))?;
    let top = match p.get("top") {
        None => 10,
        Some(t) => t
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=300).contains(n))
            .ok_or_else(|| ApiError::invalid("top", format!("expected 1 to 300, found `{t}`")))?,
    };
    let release = active(&state)?;
    let ranking = engine.rank(
        &release,
        &id,
        role(&p)?.unwrap_or(Role::Host),
        year,
        filters(&p, ind),
        top,
    )?;
    Ok(Json(ranking.to_json(|d| release.manifest.sources_json(d))))
}

async fn profile(
    State(state): State<AppState>,
    Path(country): Path<String>,
    RawQuery(q): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let p = read(q.as_deref().unwrap_or(""), &PROFILE_PARAMS, &[])?;
    let years = years_of(&p)?;
    let release = active(&state)?;
    let profile = state.engine().profile(&release, &country, years)?;
    Ok(Json(profile.to_json(
        |d| release.manifest.sources_json(d),
        base_year(&p)?,
    )))
}
