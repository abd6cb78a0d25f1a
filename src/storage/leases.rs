//! Leases on scheduled jobs: one process runs a job at a time; the lease lapses if that
//! process dies, and another takes over.

use super::entities::job_lease;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DatabaseConnection, DbErr, EntityTrait, QueryFilter, TransactionTrait,
};

/// Takes (or renews) the lease on `job` for `holder` until `until`; `false` when
/// another process holds it.
pub async fn acquire<C: ConnectionTrait>(
    db: &C,
    job: &str,
    holder: &str,
    now: i64,
    until: i64,
) -> Result<bool, DbErr> {
    job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(job.to_string()),
        holder: Set(holder.to_string()),
        until: Set(until),
    })
    .on_conflict(
        OnConflict::column(job_lease::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    let taken = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::Holder, holder.into())
        .col_expr(job_lease::Column::Until, until.into())
        .filter(job_lease::Column::Name.eq(job))
        .filter(
            Condition::any()
                .add(job_lease::Column::Holder.eq(holder))
                .add(job_lease::Column::Until.lt(now)),
        )
        .exec(db)
        .await?;
    Ok(taken.rows_affected == 1)
}

/// Lets the lease go (on shutdown), so another process need not wait for it to lapse.
pub async fn release<C: ConnectionTrait>(db: &C, job: &str, holder: &str) -> Result<(), DbErr> {
    job_lease::Entity::delete_many()
        .filter(job_lease::Column::Name.eq(job))
        .filter(job_lease::Column::Holder.eq(holder))
        .exec(db)
        .await?;
    Ok(())
}

/// Proves the database takes writes (`--check-config`): writes a lease row in a
/// transaction and rolls it back. A read-only file, a full disk or a read-only replica
/// answers reads, so a `SELECT` alone would say all is well.
pub async fn check_writable(db: &DatabaseConnection) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    job_lease::Entity::insert(job_lease::ActiveModel {
        name: Set(format!("check-config:{}", uuid::Uuid::new_v4())),
        holder: Set("check-config".to_string()),
        until: Set(0),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.rollback().await
}
