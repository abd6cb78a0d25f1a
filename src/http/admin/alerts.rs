//! Alerts over the API: webhooks (admins), the alert queue's dead letters (admins),
//! and each staff member's own choices and address (`/api/v1/admin/me/alerts`).

use super::Body;
use crate::http::extract::Query;
use crate::http::{auth::Staff, responses::json_rejection};
use crate::{
    error::Result,
    services::alerts::{
        choices::{self, AlertChoices, ChangeChoices},
        webhooks::{self, NewWebhook, WebhookView},
        worker::{self, AlertDeliveryView},
    },
    state::AppState,
};
use axum::{
    extract::{Path, State},
    http::StatusCode,
    Json,
};

/// Register a webhook (admins). The secret is never shown again.
#[utoipa::path(post, path = "/api/v1/admin/webhooks", request_body = NewWebhook, security(("bearer" = [])),
    responses((status = 201, body = WebhookView), (status = 401), (status = 403), (status = 422)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<NewWebhook>,
) -> Result<(StatusCode, Json<WebhookView>)> {
    staff.require(crate::services::staff::Role::Admin)?;
    let Json(req) = body.map_err(json_rejection)?;
    Ok((
        StatusCode::CREATED,
        Json(webhooks::create(&state, &staff, req).await?),
    ))
}

/// Webhooks (admins): those registered, then those of the configuration (id 0).
#[utoipa::path(get, path = "/api/v1/admin/webhooks", security(("bearer" = [])),
    responses((status = 200, body = [WebhookView]), (status = 401), (status = 403)))]
pub async fn webhooks(
    State(state): State<AppState>,
    staff: Staff,
) -> Result<Json<Vec<WebhookView>>> {
    Ok(Json(webhooks::list(&state, &staff).await?))
}

/// Delete a webhook (admins); what was queued for it is cancelled.
#[utoipa::path(delete, path = "/api/v1/admin/webhooks/{id}", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403), (status = 404)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<i64>,
) -> Result<StatusCode> {
    webhooks::delete(&state, &staff, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct AlertQueueQuery {
    /// `dead` (default), `failed`, `pending`, `cancelled`, `delivered`.
    #[serde(default)]
    pub status: Option<String>,
}

/// Webhook POSTs and e-mails by status (admins): dead letters stay visible here.
#[utoipa::path(get, path = "/api/v1/admin/alerts/deliveries", params(AlertQueueQuery), security(("bearer" = [])),
    responses((status = 200, body = [AlertDeliveryView]), (status = 403)))]
pub async fn alert_deliveries(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AlertQueueQuery>,
) -> Result<Json<Vec<AlertDeliveryView>>> {
    let status = q.status.as_deref().unwrap_or("dead");
    Ok(Json(worker::by_status(&state, &staff, status).await?))
}

/// One's own alerts: the address and, per event, `immediate`, `digest` or `off`.
#[utoipa::path(get, path = "/api/v1/admin/me/alerts", security(("bearer" = [])),
    responses((status = 200, body = AlertChoices), (status = 401), (status = 403)))]
pub async fn my_alerts(State(state): State<AppState>, staff: Staff) -> Result<Json<AlertChoices>> {
    Ok(Json(choices::mine(&state, &staff).await?))
}

/// Change one's own alerts (what is absent stays).
#[utoipa::path(put, path = "/api/v1/admin/me/alerts", request_body = ChangeChoices, security(("bearer" = [])),
    responses((status = 200, body = AlertChoices), (status = 401), (status = 403), (status = 422)))]
pub async fn set_my_alerts(
    State(state): State<AppState>,
    staff: Staff,
    body: Body<ChangeChoices>,
) -> Result<Json<AlertChoices>> {
    let Json(req) = body.map_err(json_rejection)?;
    Ok(Json(choices::change(&state, &staff, req).await?))
}
