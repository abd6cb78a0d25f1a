//! Articles over the API: publishers register them (editors; idempotent on the URL)
//! and delete them (admins; followers are told).

use super::Body;
use crate::http::{
    auth::{Admin, Role, Staff},
    responses::json_rejection,
};
use crate::{
    error::Result,
    services::{self, articles::RegisterArticle},
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use serde::Serialize;

/// A registered article.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ArticleCreated {
    pub id: i64,
    /// The ActivityPub id of the `Article` (what replies point at).
    pub ap_id: String,
    pub url: String,
    pub title: String,
    pub site: String,
    /// The signing journalist's handle (`@camille@comments.example`): what the page's
    /// `<meta name="fediverse:creator">` names; `null` when the site signs alone.
    pub fediverse_creator: Option<String>,
}

/// Register an article (idempotent on its URL: 201 when created, 200 when known).
#[utoipa::path(post, path = "/api/v1/articles", request_body = RegisterArticle,
    security(("bearer" = [])),
    responses((status = 201, body = ArticleCreated), (status = 200, body = ArticleCreated),
               (status = 401, description = "Missing or wrong token"), (status = 422, description = "Invalid article")))]
pub async fn register_article(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<RegisterArticle>,
) -> Result<Response> {
    staff.require(Role::Editor)?;
    let Json(req) = body.map_err(json_rejection)?;
    let site = req.site.clone();
    let (article, created) = services::articles::register(&state, req).await?;
    let fediverse_creator = services::articles::author_of(&state, &article)
        .await?
        .map(|j| j.handle(&state));
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
            fediverse_creator,
        }),
    )
        .into_response())
}

/// Delete an article: it becomes a `Tombstone` and followers are told.
#[utoipa::path(delete, path = "/api/v1/articles/{id}", params(("id" = i64, Path, description = "Article id")),
    security(("bearer" = [])),
    responses((status = 204, description = "Deleted"), (status = 401), (status = 404)))]
pub async fn delete_article(
    State(state): State<AppState>,
    _admin: Admin,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    services::articles::delete(&state, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
