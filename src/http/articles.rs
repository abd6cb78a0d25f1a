//! Articles as ActivityPub objects, with their `replies` and `context` collections.
//! A browser asking for an article is sent to the publisher's page.

use super::responses::{wants_activity_json, ActivityJson};
use crate::{
    error::{Error, Result},
    services,
    state::AppState,
    storage::{self, entities::article},
};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Redirect, Response},
};

async fn load(state: &AppState, id: i64) -> Result<article::Model> {
    storage::articles::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("article"))
}

pub async fn article(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response> {
    let article = load(&state, id).await?;
    if article.deleted_at.is_some() {
        let tombstone = serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": article.ap_id,
            "type": "Tombstone",
            "formerType": "Article",
        });
        let mut response = ActivityJson(tombstone).into_response();
        *response.status_mut() = axum::http::StatusCode::GONE;
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
    let article = load(&state, id).await?;
    Ok(
        ActivityJson(services::articles::replies_collection(&state, &article).await?)
            .into_response(),
    )
}

pub async fn context(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response> {
    let article = load(&state, id).await?;
    Ok(
        ActivityJson(services::articles::context_collection(&state, &article).await?)
            .into_response(),
    )
}
