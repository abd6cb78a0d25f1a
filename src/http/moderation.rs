//! The moderation API under `/api/v1/admin/`: queue, decisions on comments, blocks,
//! modes, rules, domain and actor policies, re-checks, staff and the audit log.

use super::{auth::Staff, responses::json_rejection};
use crate::{
    error::{Error, Result},
    moderation::Mode,
    services::{
        moderators::{
            self, AuditView, BlockScope, DomainPolicyRequest, QueueFilter, QueueItem,
            RecheckChange, RuleRequest, RuleView,
        },
        staff::{self, NewStaff, StaffView},
    },
    state::AppState,
    storage,
};
use axum::{
    extract::{rejection::JsonRejection, Path, Query, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

type Body<T> = std::result::Result<Json<T>, JsonRejection>;

/// The moderation queue (held comments unless another status is asked for).
#[utoipa::path(get, path = "/api/v1/admin/queue", params(QueueFilter), security(("bearer" = [])),
    responses((status = 200, body = [QueueItem]), (status = 401), (status = 403)))]
pub async fn queue(
    State(state): State<AppState>,
    staff: Staff,
    Query(filter): Query<QueueFilter>,
) -> Result<Json<Vec<QueueItem>>> {
    Ok(Json(moderators::queue(&state, &staff, filter).await?))
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

/// Rules of every site.
#[utoipa::path(get, path = "/api/v1/admin/rules", security(("bearer" = [])), responses((status = 200, body = [RuleView])))]
pub async fn rules(State(state): State<AppState>, staff: Staff) -> Result<Json<Vec<RuleView>>> {
    Ok(Json(moderators::rules(&state, &staff).await?))
}

/// Add a rule (checked: 422 if it does not compile).
#[utoipa::path(post, path = "/api/v1/admin/rules", request_body = RuleRequest, security(("bearer" = [])),
    responses((status = 201, body = RuleView), (status = 401), (status = 403), (status = 422)))]
pub async fn add_rule(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<RuleRequest>,
) -> Result<(StatusCode, Json<RuleView>)> {
    let Json(req) = body.map_err(json_rejection)?;
    Ok((
        StatusCode::CREATED,
        Json(moderators::add_rule(&state, &staff, req).await?),
    ))
}

/// Remove a rule.
#[utoipa::path(delete, path = "/api/v1/admin/rules/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404)))]
pub async fn remove_rule(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    moderators::remove_rule(&state, &staff, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Domain policies.
#[utoipa::path(get, path = "/api/v1/admin/domain-policies", security(("bearer" = [])), responses((status = 200)))]
pub async fn domain_policies(State(state): State<AppState>, staff: Staff) -> Result<Json<Value>> {
    staff.require(staff::Role::Moderator)?;
    let rows = storage::moderation::domain_policies(&state.db).await?;
    Ok(Json(json!(rows
        .into_iter()
        .map(|p| json!({"id": p.id, "domain": p.domain, "severity": p.severity, "reject_media": p.reject_media,
                        "reject_reports": p.reject_reports, "public_comment": p.public_comment,
                        "private_comment": p.private_comment, "obfuscate": p.obfuscate, "source": p.source}))
        .collect::<Vec<_>>())))
}

/// Set a domain policy (suspend hides the domain's comments until lifted).
#[utoipa::path(post, path = "/api/v1/admin/domain-policies", request_body = DomainPolicyRequest, security(("bearer" = [])),
    responses((status = 200), (status = 401), (status = 403), (status = 422)))]
pub async fn set_domain_policy(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<DomainPolicyRequest>,
) -> Result<Json<Value>> {
    let Json(req) = body.map_err(json_rejection)?;
    Ok(Json(
        moderators::set_domain_policy(&state, &staff, req).await?,
    ))
}

/// Lift a domain policy.
#[utoipa::path(delete, path = "/api/v1/admin/domain-policies/{domain}", params(("domain" = String, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404)))]
pub async fn remove_domain_policy(
    State(state): State<AppState>,
    staff: Staff,
    Path(domain): Path<String>,
) -> Result<StatusCode> {
    moderators::remove_domain_policy(&state, &staff, &domain).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ActorPolicyRequest {
    /// The actor's id.
    pub actor: String,
    /// `block` or `allow`.
    pub action: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Actor policies.
#[utoipa::path(get, path = "/api/v1/admin/actor-policies", security(("bearer" = [])), responses((status = 200)))]
pub async fn actor_policies(State(state): State<AppState>, staff: Staff) -> Result<Json<Value>> {
    staff.require(staff::Role::Moderator)?;
    let rows = storage::moderation::actor_policies(&state.db).await?;
    Ok(Json(json!(rows
        .into_iter()
        .map(
            |p| json!({"id": p.id, "actor": p.actor_ap_id, "action": p.action, "reason": p.reason})
        )
        .collect::<Vec<_>>())))
}

/// Block or allow an actor.
#[utoipa::path(post, path = "/api/v1/admin/actor-policies", request_body = ActorPolicyRequest, security(("bearer" = [])),
    responses((status = 200), (status = 422)))]
pub async fn set_actor_policy(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<ActorPolicyRequest>,
) -> Result<Json<Value>> {
    let Json(req) = body.map_err(json_rejection)?;
    url::Url::parse(&req.actor)
        .map_err(|_| Error::Unprocessable("actor must be an actor id (URL)".into()))?;
    match req.action.as_str() {
        "block" => Ok(Json(
            moderators::block_actor(&state, &staff, &req.actor, req.reason).await?,
        )),
        "allow" => Ok(Json(
            moderators::allow_actor(&state, &staff, &req.actor, req.reason).await?,
        )),
        _ => Err(Error::Unprocessable("action: block or allow".into())),
    }
}

/// Lift an actor policy.
#[utoipa::path(delete, path = "/api/v1/admin/actor-policies/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404)))]
pub async fn remove_actor_policy(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    moderators::remove_actor_policy(&state, &staff, id).await?;
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

/// Staff accounts.
#[utoipa::path(get, path = "/api/v1/admin/staff", security(("bearer" = [])), responses((status = 200, body = [StaffView])))]
pub async fn staff_list(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<StaffView>>> {
    staff.require(staff::Role::Admin)?;
    Ok(Json(staff::list(&state).await?))
}

/// Create a staff account (admins).
#[utoipa::path(post, path = "/api/v1/admin/staff", request_body = NewStaff, security(("bearer" = [])),
    responses((status = 201, body = StaffView), (status = 403), (status = 409), (status = 422)))]
pub async fn create_staff(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<NewStaff>,
) -> Result<(StatusCode, Json<StaffView>)> {
    let Json(req) = body.map_err(json_rejection)?;
    Ok((
        StatusCode::CREATED,
        Json(staff::create(&state, &staff, req).await?),
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
    /// A name for the token (where it is used).
    #[serde(default)]
    pub name: Option<String>,
}

/// Trade a username and password for an API token (shown once; it expires after
/// `auth.token_ttl_secs`). Limited per address and per username (429 with
/// `Retry-After`).
#[utoipa::path(post, path = "/api/v1/auth/token", request_body = LoginRequest,
    responses((status = 200, description = "`{\"token\": …}`"), (status = 401), (status = 429)))]
pub async fn login(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    body: Body<LoginRequest>,
) -> Result<Json<Value>> {
    let Json(req) = body.map_err(json_rejection)?;
    let from = super::responses::client_ip(&state, peer, &headers);
    let name: String = req
        .name
        .as_deref()
        .unwrap_or("api")
        .chars()
        .take(100)
        .collect();
    let token = staff::login(
        &state,
        from,
        &req.username,
        &req.password,
        staff::TokenKind::Api,
        &name,
    )
    .await?;
    Ok(Json(json!({ "token": token })))
}

/// Revoke the bearer token of this request (signing out of the API).
#[utoipa::path(delete, path = "/api/v1/auth/token",
    responses((status = 204), (status = 401)))]
pub async fn logout(
    State(state): State<AppState>,
    _staff: Staff,
    headers: axum::http::HeaderMap,
) -> Result<StatusCode> {
    if let Some(token) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
    {
        staff::revoke(&state, token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
