//! The durable inbox: raw activities, committed before we answer 202, then processed by
//! workers that claim rows with a lease (so several processes can share the queue and a
//! crashed worker's rows come back when its lease runs out).

use super::{entities::inbox_activity, queue::Lease};
use crate::domain::InboxStatus;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

/// Stores a received activity once. Returns `false` when its id was already stored.
pub async fn insert_once<C: ConnectionTrait>(
    db: &C,
    activity_id: &str,
    actor_id: &str,
    kind: &str,
    raw: &str,
    now: i64,
) -> Result<bool, DbErr> {
    let affected = inbox_activity::Entity::insert(inbox_activity::ActiveModel {
        activity_id: Set(activity_id.to_string()),
        actor_id: Set(actor_id.to_string()),
        kind: Set(kind.to_string()),
        raw: Set(raw.to_string()),
        status: Set(InboxStatus::Pending),
        attempts: Set(0),
        last_error: Set(None),
        received_at: Set(now),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        processed_at: Set(None),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(inbox_activity::Column::ActivityId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(affected == 1)
}

const LEASE: Lease<inbox_activity::Entity> = Lease {
    id: inbox_activity::Column::Id,
    status: inbox_activity::Column::Status,
    pending: InboxStatus::Pending.as_str(),
    next_attempt_at: inbox_activity::Column::NextAttemptAt,
    locked_until: inbox_activity::Column::LockedUntil,
    attempts: inbox_activity::Column::Attempts,
};

/// Claims up to `limit` due activities for `lease_ms`.
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: i64,
    lease_ms: i64,
    limit: u64,
) -> Result<Vec<inbox_activity::Model>, DbErr> {
    let mut rows = LEASE.claim(db, now, lease_ms, limit).await?;
    rows.iter_mut().for_each(|r| r.attempts += 1);
    Ok(rows)
}

/// Extends the lease on rows still being worked on (see `Lease::renew`).
pub async fn renew<C: ConnectionTrait>(db: &C, ids: &[i64], until: i64) -> Result<u64, DbErr> {
    LEASE.renew(db, ids, until).await
}

/// Ends a row's processing with `status` (`Done`, `Ignored` or `Failed`).
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    id: i64,
    status: InboxStatus,
    note: Option<String>,
    now: i64,
) -> Result<(), DbErr> {
    inbox_activity::Entity::update_many()
        .col_expr(inbox_activity::Column::Status, status.into())
        .col_expr(inbox_activity::Column::LastError, note.into())
        .col_expr(inbox_activity::Column::ProcessedAt, now.into())
        .col_expr(
            inbox_activity::Column::LockedUntil,
            Option::<i64>::None.into(),
        )
        .filter(inbox_activity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Puts a row back for another attempt at `next_attempt_at`.
pub async fn retry_later<C: ConnectionTrait>(
    db: &C,
    id: i64,
    error: String,
    next_attempt_at: i64,
) -> Result<(), DbErr> {
    LEASE
        .retry_later(
            db,
            id,
            inbox_activity::Column::LastError,
            error,
            next_attempt_at,
        )
        .await
}

/// How many activities with this id are stored (tests, admin views).
pub async fn find_by_activity_id<C: ConnectionTrait>(
    db: &C,
    activity_id: &str,
) -> Result<Vec<inbox_activity::Model>, DbErr> {
    inbox_activity::Entity::find()
        .filter(inbox_activity::Column::ActivityId.eq(activity_id))
        .all(db)
        .await
}

/// Stored activities in a status (`Failed`: poison set aside with its error), newest
/// first.
pub async fn by_status<C: ConnectionTrait>(
    db: &C,
    status: InboxStatus,
    limit: u64,
) -> Result<Vec<inbox_activity::Model>, DbErr> {
    use sea_orm::{QueryOrder, QuerySelect};
    inbox_activity::Entity::find()
        .filter(inbox_activity::Column::Status.eq(status))
        .order_by_desc(inbox_activity::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
