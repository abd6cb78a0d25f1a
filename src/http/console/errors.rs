//! The console answers people, not programs: a refusal or an error from a console
//! screen or form (a service's JSON `{"error": …}`) becomes a page in the console's
//! language, with the same status, and a way back. The message is ours (by status),
//! never the service's English text.

use super::session::{language, Session, STALE};
use axum::{
    body::{to_bytes, Body},
    extract::Request,
    http::{header, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};

/// The message id for a refused request's status (and the stale-form case).
fn message_of(status: StatusCode, body: &str) -> &'static str {
    match status {
        StatusCode::FORBIDDEN if body.contains(STALE) => "console-error-stale",
        StatusCode::FORBIDDEN => "console-error-forbidden",
        StatusCode::NOT_FOUND => "console-error-not-found",
        StatusCode::CONFLICT => "console-error-conflict",
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::BAD_REQUEST => "console-error-invalid",
        StatusCode::TOO_MANY_REQUESTS => "console-error-too-many",
        _ => "console-error-server",
    }
}

/// The layer: JSON errors of the console's routes as translated pages.
pub async fn pages(request: Request, next: Next) -> Response {
    let session = request.extensions().get::<Session>().cloned();
    let lang = session
        .as_ref()
        .map(|s| s.lang)
        .unwrap_or_else(|| language(None, request.headers()));
    // The live endpoint is read by our script: it keeps its JSON.
    let wants_json = request.uri().path() == "/admin/live";
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if wants_json || !is_json || status.is_success() {
        return response;
    }
    let (parts, body) = response.into_parts();
    let body = to_bytes(body, 16 * 1024).await.unwrap_or_default();
    let message = message_of(status, &String::from_utf8_lossy(&body));
    let page = super::screen(
        "console/error.html",
        lang,
        session.as_ref().map(|s| &s.staff),
        minijinja::context! { status => status.as_u16(), message },
    );
    match page {
        Ok(page) => {
            let (mut new_parts, new_body) = page.into_parts();
            new_parts.status = status;
            if let Some(retry) = parts.headers.get(header::RETRY_AFTER) {
                new_parts.headers.insert(header::RETRY_AFTER, retry.clone());
            }
            Response::from_parts(new_parts, new_body)
        }
        Err(e) => {
            let mut r = e.into_response();
            *r.body_mut() = Body::empty();
            r
        }
    }
}
