//! Shared blocklists over the API: imports, subscriptions to other lists (with drafts
//! to review), and the servers following the list we publish.

use super::Body;
use crate::http::extract::Query;
use crate::http::{auth::Staff, responses::json_rejection};
use crate::{
    error::Result,
    services::{
        self,
        blocklists::{
            published::FollowerView,
            subscriptions::{Change, NewSubscription, SubscriptionView},
            ImportReport,
        },
    },
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};
use serde::Deserialize;

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ImportQuery {
    /// Where the list comes from (recorded on each policy).
    #[serde(default)]
    pub source: Option<String>,
}

/// Import a blocklist (Mastodon CSV or JSON, GoToSocial JSON, FediBlockHole CSV, plain
/// text) as the request body.
#[utoipa::path(post, path = "/api/v1/admin/blocklist/import", params(ImportQuery), request_body = String,
    security(("bearer" = [])), responses((status = 200, body = ImportReport), (status = 422)))]
pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ImportQuery>,
    body: String,
) -> Result<Json<ImportReport>> {
    let source = q.source.unwrap_or_else(|| "import".into());
    Ok(Json(
        services::blocklists::import(&state, &staff, &body, &source).await?,
    ))
}

/// Blocklist subscriptions.
#[utoipa::path(get, path = "/api/v1/admin/blocklist-subscriptions", security(("bearer" = [])),
    responses((status = 200, body = [SubscriptionView])))]
pub async fn subscriptions(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<SubscriptionView>>> {
    Ok(Json(
        services::blocklists::subscriptions::list(&state, &staff).await?,
    ))
}

/// Subscribe to a blocklist (a URL serving any known format).
#[utoipa::path(post, path = "/api/v1/admin/blocklist-subscriptions", request_body = NewSubscription, security(("bearer" = [])),
    responses((status = 201, body = SubscriptionView), (status = 409), (status = 422)))]
pub async fn subscribe(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<NewSubscription>,
) -> Result<(StatusCode, Json<SubscriptionView>)> {
    let Json(req) = body.map_err(json_rejection)?;
    Ok((
        StatusCode::CREATED,
        Json(services::blocklists::subscriptions::create(&state, &staff, req).await?),
    ))
}

/// Unsubscribe (its policies go as its retraction rule says).
#[utoipa::path(delete, path = "/api/v1/admin/blocklist-subscriptions/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [Change]), (status = 404)))]
pub async fn unsubscribe(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Change>>> {
    Ok(Json(
        services::blocklists::subscriptions::delete(&state, &staff, id).await?,
    ))
}

/// Fetch a source now and apply the merged result.
#[utoipa::path(post, path = "/api/v1/admin/blocklist-subscriptions/{id}/refresh", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [Change]), (status = 404), (status = 502)))]
pub async fn refresh(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Change>>> {
    Ok(Json(
        services::blocklists::subscriptions::refresh(&state, &staff, id).await?,
    ))
}

/// What merging the sources would change now (nothing is applied).
#[utoipa::path(get, path = "/api/v1/admin/blocklist-subscriptions/preview", security(("bearer" = [])),
    responses((status = 200, body = [Change])))]
pub async fn preview(State(state): State<AppState>, staff: Staff) -> Result<Json<Vec<Change>>> {
    Ok(Json(
        services::blocklists::subscriptions::merge(&state, &staff, false).await?,
    ))
}

/// What approving a draft source would change (nothing is applied).
#[utoipa::path(get, path = "/api/v1/admin/blocklist-subscriptions/{id}/review", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [Change]), (status = 404)))]
pub async fn review(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Change>>> {
    Ok(Json(
        services::blocklists::subscriptions::review(&state, &staff, id).await?,
    ))
}

/// Approve a draft source: its entries apply from now on.
#[utoipa::path(post, path = "/api/v1/admin/blocklist-subscriptions/{id}/approve", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [Change]), (status = 404)))]
pub async fn approve(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Json<Vec<Change>>> {
    Ok(Json(
        services::blocklists::subscriptions::approve(&state, &staff, id).await?,
    ))
}

/// Servers following our blocklist actor (approved ones receive every change).
#[utoipa::path(get, path = "/api/v1/admin/blocklist-followers", security(("bearer" = [])),
    responses((status = 200, body = [FollowerView]), (status = 403, description = "Admins only")))]
pub async fn followers(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<FollowerView>>> {
    Ok(Json(
        services::blocklists::published::followers(&state, &staff).await?,
    ))
}

/// Approve a follower: it is sent an `Accept`, then every change of our list.
#[utoipa::path(post, path = "/api/v1/admin/blocklist-followers/{id}/approve", params(("id" = i64, Path)),
    security(("bearer" = [])), responses((status = 200, body = FollowerView), (status = 404)))]
pub async fn approve_follower(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Json<FollowerView>> {
    Ok(Json(
        services::blocklists::published::decide(&state, &staff, id, true).await?,
    ))
}

/// Reject a follower: it is sent a `Reject` and receives nothing.
#[utoipa::path(post, path = "/api/v1/admin/blocklist-followers/{id}/reject", params(("id" = i64, Path)),
    security(("bearer" = [])), responses((status = 200, body = FollowerView), (status = 404)))]
pub async fn reject_follower(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<Json<FollowerView>> {
    Ok(Json(
        services::blocklists::published::decide(&state, &staff, id, false).await?,
    ))
}

/// Our domain policies as Mastodon's CSV export (`#domain,#severity,#reject_media,
/// #reject_reports,#public_comment,#obfuscate`), the same file as `tribune blocklist
/// export`: what Mastodon's import and FediBlockHole read (moderators and up).
#[utoipa::path(get, path = "/api/v1/admin/blocklist/export", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401), (status = 403)))]
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<axum::response::Response> {
    use axum::{http::header, response::IntoResponse};
    staff.require(crate::http::auth::Role::Moderator)?;
    let csv = services::blocklists::export_csv(&state).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"domain_blocks.csv\"",
            ),
            (header::CACHE_CONTROL, "private, no-store"),
        ],
        csv,
    )
        .into_response())
}
