//! The console's reads: the moderation queue searched, filtered, counted and paged in
//! SQL (no cap on what can be reached), an author's record, a comment's neighbours in
//! its thread, articles with their comment counts, the audit rows an undo needs, and
//! the staff member's language.

use super::entities::{article, audit_entry, comment, comment_report, moderator, remote_actor};
use crate::domain::{CommentStatus, Mode, ReportStatus};
use sea_orm::{
    sea_query::{Expr, ExprTrait, Func, Query},
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// What the queue is asked for (the service validated and bounded every field).
#[derive(Debug, Default, Clone)]
pub struct QueueQuery {
    /// Empty: any status.
    pub statuses: Vec<CommentStatus>,
    /// Only comments with open reports.
    pub reported: bool,
    pub site_id: Option<i64>,
    pub article_id: Option<i64>,
    /// Lowercased text searched in the comment.
    pub text: Option<String>,
    /// Authors matched by the author or domain search (`Some(empty)`: nobody matched).
    pub author_ids: Option<Vec<i64>>,
    /// Lowercased text searched in imported comments' author names (with `author_ids`:
    /// either matches).
    pub author_name: Option<String>,
    /// A rule id as verdicts store it (`builtin:max_links`, `rule:3`…).
    pub rule: Option<String>,
    /// A charter reason: the moderator's, or an open report's.
    pub reason: Option<String>,
}

/// `%text%` with the LIKE wildcards of `text` escaped.
fn like(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

fn open_reports() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(comment_report::Column::CommentId)
        .from(comment_report::Entity)
        .and_where(comment_report::Column::Status.eq(ReportStatus::Open))
        .to_owned()
}

fn condition(q: &QueueQuery) -> Condition {
    let mut c = Condition::all().add(comment::Column::DeletedAt.is_null());
    if !q.statuses.is_empty() {
        c = c.add(comment::Column::Status.is_in(q.statuses.iter().copied()));
    }
    if q.reported {
        c = c.add(comment::Column::Id.in_subquery(open_reports()));
    }
    if let Some(site) = q.site_id {
        c = c.add(
            comment::Column::ArticleId.in_subquery(
                Query::select()
                    .column(article::Column::Id)
                    .from(article::Entity)
                    .and_where(article::Column::SiteId.eq(site))
                    .to_owned(),
            ),
        );
    }
    if let Some(id) = q.article_id {
        c = c.add(comment::Column::ArticleId.eq(id));
    }
    if let Some(text) = &q.text {
        c = c.add(
            Expr::expr(Func::lower(Expr::col(comment::Column::ContentHtml)))
                .like(sea_orm::sea_query::LikeExpr::new(like(text)).escape('\\')),
        );
    }
    match (&q.author_ids, &q.author_name) {
        (Some(ids), Some(name)) => {
            c = c.add(
                Condition::any()
                    .add(comment::Column::AuthorId.is_in(ids.iter().copied()))
                    .add(
                        Expr::expr(Func::lower(Expr::col(comment::Column::AuthorName)))
                            .like(sea_orm::sea_query::LikeExpr::new(like(name)).escape('\\')),
                    ),
            )
        }
        (Some(ids), None) => c = c.add(comment::Column::AuthorId.is_in(ids.iter().copied())),
        (None, Some(name)) => {
            c = c.add(
                Expr::expr(Func::lower(Expr::col(comment::Column::AuthorName)))
                    .like(sea_orm::sea_query::LikeExpr::new(like(name)).escape('\\')),
            )
        }
        (None, None) => {}
    }
    if let Some(rule) = &q.rule {
        // Verdicts are JSON with `"rule":"<id>"` per hit (serde_json, no spaces).
        let needle = format!("\"rule\":{}", serde_json::Value::from(rule.as_str()));
        c = c.add(
            comment::Column::Verdict
                .like(sea_orm::sea_query::LikeExpr::new(like(&needle)).escape('\\')),
        );
    }
    if let Some(reason) = &q.reason {
        c = c.add(
            Condition::any()
                .add(comment::Column::ModerationReason.eq(reason.as_str()))
                .add(
                    comment::Column::Id.in_subquery(
                        open_reports()
                            .and_where(comment_report::Column::Reason.eq(reason.as_str()))
                            .to_owned(),
                    ),
                ),
        );
    }
    c
}

/// One page of the queue, newest first.
pub async fn queue_page<C: ConnectionTrait>(
    db: &C,
    q: &QueueQuery,
    offset: u64,
    limit: u64,
) -> Result<Vec<comment::Model>, DbErr> {
    comment::Entity::find()
        .filter(condition(q))
        .order_by_desc(comment::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(db)
        .await
}

/// How many comments the query matches.
pub async fn queue_count<C: ConnectionTrait>(db: &C, q: &QueueQuery) -> Result<u64, DbErr> {
    comment::Entity::find().filter(condition(q)).count(db).await
}

/// Comments newer than `after` in `status` (what the live queue polls).
pub async fn newest_ids<C: ConnectionTrait>(
    db: &C,
    status: CommentStatus,
    after: i64,
    limit: u64,
) -> Result<Vec<i64>, DbErr> {
    comment::Entity::find()
        .select_only()
        .column(comment::Column::Id)
        .filter(comment::Column::DeletedAt.is_null())
        .filter(comment::Column::Status.eq(status))
        .filter(comment::Column::Id.gt(after))
        .order_by_desc(comment::Column::Id)
        .limit(limit)
        .into_tuple::<i64>()
        .all(db)
        .await
}

/// Authors whose handle, name or id contains `author`, and/or whose server is `domain`
/// or under it; at most `limit`.
pub async fn actors_matching<C: ConnectionTrait>(
    db: &C,
    author: Option<&str>,
    domain: Option<&str>,
    limit: u64,
) -> Result<Vec<i64>, DbErr> {
    let mut c = Condition::all();
    if let Some(author) = author {
        let pattern = sea_orm::sea_query::LikeExpr::new(like(author)).escape('\\');
        c = c.add(
            Condition::any()
                .add(
                    Expr::expr(Func::lower(Expr::col(
                        remote_actor::Column::PreferredUsername,
                    )))
                    .like(pattern.clone()),
                )
                .add(
                    Expr::expr(Func::lower(Expr::col(remote_actor::Column::Name)))
                        .like(pattern.clone()),
                )
                .add(Expr::expr(Func::lower(Expr::col(remote_actor::Column::ApId))).like(pattern)),
        );
    }
    if let Some(domain) = domain {
        c = c.add(
            Condition::any()
                .add(remote_actor::Column::Domain.eq(domain))
                .add(remote_actor::Column::Domain.like(format!("%.{domain}")))
                .add(remote_actor::Column::Domain.like(format!("{domain}:%")))
                .add(remote_actor::Column::Domain.like(format!("%.{domain}:%"))),
        );
    }
    remote_actor::Entity::find()
        .select_only()
        .column(remote_actor::Column::Id)
        .filter(c)
        .limit(limit)
        .into_tuple::<i64>()
        .all(db)
        .await
}

/// An author's comments counted by status.
pub async fn author_counts<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
) -> Result<Vec<(CommentStatus, i64)>, DbErr> {
    comment::Entity::find()
        .select_only()
        .column(comment::Column::Status)
        .column_as(comment::Column::Id.count(), "n")
        .filter(comment::Column::AuthorId.eq(author_id))
        .filter(comment::Column::DeletedAt.is_null())
        .group_by(comment::Column::Status)
        .into_tuple::<(CommentStatus, i64)>()
        .all(db)
        .await
}

/// When an author's first comment arrived.
pub async fn author_first_seen<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
) -> Result<Option<i64>, DbErr> {
    comment::Entity::find()
        .select_only()
        .column_as(comment::Column::CreatedAt.min(), "first")
        .filter(comment::Column::AuthorId.eq(author_id))
        .into_tuple::<Option<i64>>()
        .one(db)
        .await
        .map(Option::flatten)
}

/// A comment's direct replies, oldest first.
pub async fn replies<C: ConnectionTrait>(
    db: &C,
    parent_id: i64,
    limit: u64,
) -> Result<Vec<comment::Model>, DbErr> {
    comment::Entity::find()
        .filter(comment::Column::ParentId.eq(parent_id))
        .order_by_asc(comment::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// An article row with its comments counted by status.
#[derive(Debug, FromQueryResult)]
pub struct ArticleRow {
    pub id: i64,
    pub site_id: i64,
    pub url: String,
    pub title: String,
    pub published: i64,
    pub moderation_mode: Option<Mode>,
}

/// Live articles, newest first, one page; and how many there are.
pub async fn articles_page<C: ConnectionTrait>(
    db: &C,
    site_id: Option<i64>,
    offset: u64,
    limit: u64,
) -> Result<(Vec<ArticleRow>, u64), DbErr> {
    let mut query = article::Entity::find().filter(article::Column::DeletedAt.is_null());
    if let Some(site) = site_id {
        query = query.filter(article::Column::SiteId.eq(site));
    }
    let total = query.clone().count(db).await?;
    let rows = query
        .select_only()
        .columns([
            article::Column::Id,
            article::Column::SiteId,
            article::Column::Url,
            article::Column::Title,
            article::Column::Published,
            article::Column::ModerationMode,
        ])
        .order_by_desc(article::Column::Published)
        .order_by_desc(article::Column::Id)
        .offset(offset)
        .limit(limit)
        .into_model::<ArticleRow>()
        .all(db)
        .await?;
    Ok((rows, total))
}

/// Comments of these articles counted by `(article, status)`.
pub async fn comment_counts<C: ConnectionTrait>(
    db: &C,
    article_ids: Vec<i64>,
) -> Result<Vec<(i64, CommentStatus, i64)>, DbErr> {
    comment::Entity::find()
        .select_only()
        .column(comment::Column::ArticleId)
        .column(comment::Column::Status)
        .column_as(comment::Column::Id.count(), "n")
        .filter(comment::Column::ArticleId.is_in(article_ids))
        .filter(comment::Column::DeletedAt.is_null())
        .group_by(comment::Column::ArticleId)
        .group_by(comment::Column::Status)
        .into_tuple::<(i64, CommentStatus, i64)>()
        .all(db)
        .await
}

/// Open reports of these comments.
pub async fn open_reports_of<C: ConnectionTrait>(
    db: &C,
    comment_ids: Vec<i64>,
) -> Result<Vec<comment_report::Model>, DbErr> {
    comment_report::Entity::find()
        .filter(comment_report::Column::CommentId.is_in(comment_ids))
        .filter(comment_report::Column::Status.eq(ReportStatus::Open))
        .order_by_asc(comment_report::Column::Id)
        .all(db)
        .await
}

pub async fn audit_entry<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<audit_entry::Model>, DbErr> {
    audit_entry::Entity::find_by_id(id).one(db).await
}

/// The latest audit row about a target (what an undo must still be the last of).
pub async fn latest_audit_of<C: ConnectionTrait>(
    db: &C,
    target_type: &str,
    target_id: &str,
) -> Result<Option<audit_entry::Model>, DbErr> {
    audit_entry::Entity::find()
        .filter(audit_entry::Column::TargetType.eq(target_type))
        .filter(audit_entry::Column::TargetId.eq(target_id))
        .order_by_desc(audit_entry::Column::Id)
        .one(db)
        .await
}

/// Puts a comment's moderation fields back as they were (an undo).
pub async fn put_back<C: ConnectionTrait>(
    db: &C,
    id: i64,
    status: CommentStatus,
    reason: Option<String>,
    note: Option<String>,
    by: Option<String>,
    at: Option<i64>,
) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::Status, status.into())
        .col_expr(comment::Column::ModerationReason, reason.into())
        .col_expr(comment::Column::ModerationNote, note.into())
        .col_expr(comment::Column::ModeratedBy, by.into())
        .col_expr(comment::Column::ModeratedAt, at.into())
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn staff_language<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<String>, DbErr> {
    Ok(moderator::Entity::find_by_id(id)
        .one(db)
        .await?
        .and_then(|m| m.language))
}

pub async fn set_staff_language<C: ConnectionTrait>(
    db: &C,
    id: i64,
    language: Option<&str>,
) -> Result<(), DbErr> {
    moderator::Entity::update_many()
        .col_expr(
            moderator::Column::Language,
            language.map(str::to_string).into(),
        )
        .filter(moderator::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The policy of the first of `domains` (a host, then its parents) that has one.
pub async fn domain_policy_of<C: ConnectionTrait>(
    db: &C,
    domains: Vec<String>,
) -> Result<Option<super::entities::domain_policy::Model>, DbErr> {
    use super::entities::domain_policy;
    let found = domain_policy::Entity::find()
        .filter(domain_policy::Column::Domain.is_in(domains.clone()))
        .all(db)
        .await?;
    Ok(domains
        .iter()
        .find_map(|d| found.iter().find(|p| &p.domain == d).cloned()))
}

/// Opens again reports an undone decision had settled.
pub async fn reopen_reports<C: ConnectionTrait>(db: &C, ids: Vec<i64>) -> Result<(), DbErr> {
    if ids.is_empty() {
        return Ok(());
    }
    comment_report::Entity::update_many()
        .col_expr(comment_report::Column::Status, ReportStatus::Open.into())
        .filter(comment_report::Column::Id.is_in(ids))
        .exec(db)
        .await?;
    Ok(())
}
