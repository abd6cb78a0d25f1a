//! Articles as ActivityPub objects, with their `replies`, `context` and `featured`
//! collections. A browser asking for an article is sent to the publisher's page.

use crate::http::responses::{wants_activity_json, ActivityJson};
use crate::{error::Result, federation::protocol, services, state::AppState};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

pub async fn article(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response> {
    let article = services::articles::find(&state, id).await?;
    if article.deleted_at.is_some() {
        let mut response =
            ActivityJson(protocol::tombstone(article.ap_id, "Article")).into_response();
        *response.status_mut() = StatusCode::GONE;
        return Ok(response);
    }
    if !wants_activity_json(&headers) {
        // The page is the publisher's; say where its ActivityPub twin is.
        let mut response = Redirect::to(&article.url).into_response();
        if let Ok(link) = HeaderValue::from_str(&format!(
            "<{}>; rel=\"alternate\"; type=\"application/activity+json\"",
            article.ap_id
        )) {
            response.headers_mut().insert(header::LINK, link);
        }
        return Ok(response);
    }
    let document = services::articles::ap_document(&state, &article).await?;
    let mut response = ActivityJson(document).into_response();
    // Mastodon follows `Link: rel="alternate"` too.
    if let Ok(link) = HeaderValue::from_str(&format!(
        "<{}>; rel=\"alternate\"; type=\"text/html\"",
        article.url
    )) {
        response.headers_mut().insert(header::LINK, link);
    }
    Ok(response)
}

pub async fn replies(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response> {
    let article = services::articles::find(&state, id).await?;
    Ok(
        ActivityJson(services::articles::replies_collection(&state, &article).await?)
            .into_response(),
    )
}

pub async fn context(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response> {
    let article = services::articles::find(&state, id).await?;
    Ok(
        ActivityJson(services::articles::context_collection(&state, &article).await?)
            .into_response(),
    )
}

/// An article's highlighted comments, in the editors' order.
pub async fn featured(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response> {
    let article = services::articles::find(&state, id).await?;
    Ok(ActivityJson(
        services::newsroom::highlights::featured(&state, article.id, &article.ap_id).await?,
    )
    .into_response())
}
