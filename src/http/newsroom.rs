//! The newsroom's endpoints: highlights, their order, staff replies and their edits,
//! staff replies served as `Note`s, each article's `featured` collection, the sites'
//! feeds of highlighted comments, and comment counts for article lists.

use super::{
    auth::Staff,
    responses::{json_rejection, wants_activity_json, ActivityJson},
};
use crate::{
    error::{Error, Result},
    services::{self, newsroom::highlights::Editorial},
    state::AppState,
    storage,
};
use axum::{
    extract::{rejection::JsonRejection, Path, RawQuery, State},
    http::{header, HeaderMap, HeaderValue, StatusCode},
    response::{IntoResponse, Redirect, Response},
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

type Body<T> = std::result::Result<Json<T>, JsonRejection>;

#[derive(Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct HighlightRequest {
    /// The editorial note shown with the comment.
    #[serde(default)]
    pub note: Option<String>,
}

/// Highlight a published comment ("mise en valeur"), with an optional note.
#[utoipa::path(post, path = "/api/v1/admin/comments/{id}/highlight", params(("id" = i64, Path)), request_body = HighlightRequest,
    security(("bearer" = [])), responses((status = 200, body = Editorial), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn highlight(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Option<Json<HighlightRequest>>,
) -> Result<Json<Editorial>> {
    let req = body.map(|Json(b)| b).unwrap_or_default();
    Ok(Json(
        services::newsroom::highlights::highlight(&state, &staff, id, req.note).await?,
    ))
}

/// Remove a highlight.
#[utoipa::path(delete, path = "/api/v1/admin/comments/{id}/highlight", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 401), (status = 403), (status = 404)))]
pub async fn unhighlight(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    services::newsroom::highlights::unhighlight(&state, &staff, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct OrderRequest {
    /// Every highlighted comment of the article, first first.
    pub order: Vec<i64>,
}

/// Set the editors' order of an article's highlights.
#[utoipa::path(put, path = "/api/v1/admin/articles/{id}/highlights", params(("id" = i64, Path)), request_body = OrderRequest,
    security(("bearer" = [])), responses((status = 204), (status = 422)))]
pub async fn reorder(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Body<OrderRequest>,
) -> Result<StatusCode> {
    let Json(req) = body.map_err(json_rejection)?;
    services::newsroom::highlights::reorder(&state, &staff, id, req.order).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ReplyRequest {
    /// Markdown or plain text.
    pub content: String,
}

/// Answer a comment as the newsroom.
#[utoipa::path(post, path = "/api/v1/admin/comments/{id}/reply", params(("id" = i64, Path)), request_body = ReplyRequest,
    security(("bearer" = [])), responses((status = 201), (status = 401), (status = 403), (status = 404), (status = 422)))]
pub async fn reply(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Body<ReplyRequest>,
) -> Result<(StatusCode, Json<Value>)> {
    let Json(req) = body.map_err(json_rejection)?;
    let parent = storage::moderation::find_comment(&state.db, id)
        .await?
        .ok_or(Error::NotFound("comment"))?;
    let created = services::newsroom::replies::reply(
        &state,
        &staff,
        parent.article_id,
        Some(id),
        &req.content,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": created, "ap_id": state.urls.comment(created)})),
    ))
}

/// Answer the article itself as the newsroom.
#[utoipa::path(post, path = "/api/v1/admin/articles/{id}/reply", params(("id" = i64, Path)), request_body = ReplyRequest,
    security(("bearer" = [])), responses((status = 201), (status = 404), (status = 422)))]
pub async fn reply_to_article(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Body<ReplyRequest>,
) -> Result<(StatusCode, Json<Value>)> {
    let Json(req) = body.map_err(json_rejection)?;
    let created =
        services::newsroom::replies::reply(&state, &staff, id, None, &req.content).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({"id": created, "ap_id": state.urls.comment(created)})),
    ))
}

/// Edit a staff reply (the fediverse gets an `Update`).
#[utoipa::path(put, path = "/api/v1/admin/comments/{id}", params(("id" = i64, Path)), request_body = ReplyRequest,
    security(("bearer" = [])), responses((status = 204), (status = 404), (status = 422)))]
pub async fn edit(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
    body: Body<ReplyRequest>,
) -> Result<StatusCode> {
    let Json(req) = body.map_err(json_rejection)?;
    services::newsroom::replies::edit(&state, &staff, id, &req.content).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A staff reply as a `Note` (browsers go to the article).
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

/// An article's highlighted comments, in the editors' order.
pub async fn featured(State(state): State<AppState>, Path(id): Path<i64>) -> Result<Response> {
    let article = storage::articles::find(&state.db, id)
        .await?
        .ok_or(Error::NotFound("article"))?;
    Ok(ActivityJson(
        services::newsroom::highlights::featured(&state, article.id, &article.ap_id).await?,
    )
    .into_response())
}

/// The site's highlighted comments as an Atom feed.
pub async fn atom_feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let feed = services::newsroom::feeds::highlights(&state, &slug).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/atom+xml; charset=utf-8"),
        )],
        feed.atom(),
    )
        .into_response())
}

/// The site's highlighted comments as a JSON Feed 1.1.
pub async fn json_feed(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let feed = services::newsroom::feeds::highlights(&state, &slug).await?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/feed+json; charset=utf-8"),
        )],
        feed.json().to_string(),
    )
        .into_response())
}

/// Comment counts for many articles at once (for article lists on a home page):
/// `?url=…&url=…` → `{"<url>": {"total": n, "highlighted": m}}`.
#[utoipa::path(get, path = "/api/v1/counts", params(("url" = Vec<String>, Query, description = "Article URLs (repeat the parameter)")),
    responses((status = 200, description = "Counts per URL; unknown URLs are left out")))]
pub async fn counts(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
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
    let key = format!("counts {urls:?}");
    let rendered = state
        .reads
        .get_or_render(&state.db, &key, || async {
            let counts = services::newsroom::feeds::counts(&state, urls).await?;
            serde_json::to_vec(&counts).map_err(|e| Error::Internal(e.into()))
        })
        .await?;
    Ok(super::responses::cached_json(&headers, &rendered))
}
