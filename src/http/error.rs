//! Service errors as HTTP responses: the variant's status, `{"error": message}` with a
//! safe message, `Retry-After` when waiting helps, and the cause chain in the logs.

use crate::error::{is_unique_violation, Error, STORAGE_RETRY_AFTER_SECS};
use axum::{
    http::{header, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        respond(&self)
    }
}

/// The response for `error` (also for errors kept in a request's extensions, which
/// only lend them: see `auth`).
pub fn respond(error: &Error) -> Response {
    let status = error.status();
    let message = match error {
        Error::Database(e) if is_unique_violation(e) => "already exists".to_string(),
        other => other.to_string(),
    };
    if status.is_server_error() {
        tracing::error!(error = ?error, "request failed");
    } else {
        tracing::debug!(error = %error, status = %status, "request refused");
    }
    let mut response = (status, Json(json!({ "error": message }))).into_response();
    let retry_after = match error {
        Error::TooManyRequests(secs) => Some((*secs).max(1)),
        Error::Database(_) if status == StatusCode::SERVICE_UNAVAILABLE => {
            Some(STORAGE_RETRY_AFTER_SECS)
        }
        _ => None,
    };
    if let Some(secs) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, secs.into());
    }
    response
}
