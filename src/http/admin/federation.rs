//! Federation over the API (admins): follows sent by our sites, looking up a remote
//! object the way a peer would see it, and the queues of activities in and out.

use super::Body;
use crate::http::extract::Query;
use crate::http::{auth::Admin, responses::json_rejection};
use crate::{
    error::Result,
    services::{
        self,
        delivery::{
            follows::{FollowRequest, FollowingView},
            DeliveryView,
        },
        inbox::InboxView,
    },
    state::AppState,
};
use axum::{extract::State, http::StatusCode, Json};
use serde::Deserialize;

/// Make a site follow a remote actor.
#[utoipa::path(post, path = "/api/v1/admin/follows", request_body = FollowRequest,
    security(("bearer" = [])),
    responses((status = 202, body = FollowingView), (status = 401), (status = 422), (status = 502)))]
pub async fn follow(
    State(state): State<AppState>,
    _admin: Admin,
    body: Body<FollowRequest>,
) -> Result<(StatusCode, Json<FollowingView>)> {
    let Json(req) = body.map_err(json_rejection)?;
    let view = services::delivery::follows::follow(&state, req).await?;
    Ok((StatusCode::ACCEPTED, Json(view)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct SiteQuery {
    pub site: String,
}

/// Who a site follows.
#[utoipa::path(get, path = "/api/v1/admin/follows", params(SiteQuery), security(("bearer" = [])),
    responses((status = 200, body = [FollowingView]), (status = 401), (status = 404)))]
pub async fn following(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<SiteQuery>,
) -> Result<Json<Vec<FollowingView>>> {
    Ok(Json(
        services::delivery::follows::following(&state, &q.site).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct LookupQuery {
    /// The ActivityPub id to fetch.
    pub uri: String,
}

/// Fetch a remote ActivityPub document with a signed GET, as our workers would.
#[utoipa::path(get, path = "/api/v1/admin/lookup", params(LookupQuery), security(("bearer" = [])),
    responses((status = 200, description = "The document"), (status = 401), (status = 422), (status = 502)))]
pub async fn lookup(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<LookupQuery>,
) -> Result<Json<serde_json::Value>> {
    Ok(Json(
        services::remote::actors::lookup(&state, &q.uri).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// Deliveries: `dead` (default: retried for the whole period), `failed` (refused
    /// for good), `pending`, `cancelled`, `delivered`. Inbox: `failed` (default),
    /// `pending`, `ignored`, `done`.
    #[serde(default)]
    pub status: Option<String>,
}

/// Outgoing deliveries by status: dead letters and refusals stay visible here.
#[utoipa::path(get, path = "/api/v1/admin/deliveries", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, body = [DeliveryView])))]
pub async fn deliveries(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<DeliveryView>>> {
    let status = q
        .status
        .as_deref()
        .unwrap_or(crate::domain::DeliveryStatus::Dead.as_str());
    Ok(Json(services::delivery::by_status(&state, status).await?))
}

/// Inbound activities by status: poison ones (`failed`) are set aside with their error.
#[utoipa::path(get, path = "/api/v1/admin/inbox", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, body = [InboxView])))]
pub async fn inbox(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<InboxView>>> {
    let status = q
        .status
        .as_deref()
        .unwrap_or(crate::domain::InboxStatus::Failed.as_str());
    Ok(Json(services::inbox::by_status(&state, status).await?))
}
