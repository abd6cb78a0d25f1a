//! Articles as ActivityPub objects, with their `replies`, `context` and `featured`
//! collections. A browser asking for an article is sent to the publisher's page.

use crate::http::extract::Query;
use crate::http::responses::{wants_activity_json, ActivityJson};
use crate::{error::Result, federation::protocol, services, state::AppState};
use axum::{
    extract::{Path, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
};

/// `GET /articles/by-url?url=…`.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ByUrl {
    /// The article page's URL, on a site's origin.
    pub url: String,
}

/// The article of a page, by the page's URL: what a publisher's
/// `<link rel="alternate" type="application/activity+json">` can name before the
/// article is registered. An unknown page of a site's origin registers itself as a
/// reader's visit would (nothing is federated); servers get the `Article` (its `id` is
/// `/articles/{id}`), browsers a 303 to it.
#[utoipa::path(get, path = "/articles/by-url", params(ByUrl),
    responses((status = 200, description = "The `Article` (Accept: application/activity+json)", content_type = "application/activity+json"),
              (status = 303, description = "To the article's ActivityPub id, for other clients"),
              (status = 404, description = "Not a page of a site of this server"),
              (status = 410, description = "The article was deleted (a `Tombstone`)")))]
pub async fn by_url(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<ByUrl>,
) -> Result<Response> {
    let article = services::articles::autoregister::article_of_page(&state, &q.url).await?;
    if article.deleted_at.is_some() || wants_activity_json(&headers) {
        return self::article(State(state), Path(article.id), headers).await;
    }
    Ok(Redirect::to(&article.ap_id).into_response())
}

/// An article as a server (its `Article`, or a `Tombstone`) or a browser (a redirect to
/// the page) asks for it.
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

/// `?page=1` of a `replies` collection (the id its inline `first` page names).
#[derive(Debug, serde::Deserialize)]
pub struct Page {
    pub page: Option<String>,
}

/// An article's `replies`: the collection, or its one page at `?page=1`.
pub async fn replies(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(q): Query<Page>,
) -> Result<Response> {
    let article = services::articles::find(&state, id).await?;
    match q.page.as_deref() {
        None => Ok(
            ActivityJson(services::articles::replies_collection(&state, &article).await?)
                .into_response(),
        ),
        Some("1") => Ok(
            ActivityJson(services::articles::replies_page(&state, &article).await?).into_response(),
        ),
        Some(_) => Err(crate::error::Error::NotFound("page")),
    }
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
