//! How the server is doing, as `/healthz`, `/readyz` and `/metrics` report it, and the
//! flush that puts every acknowledged write on disk before its answer leaves (what
//! readiness's `writes` watches).

use crate::{domain::now_millis, state::AppState, storage};
use sea_orm::DbErr;
use serde::Serialize;

/// Whether the database answers.
pub async fn database_answers(state: &AppState) -> bool {
    storage::ping(&state.db).await
}

/// Proves the database takes writes (`serve --check-config`, `migrate`): a lease row
/// written in a transaction and rolled back, since a read-only or full disk still
/// answers reads.
pub async fn check_writable(state: &AppState) -> Result<(), DbErr> {
    storage::leases::check_writable(&state.db).await
}

/// What `/readyz` checks; ready when all hold.
#[derive(Debug, Serialize)]
pub struct Readiness {
    pub database: bool,
    /// Where this process runs workers: its inbox and delivery workers went round lately.
    pub workers: bool,
    /// The inbox's writer and the workers' last writes succeeded (a read-only or full
    /// disk answers reads, so `database` alone would say ready while every write fails).
    pub writes: bool,
}

impl Readiness {
    pub fn ready(&self) -> bool {
        self.database && self.workers && self.writes
    }
}

pub async fn readiness(state: &AppState) -> Readiness {
    let database = database_answers(state).await;
    let writes = !state.inbox_writer.failing()
        && !state.heartbeats.inbox.failing()
        && !state.heartbeats.outbox.failing();
    let workers = !state.settings.workers.enabled || {
        let now = now_millis();
        // A round is at most a poll interval plus the batch it handles.
        let fresh = (state.settings.workers.poll_interval_ms as i64 * 5).max(30_000);
        [&state.heartbeats.inbox, &state.heartbeats.outbox]
            .iter()
            .all(|beat| beat.fresh(now, fresh))
    };
    Readiness {
        database,
        workers,
        writes,
    }
}

/// Sets the queue gauges of the metrics from the database, at most once per
/// `server.metrics_cache_secs` however often they are scraped.
pub async fn refresh_queue_gauges(state: &AppState) {
    let mut refreshed = state.metrics.queue_refresh.lock().await;
    // One scrape queries; the others waiting on the lock find it fresh.
    let window = std::time::Duration::from_secs(state.settings.server.metrics_cache_secs);
    if refreshed.is_none_or(|at| at.elapsed() >= window) {
        state.metrics.queue_queried();
        let now = now_millis();
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

/// After a write that is about to be acknowledged: the next reads see it
/// (`ReadCache::written`), and it is on disk once this returns (`storage::Durability`).
pub async fn acknowledge_writes(state: &AppState) -> Result<(), DbErr> {
    state.reads.written();
    state.durability.flush(&state.db).await
}
