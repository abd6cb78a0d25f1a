//! Rate limits at the door: per reader address on the public endpoints, per sending
//! address on the inboxes (per remote domain is checked once the activity names its
//! actor). Past a limit: 429 with `Retry-After`.

use super::responses::client_ip;
use crate::{error::Error, state::AppState};
use axum::{
    extract::{ConnectInfo, Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::net::SocketAddr;

pub async fn public(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    request: Request,
    next: Next,
) -> Response {
    let ip = client_ip(&state, peer, request.headers());
    match state.limits.public.check(&ip) {
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
    let ip = client_ip(&state, peer, request.headers());
    match state.limits.inbox_ip.check(&ip) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            state.metrics.inbox("rate_limited");
            Error::too_many(wait).into_response()
        }
    }
}
