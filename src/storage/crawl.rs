//! The crawl queue: collections (`replies`, FEP-7888 `context`) to read so that whole
//! conversations reach us, not only the replies that mention us. One row per URL;
//! a job that ran is scheduled again while its article is young.

use super::{
    entities::{comment, crawl_job},
    queue::Lease,
};
use crate::domain::CrawlStatus;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QuerySelect,
};

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
        status: Set(CrawlStatus::Pending),
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

const LEASE: Lease<crawl_job::Entity> = Lease {
    id: crawl_job::Column::Id,
    status: crawl_job::Column::Status,
    pending: CrawlStatus::Pending.as_str(),
    next_attempt_at: crawl_job::Column::NextAttemptAt,
    locked_until: crawl_job::Column::LockedUntil,
    attempts: crawl_job::Column::Attempts,
};

/// Claims due jobs with a lease, as the inbox does.
pub async fn claim_due<C: ConnectionTrait>(
    db: &C,
    now: i64,
    lease_ms: i64,
    limit: u64,
) -> Result<Vec<crawl_job::Model>, DbErr> {
    let mut jobs = LEASE.claim(db, now, lease_ms, limit).await?;
    jobs.iter_mut().for_each(|j| j.attempts += 1);
    Ok(jobs)
}

/// Extends the lease on rows still being worked on (see `Lease::renew`).
pub async fn renew<C: ConnectionTrait>(db: &C, ids: &[i64], until: i64) -> Result<u64, DbErr> {
    LEASE.renew(db, ids, until).await
}

/// Ends a run: `Pending` again at `next_attempt_at` (re-crawl, or retry after an
/// error), or `Done`/`Failed` for good.
pub async fn reschedule<C: ConnectionTrait>(
    db: &C,
    id: i64,
    status: CrawlStatus,
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

/// Collections queued for an article over its life (the crawl's per-article bound).
pub async fn jobs_for_article<C: ConnectionTrait>(db: &C, article_id: i64) -> Result<u64, DbErr> {
    crawl_job::Entity::find()
        .filter(crawl_job::Column::ArticleId.eq(article_id))
        .count(db)
        .await
}

/// Comments an article holds, whatever their verdict.
pub async fn comments_in_article<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
) -> Result<u64, DbErr> {
    comment::Entity::find()
        .filter(comment::Column::ArticleId.eq(article_id))
        .count(db)
        .await
}

/// Whether a comment of the article has its id under `origin` (`scheme://host[:port]`):
/// that host takes part in the thread.
pub async fn origin_in_thread<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
    origin: &str,
) -> Result<bool, DbErr> {
    Ok(comment::Entity::find()
        .select_only()
        .column(comment::Column::Id)
        .filter(comment::Column::ArticleId.eq(article_id))
        .filter(comment::Column::ApId.starts_with(format!("{origin}/")))
        .limit(1)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .is_some())
}
