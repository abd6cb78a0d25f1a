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
        super::api::register_article,
        super::api::delete_article,
        super::api::thread,
        super::admin::follow,
        super::admin::following,
        super::admin::lookup,
        super::admin::reports,
        super::interact::interact,
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
