//! The durable inbox: raw activities, committed before we answer 202, then processed by
//! workers that claim rows with a lease (so several processes can share the queue and a
//! crashed worker's rows come back when its lease runs out).

use super::entities::inbox_activity;
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

pub const PENDING: &str = "pending";
pub const DONE: &str = "done";
pub const IGNORED: &str = "ignored";
pub const FAILED: &str = "failed";

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
        status: Set(PENDING.to_string()),
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

fn claimable(now: i64) -> Condition {
    Condition::all()
        .add(inbox_activity::Column::Status.eq(PENDING))
        .add(inbox_activity::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(inbox_activity::Column::LockedUntil.is_null())
                .add(inbox_activity::Column::LockedUntil.lt(now)),
        )
}

/// Claims up to `limit` due activities for `lease_ms`. A row is ours only if our
/// conditional update changed it, so two workers never both take one.
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: i64,
    lease_ms: i64,
    limit: u64,
) -> Result<Vec<inbox_activity::Model>, DbErr> {
    let candidates = inbox_activity::Entity::find()
        .filter(claimable(now))
        .order_by_asc(inbox_activity::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for mut row in candidates {
        let result = inbox_activity::Entity::update_many()
            .col_expr(inbox_activity::Column::LockedUntil, (now + lease_ms).into())
            .col_expr(
                inbox_activity::Column::Attempts,
                Expr::col(inbox_activity::Column::Attempts).add(1),
            )
            .filter(inbox_activity::Column::Id.eq(row.id))
            .filter(claimable(now))
            .exec(db)
            .await?;
        if result.rows_affected == 1 {
            row.attempts += 1;
            claimed.push(row);
        }
    }
    Ok(claimed)
}

/// Ends a row's processing with `status` (`done`, `ignored` or `failed`).
pub async fn finish<C: ConnectionTrait>(
    db: &C,
    id: i64,
    status: &str,
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
    inbox_activity::Entity::update_many()
        .col_expr(inbox_activity::Column::LastError, Some(error).into())
        .col_expr(
            inbox_activity::Column::NextAttemptAt,
            next_attempt_at.into(),
        )
        .col_expr(
            inbox_activity::Column::LockedUntil,
            Option::<i64>::None.into(),
        )
        .filter(inbox_activity::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
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
