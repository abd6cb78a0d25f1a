//! The OpenAPI document of the JSON API, generated from the handlers' annotations.

use axum::Json;
use utoipa::{
    openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
    Modify, OpenApi,
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Tribune", description = "Federated comments for publishers", license(name = "AGPL-3.0-or-later")),
    paths(
        super::api::healthz,
        super::api::readyz,
        super::api::register_article,
        super::api::delete_article,
        super::api::thread,
        super::api::report,
        super::admin::follow,
        super::admin::following,
        super::admin::lookup,
        super::admin::deliveries,
        super::admin::inbox,
        super::admin::export_actor,
        super::admin::erase_actor,
        super::admin::reports,
        super::interact::interact,
        super::moderation::queue,
        super::moderation::approve,
        super::moderation::hide,
        super::moderation::restore,
        super::moderation::delete,
        super::moderation::block,
        super::moderation::site_mode,
        super::moderation::article_mode,
        super::moderation::rules,
        super::moderation::add_rule,
        super::moderation::remove_rule,
        super::moderation::domain_policies,
        super::moderation::set_domain_policy,
        super::moderation::remove_domain_policy,
        super::moderation::actor_policies,
        super::moderation::set_actor_policy,
        super::moderation::remove_actor_policy,
        super::moderation::recheck,
        super::moderation::audit,
        super::moderation::staff_list,
        super::moderation::create_staff,
        super::moderation::login,
        super::moderation::logout,
        super::blocklists::domain_blocks,
        super::blocklists::import,
        super::blocklists::subscriptions,
        super::blocklists::subscribe,
        super::blocklists::unsubscribe,
        super::blocklists::refresh,
        super::blocklists::preview,
        super::blocklists::review,
        super::blocklists::approve,
        super::blocklists::followers,
        super::blocklists::approve_follower,
        super::blocklists::reject_follower,
        super::newsroom::highlight,
        super::newsroom::unhighlight,
        super::newsroom::reorder,
        super::newsroom::reply,
        super::newsroom::reply_to_article,
        super::newsroom::edit,
        super::newsroom::counts,
    ),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        if let Some(components) = openapi.components.as_mut() {
            components.add_security_scheme(
                "bearer",
                SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
            );
        }
    }
}

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
