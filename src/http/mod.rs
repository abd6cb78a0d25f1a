//! The HTTP layer: routes, extraction and responses. Handlers parse requests, call a
//! service and shape its answer; nothing here queries the database directly.

mod actors;
mod admin;
mod api;
mod articles;
mod auth;
mod blocklist_actor;
mod blocklists;
mod console;
mod embed;
mod error;
mod inbox;
mod interact;
mod limits;
mod moderation;
mod newsroom;
mod openapi;
mod pages;
mod responses;
mod secure;
mod wellknown;

use crate::state::AppState;
use axum::{
    extract::DefaultBodyLimit,
    middleware,
    routing::{delete, get, post, put},
    Router,
};
use tower_http::trace::TraceLayer;

/// What the separate metrics address (`server.metrics_listen`) serves: `/metrics` only.
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(api::metrics))
        .with_state(state)
}

/// All routes of the server.
pub fn router(state: AppState) -> Router {
    let body_limit = state.settings.federation.max_body_bytes;
    let inbox_routes = Router::new()
        .route("/inbox", post(inbox::shared_inbox))
        .route("/sites/{slug}/inbox", post(inbox::site_inbox))
        .route("/blocklist/inbox", post(inbox::shared_inbox))
        .route_layer(middleware::from_fn_with_state(state.clone(), limits::inbox))
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
        .route("/articles/{id}/featured", get(newsroom::featured))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            secure::require_signed_fetch,
        ));
    // Everything anyone may GET without an account (discovery, ActivityPub documents,
    // feeds): the public per-address limit, checked before secure mode's signature
    // check so that a flood of unsigned GETs costs one map lookup each.
    let open_documents = Router::new()
        .route("/.well-known/webfinger", get(wellknown::webfinger))
        .route("/.well-known/nodeinfo", get(wellknown::nodeinfo_links))
        .route("/nodeinfo/2.1", get(wellknown::nodeinfo))
        .route("/actor", get(actors::instance_actor))
        .route("/actor/outbox", get(actors::instance_outbox))
        .route("/approvals/{id}", get(api::approval))
        .route("/comments/{id}", get(newsroom::comment))
        .route("/sites/{slug}/highlights.atom", get(newsroom::atom_feed))
        .route("/sites/{slug}/highlights.json", get(newsroom::json_feed))
        .route("/blocklist", get(blocklist_actor::actor))
        .route("/blocklist/outbox", get(blocklist_actor::outbox))
        .route("/blocklist/followers", get(blocklist_actor::followers))
        .route("/fires/datasets/blocklist", get(blocklist_actor::dataset))
        .route(
            "/fires/datasets/blocklist/snapshot",
            get(blocklist_actor::snapshot),
        )
        .route(
            "/fires/datasets/blocklist/changes",
            get(blocklist_actor::changes),
        )
        .merge(documents)
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            limits::public,
        ));
    // `/metrics` on this address only when no separate metrics address is configured.
    let metrics = if state.settings.server.metrics_listen.is_none() {
        Router::new().route("/metrics", get(api::metrics))
    } else {
        Router::new()
    };
    // What publishers' pages call from the browser: CORS for the sites' origins only.
    let origins: Vec<axum::http::HeaderValue> = state
        .sites
        .values()
        .filter_map(|s| s.origin.origin().ascii_serialization().parse().ok())
        .collect();
    let cors = tower_http::cors::CorsLayer::new()
        .allow_origin(tower_http::cors::AllowOrigin::list(origins))
        .allow_methods([axum::http::Method::GET, axum::http::Method::POST])
        .allow_headers([
            axum::http::header::CONTENT_TYPE,
            axum::http::header::IF_NONE_MATCH,
            axum::http::header::ACCEPT,
        ])
        .expose_headers([axum::http::header::ETAG]);
    let public = Router::new()
        .route("/api/v1/threads", get(api::thread))
        .route("/api/v1/reports", post(api::report))
        .route("/api/v1/counts", get(newsroom::counts))
        .route("/interact", get(interact::interact))
        .route("/embed.js", get(embed::script))
        .route("/threads", get(pages::thread_page))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            limits::public,
        ))
        .layer(cors);
    Router::new()
        .merge(inbox_routes)
        .merge(public)
        .merge(open_documents)
        .merge(metrics)
        .route(
            "/api/v1/instance/domain_blocks",
            get(blocklists::domain_blocks),
        )
        .route(
            "/api/v1/admin/blocklist/import",
            post(blocklists::import).layer(DefaultBodyLimit::max(32 * 1024 * 1024)),
        )
        .route(
            "/api/v1/admin/blocklist-subscriptions",
            get(blocklists::subscriptions).post(blocklists::subscribe),
        )
        .route(
            "/api/v1/admin/blocklist-subscriptions/preview",
            get(blocklists::preview),
        )
        .route(
            "/api/v1/admin/blocklist-subscriptions/{id}",
            delete(blocklists::unsubscribe),
        )
        .route(
            "/api/v1/admin/blocklist-subscriptions/{id}/refresh",
            post(blocklists::refresh),
        )
        .route(
            "/api/v1/admin/blocklist-subscriptions/{id}/review",
            get(blocklists::review),
        )
        .route(
            "/api/v1/admin/blocklist-subscriptions/{id}/approve",
            post(blocklists::approve),
        )
        .route(
            "/api/v1/admin/blocklist-followers",
            get(blocklists::followers),
        )
        .route(
            "/api/v1/admin/blocklist-followers/{id}/approve",
            post(blocklists::approve_follower),
        )
        .route(
            "/api/v1/admin/blocklist-followers/{id}/reject",
            post(blocklists::reject_follower),
        )
        .route("/admin", get(console::queue))
        .route("/admin/console.js", get(console::script))
        .route("/admin/login", post(console::login))
        .route("/admin/logout", post(console::logout))
        .route("/admin/comments/{id}", get(console::comment))
        .route("/admin/comments/{id}/{action}", post(console::act))
        .route(
            "/admin/rules",
            get(console::rules).post(console::rules_post),
        )
        .route("/admin/rules/{id}/delete", post(console::rule_delete))
        .route("/admin/modes", post(console::modes_post))
        .route(
            "/admin/domains",
            get(console::domains).post(console::domains_post),
        )
        .route("/admin/domains/delete", post(console::domains_delete))
        .route("/admin/reports", get(console::reports))
        .route("/admin/audit", get(console::audit))
        .route("/admin/blocklists", get(console::blocklists))
        .route("/threads/report", post(pages::report_form))
        .route("/healthz", get(api::healthz))
        .route("/readyz", get(api::readyz))
        .route("/api/v1/articles", post(api::register_article))
        .route("/api/v1/articles/{id}", delete(api::delete_article))
        .route(
            "/api/v1/admin/follows",
            post(admin::follow).get(admin::following),
        )
        .route("/api/v1/admin/lookup", get(admin::lookup))
        .route("/api/v1/admin/deliveries", get(admin::deliveries))
        .route("/api/v1/admin/inbox", get(admin::inbox))
        .route("/api/v1/admin/actors/export", get(admin::export_actor))
        .route("/api/v1/admin/actors/erase", post(admin::erase_actor))
        .route("/api/v1/admin/reports", get(admin::reports))
        .route(
            "/api/v1/admin/comments/{id}/highlight",
            post(newsroom::highlight).delete(newsroom::unhighlight),
        )
        .route("/api/v1/admin/comments/{id}/reply", post(newsroom::reply))
        .route("/api/v1/admin/comments/{id}", put(newsroom::edit))
        .route(
            "/api/v1/admin/articles/{id}/reply",
            post(newsroom::reply_to_article),
        )
        .route(
            "/api/v1/admin/articles/{id}/highlights",
            put(newsroom::reorder),
        )
        .route("/api/v1/admin/queue", get(moderation::queue))
        .route(
            "/api/v1/admin/comments/{id}/approve",
            post(moderation::approve),
        )
        .route("/api/v1/admin/comments/{id}/hide", post(moderation::hide))
        .route(
            "/api/v1/admin/comments/{id}/restore",
            post(moderation::restore),
        )
        .route(
            "/api/v1/admin/comments/{id}/delete",
            post(moderation::delete),
        )
        .route("/api/v1/admin/comments/{id}/block", post(moderation::block))
        .route(
            "/api/v1/admin/sites/{site}/moderation",
            put(moderation::site_mode),
        )
        .route(
            "/api/v1/admin/articles/{id}/moderation",
            put(moderation::article_mode),
        )
        .route(
            "/api/v1/admin/rules",
            get(moderation::rules).post(moderation::add_rule),
        )
        .route("/api/v1/admin/rules/{id}", delete(moderation::remove_rule))
        .route(
            "/api/v1/admin/domain-policies",
            get(moderation::domain_policies).post(moderation::set_domain_policy),
        )
        .route(
            "/api/v1/admin/domain-policies/{domain}",
            delete(moderation::remove_domain_policy),
        )
        .route(
            "/api/v1/admin/actor-policies",
            get(moderation::actor_policies).post(moderation::set_actor_policy),
        )
        .route(
            "/api/v1/admin/actor-policies/{id}",
            delete(moderation::remove_actor_policy),
        )
        .route("/api/v1/admin/recheck", post(moderation::recheck))
        .route("/api/v1/admin/audit", get(moderation::audit))
        .route(
            "/api/v1/admin/staff",
            get(moderation::staff_list).post(moderation::create_staff),
        )
        .route(
            "/api/v1/auth/token",
            post(moderation::login).delete(moderation::logout),
        )
        .route("/api/openapi.json", get(openapi::document))
        .layer(DefaultBodyLimit::max(64 * 1024))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            responses::durable_writes,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            limits::security_headers,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
