//! Journalists' actors (`/staff/{username}`) and their (empty) collections; a disabled
//! staff member's actor is a `Tombstone` with 410. Browsers go to the server's home.

use crate::http::responses::{wants_activity_json, ActivityJson};
use crate::{
    error::{Error, Result},
    federation::protocol::collection::OrderedCollection,
    services::newsroom::journalists,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

pub async fn actor(
    State(state): State<AppState>,
    Path(username): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let (doc, alive) = journalists::document(&state, &username)
        .await?
        .ok_or(Error::NotFound("actor"))?;
    if !alive {
        let mut response = ActivityJson(doc).into_response();
        *response.status_mut() = StatusCode::GONE;
        return Ok(response);
    }
    if !wants_activity_json(&headers) {
        return Ok(Redirect::to(state.urls.base()).into_response());
    }
    Ok(ActivityJson(doc).into_response())
}

/// What they published is on the site (their replies are in its threads): empty.
pub async fn outbox(
    State(state): State<AppState>,
    Path(username): Path<String>,
) -> Result<Response> {
    if !journalists::is_alive(&state, &username).await? {
        return Err(Error::NotFound("actor"));
    }
    Ok(ActivityJson(OrderedCollection::new(
        state.urls.staff_outbox(&username),
        Vec::new(),
    ))
    .into_response())
}

/// Follows of journalists are not taken (FEDERATION.md "Bylines"): none.
pub async fn followers(
    State(state): State<AppState>,
    Path(username): Path<String>,
) -> Result<Response> {
    if !journalists::is_alive(&state, &username).await? {
        return Err(Error::NotFound("actor"));
    }
    Ok(ActivityJson(OrderedCollection::count_only(
        state.urls.staff_followers(&username),
        0,
    ))
    .into_response())
}
