//! What other servers read and send: the inboxes, our actors and their collections,
//! articles and staff replies as ActivityPub objects, reply approvals, WebFinger and
//! NodeInfo, and the blocklist actor with its FIRES dataset.

mod actors;
mod articles;
mod blocklist;
mod comments;
mod inbox;
mod journalists;
mod secure;
mod wellknown;

use super::limits;
use crate::state::AppState;
use axum::{
    extract::DefaultBodyLimit,
    middleware::from_fn_with_state,
    routing::{get, post},
};
use utoipa_axum::{router::OpenApiRouter, routes};

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let inboxes = OpenApiRouter::new()
        .route("/inbox", post(inbox::shared_inbox))
        .route("/sites/{slug}/inbox", post(inbox::site_inbox))
        .route("/blocklist/inbox", post(inbox::shared_inbox))
        .route_layer(from_fn_with_state(state.clone(), limits::inbox))
        .layer(DefaultBodyLimit::max(
            state.settings.federation.max_body_bytes,
        ));
    // Documents that secure mode serves only to signed GETs.
    let documents = OpenApiRouter::new()
        .route("/sites/{slug}", get(actors::site_actor))
        .route("/sites/{slug}/outbox", get(actors::site_outbox))
        .route("/sites/{slug}/followers", get(actors::site_followers))
        .route("/sites/{slug}/following", get(actors::site_following))
        .route("/sites/{slug}/featured", get(actors::site_featured))
        .route("/staff/{username}", get(journalists::actor))
        .route("/staff/{username}/outbox", get(journalists::outbox))
        .route("/staff/{username}/followers", get(journalists::followers))
        .routes(routes!(articles::by_url))
        .route("/articles/{id}", get(articles::article))
        .route("/articles/{id}/replies", get(articles::replies))
        .route("/articles/{id}/context", get(articles::context))
        .route("/articles/{id}/featured", get(articles::featured))
        .route_layer(from_fn_with_state(
            state.clone(),
            secure::require_signed_fetch,
        ));
    // Anyone may GET these without an account: the public per-address limit, checked
    // before secure mode's signature check so that a flood of unsigned GETs costs one
    // map lookup each.
    let open = OpenApiRouter::new()
        .route("/.well-known/webfinger", get(wellknown::webfinger))
        .route("/.well-known/nodeinfo", get(wellknown::nodeinfo_links))
        .route("/nodeinfo/2.1", get(wellknown::nodeinfo))
        .route("/actor", get(actors::instance_actor))
        .route("/actor/outbox", get(actors::instance_outbox))
        .route("/approvals/{id}", get(comments::approval))
        .route(
            "/quotes/{id}/authorization",
            get(comments::quote_authorization),
        )
        .route("/comments/{id}", get(comments::comment))
        .route("/comments/{id}/replies", get(comments::replies))
        .route("/blocklist", get(blocklist::actor))
        .route("/blocklist/outbox", get(blocklist::outbox))
        .route("/blocklist/followers", get(blocklist::followers))
        .route("/fires/datasets/blocklist", get(blocklist::dataset))
        .route(
            "/fires/datasets/blocklist/snapshot",
            get(blocklist::snapshot),
        )
        .route("/fires/datasets/blocklist/changes", get(blocklist::changes))
        .merge(documents)
        .route_layer(from_fn_with_state(state.clone(), limits::public));
    inboxes.merge(open)
}
