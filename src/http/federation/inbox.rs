//! `POST /inbox` (shared) and `POST /sites/{slug}/inbox`: 202 once the activity is
//! durably stored; processing happens after.

use crate::{
    error::Error,
    services::inbox::{self, InboundRequest},
    state::AppState,
};
use axum::{
    body::Bytes,
    extract::{OriginalUri, Path, State},
    http::{HeaderMap, Method, StatusCode},
};

pub async fn shared_inbox(
    State(state): State<AppState>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, Error> {
    receive(&state, &method, &uri, &headers, &body).await
}

pub async fn site_inbox(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    method: Method,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, Error> {
    if state.site(&slug).is_none() {
        return Err(Error::NotFound("site"));
    }
    receive(&state, &method, &uri, &headers, &body).await
}

async fn receive(
    state: &AppState,
    method: &Method,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<StatusCode, Error> {
    let path_and_query = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let result = inbox::receive(
        state,
        InboundRequest {
            method,
            path_and_query,
            headers,
            body,
        },
    )
    .await;
    state.metrics.inbox(match &result {
        Ok(inbox::Received::Stored) => "accepted",
        Ok(inbox::Received::Duplicate) => "duplicate",
        Ok(inbox::Received::Dropped) => "dropped",
        Err(Error::Unauthorized(_)) => "signature",
        Err(Error::Forbidden(_)) => "suspended",
        Err(Error::BadRequest(_)) => "malformed",
        Err(Error::TooManyRequests(_)) => "rate_limited",
        Err(_) => "error",
    });
    result?;
    Ok(StatusCode::ACCEPTED)
}
