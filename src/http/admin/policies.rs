//! Moderation policies over the API: rules, domain policies (suspend, silence) and
//! actor policies (block, allow).

use super::Body;
use crate::http::{
    auth::{Role, Staff},
    responses::json_rejection,
};
use crate::{
    error::{Error, Result},
    services::moderators::{self, DomainPolicyRequest, RuleRequest, RuleView},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

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
    staff.require(Role::Moderator)?;
    let rows = moderators::domain_policies(&state).await?;
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
    staff.require(Role::Moderator)?;
    let rows = moderators::actor_policies(&state).await?;
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
