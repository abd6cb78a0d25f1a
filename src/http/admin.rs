//! Admin endpoints (bearer token): follows sent by our sites, and looking up a remote
//! object the way a peer would see it.

use super::auth::{Admin, Role, Staff};
use crate::{
    error::{Error, Result},
    services::{
        self,
        follows::{FollowRequest, FollowingView},
        reports::ReportView,
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
    let view = services::follows::follow(&state, req).await?;
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
    Ok(Json(services::follows::following(&state, &q.site).await?))
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
    Ok(Json(services::reports::list(&state).await?))
}
