//! Articles: registered pages, unique by URL.

use super::entities::article;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter,
};

/// What registering an article stores.
pub struct NewArticle<'a> {
    pub site_id: i64,
    pub url: &'a str,
    pub title: &'a str,
    pub summary: Option<&'a str>,
    pub published: i64,
    pub now: i64,
}

/// Inserts an article; its AP id is built from its row id by `ap_id_of`, then stored so
/// it never changes even if the public URL does.
pub async fn insert<C: ConnectionTrait>(
    db: &C,
    new: NewArticle<'_>,
    ap_id_of: impl FnOnce(i64) -> String,
) -> Result<article::Model, DbErr> {
    let placeholder = format!("urn:tribune:pending:{}", uuid::Uuid::new_v4());
    let row = article::ActiveModel {
        site_id: Set(new.site_id),
        ap_id: Set(placeholder),
        url: Set(new.url.to_string()),
        title: Set(new.title.to_string()),
        summary: Set(new.summary.map(str::to_string)),
        published: Set(new.published),
        created_at: Set(new.now),
        updated_at: Set(new.now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let ap_id = ap_id_of(row.id);
    let mut active: article::ActiveModel = row.into();
    active.ap_id = Set(ap_id);
    active.update(db).await
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<article::Model>, DbErr> {
    article::Entity::find_by_id(id).one(db).await
}

pub async fn find_by_url<C: ConnectionTrait>(
    db: &C,
    url: &str,
) -> Result<Option<article::Model>, DbErr> {
    article::Entity::find()
        .filter(article::Column::Url.eq(url))
        .one(db)
        .await
}

/// The article whose AP id (or publisher URL) is `id`: what a reply's `inReplyTo` names.
pub async fn find_by_ap_id_or_url<C: ConnectionTrait>(
    db: &C,
    id: &str,
) -> Result<Option<article::Model>, DbErr> {
    article::Entity::find()
        .filter(
            Condition::any()
                .add(article::Column::ApId.eq(id))
                .add(article::Column::Url.eq(id)),
        )
        .one(db)
        .await
}

pub async fn count<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    article::Entity::find().count(db).await
}
