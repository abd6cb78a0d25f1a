//! Trusted and watched authors over the API: the level of one author (`trusted`,
//! `watched` or `normal`) and the list of those marked.

use super::Body;
use crate::http::{auth::Staff, responses::json_rejection};
use crate::{
    domain::TrustLevel,
    error::{Error, Result},
    services::moderators::{self, AuthorTrust},
    state::AppState,
};
use axum::{extract::State, Json};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TrustRequest {
    /// The author's actor id.
    pub actor: String,
    /// `trusted` (pre-moderation, the newcomer rule and content rules skipped),
    /// `watched` (every comment held) or `normal`.
    pub level: TrustLevel,
    /// Why (500 characters at most; staff only).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Trusted and watched authors.
#[utoipa::path(get, path = "/api/v1/admin/authors/trust", security(("bearer" = [])),
    responses((status = 200, body = [AuthorTrust]), (status = 401), (status = 403)))]
pub async fn trust_levels(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<AuthorTrust>>> {
    Ok(Json(moderators::trust_levels(&state, &staff).await?))
}

/// Set an author's level (moderators); from their next comment on, not retroactive.
#[utoipa::path(put, path = "/api/v1/admin/authors/trust", request_body = TrustRequest, security(("bearer" = [])),
    responses((status = 200, body = AuthorTrust), (status = 401), (status = 403),
        (status = 404, description = "an actor Tribune has not seen"),
        (status = 409, description = "the author is blocked"), (status = 422)))]
pub async fn set_trust(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<TrustRequest>,
) -> Result<Json<AuthorTrust>> {
    let Json(req) = body.map_err(json_rejection)?;
    url::Url::parse(&req.actor)
        .map_err(|_| Error::Unprocessable("actor must be an actor id (URL)".into()))?;
    Ok(Json(
        moderators::set_trust(&state, &staff, &req.actor, req.level, req.reason).await?,
    ))
}
