//! Our domain policies as Mastodon publishes its own (`GET /api/v1/instance/domain_blocks`),
//! as open as `blocklists.domain_blocks_visibility` says.

use crate::http::auth;
use crate::{
    error::{Error, Result},
    services,
    state::AppState,
};
use axum::{extract::State, http::HeaderMap, Json};
use serde_json::Value;

/// Mastodon-compatible `GET /api/v1/instance/domain_blocks`.
#[utoipa::path(get, path = "/api/v1/instance/domain_blocks",
    responses((status = 200, description = "`[{domain, digest, severity, comment}]`, obfuscated entries obfuscated"),
               (status = 401, description = "Visibility is `authenticated` and no staff token was given"),
               (status = 404, description = "Visibility is `off`")))]
pub async fn domain_blocks(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>> {
    match state.settings.blocklists.domain_blocks_visibility.as_str() {
        "public" => {}
        "authenticated" => {
            auth::authenticate(&state, &headers).await?;
        }
        _ => return Err(Error::NotFound("domain blocks")),
    }
    Ok(Json(services::blocklists::public_list(&state).await?))
}
