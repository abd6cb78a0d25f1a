//! The public JSON API: threads, article registration (admin token) and health.

use super::auth::{Admin, Role, Staff};
use crate::{
    error::Result,
    services::{self, articles::RegisterArticle, threads::ThreadView},
    state::AppState,
    storage,
};
use axum::{
    extract::{rejection::JsonRejection, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};

/// `GET /healthz`: 200 when the database answers.
#[utoipa::path(get, path = "/healthz", responses((status = 200, description = "Database answers"), (status = 503, description = "Database unreachable")))]
pub async fn healthz(State(state): State<AppState>) -> Response {
    if storage::ping(&state.db).await {
        (StatusCode::OK, Json(serde_json::json!({"status": "ok"}))).into_response()
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(serde_json::json!({"status": "database unreachable"})),
        )
            .into_response()
    }
}

/// A registered article.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleCreated {
    pub id: i64,
    /// The ActivityPub id of the `Article` (what replies point at).
    pub ap_id: String,
    pub url: String,
    pub title: String,
    pub site: String,
}

/// Register an article (idempotent on its URL: 201 when created, 200 when known).
#[utoipa::path(post, path = "/api/v1/articles", request_body = RegisterArticle,
    security(("bearer" = [])),
    responses((status = 201, body = ArticleCreated), (status = 200, body = ArticleCreated),
               (status = 401, description = "Missing or wrong token"), (status = 422, description = "Invalid article")))]
pub async fn register_article(
    State(state): State<AppState>,
    staff: Staff,
    body: std::result::Result<Json<RegisterArticle>, JsonRejection>,
) -> Result<Response> {
    staff.require(Role::Editor)?;
    let Json(req) = body.map_err(super::responses::json_rejection)?;
    let site = req.site.clone();
    let (article, created) = services::articles::register(&state, req).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(ArticleCreated {
            id: article.id,
            ap_id: article.ap_id,
            url: article.url,
            title: article.title,
            site,
        }),
    )
        .into_response())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ThreadQuery {
    /// The article's URL (or its ActivityPub id).
    pub url: String,
}

/// The thread of an article: published comments as a tree, highlighted ones apart.
#[utoipa::path(get, path = "/api/v1/threads", params(ThreadQuery),
    responses((status = 200, body = ThreadView), (status = 404, description = "Unknown article")))]
pub async fn thread(
    State(state): State<AppState>,
    Query(q): Query<ThreadQuery>,
) -> Result<Json<ThreadView>> {
    Ok(Json(services::threads::thread(&state, q.url.trim()).await?))
}

/// Delete an article: it becomes a `Tombstone` and followers are told.
#[utoipa::path(delete, path = "/api/v1/articles/{id}", params(("id" = i64, Path, description = "Article id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 401), (status = 404)))]
pub async fn delete_article(
    State(state): State<AppState>,
    _admin: Admin,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<StatusCode> {
    services::articles::delete(&state, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
