//! Staff over the API: accounts (admins), and API tokens traded for a username and
//! password, then revoked.

use super::Body;
use crate::http::{
    auth::{bearer_token, Role, Staff},
    responses::{client_ip, json_rejection},
};
use crate::{
    error::Result,
    services::staff::{self, NewStaff, StaffView},
    state::AppState,
};
use axum::{
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::SocketAddr;

/// Staff accounts.
#[utoipa::path(get, path = "/api/v1/admin/staff", security(("bearer" = [])), responses((status = 200, body = [StaffView])))]
pub async fn staff_list(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<StaffView>>> {
    staff.require(Role::Admin)?;
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
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Body<LoginRequest>,
) -> Result<Json<Value>> {
    let Json(req) = body.map_err(json_rejection)?;
    let from = client_ip(&state, peer, &headers);
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
    headers: HeaderMap,
) -> Result<StatusCode> {
    if let Some(token) = bearer_token(&headers) {
        staff::revoke(&state, token).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}
