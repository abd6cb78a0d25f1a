//! Queue workers' leases (renewed while a batch is worked on) and scheduled jobs run by
//! one process at a time.

/// The durable queues whose rows workers claim with a lease.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Queue {
    Inbox,
    Deliveries,
    Crawl,
    Alerts,
}

/// Renews the leases on a claimed batch while it is worked on; dropping it (the batch
/// is done, or the worker's task ended) stops the renewals. A process killed with
/// `kill -9` stops renewing, so its rows are due again one short lease later.
pub(crate) struct LeaseKeeper(tokio::task::JoinHandle<()>);

impl Drop for LeaseKeeper {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts renewing `ids` of `queue` every third of the lease, each time for a full
/// lease from then.
pub(crate) fn keep_leases(
    state: &crate::state::AppState,
    queue: Queue,
    ids: Vec<i64>,
) -> LeaseKeeper {
    let db = state.db.clone();
    let lease_ms = state.settings.workers.lease_secs.max(1) * 1000;
    let every = std::time::Duration::from_millis((lease_ms / 3) as u64);
    LeaseKeeper(tokio::spawn(async move {
        if ids.is_empty() {
            return;
        }
        loop {
            tokio::time::sleep(every).await;
            let until = crate::domain::now_millis() + lease_ms;
            let renewed = match queue {
                Queue::Inbox => crate::storage::inbox::renew(&db, &ids, until).await,
                Queue::Deliveries => crate::storage::outbox::renew(&db, &ids, until).await,
                Queue::Crawl => crate::storage::crawl::renew(&db, &ids, until).await,
                Queue::Alerts => crate::storage::alerts::renew(&db, &ids, until).await,
            };
            match renewed {
                // Everything finished or released: nothing left to hold.
                Ok(0) => return,
                Ok(_) => {}
                Err(e) => tracing::warn!(?queue, error = %e, "could not renew leases"),
            }
        }
    }))
}

/// Runs `round` every `every` while this process holds the job's lease (several
/// processes on one database: one runs it, another takes over if it dies), until
/// shutdown; the lease is released on the way out.
pub(crate) async fn scheduled<F, Fut>(
    state: &crate::state::AppState,
    job: &str,
    every: std::time::Duration,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
    mut round: F,
) where
    F: FnMut(bool) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let mut first = true;
    loop {
        let now = crate::domain::now_millis();
        let hold = i64::try_from(every.as_millis()).unwrap_or(i64::MAX / 4) * 2 + 60_000;
        match crate::storage::leases::acquire(&state.db, job, &state.process_id, now, now + hold)
            .await
        {
            Ok(true) => {
                round(first).await;
                state.reads.written();
                first = false;
            }
            Ok(false) => {}
            Err(e) => tracing::warn!(job, error = %e, "job lease"),
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = shutdown.changed() => {}
        }
        if *shutdown.borrow() {
            let _ = crate::storage::leases::release(&state.db, job, &state.process_id).await;
            return;
        }
    }
}
