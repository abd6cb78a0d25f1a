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
