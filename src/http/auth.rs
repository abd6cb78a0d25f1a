//! Admin authentication: `Authorization: Bearer <token>` against the configured
//! bootstrap token (compared through SHA-256 so timing says nothing about it).

use crate::{error::Error, state::AppState};
use axum::{extract::FromRequestParts, http::request::Parts};

/// Proof that the request carries the admin token.
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let configured = state.settings.admin.token.as_bytes();
        if configured.is_empty() {
            return Err(Error::Unauthorized(
                "the admin API is disabled (no admin token set)".into(),
            ));
        }
        let given = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .ok_or_else(|| Error::Unauthorized("missing bearer token".into()))?;
        let digest = |b: &[u8]| ring::digest::digest(&ring::digest::SHA256, b);
        if digest(given.trim().as_bytes()).as_ref() != digest(configured).as_ref() {
            return Err(Error::Unauthorized("invalid token".into()));
        }
        Ok(Admin)
    }
}
