//! The scheduled alert jobs: digests (each member who chose them gets one message with
//! the events since their last digest, queued like any e-mail) and the dead-letter
//! check (`deliveries.dead` when the federation outbox's dead letters grew by the
//! threshold, at most once per period).

use super::{Alert, DELIVERIES_DEAD};
use crate::{domain::now_millis, state::AppState, storage};
use sea_orm::{DbErr, TransactionTrait};
use serde_json::json;

/// Events one digest lists at most (the rest wait for the next one).
const DIGEST_MAX: u64 = 200;

/// Queues a digest for each member who chose one and has news, whatever the time
/// (`run_jobs` keeps to the period); returns how many were queued.
pub async fn send_digests(state: &AppState) -> Result<usize, DbErr> {
    send_digests_older_than(state, 0).await
}

/// Queues a digest for each member whose last one is at least `min_age_ms` old.
async fn send_digests_older_than(state: &AppState, min_age_ms: i64) -> Result<usize, DbErr> {
    if state.settings.smtp.is_none() {
        return Ok(0);
    }
    let mut queued = 0;
    let now = now_millis();
    for member in storage::alerts::digest_members(&state.db).await? {
        let Some(address) = member.email.clone() else {
            continue;
        };
        let last_sent = storage::alerts::last_digest_at(&state.db, member.id).await?;
        if last_sent.is_some_and(|at| now - at < min_age_ms) {
            continue;
        }
        let events: Vec<String> = storage::alerts::choices(&state.db, member.id)
            .await?
            .into_iter()
            .filter(|c| c.mode == "digest" && super::mail::may_receive(&member, &c.event))
            .map(|c| c.event)
            .collect();
        let after = member.digest_after.unwrap_or(0);
        let items = storage::alerts::events_after(&state.db, after, &events, DIGEST_MAX).await?;
        let Some(last) = items.last().map(|e| e.id) else {
            continue;
        };
        let lang = super::mail::language_of(state, &member, None);
        let (subject, body) = super::mail::digest(lang, &items);
        // The message and the cursor move together: a digest is sent once.
        let txn = state.db.begin().await?;
        storage::alerts::enqueue(
            &txn,
            storage::alerts::NewAlertDelivery {
                event_id: None,
                event: "digest".into(),
                channel: "email",
                webhook_id: None,
                staff_id: Some(member.id),
                target: address,
                subject: Some(subject),
                body,
                signature: None,
            },
            now_millis(),
        )
        .await?;
        storage::alerts::set_digest_after(&txn, member.id, last).await?;
        txn.commit().await?;
        queued += 1;
    }
    Ok(queued)
}

/// Raises `deliveries.dead` when dead letters grew by the threshold since the last
/// such alert (from zero the first time), and the last is a period old; whether it did.
pub async fn check_dead_letters(state: &AppState) -> Result<bool, DbErr> {
    let settings = &state.settings.alerts;
    let count = storage::alerts::dead_deliveries(&state.db).await?;
    let now = now_millis();
    let last = storage::alerts::latest_event(&state.db, DELIVERIES_DEAD).await?;
    let (last_count, last_at) = match &last {
        Some(e) => (
            serde_json::from_str::<serde_json::Value>(&e.item)
                .ok()
                .and_then(|v| v.get("count").and_then(serde_json::Value::as_u64))
                .unwrap_or(0),
            e.created_at,
        ),
        None => (0, i64::MIN / 2),
    };
    let grown = count.saturating_sub(last_count) >= settings.dead_letters_threshold.max(1);
    let quiet = now - last_at >= settings.dead_letters_period_secs * 1000;
    if !(grown && quiet) {
        return Ok(false);
    }
    let txn = state.db.begin().await?;
    super::raise(
        &txn,
        state,
        Alert {
            event: DELIVERIES_DEAD,
            site: None,
            item: json!({
                "count": count,
                "since_last_alert": count - last_count.min(count),
                "threshold": settings.dead_letters_threshold,
                "console_url": super::console_url(state),
                "api_url": format!(
                    "{}/api/v1/admin/deliveries?status=dead",
                    state.settings.server.public_url.as_str().trim_end_matches('/')
                ),
            }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Runs both jobs on their schedules (one process at a time), until shutdown.
pub async fn run_jobs(state: AppState, shutdown: tokio::sync::watch::Receiver<bool>) {
    let digests = {
        let state = state.clone();
        let period = state.settings.alerts.digest_every_secs.max(60);
        // Looked at often, each member's digest sent once a period after their last
        // (so a restart neither sends one early nor skips one).
        let every = std::time::Duration::from_secs(period.min(300));
        let shutdown = shutdown.clone();
        async move {
            crate::services::workers::scheduled(&state, "alert_digests", every, shutdown, |_| {
                let state = state.clone();
                async move {
                    let min_age = i64::try_from(period).unwrap_or(i64::MAX / 2000) * 1000;
                    if let Err(e) = send_digests_older_than(&state, min_age).await {
                        tracing::warn!(error = %e, "alert digests");
                    }
                }
            })
            .await;
        }
    };
    let dead = {
        let state = state.clone();
        async move {
            let every = std::time::Duration::from_secs(300);
            crate::services::workers::scheduled(
                &state,
                "alert_dead_letters",
                every,
                shutdown,
                |_| {
                    let state = state.clone();
                    async move {
                        if let Err(e) = check_dead_letters(&state).await {
                            tracing::warn!(error = %e, "dead letters check");
                        }
                    }
                },
            )
            .await;
        }
    };
    tokio::join!(digests, dead);
}
