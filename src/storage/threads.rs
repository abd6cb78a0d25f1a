//! Read queries behind public threads and counts: pages of top-level comments with
//! their replies, visible counts, and the content version that caches are checked by.

use super::entities::comment;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};

/// Bumped by triggers on every table a thread or a count is built from (migration
/// `content_version`): equal numbers mean nothing readers see has changed.
pub async fn content_version<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    version(db, 1).await
}

/// Bumped by triggers on the rules and the domain policies.
pub async fn moderation_version<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    version(db, 2).await
}

async fn version<C: ConnectionTrait>(db: &C, id: i32) -> Result<i64, DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        n: i64,
    }
    let row = Row::find_by_statement(Statement::from_string(
        db.get_database_backend(),
        format!("SELECT n FROM content_version WHERE id = {id}"),
    ))
    .one(db)
    .await?;
    Ok(row.map(|r| r.n).unwrap_or(0))
}

/// Up to `limit` top-level comments of an article after the one with id `after`
/// (oldest first, the thread's order), and whether more follow.
pub async fn top_level_page<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
    after: Option<i64>,
    limit: u64,
) -> Result<(Vec<comment::Model>, bool), DbErr> {
    let mut query = comment::Entity::find()
        .filter(comment::Column::ArticleId.eq(article_id))
        .filter(comment::Column::ParentId.is_null())
        .filter(comment::Column::QuoteOf.is_null());
    if let Some(after) = after {
        let Some(cursor) = comment::Entity::find_by_id(after)
            .filter(comment::Column::ArticleId.eq(article_id))
            .one(db)
            .await?
        else {
            return Ok((Vec::new(), false));
        };
        // Keyset on (published, id): the index on (article_id, published) serves it.
        query = query.filter(
            sea_orm::Condition::any()
                .add(comment::Column::Published.gt(cursor.published))
                .add(
                    sea_orm::Condition::all()
                        .add(comment::Column::Published.eq(cursor.published))
                        .add(comment::Column::Id.gt(cursor.id)),
                ),
        );
    }
    let mut rows = query
        .order_by_asc(comment::Column::Published)
        .order_by_asc(comment::Column::Id)
        .limit(limit + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > limit;
    rows.truncate(limit as usize);
    Ok((rows, more))
}

/// Every reply below these comments, at any depth, oldest first.
pub async fn descendants<C: ConnectionTrait>(
    db: &C,
    roots: &[i64],
) -> Result<Vec<comment::Model>, DbErr> {
    if roots.is_empty() {
        return Ok(Vec::new());
    }
    // Ids are integers, so they are written into the query (no placeholder syntax to
    // tell apart between SQLite and PostgreSQL); the recursion walks idx_comments_parent.
    let ids = roots
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",");
    let sql = format!(
        "WITH RECURSIVE below(id) AS ( \
           SELECT id FROM comments WHERE parent_id IN ({ids}) \
           UNION ALL SELECT c.id FROM comments c JOIN below ON c.parent_id = below.id) \
         SELECT * FROM comments WHERE id IN (SELECT id FROM below) ORDER BY published, id"
    );
    comment::Entity::find()
        .from_raw_sql(Statement::from_string(db.get_database_backend(), sql))
        .all(db)
        .await
}

/// Comments by id (highlighted ones outside the page being read).
pub async fn find_many<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<Vec<comment::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    comment::Entity::find()
        .filter(comment::Column::Id.is_in(ids))
        .all(db)
        .await
}

/// Published comments of an article readers can see, and how many of them are
/// highlighted: the first from `thread_totals` (kept by triggers), the second over the
/// article's few highlights, so neither grows with the thread.
pub async fn visible_counts<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
) -> Result<(u64, u64), DbErr> {
    #[derive(FromQueryResult)]
    struct Row {
        total: Option<i64>,
        highlighted: i64,
    }
    let sql = format!(
        "SELECT \
           (SELECT visible FROM thread_totals WHERE article_id = {article_id}) AS total, \
           (SELECT COUNT(*) FROM highlights h JOIN comments c ON c.id = h.comment_id \
              WHERE h.article_id = {article_id} AND c.status = '{published}' \
                AND c.deleted_at IS NULL AND c.suppressed_by IS NULL) AS highlighted",
        published = crate::domain::CommentStatus::Published,
    );
    let row = Row::find_by_statement(Statement::from_string(db.get_database_backend(), sql))
        .one(db)
        .await?;
    Ok(row
        .map(|r| {
            (
                r.total.unwrap_or(0).max(0) as u64,
                r.highlighted.max(0) as u64,
            )
        })
        .unwrap_or_default())
}
