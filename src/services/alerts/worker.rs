//! Sends what `alert_deliveries` holds: rows claimed with a lease (`storage::queue`,
//! renewed by `workers::keep_leases`), webhook POSTs through the fetcher (its address
//! rules, no redirect, a timeout) and e-mails through SMTP, retried with the outbox's
//! backoff and a dead letter after `alerts.max_attempts`.

use crate::{
    domain::{now_millis, DeliveryStatus},
    federation::fetch::FetchError,
    services::workers::{keep_leases, Queue},
    state::AppState,
    storage::{self, entities::alert_delivery},
};
use sea_orm::DbErr;
use std::time::Duration;
use url::Url;

const BATCH: u64 = 32;

/// Why an attempt failed, and whether another could succeed.
enum Failure {
    Retry(String),
    Never(String),
}

/// Sends every due alert; returns how many were attempted.
pub async fn send_due(state: &AppState) -> Result<usize, DbErr> {
    let mut attempted = 0;
    loop {
        let batch = storage::alerts::claim_due(
            &state.db,
            now_millis(),
            state.settings.workers.lease_secs * 1000,
            BATCH,
        )
        .await?;
        if batch.is_empty() {
            return Ok(attempted);
        }
        attempted += batch.len();
        let _leases = keep_leases(state, Queue::Alerts, batch.iter().map(|r| r.id).collect());
        let sends = batch.into_iter().map(|row| {
            let state = state.clone();
            async move { send_one(&state, row).await }
        });
        for outcome in futures::future::join_all(sends).await {
            outcome?;
        }
    }
}

async fn send_one(state: &AppState, row: alert_delivery::Model) -> Result<(), DbErr> {
    let outcome = match row.channel.as_str() {
        "webhook" => post(state, &row).await,
        "email" => super::mail::send(
            state.settings.smtp.as_ref(),
            &row.target,
            row.subject.as_deref().unwrap_or_default(),
            &row.body,
        )
        .await
        .map_err(|e| match e {
            super::mail::SendError::Transient(e) => Failure::Retry(e),
            super::mail::SendError::Permanent(e) => Failure::Never(e),
        }),
        other => Err(Failure::Never(format!("unknown channel {other}"))),
    };
    let now = now_millis();
    let settings = &state.settings.alerts;
    match outcome {
        Ok(()) => {
            storage::alerts::finish(
                &state.db,
                row.id,
                row.attempts,
                DeliveryStatus::Delivered,
                None,
                now,
            )
            .await
        }
        Err(Failure::Retry(e)) if row.attempts < settings.max_attempts => {
            tracing::info!(channel = %row.channel, event = %row.event, attempts = row.attempts, error = %e, "alert will be retried");
            let next =
                now + crate::services::delivery::backoff_ms(settings.first_retry_ms, row.attempts);
            storage::alerts::retry_later(&state.db, row.id, e, next).await
        }
        Err(Failure::Retry(e)) => {
            tracing::warn!(channel = %row.channel, event = %row.event, error = %e, "alert dead after retries");
            storage::alerts::finish(
                &state.db,
                row.id,
                row.attempts,
                DeliveryStatus::Dead,
                Some(e),
                now,
            )
            .await
        }
        Err(Failure::Never(e)) => {
            tracing::warn!(channel = %row.channel, event = %row.event, error = %e, "alert refused for good");
            storage::alerts::finish(
                &state.db,
                row.id,
                row.attempts,
                DeliveryStatus::Failed,
                Some(e),
                now,
            )
            .await
        }
    }
}

/// One signed POST of the stored body.
async fn post(state: &AppState, row: &alert_delivery::Model) -> Result<(), Failure> {
    use http::{HeaderMap, HeaderValue};
    let url = Url::parse(&row.target).map_err(|e| Failure::Never(e.to_string()))?;
    let mut headers = HeaderMap::new();
    let value = |v: &str| HeaderValue::from_str(v).map_err(|e| Failure::Never(e.to_string()));
    headers.insert("content-type", HeaderValue::from_static("application/json"));
    headers.insert("x-tribune-event", value(&row.event)?);
    headers.insert(
        "x-tribune-signature",
        value(row.signature.as_deref().unwrap_or_default())?,
    );
    headers.insert("x-tribune-delivery", value(&row.id.to_string())?);
    match state
        .fetcher
        .post_webhook(&url, headers, row.body.clone().into_bytes())
        .await
    {
        Ok(()) => Ok(()),
        // An address the rules refuse stays refused.
        Err(e @ FetchError::Forbidden(_)) => Err(Failure::Never(e.to_string())),
        Err(e) => Err(Failure::Retry(e.to_string())),
    }
}

/// An alert delivery as admins see it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct AlertDeliveryView {
    pub id: i64,
    pub event: String,
    /// `webhook` or `email`.
    pub channel: String,
    /// The webhook's URL or the member's address.
    pub target: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

/// The latest 200 alert deliveries in `status` (admins): dead letters stay visible.
pub async fn by_status(
    state: &AppState,
    by: &crate::services::staff::Staff,
    status: &str,
) -> crate::error::Result<Vec<AlertDeliveryView>> {
    by.require(crate::domain::Role::Admin)?;
    let Some(status) = DeliveryStatus::parse(status) else {
        return Ok(Vec::new());
    };
    Ok(
        storage::alerts::deliveries_by_status(&state.db, status, 200)
            .await?
            .into_iter()
            .map(|d| AlertDeliveryView {
                id: d.id,
                event: d.event,
                channel: d.channel,
                target: d.target,
                status: d.status,
                attempts: d.attempts,
                last_error: d.last_error,
                next_attempt_at: d.next_attempt_at,
                created_at: d.created_at,
            })
            .collect(),
    )
}

/// Runs the alert worker until `shutdown` turns true.
pub async fn run_worker(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let poll = Duration::from_millis(state.settings.workers.poll_interval_ms);
    loop {
        if let Err(e) = send_due(&state).await {
            tracing::error!(error = %e, "alert worker");
        }
        tokio::select! {
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}
