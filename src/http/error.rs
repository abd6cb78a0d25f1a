//! Service errors as HTTP responses: the variant's status, `{"error": message}` with a
//! safe message (and `"field"` for an invalid field, in the client's
//! `Accept-Language`), `Retry-After` when waiting helps, and the cause chain in the logs.

use crate::error::{is_unique_violation, Error, STORAGE_RETRY_AFTER_SECS};
use crate::i18n::Lang;
use axum::{
    extract::Request,
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
    Json,
};
use serde_json::json;

tokio::task_local! {
    /// The language of the request being answered (see `language`).
    static LANGUAGE: Lang;
}

/// Keeps the client's `Accept-Language` for the errors its request may end in (English
/// when it names none we have), since `IntoResponse` sees no request.
pub async fn language(request: Request, next: Next) -> Response {
    let lang = Lang::negotiate(
        None,
        request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok()),
        Lang::english(),
    );
    LANGUAGE.scope(lang, next.run(request)).await
}

fn current_language() -> Lang {
    LANGUAGE
        .try_with(|l| *l)
        .unwrap_or_else(|_| Lang::english())
}

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
    let body = match error {
        Error::Invalid(invalid) => {
            json!({ "error": invalid.message_in(current_language()), "field": invalid.field })
        }
        _ => json!({ "error": message }),
    };
    let mut response = (status, Json(body)).into_response();
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

/// Under `/api/`, every error is JSON with a message: what axum answers by itself (no
/// route: 404; a method the route lacks: 405, its `Allow` kept; a path segment that does
/// not parse; a body past the limit) comes with an empty or plain-text body, rewritten
/// here as `{"error": …}`. JSON answers pass untouched.
pub async fn api_json_errors(request: Request, next: Next) -> Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let status = response.status();
    if !api || !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
        .is_some_and(|essence| essence == "application/json" || essence.ends_with("+json"));
    if is_json {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    // axum's own texts are short; anything longer is not worth repeating.
    let said = axum::body::to_bytes(body, 1024)
        .await
        .ok()
        .and_then(|b| String::from_utf8(b.to_vec()).ok())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let message = match status {
        StatusCode::NOT_FOUND => "no such API route".to_string(),
        StatusCode::METHOD_NOT_ALLOWED => "method not allowed on this API route".to_string(),
        _ => said.unwrap_or_else(|| {
            status
                .canonical_reason()
                .unwrap_or("request failed")
                .to_string()
        }),
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    parts.headers.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static("application/json"),
    );
    let body = serde_json::to_vec(&json!({ "error": message })).unwrap_or_default();
    Response::from_parts(parts, axum::body::Body::from(body))
}
