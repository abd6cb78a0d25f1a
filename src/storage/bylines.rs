//! Bylines: which staff member signs an article or wrote a staff reply, and whether a
//! staff member has signed anything public (only then is their journalist actor served).

use super::entities::{article, comment, moderator};
use sea_orm::{sea_query::Expr, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

/// Signs `article_id` with `author_id` (`None`: the site alone).
pub async fn set_article_author<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
    author_id: Option<i64>,
) -> Result<(), DbErr> {
    article::Entity::update_many()
        .col_expr(article::Column::AuthorId, Expr::value(author_id))
        .filter(article::Column::Id.eq(article_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Records who wrote the staff reply `comment_id`.
pub async fn set_reply_author<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
    staff_id: i64,
) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::StaffId, Expr::value(Some(staff_id)))
        .filter(comment::Column::Id.eq(comment_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Whether the staff member signs an article or wrote a staff reply (deleted ones
/// count: what was published stays attributed to an actor that answers).
pub async fn has_signed<C: ConnectionTrait>(db: &C, moderator_id: i64) -> Result<bool, DbErr> {
    // One row is enough (both columns are indexed): never a count over every comment.
    let article = article::Entity::find()
        .filter(article::Column::AuthorId.eq(moderator_id))
        .one(db)
        .await?;
    if article.is_some() {
        return Ok(true);
    }
    let reply = comment::Entity::find()
        .filter(comment::Column::StaffId.eq(moderator_id))
        .one(db)
        .await?;
    Ok(reply.is_some())
}

/// The staff members with these ids.
pub async fn moderators_by_id<C: ConnectionTrait>(
    db: &C,
    ids: Vec<i64>,
) -> Result<Vec<moderator::Model>, DbErr> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    moderator::Entity::find()
        .filter(moderator::Column::Id.is_in(ids))
        .all(db)
        .await
}
