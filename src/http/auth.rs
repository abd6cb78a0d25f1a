//! Staff authentication for the admin API: `Authorization: Bearer <token>`, the
//! configured bootstrap token (admin) or a staff member's API token. A layer on the
//! admin scope checks it once (401 without a valid one) and leaves the `Staff` in the
//! request; handlers take it (or `Admin`) and require a role (403).

use crate::{error::Error, services::staff, state::AppState};
use axum::{
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts, HeaderMap},
    middleware::Next,
    response::{IntoResponse, Response},
};

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

/// The layer of the admin scope: only requests with a staff member's token go on.
pub async fn require_staff(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    match authenticate(&state, request.headers()).await {
        Ok(staff) => {
            request.extensions_mut().insert(staff);
            next.run(request).await
        }
        Err(e) => e.into_response(),
    }
}

/// The staff member `require_staff` let in.
impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Error> {
        parts.extensions.get::<Staff>().cloned().ok_or_else(|| {
            Error::Internal(anyhow::anyhow!("a staff route without `require_staff`"))
        })
    }
}

/// Proof of a staff member with the admin role.
pub struct Admin;

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Error> {
        Staff::from_request_parts(parts, state)
            .await?
            .require(Role::Admin)?;
        Ok(Admin)
    }
}
