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

/// `GET /readyz`: 200 when the database answers and, where this process runs workers,
/// its inbox and delivery workers went round lately and their last writes succeeded;
/// 503 as well while the inbox's writer cannot store (a read-only or full disk answers
/// reads, so `database` alone would say ready while every write fails).
#[utoipa::path(get, path = "/readyz", responses((status = 200, description = "Ready"), (status = 503, description = "Not ready: the body says what")))]
pub async fn readyz(State(state): State<AppState>) -> Response {
    let database = storage::ping(&state.db).await;
    let writes = !state.inbox_writer.failing()
        && !state.heartbeats.inbox.failing()
        && !state.heartbeats.outbox.failing();
    let workers = !state.settings.workers.enabled || {
        let now = crate::domain::now_millis();
        // A round is at most a poll interval plus the batch it handles.
        let fresh = (state.settings.workers.poll_interval_ms as i64 * 5).max(30_000);
        [&state.heartbeats.inbox, &state.heartbeats.outbox]
            .iter()
            .all(|beat| beat.fresh(now, fresh))
    };
    let body = serde_json::json!({"database": database, "workers": workers, "writes": writes});
    let status = if database && workers && writes {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body)).into_response()
}

/// `GET /metrics`: Prometheus (OpenMetrics text). Behind `server.metrics_token` when
/// one is set (401 without it); with neither a token nor a separate metrics address it
/// is not served (404), so the public never reads our queues. The queue gauges come
/// from the database at most once per `server.metrics_cache_secs` however often it
/// is scraped.
pub async fn metrics(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let server = &state.settings.server;
    let token = server.metrics_token.as_str();
    if token.is_empty() && server.metrics_listen.is_none() {
        return crate::error::Error::NotFound("page").into_response();
    }
    if !token.is_empty() {
        let given = headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !crate::services::staff::secret_matches(given, token) {
            return crate::error::Error::Unauthorized("metrics token required".into())
                .into_response();
        }
    }
    {
        let mut refreshed = state.metrics.queue_refresh.lock().await;
        // One scrape queries; the others waiting on the lock find it fresh.
        let window = std::time::Duration::from_secs(server.metrics_cache_secs);
        if refreshed.is_none_or(|at| at.elapsed() >= window) {
            state.metrics.queue_queried();
            let now = crate::domain::now_millis();
            match storage::queue_stats(&state.db).await {
                Ok(queues) => {
                    for (queue, depth, oldest) in queues {
                        let age = oldest.map(|t| (now - t).max(0) as f64 / 1000.0);
                        state.metrics.queue(queue, depth, age.unwrap_or(0.0));
                    }
                }
                Err(e) => tracing::warn!(error = %e, "queue metrics"),
            }
            *refreshed = Some(std::time::Instant::now());
        }
    }
    (
        [(
            axum::http::header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.render(),
    )
        .into_response()
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
    headers: axum::http::HeaderMap,
    Query(q): Query<ThreadQuery>,
) -> Result<Response> {
    let url = q.url.trim();
    let page = services::threads::Page {
        limit: q.limit,
        after: q.after,
    };
    let key = format!("thread {:?} {:?} {url}", page.limit, page.after);
    let rendered = state
        .reads
        .get_or_render(&state.db, &key, || async {
            let view = services::threads::thread(&state, url, page).await?;
            serde_json::to_vec(&view).map_err(|e| crate::error::Error::Internal(e.into()))
        })
        .await?;
    Ok(super::responses::cached_json(&headers, &rendered))
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

/// Report a comment (readers; rate limited per address).
#[utoipa::path(post, path = "/api/v1/reports", request_body = crate::services::moderators::reports::ReaderReport,
    responses((status = 202, description = "Received"), (status = 404), (status = 422), (status = 429)))]
pub async fn report(
    State(state): State<AppState>,
    axum::extract::ConnectInfo(peer): axum::extract::ConnectInfo<std::net::SocketAddr>,
    headers: axum::http::HeaderMap,
    body: std::result::Result<
        Json<crate::services::moderators::reports::ReaderReport>,
        JsonRejection,
    >,
) -> Result<StatusCode> {
    let Json(req) = body.map_err(super::responses::json_rejection)?;
    let from = super::responses::client_ip(&state, peer, &headers);
    services::moderators::reports::report(&state, from, req).await?;
    Ok(StatusCode::ACCEPTED)
}

/// The `ReplyAuthorization` of an approved reply (GoToSocial's reply approval).
pub async fn approval(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<i64>,
) -> Result<Response> {
    let comment = storage::moderation::find_comment(&state.db, id)
        .await?
        .filter(|c| c.status == crate::domain::CommentStatus::Published && c.deleted_at.is_none())
        .ok_or(crate::error::Error::NotFound("approval"))?;
    let article = storage::articles::find(&state.db, comment.article_id)
        .await?
        .ok_or(crate::error::Error::NotFound("approval"))?;
    let site = state
        .site_by_id(article.site_id)
        .ok_or(crate::error::Error::NotFound("approval"))?;
    let doc = serde_json::json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://gotosocial.org/ns"],
        "id": state.urls.approval(comment.id),
        "type": "ReplyAuthorization",
        "attributedTo": state.urls.site_actor(&site.slug),
        "interactingObject": comment.ap_id,
        "interactionTarget": comment.in_reply_to,
        "object": comment.ap_id,
        "target": comment.in_reply_to,
    });
    Ok(super::responses::ActivityJson(doc).into_response())
}
