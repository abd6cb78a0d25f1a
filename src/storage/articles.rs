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
    /// Vouched for by staff, the CMS or the feed (`false`: a reader's visit).
    pub confirmed: bool,
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
        confirmed_at: Set(new.confirmed.then_some(new.now)),
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

/// New title, summary and date of an article (a re-registration that changed them);
/// also revives a deleted one.
pub async fn update_fields<C: ConnectionTrait>(
    db: &C,
    id: i64,
    title: &str,
    summary: Option<&str>,
    published: i64,
    now: i64,
) -> Result<(), DbErr> {
    article::Entity::update_many()
        .col_expr(article::Column::Title, title.into())
        .col_expr(article::Column::Summary, summary.map(str::to_string).into())
        .col_expr(article::Column::Published, published.into())
        .col_expr(article::Column::UpdatedAt, now.into())
        .col_expr(article::Column::DeletedAt, Option::<i64>::None.into())
        .filter(article::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a self-registered article as vouched for by staff, the CMS or the feed.
pub async fn confirm<C: ConnectionTrait>(db: &C, id: i64, now: i64) -> Result<(), DbErr> {
    article::Entity::update_many()
        .col_expr(article::Column::ConfirmedAt, now.into())
        .filter(article::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks an article deleted: it is served as a `Tombstone` from then on.
pub async fn mark_deleted<C: ConnectionTrait>(db: &C, id: i64, now: i64) -> Result<(), DbErr> {
    article::Entity::update_many()
        .col_expr(article::Column::DeletedAt, now.into())
        .col_expr(article::Column::UpdatedAt, now.into())
        .filter(article::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Every article, deleted ones included, oldest first (the command line's list).
pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Vec<article::Model>, DbErr> {
    use sea_orm::QueryOrder;
    article::Entity::find()
        .order_by_asc(article::Column::Id)
        .all(db)
        .await
}
