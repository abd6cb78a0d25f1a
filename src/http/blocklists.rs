//! Blocklists over HTTP: our policies as Mastodon publishes them, and imports.

use super::auth::Staff;
use crate::{
    error::{Error, Result},
    services::{self, blocklists::ImportReport},
    state::AppState,
};
use axum::{
    extract::{FromRequestParts, Query, State},
    http::request::Parts,
    Json,
};
use serde::Deserialize;
use serde_json::Value;

/// Mastodon-compatible `GET /api/v1/instance/domain_blocks`.
#[utoipa::path(get, path = "/api/v1/instance/domain_blocks",
    responses((status = 200, description = "`[{domain, digest, severity, comment}]`, obfuscated entries obfuscated"),
               (status = 401, description = "Visibility is `authenticated` and no staff token was given"),
               (status = 404, description = "Visibility is `off`")))]
pub async fn domain_blocks(State(state): State<AppState>, mut parts: Parts) -> Result<Json<Value>> {
    match state.settings.blocklists.domain_blocks_visibility.as_str() {
        "public" => {}
        "authenticated" => {
            Staff::from_request_parts(&mut parts, &state).await?;
        }
        _ => return Err(Error::NotFound("domain blocks")),
    }
    Ok(Json(services::blocklists::public_list(&state).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// Where the list comes from (recorded on each policy).
    #[serde(default)]
    pub source: Option<String>,
}

/// Import a blocklist (Mastodon CSV or JSON, GoToSocial JSON, FediBlockHole CSV, plain
/// text) as the request body.
#[utoipa::path(post, path = "/api/v1/admin/blocklist/import", params(ImportQuery), request_body = String,
    security(("bearer" = [])), responses((status = 200, body = ImportReport), (status = 422)))]
pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ImportQuery>,
    body: String,
) -> Result<Json<ImportReport>> {
    let source = q.source.unwrap_or_else(|| "import".into());
    Ok(Json(
        services::blocklists::import(&state, &staff, &body, &source).await?,
    ))
}
