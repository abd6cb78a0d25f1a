//! What every request meets at the door: rate limits per reader address on the public
//! endpoints and per sending address on the inboxes (per remote domain is checked once
//! the activity names its actor; past a limit, 429 with `Retry-After`), and the
//! security headers of every response.

use super::responses::client_ip;
use crate::runtime::limits::RateLimiter;
use crate::{error::Error, state::AppState};
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::net::{IpAddr, SocketAddr};

/// A token from `limiter` for this request's address (an IPv6 reader's /64), or how
/// long to wait.
fn admit(
    state: &AppState,
    limiter: &RateLimiter<IpAddr>,
    peer: SocketAddr,
    request: &Request,
) -> Result<(), std::time::Duration> {
    limiter.check(&crate::runtime::limits::address_key(client_ip(
        state,
        peer,
        request.headers(),
    )))
}

/// A token for one more handle check from this reader, or how long to wait (called by
/// the handlers, which answer in the reader's language).
pub fn handle_check(
    state: &AppState,
    peer: SocketAddr,
    headers: &axum::http::HeaderMap,
) -> Result<(), std::time::Duration> {
    state
        .limits
        .handle_checks
        .check(&crate::runtime::limits::address_key(client_ip(
            state, peer, headers,
        )))
}

pub async fn public(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    match admit(&state, &state.limits.public, peer, &request) {
        Ok(()) => next.run(request).await,
        Err(wait) => Error::too_many(wait).into_response(),
    }
}

pub async fn inbox(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    match admit(&state, &state.limits.inbox_ip, peer, &request) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            state.metrics.inbox("rate_limited");
            Error::too_many(wait).into_response()
        }
    }
}

/// Headers every response carries: `nosniff`, a referrer policy, and HSTS when we are
/// served over https (pages add their own CSP and frame rules).
pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    use axum::http::{header, HeaderValue};
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    headers
        .entry(header::REFERRER_POLICY)
        .or_insert(HeaderValue::from_static("strict-origin-when-cross-origin"));
    if state.settings.server.public_url.scheme() == "https" {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    response
}
