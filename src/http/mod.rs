//! The HTTP layer: routes, extraction and responses. Handlers parse requests, call a
//! service and shape its answer; nothing here queries the database directly.

mod actors;
mod admin;
mod api;
mod articles;
mod auth;
mod inbox;
mod interact;
mod openapi;
mod responses;
mod secure;
mod wellknown;

use crate::state::AppState;
use axum::{
    extract::DefaultBodyLimit,
    middleware,
    routing::{delete, get, post},
    Router,
};
use tower_http::trace::TraceLayer;

/// All routes of the server.
pub fn router(state: AppState) -> Router {
    let body_limit = state.settings.federation.max_body_bytes;
    let inbox_routes = Router::new()
        .route("/inbox", post(inbox::shared_inbox))
        .route("/sites/{slug}/inbox", post(inbox::site_inbox))
        .layer(DefaultBodyLimit::max(body_limit));
    // Documents that secure mode serves only to signed GETs.
    let documents = Router::new()
        .route("/sites/{slug}", get(actors::site_actor))
        .route("/sites/{slug}/outbox", get(actors::site_outbox))
        .route("/sites/{slug}/followers", get(actors::site_followers))
        .route("/sites/{slug}/following", get(actors::site_following))
        .route("/sites/{slug}/featured", get(actors::site_featured))
        .route("/articles/{id}", get(articles::article))
        .route("/articles/{id}/replies", get(articles::replies))
        .route("/articles/{id}/context", get(articles::context))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            secure::require_signed_fetch,
        ));
    Router::new()
        .merge(inbox_routes)
        .merge(documents)
        .route("/healthz", get(api::healthz))
        .route("/.well-known/webfinger", get(wellknown::webfinger))
        .route("/.well-known/nodeinfo", get(wellknown::nodeinfo_links))
        .route("/nodeinfo/2.1", get(wellknown::nodeinfo))
        .route("/actor", get(actors::instance_actor))
        .route("/actor/outbox", get(actors::instance_outbox))
        .route("/api/v1/articles", post(api::register_article))
        .route("/api/v1/articles/{id}", delete(api::delete_article))
        .route("/api/v1/threads", get(api::thread))
        .route(
            "/api/v1/admin/follows",
            post(admin::follow).get(admin::following),
        )
        .route("/api/v1/admin/lookup", get(admin::lookup))
        .route("/api/v1/admin/reports", get(admin::reports))
        .route("/interact", get(interact::interact))
        .route("/api/openapi.json", get(openapi::document))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
