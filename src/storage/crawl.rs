//! The crawl queue: collections (`replies`, FEP-7888 `context`) to read so that whole
//! conversations reach us, not only the replies that mention us. One row per URL;
//! a job that ran is scheduled again while its article is young.

use super::entities::crawl_job;
use sea_orm::{
    sea_query::{Expr, ExprTrait, OnConflict},
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

pub const PENDING: &str = "pending";
pub const DONE: &str = "done";
pub const FAILED: &str = "failed";

/// Queues a collection once (a known URL keeps its schedule).
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    url: &str,
    article_id: i64,
    depth: i32,
    now: i64,
) -> Result<(), DbErr> {
    crawl_job::Entity::insert(crawl_job::ActiveModel {
        url: Set(url.to_string()),
        article_id: Set(article_id),
        depth: Set(depth),
        status: Set(PENDING.to_string()),
        attempts: Set(0),
        last_error: Set(None),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(crawl_job::Column::Url)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

fn claimable(now: i64) -> Condition {
    Condition::all()
        .add(crawl_job::Column::Status.eq(PENDING))
        .add(crawl_job::Column::NextAttemptAt.lte(now))
        .add(
            Condition::any()
                .add(crawl_job::Column::LockedUntil.is_null())
                .add(crawl_job::Column::LockedUntil.lt(now)),
        )
}

/// Claims due jobs with a lease, as the inbox does.
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: i64,
    lease_ms: i64,
    limit: u64,
) -> Result<Vec<crawl_job::Model>, DbErr> {
    let candidates = crawl_job::Entity::find()
        .filter(claimable(now))
        .order_by_asc(crawl_job::Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?;
    let mut claimed = Vec::with_capacity(candidates.len());
    for mut job in candidates {
        let result = crawl_job::Entity::update_many()
            .col_expr(crawl_job::Column::LockedUntil, (now + lease_ms).into())
            .col_expr(
                crawl_job::Column::Attempts,
                Expr::col(crawl_job::Column::Attempts).add(1),
            )
            .filter(crawl_job::Column::Id.eq(job.id))
            .filter(claimable(now))
            .exec(db)
            .await?;
        if result.rows_affected == 1 {
            job.attempts += 1;
            claimed.push(job);
        }
    }
    Ok(claimed)
}

/// Ends a run: `pending` again at `next_attempt_at` (re-crawl, or retry after an
/// error), or `done`/`failed` for good.
pub async fn reschedule<C: ConnectionTrait>(
    db: &C,
    id: i64,
    status: &str,
    error: Option<String>,
    next_attempt_at: i64,
    reset_attempts: bool,
) -> Result<(), DbErr> {
    let mut update = crawl_job::Entity::update_many()
        .col_expr(crawl_job::Column::Status, status.into())
        .col_expr(crawl_job::Column::LastError, error.into())
        .col_expr(crawl_job::Column::NextAttemptAt, next_attempt_at.into())
        .col_expr(crawl_job::Column::LockedUntil, Option::<i64>::None.into());
    if reset_attempts {
        update = update.col_expr(crawl_job::Column::Attempts, 0.into());
    }
    update.filter(crawl_job::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}
