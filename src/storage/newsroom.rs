//! The editors' queries: recent articles with their published-comment and highlight
//! counts (what the selection console picks from), and how staff sign their replies.

use super::entities::{article, comment, moderator};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use std::collections::HashMap;

/// An article with how many comments readers see and how many are highlighted.
pub struct ArticleCounts {
    pub article: article::Model,
    pub visible: u64,
    pub highlighted: u64,
}

/// The `limit` most recently published articles (not deleted), newest first, with
/// their counts: two grouped queries, whatever the number of articles.
pub async fn recent_articles<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<ArticleCounts>, DbErr> {
    let articles = article::Entity::find()
        .filter(article::Column::DeletedAt.is_null())
        .order_by_desc(article::Column::Published)
        .order_by_desc(article::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    if articles.is_empty() {
        return Ok(Vec::new());
    }
    let ids = articles
        .iter()
        .map(|a| a.id.to_string())
        .collect::<Vec<_>>()
        .join(",");
    #[derive(FromQueryResult)]
    struct Count {
        article_id: i64,
        n: i64,
    }
    let backend = db.get_database_backend();
    let published = crate::domain::CommentStatus::Published;
    let visible: HashMap<i64, i64> = Count::find_by_statement(Statement::from_string(
        backend,
        format!("SELECT article_id, visible AS n FROM thread_totals WHERE article_id IN ({ids})"),
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|c| (c.article_id, c.n))
    .collect();
    let highlighted: HashMap<i64, i64> = Count::find_by_statement(Statement::from_string(
        backend,
        format!(
            "SELECT h.article_id AS article_id, COUNT(*) AS n FROM highlights h \
             JOIN comments c ON c.id = h.comment_id \
             WHERE h.article_id IN ({ids}) AND c.status = '{published}' \
               AND c.deleted_at IS NULL AND c.suppressed_by IS NULL \
             GROUP BY h.article_id"
        ),
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|c| (c.article_id, c.n))
    .collect();
    Ok(articles
        .into_iter()
        .map(|a| ArticleCounts {
            visible: visible.get(&a.id).copied().unwrap_or(0).max(0) as u64,
            highlighted: highlighted.get(&a.id).copied().unwrap_or(0).max(0) as u64,
            article: a,
        })
        .collect())
}

/// A staff member's name and title as they sign.
pub async fn signature<C: ConnectionTrait>(
    db: &C,
    moderator_id: i64,
) -> Result<Option<(String, Option<String>)>, DbErr> {
    Ok(moderator::Entity::find_by_id(moderator_id)
        .one(db)
        .await?
        .map(|m| (m.display_name, m.title)))
}

/// Sets how a staff member signs.
pub async fn set_signature<C: ConnectionTrait>(
    db: &C,
    moderator_id: i64,
    display_name: &str,
    title: Option<&str>,
) -> Result<u64, DbErr> {
    let result = moderator::Entity::update_many()
        .col_expr(moderator::Column::DisplayName, display_name.into())
        .col_expr(moderator::Column::Title, title.map(str::to_string).into())
        .filter(moderator::Column::Id.eq(moderator_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// Records the title a staff reply is signed with.
pub async fn set_reply_title<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
    title: Option<&str>,
) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(
            comment::Column::StaffTitle,
            title.map(str::to_string).into(),
        )
        .filter(comment::Column::Id.eq(comment_id))
        .exec(db)
        .await?;
    Ok(())
}
