//! Health of the hosts we deliver to: failures in a row, and whether a host counts as
//! unreachable (then deliveries wait for a probe instead of hammering it).

use super::entities::{delivery, host_health};
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter,
};

/// Counts a failed delivery; the host becomes unreachable at `threshold` failures in a
/// row. Returns the host's row.
pub async fn failed<C: ConnectionTrait>(
    db: &C,
    host: &str,
    now: i64,
    threshold: i32,
) -> Result<host_health::Model, DbErr> {
    host_health::Entity::insert(host_health::ActiveModel {
        host: Set(host.to_string()),
        failures: Set(1),
        last_failure_at: Set(now),
        unreachable_since: Set(None),
        last_probe_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(host_health::Column::Host)
            .value(
                host_health::Column::Failures,
                Expr::col((host_health::Entity, host_health::Column::Failures)).add(1),
            )
            .update_column(host_health::Column::LastFailureAt)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    host_health::Entity::update_many()
        .col_expr(host_health::Column::UnreachableSince, Some(now).into())
        .col_expr(host_health::Column::LastProbeAt, Some(now).into())
        .filter(host_health::Column::Host.eq(host))
        .filter(host_health::Column::Failures.gte(threshold))
        .filter(host_health::Column::UnreachableSince.is_null())
        .exec(db)
        .await?;
    find(db, host)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(host.to_string()))
}

pub async fn find<C: ConnectionTrait>(
    db: &C,
    host: &str,
) -> Result<Option<host_health::Model>, DbErr> {
    host_health::Entity::find_by_id(host.to_string())
        .one(db)
        .await
}

/// The host answered (or spoke to us): it is healthy again.
pub async fn healthy<C: ConnectionTrait>(db: &C, host: &str) -> Result<(), DbErr> {
    host_health::Entity::delete_by_id(host.to_string())
        .exec(db)
        .await?;
    Ok(())
}

/// A probe goes to an unreachable host now.
pub async fn probing<C: ConnectionTrait>(db: &C, host: &str, now: i64) -> Result<(), DbErr> {
    host_health::Entity::update_many()
        .col_expr(host_health::Column::LastProbeAt, Some(now).into())
        .filter(host_health::Column::Host.eq(host))
        .exec(db)
        .await?;
    Ok(())
}

/// Every host with failures.
pub async fn failing<C: ConnectionTrait>(db: &C) -> Result<Vec<host_health::Model>, DbErr> {
    host_health::Entity::find().all(db).await
}

/// Makes the waiting deliveries to `host` due now (it is back).
pub async fn resume_deliveries<C: ConnectionTrait>(
    db: &C,
    host: &str,
    now: i64,
) -> Result<u64, DbErr> {
    let mut on_host = Condition::any();
    for scheme in ["https", "http"] {
        on_host = on_host
            .add(delivery::Column::Inbox.like(format!("{scheme}://{host}/%")))
            .add(delivery::Column::Inbox.like(format!("{scheme}://{host}:%")));
    }
    Ok(delivery::Entity::update_many()
        .col_expr(delivery::Column::NextAttemptAt, now.into())
        .filter(delivery::Column::Status.eq(crate::domain::DeliveryStatus::Pending))
        .filter(on_host)
        .exec(db)
        .await?
        .rows_affected)
}
