//! The public JSON API that embeds and pages call: an article's thread, comment counts
//! for article lists, and readers' reports.

use crate::http::extract::Query;
use crate::http::responses::{cached_json, client_ip, json_rejection};
use crate::{
    error::{Error, Result},
    services::{self, moderators::reports::ReaderReport, threads::ThreadView},
    state::AppState,
};
use axum::{
    extract::{rejection::JsonRejection, ConnectInfo, RawQuery, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    Json,
};
use serde::Deserialize;
use std::net::SocketAddr;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ThreadQuery {
    /// The article's URL (or its ActivityPub id).
    pub url: String,
    /// Read by pages: this many top-level comments (1–500), each with all its replies.
    pub limit: Option<u64>,
    /// The next page: the `next` of the previous one (a top-level comment id).
    pub after: Option<i64>,
}

/// The thread of an article: published comments as a tree, highlighted ones apart.
#[utoipa::path(get, path = "/api/v1/threads", params(ThreadQuery),
    responses((status = 200, body = ThreadView), (status = 304, description = "Unchanged since the given ETag"),
               (status = 404, description = "Unknown article")))]
pub async fn thread(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ThreadQuery>,
) -> Result<Response> {
    let url = q.url.trim();
    let page = services::threads::Page {
        limit: q.limit,
        after: q.after,
    };
    let rendered = services::threads::rendered_thread(&state, url, page).await?;
    Ok(cached_json(&headers, &rendered))
}

/// Comment counts for many articles at once (for article lists on a home page):
/// `?url=…&url=…` → `{"<url>": {"total": n, "highlighted": m}}`.
#[utoipa::path(get, path = "/api/v1/counts", params(("url" = Vec<String>, Query, description = "Article URLs (repeat the parameter)")),
    responses((status = 200, description = "Counts per URL; unknown URLs are left out")))]
pub async fn counts(
    State(state): State<AppState>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response> {
    let query = query.unwrap_or_default();
    let urls: Vec<String> = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(k, _)| k == "url")
        .map(|(_, v)| v.into_owned())
        .take(100)
        .collect();
    if urls.is_empty() {
        return Err(Error::BadRequest("give one or more url parameters".into()));
    }
    let rendered = services::newsroom::feeds::rendered_counts(&state, urls).await?;
    Ok(cached_json(&headers, &rendered))
}

/// Report a comment (readers; rate limited per address).
#[utoipa::path(post, path = "/api/v1/reports", request_body = ReaderReport,
    responses((status = 202, description = "Received"), (status = 404), (status = 422), (status = 429)))]
pub async fn report(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: std::result::Result<Json<ReaderReport>, JsonRejection>,
) -> Result<StatusCode> {
    let Json(req) = body.map_err(json_rejection)?;
    let from = client_ip(&state, peer, &headers);
    services::moderators::reports::report(&state, from, req).await?;
    Ok(StatusCode::ACCEPTED)
}
