//! The newsroom over the API: highlights and their order, staff replies to comments
//! and to articles, their edits, and how one signs them (name and title).

use super::Body;
use crate::http::{auth::Staff, responses::json_rejection};
use crate::{
    error::Result,
    services::{
        self,
        newsroom::{highlights::Editorial, selection::Signature},
    },
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;
use serde_json::{json, Value};

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
    let created =
        services::newsroom::replies::reply_to_comment(&state, &staff, id, &req.content).await?;
    Ok(created_reply(&state, created))
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
    Ok(created_reply(&state, created))
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

/// `201` with the new staff reply's id and ActivityPub id.
fn created_reply(state: &AppState, id: i64) -> (StatusCode, Json<Value>) {
    (
        StatusCode::CREATED,
        Json(json!({"id": id, "ap_id": state.urls.comment(id)})),
    )
}

/// How the caller signs their replies.
#[utoipa::path(get, path = "/api/v1/admin/profile", security(("bearer" = [])),
    responses((status = 200, body = Signature), (status = 401)))]
pub async fn signature(State(state): State<AppState>, staff: Staff) -> Result<Json<Signature>> {
    Ok(Json(
        services::newsroom::selection::signature(&state, &staff).await?,
    ))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct SignatureRequest {
    /// The name replies are signed with (1 to 80 characters).
    pub display_name: String,
    /// E.g. "cheffe du service Société" (120 characters at most; empty or absent: none).
    #[serde(default)]
    pub title: Option<String>,
}

/// Set one's own name and title, as staff replies are signed from now on.
#[utoipa::path(put, path = "/api/v1/admin/profile", request_body = SignatureRequest, security(("bearer" = [])),
    responses((status = 200, body = Signature), (status = 401), (status = 422)))]
pub async fn set_signature(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<SignatureRequest>,
) -> Result<Json<Signature>> {
    let Json(req) = body.map_err(json_rejection)?;
    Ok(Json(
        services::newsroom::selection::set_signature(
            &state,
            &staff,
            &req.display_name,
            req.title.as_deref(),
        )
        .await?,
    ))
}
