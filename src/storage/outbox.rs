//! The durable outbox: each outgoing activity is a row written in the same transaction
//! as the change that caused it, with one delivery row per inbox. Delivery workers claim
//! rows with a lease, like the inbox.

use super::{
    entities::{delivery, outbox_activity},
    queue::Lease,
};
use crate::domain::DeliveryStatus;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

/// Queues `raw` (signed at delivery time with `signer_key`) for every inbox, once per
/// distinct inbox.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    activity_id: &str,
    signer_key: &str,
    signer_key_id: &str,
    raw: &str,
    inboxes: &[String],
    now: i64,
) -> Result<outbox_activity::Model, DbErr> {
    let activity = outbox_activity::ActiveModel {
        activity_id: Set(activity_id.to_string()),
        signer_key: Set(signer_key.to_string()),
        signer_key_id: Set(signer_key_id.to_string()),
        raw: Set(raw.to_string()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut seen = std::collections::HashSet::new();
    for inbox in inboxes.iter().filter(|i| seen.insert(i.as_str())) {
        delivery::ActiveModel {
            outbox_id: Set(activity.id),
            inbox: Set(inbox.clone()),
            status: Set(DeliveryStatus::Pending),
            attempts: Set(0),
            last_error: Set(None),
            next_attempt_at: Set(now),
            locked_until: Set(None),
            delivered_at: Set(None),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(activity)
}

const LEASE: Lease<delivery::Entity> = Lease {
    id: delivery::Column::Id,
    status: delivery::Column::Status,
    pending: DeliveryStatus::Pending.as_str(),
    next_attempt_at: delivery::Column::NextAttemptAt,
    locked_until: delivery::Column::LockedUntil,
    attempts: delivery::Column::Attempts,
};

/// Claims up to `limit` due deliveries with their activity.
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: i64,
    lease_ms: i64,
    limit: u64,
) -> Result<Vec<(delivery::Model, outbox_activity::Model)>, DbErr> {
    let rows = LEASE.claim(db, now, lease_ms, limit).await?;
    let mut claimed = Vec::with_capacity(rows.len());
    for mut row in rows {
        row.attempts += 1;
        if let Some(activity) = outbox_activity::Entity::find_by_id(row.outbox_id)
            .one(db)
            .await?
        {
            claimed.push((row, activity));
        }
    }
    Ok(claimed)
}

/// Extends the lease on rows still being worked on (see `Lease::renew`).
pub async fn renew<C: ConnectionTrait>(db: &C, ids: &[i64], until: i64) -> Result<u64, DbErr> {
    LEASE.renew(db, ids, until).await
}

/// Ends a delivery with `status`.
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    id: i64,
    status: DeliveryStatus,
    error: Option<String>,
    now: i64,
) -> Result<(), DbErr> {
    let delivered_at = (status == DeliveryStatus::Delivered).then_some(now);
    delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, status.into())
        .col_expr(delivery::Column::LastError, error.into())
        .col_expr(delivery::Column::DeliveredAt, delivered_at.into())
        .col_expr(delivery::Column::LockedUntil, Option::<i64>::None.into())
        .filter(delivery::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks these deliveries delivered, in one statement (a worker's batch).
pub async fn delivered_many<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
    now: i64,
) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, DeliveryStatus::Delivered.into())
        .col_expr(delivery::Column::LastError, Option::<String>::None.into())
        .col_expr(delivery::Column::DeliveredAt, Some(now).into())
        .col_expr(delivery::Column::LockedUntil, Option::<i64>::None.into())
        .filter(delivery::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(())
}

/// Schedules another attempt.
pub async fn retry_later<C: ConnectionTrait>(
    db: &C,
    id: i64,
    error: String,
    next_attempt_at: i64,
) -> Result<(), DbErr> {
    LEASE
        .retry_later(db, id, delivery::Column::LastError, error, next_attempt_at)
        .await
}

/// Deliveries of one activity (tests, admin views).
pub async fn deliveries_of<C: ConnectionTrait>(
    db: &C,
    activity_id: &str,
) -> Result<Vec<delivery::Model>, DbErr> {
    let Some(activity) = outbox_activity::Entity::find()
        .filter(outbox_activity::Column::ActivityId.eq(activity_id))
        .one(db)
        .await?
    else {
        return Ok(Vec::new());
    };
    delivery::Entity::find()
        .filter(delivery::Column::OutboxId.eq(activity.id))
        .all(db)
        .await
}

/// Pending deliveries: `(id, inbox)`.
pub async fn pending_inboxes<C: ConnectionTrait>(db: &C) -> Result<Vec<(i64, String)>, DbErr> {
    use sea_orm::QuerySelect;
    delivery::Entity::find()
        .select_only()
        .column(delivery::Column::Id)
        .column(delivery::Column::Inbox)
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
}

/// Cancels deliveries (their target was suspended).
pub async fn cancel<C: ConnectionTrait>(db: &C, ids: Vec<i64>, why: &str) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(delivery::Entity::update_many()
        .col_expr(delivery::Column::Status, DeliveryStatus::Cancelled.into())
        .col_expr(delivery::Column::LastError, Some(why.to_string()).into())
        .filter(delivery::Column::Id.is_in(ids))
        .filter(delivery::Column::Status.eq(DeliveryStatus::Pending))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deliveries in a status (dead letters, refusals, waiting ones), newest first, with
/// their activity's id.
pub async fn by_status<C: ConnectionTrait>(
    db: &C,
    status: DeliveryStatus,
    limit: u64,
) -> Result<Vec<(delivery::Model, String)>, DbErr> {
    use sea_orm::{QueryOrder, QuerySelect};
    let rows = delivery::Entity::find()
        .filter(delivery::Column::Status.eq(status))
        .order_by_desc(delivery::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.outbox_id).collect();
    let activities: std::collections::HashMap<i64, String> = outbox_activity::Entity::find()
        .filter(outbox_activity::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.activity_id))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let activity = activities.get(&r.outbox_id).cloned().unwrap_or_default();
            (r, activity)
        })
        .collect())
}
