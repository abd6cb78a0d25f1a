//! Comments as other servers fetch them: staff replies served as `Note`s (browsers go
//! to the article) with their `replies`, the `ReplyAuthorization` of each reply we
//! published, and the `QuoteAuthorization` of each quote we accepted.

use crate::http::extract::Query;
use crate::http::responses::{wants_activity_json, ActivityJson};
use crate::{
    error::{Error, Result},
    services,
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

/// A staff reply as a `Note` (a `Tombstone` with 410 once deleted).
pub async fn comment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response> {
    let (doc, alive) = services::newsroom::replies::document(&state, id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    if !alive {
        let mut response = ActivityJson(doc).into_response();
        *response.status_mut() = StatusCode::GONE;
        return Ok(response);
    }
    if !wants_activity_json(&headers) {
        let url = doc["url"].as_str().unwrap_or("/").to_string();
        return Ok(Redirect::to(&url).into_response());
    }
    Ok(ActivityJson(doc).into_response())
}

/// A staff reply's `replies`: the collection with its first page inline, or that page
/// on its own at `?page=1`.
pub async fn replies(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<super::articles::Page>,
) -> Result<Response> {
    use crate::federation::protocol::collection::{OrderedCollection, OrderedCollectionPage};
    let (collection, items) = services::articles::comment_replies(&state, id).await?;
    match q.page.as_deref() {
        None => {
            Ok(ActivityJson(OrderedCollection::with_first_page(collection, items)).into_response())
        }
        Some("1") => {
            Ok(ActivityJson(OrderedCollectionPage::only(&collection, items)).into_response())
        }
        Some(_) => Err(Error::NotFound("page")),
    }
}

/// The `ReplyAuthorization` of an approved reply (GoToSocial's reply approval).
pub async fn approval(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response> {
    Ok(ActivityJson(services::threads::approval(&state, id).await?).into_response())
}

/// The `QuoteAuthorization` stamp of an accepted quote (FEP-044f); a `Tombstone` with
/// 410 once revoked, 404 for anything that is not a stamp we issued.
pub async fn quote_authorization(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response> {
    use services::threads::quotes::Stamp;
    match services::threads::quotes::stamp(&state, id).await? {
        Some(Stamp::Valid(stamp)) => Ok(ActivityJson(stamp).into_response()),
        Some(Stamp::Revoked(tombstone)) => {
            let mut response = ActivityJson(tombstone).into_response();
            *response.status_mut() = StatusCode::GONE;
            Ok(response)
        }
        None => Err(Error::NotFound("quote authorization")),
    }
}
