//! Reports: `Flag`s received from other servers (and, later, from readers).

use super::entities::report;
use crate::domain::ReportStatus;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ConnectionTrait, DbErr, EntityTrait, QueryOrder,
    QuerySelect,
};

/// Stores a report once per activity id.
pub async fn insert_once<C: ConnectionTrait>(
    db: &C,
    activity_id: &str,
    actor_id: i64,
    content: &str,
    objects: &[String],
    now: i64,
) -> Result<bool, DbErr> {
    let stored = report::Entity::insert(report::ActiveModel {
        activity_id: Set(activity_id.to_string()),
        actor_id: Set(actor_id),
        content: Set(content.to_string()),
        objects: Set(serde_json::to_string(objects).unwrap_or_else(|_| "[]".into())),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(report::Column::ActivityId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(stored == 1)
}

/// The newest reports first.
pub async fn list<C: ConnectionTrait>(db: &C, limit: u64) -> Result<Vec<report::Model>, DbErr> {
    report::Entity::find()
        .order_by_desc(report::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// A report about one comment (from a reader, or a remote `Flag`).
pub async fn report_comment<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
    source: &str,
    reason: &str,
    content: &str,
    reporter: &str,
    now: i64,
) -> Result<(), DbErr> {
    use sea_orm::ActiveModelTrait;
    super::entities::comment_report::ActiveModel {
        comment_id: Set(comment_id),
        source: Set(source.to_string()),
        reason: Set(reason.to_string()),
        content: Set(content.to_string()),
        reporter: Set(reporter.to_string()),
        status: Set(ReportStatus::Open),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// How many reports of this comment are open, of `reason` when given: the first one
/// alerts staff, the others join it.
pub async fn open_reports_of<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
    reason: Option<&str>,
) -> Result<u64, DbErr> {
    use super::entities::comment_report;
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    let mut open = comment_report::Entity::find()
        .filter(comment_report::Column::CommentId.eq(comment_id))
        .filter(comment_report::Column::Status.eq(ReportStatus::Open));
    if let Some(reason) = reason {
        open = open.filter(comment_report::Column::Reason.eq(reason));
    }
    open.count(db).await
}

/// Open reports, per comment.
pub async fn open_comment_reports<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<super::entities::comment_report::Model>, DbErr> {
    use super::entities::comment_report;
    use sea_orm::{ColumnTrait, QueryFilter};
    comment_report::Entity::find()
        .filter(comment_report::Column::Status.eq(ReportStatus::Open))
        .order_by_desc(comment_report::Column::Id)
        .all(db)
        .await
}

/// Closes the open reports of a comment (a moderator decided).
pub async fn resolve_comment_reports<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
) -> Result<(), DbErr> {
    use super::entities::comment_report;
    use sea_orm::{ColumnTrait, QueryFilter};
    comment_report::Entity::update_many()
        .col_expr(
            comment_report::Column::Status,
            ReportStatus::Resolved.into(),
        )
        .filter(comment_report::Column::CommentId.eq(comment_id))
        .filter(comment_report::Column::Status.eq(ReportStatus::Open))
        .exec(db)
        .await?;
    Ok(())
}

/// The comments these URLs name, by AP id or by page URL, each once.
pub async fn comments_named<C: ConnectionTrait>(
    db: &C,
    urls: &[String],
) -> Result<Vec<super::entities::comment::Model>, DbErr> {
    use super::entities::comment;
    use sea_orm::{ColumnTrait, Condition, QueryFilter};
    if urls.is_empty() {
        return Ok(Vec::new());
    }
    comment::Entity::find()
        .filter(
            Condition::any()
                .add(comment::Column::ApId.is_in(urls.iter().cloned()))
                .add(comment::Column::Url.is_in(urls.iter().cloned())),
        )
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await
}

/// One report on a comment, by its id.
pub async fn comment_report<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<super::entities::comment_report::Model>, DbErr> {
    super::entities::comment_report::Entity::find_by_id(id)
        .one(db)
        .await
}

/// Whether an activity with this id was queued (a `Flag` we forwarded).
pub async fn flag_queued<C: ConnectionTrait>(db: &C, activity_id: &str) -> Result<bool, DbErr> {
    use super::entities::outbox_activity;
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    Ok(outbox_activity::Entity::find()
        .filter(outbox_activity::Column::ActivityId.eq(activity_id))
        .count(db)
        .await?
        > 0)
}

/// Whether any of the activities `ids` was queued since `since`: exact ids, so the
/// outbox's unique index answers (a prefix `LIKE` would scan the outbox on every report).
pub async fn flags_queued_since<C: ConnectionTrait>(
    db: &C,
    ids: Vec<String>,
    since: i64,
) -> Result<bool, DbErr> {
    use super::entities::outbox_activity;
    use sea_orm::{ColumnTrait, QueryFilter};
    Ok(outbox_activity::Entity::find()
        .filter(outbox_activity::Column::ActivityId.is_in(ids))
        .filter(outbox_activity::Column::CreatedAt.gte(since))
        .one(db)
        .await?
        .is_some())
}
