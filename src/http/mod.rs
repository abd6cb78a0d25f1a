//! The HTTP layer: one router per area (`federation` for other servers, `public` for
//! readers and publishers' pages, `admin` for the JSON API of the staff, `console` for
//! their pages, `ops` for probes and metrics), composed here with the layers every
//! request goes through. Handlers parse requests, call a service and shape its answer;
//! nothing here queries the database.

mod admin;
mod auth;
mod console;
mod error;
mod extract;
mod federation;
mod limits;
mod openapi;
mod ops;
mod public;
mod responses;
mod views;

use crate::state::AppState;
use axum::{extract::DefaultBodyLimit, middleware::from_fn_with_state, Router};
use openapi::tagged;
use tower_http::trace::TraceLayer;
use utoipa_axum::router::OpenApiRouter;

/// What the separate metrics address (`server.metrics_listen`) serves: `/metrics` only.
pub fn metrics_router(state: AppState) -> Router {
    ops::metrics_router().with_state(state)
}

/// All routes of the server.
pub fn router(state: AppState) -> Router {
    let (routes, api) = OpenApiRouter::with_openapi(openapi::base())
        .merge(tagged(federation::router(&state), "federation"))
        .merge(tagged(public::router(&state), "public"))
        .merge(tagged(admin::router(&state), "admin"))
        .merge(console::router(&state))
        .merge(tagged(ops::router(&state), "ops"))
        .split_for_parts();
    routes
        .route("/api/openapi.json", openapi::serve(&api))
        // Areas that take more (inboxes, blocklist imports) say so on their routes.
        .layer(DefaultBodyLimit::max(64 * 1024))
        // Every error under /api/ is JSON, axum's own 404 and 405 included.
        .layer(axum::middleware::from_fn(error::api_json_errors))
        .layer(from_fn_with_state(state.clone(), responses::durable_writes))
        .layer(from_fn_with_state(state.clone(), limits::security_headers))
        .layer(axum::middleware::from_fn(error::language))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
