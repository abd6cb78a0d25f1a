//! Moderation over the API: the queue, decisions on comments (approve, hide, restore,
//! delete), blocks from a comment, modes, re-checks, reports and the audit log.

use super::Body;
use crate::http::extract::Query;
use crate::http::{
    auth::{Role, Staff},
    responses::json_rejection,
};
use crate::{
    error::{Error, Result},
    moderation::Mode,
    services::moderators::{
        self, reports::ReportView, AuditView, BlockScope, QueueFilter, QueueItem, RecheckChange,
    },
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use serde_json::Value;

/// The moderation queue (held comments unless another status is asked for), one page
/// at a time (`page`, `per_page`: 100 unless asked, 500 at most); `X-Total-Count` says
/// how many match.
#[utoipa::path(get, path = "/api/v1/admin/queue", params(QueueFilter), security(("bearer" = [])),
    responses((status = 200, body = [QueueItem], headers(("x-total-count" = u64))), (status = 401), (status = 403), (status = 422)))]
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    Query(filter): Query<QueueFilter>,
) -> Result<([(&'static str, String); 1], Json<Vec<QueueItem>>)> {
    let (items, total) = moderators::queue(&state, &staff, filter).await?;
    Ok(([("x-total-count", total.to_string())], Json(items)))
}

/// Publish a comment (a held one is approved federatedly).
#[utoipa::path(post, path = "/api/v1/admin/comments/{id}/approve", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn approve(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    moderators::approve(&state, &staff, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct HideRequest {
    /// `off_topic` (hors sujet), `repeated` (répété), `promotional`, `abusive`
    /// (grossier), `illegal` (illicite) or `other` (autre); the French words work too.
    pub reason: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Hide a comment with a reason and a note.
#[utoipa::path(post, path = "/api/v1/admin/comments/{id}/hide", params(("id" = i64, Path)), request_body = HideRequest,
    security(("bearer" = [])), responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn hide(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Body<HideRequest>,
) -> Result<StatusCode> {
    let Json(req) = body.map_err(json_rejection)?;
    moderators::hide(&state, &staff, id, &req.reason, req.note.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publish a hidden or rejected comment again.
#[utoipa::path(post, path = "/api/v1/admin/comments/{id}/restore", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    moderators::restore(&state, &staff, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete a comment (a placeholder keeps its replies in place).
#[utoipa::path(post, path = "/api/v1/admin/comments/{id}/delete", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    moderators::delete(&state, &staff, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BlockRequest {
    /// `actor` (the author) or `domain` (their server, suspended).
    pub scope: BlockScope,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Block the author of a comment, or their domain: their comments disappear too.
#[utoipa::path(post, path = "/api/v1/admin/comments/{id}/block", params(("id" = i64, Path)), request_body = BlockRequest,
    security(("bearer" = [])), responses((status = 200), (status = 401), (status = 403), (status = 404)))]
pub async fn block(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Body<BlockRequest>,
) -> Result<Json<Value>> {
    let Json(req) = body.map_err(json_rejection)?;
    Ok(Json(
        moderators::block_from_comment(&state, &staff, id, req.scope, req.reason).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ModeRequest {
    /// `post`, `pre` or `closed`; for an article, `null` returns to the site's mode.
    pub mode: Option<Mode>,
    /// Sites only: hold authors until they have this many approved comments.
    #[serde(default)]
    pub hold_new_authors: Option<u32>,
}

/// Set a site's moderation mode.
#[utoipa::path(put, path = "/api/v1/admin/sites/{site}/moderation", params(("site" = String, Path)), request_body = ModeRequest,
    security(("bearer" = [])), responses((status = 204), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn site_mode(
    State(state): State<AppState>,
    staff: Staff,
    Path(site): Path<String>,
    body: Body<ModeRequest>,
) -> Result<StatusCode> {
    let Json(req) = body.map_err(json_rejection)?;
    let mode = req
        .mode
        .ok_or_else(|| Error::Unprocessable("mode: post, pre or closed".into()))?;
    moderators::set_site_mode(&state, &staff, &site, mode, req.hold_new_authors).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set an article's moderation mode (`null`: the site's).
#[utoipa::path(put, path = "/api/v1/admin/articles/{id}/moderation", params(("id" = i64, Path)), request_body = ModeRequest,
    security(("bearer" = [])), responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn article_mode(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Body<ModeRequest>,
) -> Result<StatusCode> {
    let Json(req) = body.map_err(json_rejection)?;
    moderators::set_article_mode(&state, &staff, id, req.mode).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct RecheckRequest {
    pub site: String,
    /// `false` (default) only shows what would change.
    #[serde(default)]
    pub apply: bool,
}

/// Judge a site's comments again with today's rules; apply only when asked.
#[utoipa::path(post, path = "/api/v1/admin/recheck", request_body = RecheckRequest, security(("bearer" = [])),
    responses((status = 200, body = [RecheckChange])))]
pub async fn recheck(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<RecheckRequest>,
) -> Result<Json<Vec<RecheckChange>>> {
    let Json(req) = body.map_err(json_rejection)?;
    Ok(Json(
        moderators::recheck(&state, &staff, &req.site, req.apply).await?,
    ))
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/admin/audit", security(("bearer" = [])), responses((status = 200, body = [AuditView])))]
pub async fn audit(State(state): State<AppState>, staff: Staff) -> Result<Json<Vec<AuditView>>> {
    Ok(Json(moderators::audit_log(&state, &staff).await?))
}

/// Reports received, newest first.
#[utoipa::path(get, path = "/api/v1/admin/reports", security(("bearer" = [])),
    responses((status = 200, body = [ReportView]), (status = 401)))]
pub async fn reports(State(state): State<AppState>, staff: Staff) -> Result<Json<Vec<ReportView>>> {
    staff.require(Role::Moderator)?;
    Ok(Json(moderators::reports::list(&state).await?))
}
