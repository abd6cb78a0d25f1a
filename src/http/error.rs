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
        let status = self.status();
        let message = match &self {
            Self::Database(e) if is_unique_violation(e) => "already exists".to_string(),
            other => other.to_string(),
        };
        if status.is_server_error() {
            tracing::error!(error = ?self, "request failed");
        } else {
            tracing::debug!(error = %self, status = %status, "request refused");
        }
        let mut response = (status, Json(json!({ "error": message }))).into_response();
        let retry_after = match &self {
            Self::TooManyRequests(secs) => Some((*secs).max(1)),
            Self::Database(_) if status == StatusCode::SERVICE_UNAVAILABLE => {
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
}
