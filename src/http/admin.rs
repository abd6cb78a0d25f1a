//! Admin endpoints (bearer token): follows sent by our sites, and looking up a remote
//! object the way a peer would see it.

use super::auth::{Admin, Role, Staff};
use crate::{
    error::{Error, Result},
    services::{
        self,
        delivery::follows::{FollowRequest, FollowingView},
        moderators::reports::ReportView,
    },
    state::AppState,
};
use axum::{
    extract::{rejection::JsonRejection, Query, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use url::Url;

/// Make a site follow a remote actor.
#[utoipa::path(post, path = "/api/v1/admin/follows", request_body = FollowRequest,
    security(("bearer" = [])),
    responses((status = 202, body = FollowingView), (status = 401), (status = 422), (status = 502)))]
pub async fn follow(
    State(state): State<AppState>,
    _admin: Admin,
    body: std::result::Result<Json<FollowRequest>, JsonRejection>,
) -> Result<(StatusCode, Json<FollowingView>)> {
    let Json(req) = body.map_err(super::responses::json_rejection)?;
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
    let url =
        Url::parse(q.uri.trim()).map_err(|_| Error::Unprocessable("uri is not a URL".into()))?;
    let fetched = state
        .fetcher
        .fetch(&url)
        .await
        .map_err(|e| Error::BadGateway(e.to_string()))?;
    Ok(Json(fetched.json))
}

/// Reports received, newest first.
#[utoipa::path(get, path = "/api/v1/admin/reports", security(("bearer" = [])),
    responses((status = 200, body = [ReportView]), (status = 401)))]
pub async fn reports(State(state): State<AppState>, staff: Staff) -> Result<Json<Vec<ReportView>>> {
    staff.require(Role::Moderator)?;
    Ok(Json(services::moderators::reports::list(&state).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct QueueQuery {
    /// Deliveries: `dead` (default: retried for the whole period), `failed` (refused
    /// for good), `pending`, `cancelled`, `delivered`. Inbox: `failed` (default),
    /// `pending`, `ignored`, `done`.
    #[serde(default)]
    pub status: Option<String>,
}

/// A delivery as admins see it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    pub activity: String,
    pub inbox: String,
    pub status: crate::domain::DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

/// Outgoing deliveries by status: dead letters and refusals stay visible here.
#[utoipa::path(get, path = "/api/v1/admin/deliveries", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, body = [DeliveryView])))]
pub async fn deliveries(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<DeliveryView>>> {
    use crate::domain::DeliveryStatus;
    let status = q.status.as_deref().unwrap_or(DeliveryStatus::Dead.as_str());
    let rows = match DeliveryStatus::parse(status) {
        Some(status) => crate::storage::outbox::by_status(&state.db, status, 200).await?,
        // No delivery is in any other status.
        None => Vec::new(),
    };
    Ok(Json(
        rows.into_iter()
            .map(|(d, activity)| DeliveryView {
                id: d.id,
                activity,
                inbox: d.inbox,
                status: d.status,
                attempts: d.attempts,
                last_error: d.last_error,
                next_attempt_at: d.next_attempt_at,
                created_at: d.created_at,
            })
            .collect(),
    ))
}

/// A stored inbound activity as admins see it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InboxView {
    pub id: i64,
    pub activity: String,
    pub actor: String,
    pub kind: String,
    pub status: crate::domain::InboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub received_at: i64,
}

/// Inbound activities by status: poison ones (`failed`) are set aside with their error.
#[utoipa::path(get, path = "/api/v1/admin/inbox", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, body = [InboxView])))]
pub async fn inbox(
    State(state): State<AppState>,
    _admin: Admin,
    Query(q): Query<QueueQuery>,
) -> Result<Json<Vec<InboxView>>> {
    use crate::domain::InboxStatus;
    let status = q.status.as_deref().unwrap_or(InboxStatus::Failed.as_str());
    let rows = match InboxStatus::parse(status) {
        Some(status) => crate::storage::inbox::by_status(&state.db, status, 200).await?,
        // No activity is in any other status.
        None => Vec::new(),
    };
    Ok(Json(
        rows.into_iter()
            .map(|a| InboxView {
                id: a.id,
                activity: a.activity_id,
                actor: a.actor_id,
                kind: a.kind,
                status: a.status,
                attempts: a.attempts,
                last_error: a.last_error,
                received_at: a.received_at,
            })
            .collect(),
    ))
}

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
    body: std::result::Result<Json<ActorQuery>, JsonRejection>,
) -> Result<Json<serde_json::Value>> {
    let Json(q) = body.map_err(super::responses::json_rejection)?;
    Ok(Json(
        services::moderators::data_rights::erase(&state, &staff, &q.actor).await?,
    ))
}
