//! Authorized fetch ("secure mode"): when configured, ActivityPub documents go only to
//! requests signed by an actor we can verify. Pages for browsers stay open.

use crate::http::responses::wants_activity_json;
use crate::{error::Error, services::remote::signatures, state::AppState};
use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};

pub async fn require_signed_fetch(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    if !state.settings.federation.authorized_fetch || !wants_activity_json(request.headers()) {
        return next.run(request).await;
    }
    let path_and_query = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".into());
    let parts =
        signatures::request_parts(&state, request.method(), &path_and_query, request.headers());
    match signatures::verify(&state, &parts, b"").await {
        Ok(_) => next.run(request).await,
        // Our storage failing is 503, not the reader's signature.
        Err(e @ signatures::VerifyError::Storage(_)) => Error::from(e).into_response(),
        Err(e) => Error::Unauthorized(format!("authorized fetch: {e}")).into_response(),
    }
}
