//! Staff authentication: `Authorization: Bearer <token>`, the configured bootstrap
//! token (admin) or a staff member's API token. Handlers then require a role (403).

use crate::{error::Error, services::staff, state::AppState};
use axum::{extract::FromRequestParts, http::request::Parts};

pub use crate::services::staff::{Role, Staff};

impl FromRequestParts<AppState> for Staff {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let token = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| Error::Unauthorized("missing bearer token".into()))?;
        staff::authenticate(state, token).await
    }
}

/// Proof of a staff member with the admin role.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let staff = Staff::from_request_parts(parts, state).await?;
        staff.require(Role::Admin)?;
        Ok(Admin)
    }
}
