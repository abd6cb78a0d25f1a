//! Group commit for the inbox: activities that arrive together are stored in one
//! transaction and flushed to disk once (`storage::Durability`), so a burst costs one
//! flush instead of one per activity, and each request still gets its 202 only once its
//! row is durable.

use crate::{
    domain::now_millis,
    storage::{self, Durability},
};
use sea_orm::{DatabaseConnection, DbErr, TransactionTrait};
use std::sync::{
    atomic::{AtomicBool, Ordering},
    Arc,
};
use tokio::sync::{mpsc, oneshot};

/// The most activities one transaction stores.
const MAX_BATCH: usize = 512;

/// An activity to store.
pub struct NewActivity {
    pub id: String,
    pub actor: String,
    pub kind: String,
    pub raw: String,
}

struct Pending {
    activity: NewActivity,
    stored: oneshot::Sender<Result<bool, DbErr>>,
}

/// The writer of this process's inbox rows.
pub struct GroupCommit {
    queue: mpsc::Sender<Pending>,
    /// Whether the last transaction failed (for readiness: an inbox that cannot store
    /// answers 503, and the load balancer should know).
    failing: Arc<AtomicBool>,
}

impl GroupCommit {
    /// Starts the writer task; it ends when the last handle is dropped.
    pub fn start(db: DatabaseConnection, durability: Durability) -> Self {
        let (queue, rx) = mpsc::channel(4 * MAX_BATCH);
        let failing = Arc::new(AtomicBool::new(false));
        tokio::spawn(write(db, durability, rx, failing.clone()));
        Self { queue, failing }
    }

    /// The last group commit failed (storage cannot be written).
    pub fn failing(&self) -> bool {
        self.failing.load(Ordering::Relaxed)
    }

    /// Stores an activity once: `true` when stored now, `false` when its id was known.
    pub async fn store(&self, activity: NewActivity) -> Result<bool, DbErr> {
        let (stored, answer) = oneshot::channel();
        self.queue
            .send(Pending { activity, stored })
            .await
            .map_err(|_| DbErr::Custom("the inbox writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| DbErr::Custom("the inbox writer dropped an activity".into()))?
    }
}

async fn write(
    db: DatabaseConnection,
    durability: Durability,
    mut rx: mpsc::Receiver<Pending>,
    failing: Arc<AtomicBool>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    // Whatever queued while the previous transaction was committing goes in the next.
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let now = now_millis();
        let stored = match store_all(&db, &batch, now).await {
            Ok(flags) => durability.flush(&db).await.map(|()| flags),
            Err(e) => Err(e),
        };
        failing.store(stored.is_err(), Ordering::Relaxed);
        match stored {
            Ok(flags) => {
                for (pending, inserted) in batch.drain(..).zip(flags) {
                    let _ = pending.stored.send(Ok(inserted));
                }
            }
            // One bad row must not fail the others: store them one by one.
            Err(_) => {
                for pending in batch.drain(..) {
                    let a = &pending.activity;
                    let result =
                        storage::inbox::insert_once(&db, &a.id, &a.actor, &a.kind, &a.raw, now)
                            .await;
                    let result = match result {
                        Ok(inserted) => durability.flush(&db).await.map(|()| inserted),
                        Err(e) => Err(e),
                    };
                    if result.is_ok() {
                        failing.store(false, Ordering::Relaxed);
                    }
                    let _ = pending.stored.send(result);
                }
            }
        }
    }
}

async fn store_all(
    db: &DatabaseConnection,
    batch: &[Pending],
    now: i64,
) -> Result<Vec<bool>, DbErr> {
    let txn = db.begin().await?;
    let mut flags = Vec::with_capacity(batch.len());
    for pending in batch {
        let a = &pending.activity;
        flags.push(storage::inbox::insert_once(&txn, &a.id, &a.actor, &a.kind, &a.raw, now).await?);
    }
    txn.commit().await?;
    Ok(flags)
}
