//! What readers and publishers' pages use: the public JSON API (threads, counts,
//! reports), the embed script, the server-rendered thread pages and their forms,
//! "reply from your instance", the feeds of highlights, and our domain blocks.

mod domain_blocks;
mod embed;
mod feeds;
mod interact;
mod landing;
mod pages;
mod threads;

use super::limits;
use crate::state::AppState;
use axum::{
    http::{header, HeaderValue, Method},
    middleware::from_fn_with_state,
    routing::{get, post},
};
use tower_http::cors::{AllowOrigin, CorsLayer};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    // What publishers' pages call from the browser: CORS for the sites' origins only.
    let origins: Vec<HeaderValue> = state
        .sites
        .values()
        .filter_map(|s| s.origin.origin().ascii_serialization().parse().ok())
        .collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::IF_NONE_MATCH, header::ACCEPT])
        .expose_headers([header::ETAG]);
    let from_pages = OpenApiRouter::new()
        .routes(routes!(threads::thread))
        .routes(routes!(threads::report))
        .routes(routes!(threads::counts))
        .routes(routes!(interact::interact))
        .routes(routes!(interact::check))
        .route("/embed.js", get(embed::script))
        .route("/embed/words", get(embed::words_json))
        .route("/threads", get(pages::thread_page))
        .route_layer(from_fn_with_state(state.clone(), limits::public))
        .layer(cors);
    let feeds = OpenApiRouter::new()
        .route("/sites/{slug}/highlights.atom", get(feeds::atom))
        .route("/sites/{slug}/highlights.json", get(feeds::json))
        .route_layer(from_fn_with_state(state.clone(), limits::public));
    let home = OpenApiRouter::new()
        .route("/", get(landing::landing))
        .route_layer(from_fn_with_state(state.clone(), limits::public));
    OpenApiRouter::new()
        .routes(routes!(domain_blocks::domain_blocks))
        .route("/threads/report", post(pages::report_form))
        .merge(from_pages)
        .merge(feeds)
        .merge(home)
}
