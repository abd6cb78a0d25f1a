//! What operators and their probes read: `/healthz`, `/readyz` and `/metrics` (on this
//! address, or on `server.metrics_listen` alone).

use crate::http::auth::bearer_token;
use crate::{error::Error, services, state::AppState};
use axum::{
    extract::State,
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
    Json, Router,
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let probes = OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz));
    // `/metrics` here only when no separate metrics address is configured.
    if state.settings.server.metrics_listen.is_none() {
        probes.route("/metrics", get(metrics))
    } else {
        probes
    }
}

/// What the separate metrics address serves: `/metrics` only.
pub fn metrics_router() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

/// `GET /healthz`: 200 when the database answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "Database answers"), (status = 503, description = "Database unreachable")))]
pub async fn healthz(State(state): State<AppState>) -> Response {
    if services::health::database_answers(&state).await {
        (StatusCode::OK, Json(serde_json::json!({"status": "ok"}))).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "database unreachable"})),
        )
            .into_response()
    }
}

/// `GET /readyz`: 200 when the database answers and, where this process runs workers,
/// its inbox and delivery workers went round lately and their last writes succeeded;
/// 503 as well while the inbox's writer cannot store (a read-only or full disk answers
/// reads, so `database` alone would say ready while every write fails).
#[utoipa::path(get, path = "/readyz", responses((status = 200, description = "Ready"), (status = 503, description = "Not ready: the body says what")))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let readiness = services::health::readiness(&state).await;
    let status = if readiness.ready() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(readiness)).into_response()
}

/// `GET /metrics`: Prometheus (OpenMetrics text). Behind `server.metrics_token` when
/// one is set (401 without it); with neither a token nor a separate metrics address it
/// is not served (404), so the public never reads our queues. The queue gauges come
/// from the database at most once per `server.metrics_cache_secs` however often it
/// is scraped.
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let server = &state.settings.server;
    let token = server.metrics_token.as_str();
    if token.is_empty() && server.metrics_listen.is_none() {
        return Error::NotFound("page").into_response();
    }
    if !token.is_empty() {
        let given = bearer_token(&headers).unwrap_or("");
        if !services::staff::secret_matches(given, token) {
            return Error::Unauthorized("metrics token required".into()).into_response();
        }
    }
    services::health::refresh_queue_gauges(&state).await;
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
}
