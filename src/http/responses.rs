//! Response helpers shared by the areas: ActivityPub JSON and content negotiation,
//! JSON bodies and cached reads, readers' addresses, HTML escaping, and the layer that
//! makes every acknowledged write durable.

use axum::{
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
};
use serde::Serialize;

/// The media type of our ActivityPub documents.
pub const ACTIVITY_JSON_UTF8: &str = "application/activity+json; charset=utf-8";

/// A JSON body served as `application/activity+json`.
pub struct ActivityJson<T>(pub T);

impl<T: Serialize> IntoResponse for ActivityJson<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static(ACTIVITY_JSON_UTF8),
                    ),
                    (header::VARY, HeaderValue::from_static("Accept")),
                ],
                body,
            )
                .into_response(),
            Err(e) => crate::error::Error::Internal(e.into()).into_response(),
        }
    }
}

/// Whether the client asks for ActivityPub (`application/activity+json` or
/// `application/ld+json; profile=…activitystreams`) rather than a page.
pub fn wants_activity_json(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|part| {
            let essence = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            essence == "application/activity+json" || essence == "application/ld+json"
        })
}

/// A JSON body that could not be read (see `extract`).
pub use super::extract::json_rejection;

/// Whether a browser form was sent from our own pages (login, logout, the no-JS report
/// form): a `Sec-Fetch-Site` of `same-origin` or `none` (typed, bookmarked), else an
/// `Origin` equal to ours; requests from other programs carry neither and pass. Keeps a
/// third-party page from signing staff in or out, or filing reports as its visitors.
pub fn from_our_pages(state: &crate::state::AppState, headers: &HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = header("sec-fetch-site") {
        return matches!(site, "same-origin" | "none");
    }
    match header("origin") {
        Some(origin) => {
            origin
                == state
                    .settings
                    .server
                    .public_url
                    .origin()
                    .ascii_serialization()
        }
        None => true,
    }
}

/// Whether the client asks for plain JSON (scripts) rather than a redirect.
pub fn json_wanted(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("application/json"))
}

/// The reader's address: the peer's, or from `X-Forwarded-For` when the peer is one of
/// `server.trusted_proxies` (see `limits::client_address`).
pub fn client_ip(
    state: &crate::state::AppState,
    peer: std::net::SocketAddr,
    headers: &HeaderMap,
) -> std::net::IpAddr {
    crate::runtime::limits::client_address(
        peer.ip(),
        headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok()),
        &state.limits.trusted_proxies,
    )
}

/// A cached JSON read: `304 Not Modified` when the reader's `If-None-Match` names its
/// ETag (embeds poll this way), else the body. `no-cache`: clients revalidate each time.
pub fn cached_json(
    headers: &HeaderMap,
    rendered: &crate::runtime::read_cache::Rendered,
) -> Response {
    use axum::http::StatusCode;
    let unchanged = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| crate::runtime::read_cache::matches(v, &rendered.etag));
    let etag = HeaderValue::from_str(&rendered.etag).unwrap_or(HeaderValue::from_static("\"\""));
    let common = [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
    ];
    if unchanged {
        return (StatusCode::NOT_MODIFIED, common).into_response();
    }
    (
        common,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        rendered.body.clone(),
    )
        .into_response()
}

/// A write answered with success is on disk before the answer leaves, and the next
/// reads see it (`services::health::acknowledge_writes`); inboxes flush in their own
/// group commit and change nothing readers see until processed.
pub async fn durable_writes(
    axum::extract::State(state): axum::extract::State<crate::state::AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    use axum::http::Method;
    let write = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) && !request.uri().path().ends_with("/inbox");
    let response = next.run(request).await;
    // A form's success is a redirect (303) as often as a 2xx.
    let done = response.status().is_success() || response.status().is_redirection();
    if write && done {
        if let Err(e) = crate::services::health::acknowledge_writes(&state).await {
            tracing::error!(error = %e, "could not flush a write to disk");
            return crate::error::Error::Internal(anyhow::anyhow!("flush failed")).into_response();
        }
    }
    response
}
