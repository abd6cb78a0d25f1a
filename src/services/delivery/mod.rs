//! Outgoing activities: queued in the caller's transaction, then delivered by a worker
//! that signs each POST with the sending actor's key, retries with exponential backoff
//! and jitter (honouring `Retry-After`), and gives up only after the retry period.

pub mod follows;

use crate::{
    domain::{now_millis, DeliveryStatus},
    federation::{fetch::FetchError, signatures::Signer},
    state::{AppState, Site},
    storage::{self, entities::delivery, entities::outbox_activity},
};
use futures::StreamExt;
use sea_orm::{ConnectionTrait, DbErr};
use serde_json::Value;
use std::{sync::Arc, time::Duration};
use url::Url;

/// Queues `activity`, sent by `site`'s actor, for each inbox. Call inside the
/// transaction of the change that causes it, then wake the worker after commit.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    site: &Site,
    activity: &Value,
    inboxes: &[String],
) -> Result<(), DbErr> {
    let owner = format!("site:{}", site.slug);
    enqueue_as(db, &owner, &site.signer.key_id, activity, inboxes).await
}

/// Queues `activity`, signed by the key of `owner` (`keypairs.owner`: `site:<slug>`,
/// `staff:<username>`…) whose id is `key_id`, for each inbox.
pub async fn enqueue_as<C: ConnectionTrait>(
    db: &C,
    owner: &str,
    key_id: &str,
    activity: &Value,
    inboxes: &[String],
) -> Result<(), DbErr> {
    let id = activity
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| DbErr::Custom("outgoing activity without id".into()))?;
    let raw = serde_json::to_string(activity).map_err(|e| DbErr::Custom(e.to_string()))?;
    storage::outbox::enqueue(db, id, owner, key_id, &raw, inboxes, now_millis()).await?;
    Ok(())
}

/// Deliveries in flight at once per worker, and claimed per batch: enough that waiting
/// on slow inboxes leaves the cores signing.
const CONCURRENCY: usize = 32;
const BATCH: u64 = 128;
const MAX_RETRY_MS: i64 = 6 * 3600 * 1000;

/// Delivers every due delivery; returns how many were attempted.
pub async fn deliver_due(state: &AppState) -> Result<usize, DbErr> {
    let mut attempted = 0;
    loop {
        match deliver_batch(state).await? {
            0 => return Ok(attempted),
            n => attempted += n,
        }
    }
}

/// Claims and attempts one batch (a worker stopping finishes its batch first).
async fn deliver_batch(state: &AppState) -> Result<usize, DbErr> {
    let batch = storage::outbox::claim_due(
        &state.db,
        now_millis(),
        state.settings.workers.lease_secs * 1000,
        BATCH,
    )
    .await?;
    let n = batch.len();
    // Held while any of the batch is in flight, however slow its inbox.
    let _leases = crate::services::workers::keep_leases(
        state,
        crate::services::workers::Queue::Deliveries,
        batch.iter().map(|(row, _)| row.id).collect(),
    );
    // Each delivery is a task of its own, so signing runs on every core (futures polled
    // together in one task would share one thread).
    let outcomes: Vec<_> = futures::stream::iter(batch)
        .map(|(row, activity)| {
            let state = state.clone();
            tokio::spawn(async move { deliver_one(&state, row, activity).await })
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    let mut delivered = Vec::with_capacity(n);
    for outcome in outcomes {
        match outcome {
            Ok(Ok(Some(id))) => delivered.push(id),
            Ok(Ok(None)) => {}
            Ok(Err(e)) => tracing::error!(error = %e, "could not record delivery outcome"),
            Err(e) => tracing::error!(error = %e, "delivery task failed"),
        }
    }
    // Successes are recorded together: one write per batch, not per delivery. A crash
    // before it sends them again when the lease lapses (delivery is at least once).
    storage::outbox::delivered_many(&state.db, delivered, now_millis()).await?;
    Ok(n)
}

async fn signer_for(state: &AppState, owner: &str) -> Option<Arc<Signer>> {
    // A journalist signs what they wrote with their own key (made before it was queued).
    if let Some(username) = owner.strip_prefix("staff:") {
        return match crate::services::newsroom::journalists::keys(state, username).await {
            Ok((signer, _)) => Some(signer),
            Err(e) => {
                tracing::error!(error = %e, username, "journalist key");
                None
            }
        };
    }
    match owner.strip_prefix("site:") {
        Some(slug) => state.site(slug).map(|s| s.signer.clone()),
        None if owner == "instance" => Some(state.instance_signer.clone()),
        None if owner == crate::services::blocklists::published::SIGNER => {
            match crate::services::blocklists::published::actor_keys(state).await {
                Ok((signer, _)) => Some(signer.clone()),
                Err(e) => {
                    tracing::error!(error = %e, "blocklist actor key");
                    None
                }
            }
        }
        None => None,
    }
}

/// Attempts one delivery; returns its id when it was delivered (recorded by the caller
/// with the rest of the batch), else records the outcome itself.
async fn deliver_one(
    state: &AppState,
    row: delivery::Model,
    activity: outbox_activity::Model,
) -> Result<Option<i64>, DbErr> {
    let now = now_millis();
    let Some(signer) = signer_for(state, &activity.signer_key).await else {
        let why = format!("no key for {}", activity.signer_key);
        return storage::outbox::finish(&state.db, row.id, DeliveryStatus::Failed, Some(why), now)
            .await
            .map(|()| None);
    };
    let host = Url::parse(&row.inbox)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase));
    if let Some(host) = &host {
        if let Some(until) = hold_for_unreachable(state, host, now).await? {
            state.metrics.delivery("held");
            let why = format!("{host} is unreachable: waiting for the next probe");
            return storage::outbox::retry_later(&state.db, row.id, why, until)
                .await
                .map(|()| None);
        }
    }
    let result = match Url::parse(&row.inbox) {
        Ok(inbox) => {
            state
                .fetcher
                .deliver(&signer, &inbox, activity.raw.as_bytes())
                .await
        }
        Err(e) => Err(FetchError::Forbidden(e.to_string())),
    };
    let now = now_millis();
    match result {
        Ok(()) => {
            state.metrics.delivery("delivered");
            if let Some(host) = &host {
                answered(state, host).await?;
            }
            Ok(Some(row.id))
        }
        Err(e) if e.is_transient() => {
            if let Some(host) = &host {
                unanswered(state, host, now).await?;
            }
            let retry_until =
                row.created_at + state.settings.workers.delivery_retry_hours * 3600 * 1000;
            if now >= retry_until {
                tracing::warn!(inbox = %row.inbox, error = %e, "delivery dead after retries");
                state.metrics.delivery("dead");
                return storage::outbox::finish(
                    &state.db,
                    row.id,
                    DeliveryStatus::Dead,
                    Some(e.to_string()),
                    now,
                )
                .await
                .map(|()| None);
            }
            let retry_after = match &e {
                FetchError::Status {
                    retry_after: Some(d),
                    ..
                } => d.as_millis() as i64,
                _ => 0,
            };
            let next = now
                + backoff_ms(state.settings.workers.delivery_first_retry_ms, row.attempts)
                    .max(retry_after);
            tracing::info!(inbox = %row.inbox, error = %e, attempts = row.attempts, "delivery will be retried");
            state.metrics.delivery("retry");
            storage::outbox::retry_later(&state.db, row.id, e.to_string(), next)
                .await
                .map(|()| None)
        }
        Err(e) => {
            tracing::warn!(inbox = %row.inbox, error = %e, "delivery refused for good");
            if let (Some(host), FetchError::Status { .. }) = (&host, &e) {
                // It answered: alive, whatever it thought of the activity.
                answered(state, host).await?;
            }
            state.metrics.delivery("failed");
            storage::outbox::finish(
                &state.db,
                row.id,
                DeliveryStatus::Failed,
                Some(e.to_string()),
                now,
            )
            .await
            .map(|()| None)
        }
    }
}

fn is_failing(state: &AppState, host: &str) -> bool {
    state
        .failing_hosts
        .lock()
        .map(|hosts| hosts.contains(host))
        .unwrap_or(false)
}

/// When a delivery to an unreachable host must wait (until its next probe); `None`
/// to send it (the host is fine, or this is the probe).
async fn hold_for_unreachable(
    state: &AppState,
    host: &str,
    now: i64,
) -> Result<Option<i64>, DbErr> {
    if !is_failing(state, host) {
        return Ok(None);
    }
    let Some(health) = storage::host_health::find(&state.db, host).await? else {
        return Ok(None);
    };
    if health.unreachable_since.is_none() {
        return Ok(None);
    }
    let next_probe =
        health.last_probe_at.unwrap_or(0) + state.settings.workers.unreachable_probe_secs * 1000;
    if next_probe > now {
        return Ok(Some(next_probe));
    }
    storage::host_health::probing(&state.db, host, now).await?;
    Ok(None)
}

/// The host answered: if it was failing, it is healthy again.
async fn answered(state: &AppState, host: &str) -> Result<(), DbErr> {
    if is_failing(state, host) {
        host_is_back(state, host).await?;
    }
    Ok(())
}

/// A delivery to `host` failed: one more in a row (unreachable past the threshold).
async fn unanswered(state: &AppState, host: &str, now: i64) -> Result<(), DbErr> {
    let health = storage::host_health::failed(
        &state.db,
        host,
        now,
        state.settings.workers.unreachable_after,
    )
    .await?;
    if health.unreachable_since == Some(now) {
        tracing::warn!(
            host,
            failures = health.failures,
            "host unreachable: deliveries wait for probes"
        );
    }
    if let Ok(mut hosts) = state.failing_hosts.lock() {
        hosts.insert(host.to_string());
    }
    Ok(())
}

/// `host` answered a delivery or spoke to us: deliveries to it are due again.
pub async fn host_is_back(state: &AppState, host: &str) -> Result<(), DbErr> {
    storage::host_health::healthy(&state.db, host).await?;
    let resumed = storage::host_health::resume_deliveries(&state.db, host, now_millis()).await?;
    if let Ok(mut hosts) = state.failing_hosts.lock() {
        hosts.remove(host);
    }
    if resumed > 0 {
        tracing::info!(host, resumed, "host is back: its deliveries resume");
        state.delivery_wakeup.notify_one();
    }
    Ok(())
}

/// Whether deliveries to `host` have failed lately (cheap: in memory).
pub fn host_failing(state: &AppState, host: &str) -> bool {
    is_failing(state, host)
}

/// A delivery as admins see it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct DeliveryView {
    pub id: i64,
    pub activity: String,
    pub inbox: String,
    pub status: crate::domain::DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: i64,
    pub created_at: i64,
}

/// The latest 200 deliveries in `status`: dead letters and refusals stay visible. No
/// delivery is in a status that does not exist.
pub async fn by_status(state: &AppState, status: &str) -> Result<Vec<DeliveryView>, DbErr> {
    let Some(status) = crate::domain::DeliveryStatus::parse(status) else {
        return Ok(Vec::new());
    };
    Ok(storage::outbox::by_status(&state.db, status, 200)
        .await?
        .into_iter()
        .map(|(d, activity)| DeliveryView {
            id: d.id,
            activity,
            inbox: d.inbox,
            status: d.status,
            attempts: d.attempts,
            last_error: d.last_error,
            next_attempt_at: d.next_attempt_at,
            created_at: d.created_at,
        })
        .collect())
}

/// 30 s, 1 min, 2 min… capped at 6 h, plus up to 25 % jitter so retries to one
/// recovering server do not arrive together.
pub(crate) fn backoff_ms(first_retry_ms: i64, attempts: i32) -> i64 {
    let base = first_retry_ms
        .saturating_mul(1i64 << attempts.clamp(1, 20).saturating_sub(1))
        .min(MAX_RETRY_MS);
    let jitter = (uuid::Uuid::new_v4().as_u128() % 1000) as i64;
    base + base / 4 * jitter / 1000
}

/// Runs the delivery worker until `shutdown` turns true.
pub async fn run_worker(state: AppState, mut shutdown: tokio::sync::watch::Receiver<bool>) {
    let poll = Duration::from_millis(state.settings.workers.poll_interval_ms);
    loop {
        // Batch after batch, but a shutdown stops between batches.
        loop {
            match deliver_batch(&state).await {
                Ok(0) => {
                    state.heartbeats.outbox.beat(true);
                    break;
                }
                Ok(_) if *shutdown.borrow() => return,
                Ok(_) => state.heartbeats.outbox.beat(true),
                Err(e) => {
                    // Readiness tells: this worker cannot write.
                    state.heartbeats.outbox.beat(false);
                    tracing::error!(error = %e, "delivery worker");
                    break;
                }
            }
        }
        tokio::select! {
            _ = state.delivery_wakeup.notified() => {}
            _ = tokio::time::sleep(poll) => {}
            _ = shutdown.changed() => return,
        }
        if *shutdown.borrow() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert!((30_000..=37_500).contains(&backoff_ms(30_000, 1)));
        assert!((60_000..=75_000).contains(&backoff_ms(30_000, 2)));
        assert!(backoff_ms(30_000, 30) <= 6 * 3600 * 1000 * 5 / 4);
    }
}
