//! The OpenAPI document of the JSON API: the operations each area's router declares
//! with its routes (`utoipa_axum::routes!`), under our title and licence, with the
//! bearer scheme, and each operation tagged with its area.

use axum::{
    http::header,
    response::IntoResponse,
    routing::{get, MethodRouter},
};
use utoipa::{
    openapi::{
        path::Operation,
        security::{HttpAuthScheme, HttpBuilder, SecurityScheme},
        OpenApi as Document,
    },
    OpenApi,
};
use utoipa_axum::router::OpenApiRouter;

#[derive(OpenApi)]
#[openapi(info(
    title = "Tribune",
    description = "Federated comments for publishers",
    license(name = "AGPL-3.0-or-later")
))]
struct ApiDoc;

/// The document before any route: title, description, licence, the bearer scheme.
pub fn base() -> Document {
    let mut doc = ApiDoc::openapi();
    doc.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    doc
}

/// `router`'s operations, tagged `tag` (the area they belong to).
pub fn tagged<S>(mut router: OpenApiRouter<S>, tag: &str) -> OpenApiRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    for item in router.get_openapi_mut().paths.paths.values_mut() {
        let operations: [&mut Option<Operation>; 5] = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            operation
                .tags
                .get_or_insert_with(Vec::new)
                .push(tag.to_string());
        }
    }
    router
}

/// `GET /api/openapi.json`: the document, serialised once.
pub fn serve<S>(doc: &Document) -> MethodRouter<S>
where
    S: Clone + Send + Sync + 'static,
{
    let body = bytes::Bytes::from(serde_json::to_vec(doc).unwrap_or_default());
    get(move || async move { ([(header::CONTENT_TYPE, "application/json")], body).into_response() })
}
