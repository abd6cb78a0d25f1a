//! The admin JSON API under `/api/v1/admin/` (and article registration, staff tokens):
//! every route but signing in is behind the bearer-token layer, and each handler
//! requires the role it needs.

mod alerts;
mod articles;
mod authors;
mod blocklists;
mod data_rights;
mod exports;
mod federation;
mod imports;
mod mastodon;
mod moderation;
mod newsroom;
mod policies;
mod staff;

use super::auth;
use crate::state::AppState;
use axum::{
    extract::{rejection::JsonRejection, DefaultBodyLimit},
    middleware::from_fn_with_state,
    Json,
};
use utoipa_axum::{
    router::{OpenApiRouter, UtoipaMethodRouterExt},
    routes,
};

/// A JSON body, its rejection turned into our error by `responses::json_rejection`.
type Body<T> = std::result::Result<Json<T>, JsonRejection>;

pub fn router(state: &AppState) -> OpenApiRouter<AppState> {
    let staff_only = OpenApiRouter::new()
        .routes(routes!(articles::register_article))
        .routes(routes!(articles::delete_article))
        .routes(routes!(moderation::queue))
        .routes(routes!(moderation::approve))
        .routes(routes!(moderation::hide))
        .routes(routes!(moderation::restore))
        .routes(routes!(moderation::delete))
        .routes(routes!(moderation::block))
        .routes(routes!(moderation::site_mode))
        .routes(routes!(moderation::article_mode))
        .routes(routes!(moderation::recheck))
        .routes(routes!(moderation::audit))
        .routes(routes!(moderation::reports))
        .routes(routes!(policies::rules, policies::add_rule))
        .routes(routes!(policies::remove_rule))
        .routes(routes!(
            policies::domain_policies,
            policies::set_domain_policy
        ))
        .routes(routes!(policies::remove_domain_policy))
        .routes(routes!(
            policies::actor_policies,
            policies::set_actor_policy
        ))
        .routes(routes!(policies::remove_actor_policy))
        .routes(routes!(authors::trust_levels, authors::set_trust))
        .routes(routes!(newsroom::highlight, newsroom::unhighlight))
        .routes(routes!(newsroom::reorder))
        .routes(routes!(newsroom::reply))
        .routes(routes!(newsroom::reply_to_article))
        .routes(routes!(newsroom::edit))
        .routes(routes!(newsroom::signature, newsroom::set_signature))
        .routes(routes!(federation::follow, federation::following))
        .routes(routes!(federation::lookup))
        .routes(routes!(federation::deliveries))
        .routes(routes!(federation::inbox))
        .routes(routes!(data_rights::export_actor))
        .routes(routes!(data_rights::erase_actor))
        // Lists are large: 32 MiB instead of the usual 64 KiB.
        .routes(routes!(blocklists::import).layer(DefaultBodyLimit::max(32 * 1024 * 1024)))
        .routes(routes!(blocklists::subscriptions, blocklists::subscribe))
        .routes(routes!(blocklists::preview))
        .routes(routes!(blocklists::unsubscribe))
        .routes(routes!(blocklists::refresh))
        .routes(routes!(blocklists::review))
        .routes(routes!(blocklists::approve))
        .routes(routes!(blocklists::followers))
        .routes(routes!(blocklists::approve_follower))
        .routes(routes!(blocklists::reject_follower))
        .routes(routes!(staff::staff_list, staff::create_staff))
        .routes(routes!(staff::logout))
        .routes(routes!(alerts::webhooks, alerts::create_webhook))
        .routes(routes!(alerts::delete_webhook))
        .routes(routes!(alerts::alert_deliveries))
        .routes(routes!(alerts::my_alerts, alerts::set_my_alerts))
        .routes(routes!(exports::export_site))
        // Exports are large: streamed to a file, their own limit (imports.max_upload_bytes).
        .routes(routes!(imports::import).layer(DefaultBodyLimit::disable()))
        // Mastodon's admin API (domain blocks, measures) and the CSV export.
        .routes(routes!(
            mastodon::domain_blocks::list,
            mastodon::domain_blocks::create
        ))
        .routes(routes!(
            mastodon::domain_blocks::show,
            mastodon::domain_blocks::update,
            mastodon::domain_blocks::delete
        ))
        .routes(routes!(mastodon::measures::measures))
        .routes(routes!(blocklists::export))
        .route_layer(from_fn_with_state(state.clone(), auth::bearer));
    // Signing in is how a token is had in the first place.
    OpenApiRouter::new()
        .routes(routes!(staff::login))
        .merge(staff_only)
}
