//! Data rights over the API: everything held about one remote actor (access), and
//! erasing it (erasure), threads kept readable with tombstones.

use super::Body;
use crate::http::extract::Query;
use crate::http::{auth::Staff, responses::json_rejection};
use crate::{error::Result, services, state::AppState};
use axum::{extract::State, Json};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams, utoipa::ToSchema)]
pub struct ActorQuery {
    /// The actor's id (URL).
    pub actor: String,
}

/// Everything held about one remote actor (an access request): its profile, comments
/// with their earlier versions, reactions, reports and follows.
#[utoipa::path(get, path = "/api/v1/admin/actors/export", params(ActorQuery), security(("bearer" = [])),
    responses((status = 200, description = "The actor's data as JSON"), (status = 404)))]
pub async fn export_actor(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ActorQuery>,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(
        services::moderators::data_rights::export(&state, &staff, &q.actor).await?,
    ))
}

/// Erase one remote actor's data (an erasure request): its comments become tombstones
/// so threads stay readable; everything else about it goes.
#[utoipa::path(post, path = "/api/v1/admin/actors/erase", request_body = ActorQuery, security(("bearer" = [])),
    responses((status = 200, description = "`{actor, comments_erased}`"), (status = 404)))]
pub async fn erase_actor(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<ActorQuery>,
) -> Result<Json<serde_json::Value>> {
    let Json(q) = body.map_err(json_rejection)?;
    Ok(Json(
        services::moderators::data_rights::erase(&state, &staff, &q.actor).await?,
    ))
}
