//! Editorial highlights, in the editors' order.

use super::entities::highlight;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

/// What highlighting stores.
pub struct NewHighlight<'a> {
    pub comment_id: i64,
    pub article_id: i64,
    pub note: Option<&'a str>,
    pub editor_id: Option<i64>,
    pub editor_name: &'a str,
    pub announce_id: &'a str,
    pub now: i64,
}

/// Adds a highlight at the end of the article's selection.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    h: NewHighlight<'_>,
) -> Result<highlight::Model, DbErr> {
    let last = highlight::Entity::find()
        .filter(highlight::Column::ArticleId.eq(h.article_id))
        .order_by_desc(highlight::Column::Position)
        .limit(1)
        .one(db)
        .await?
        .map(|x| x.position)
        .unwrap_or(0);
    highlight::ActiveModel {
        comment_id: Set(h.comment_id),
        article_id: Set(h.article_id),
        note: Set(h.note.map(str::to_string)),
        editor_id: Set(h.editor_id),
        editor_name: Set(h.editor_name.to_string()),
        position: Set(last + 1),
        announce_id: Set(h.announce_id.to_string()),
        created_at: Set(h.now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find_by_comment<C: ConnectionTrait>(
    db: &C,
    comment_id: i64,
) -> Result<Option<highlight::Model>, DbErr> {
    highlight::Entity::find()
        .filter(highlight::Column::CommentId.eq(comment_id))
        .one(db)
        .await
}

pub async fn delete<C: ConnectionTrait>(db: &C, id: i64) -> Result<(), DbErr> {
    highlight::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// An article's highlights in the editors' order.
pub async fn for_article<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
) -> Result<Vec<highlight::Model>, DbErr> {
    highlight::Entity::find()
        .filter(highlight::Column::ArticleId.eq(article_id))
        .order_by_asc(highlight::Column::Position)
        .order_by_asc(highlight::Column::Id)
        .all(db)
        .await
}

/// The newest highlights of these articles (for a site's feed).
pub async fn latest<C: ConnectionTrait>(
    db: &C,
    article_ids: Vec<i64>,
    limit: u64,
) -> Result<Vec<highlight::Model>, DbErr> {
    highlight::Entity::find()
        .filter(highlight::Column::ArticleId.is_in(article_ids))
        .order_by_desc(highlight::Column::CreatedAt)
        .limit(limit)
        .all(db)
        .await
}

pub async fn set_position<C: ConnectionTrait>(db: &C, id: i64, position: i64) -> Result<(), DbErr> {
    highlight::Entity::update_many()
        .col_expr(highlight::Column::Position, position.into())
        .filter(highlight::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
