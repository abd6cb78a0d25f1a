//! Staff authentication for the admin API: `Authorization: Bearer <token>`, the
//! configured bootstrap token (admin) or a staff member's API token. A layer on the
//! admin scope checks the token once and leaves what it found in the request; handlers
//! take the `Staff` (401 when there was none) or `Admin`, and require a role (403).
//! The refusal waits for the handler so that a method the route does not have is
//! still 405, as it is for everyone.

use super::error::respond;
use crate::{error::Error, services::staff, state::AppState};
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts, HeaderMap},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::sync::Arc;

pub use crate::services::staff::{Role, Staff};

/// The token of `Authorization: Bearer <token>`, if given.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
}

/// The staff member behind the request's bearer token (401 without a valid one), for
/// the few public routes that open up to staff.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Staff, Error> {
    let token =
        bearer_token(headers).ok_or_else(|| Error::Unauthorized("missing bearer token".into()))?;
    staff::authenticate(state, token).await
}

/// Who the bearer token named, or why nobody.
#[derive(Clone)]
struct Bearer(Result<Staff, Arc<Error>>);

/// The layer of the admin scope: authenticates the request's bearer token once.
pub async fn bearer(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let found = authenticate(&state, request.headers())
        .await
        .map_err(Arc::new);
    request.extensions_mut().insert(Bearer(found));
    next.run(request).await
}

/// The staff member the `bearer` layer found.
impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Response> {
        match parts.extensions.get::<Bearer>() {
            Some(Bearer(Ok(staff))) => Ok(staff.clone()),
            Some(Bearer(Err(refused))) => Err(respond(refused)),
            None => Err(
                Error::Internal(anyhow::anyhow!("a staff route without the bearer layer"))
                    .into_response(),
            ),
        }
    }
}

/// Proof of a staff member with the admin role.
pub struct Admin;

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Response> {
        let staff = Staff::from_request_parts(parts, state).await?;
        staff
            .require(Role::Admin)
            .map_err(IntoResponse::into_response)?;
        Ok(Admin)
    }
}
