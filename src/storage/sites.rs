//! Sites: mirrored from the configuration so rows can refer to them.

use super::entities::site;
use crate::domain::now_millis;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter,
};

/// Inserts the site or updates its name and origin.
pub async fn upsert<C: ConnectionTrait>(
    db: &C,
    slug: &str,
    name: &str,
    origin: &str,
) -> Result<site::Model, DbErr> {
    match find_by_slug(db, slug).await? {
        Some(existing) if existing.name == name && existing.origin == origin => Ok(existing),
        Some(existing) => {
            let mut active = existing.into_active_model();
            active.name = Set(name.to_string());
            active.origin = Set(origin.to_string());
            active.update(db).await
        }
        None => {
            site::ActiveModel {
                slug: Set(slug.to_string()),
                name: Set(name.to_string()),
                origin: Set(origin.to_string()),
                created_at: Set(now_millis()),
                ..Default::default()
            }
            .insert(db)
            .await
        }
    }
}

pub async fn find_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<site::Model>, DbErr> {
    site::Entity::find()
        .filter(site::Column::Slug.eq(slug))
        .one(db)
        .await
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<site::Model>, DbErr> {
    site::Entity::find_by_id(id).one(db).await
}

pub async fn count<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    site::Entity::find().count(db).await
}

/// The feed validators of a site, if it was polled before.
pub async fn feed_state<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
) -> Result<Option<super::entities::feed_state::Model>, DbErr> {
    use super::entities::feed_state;
    feed_state::Entity::find()
        .filter(feed_state::Column::SiteId.eq(site_id))
        .one(db)
        .await
}

/// Records a poll and the validators to send next time.
pub async fn save_feed_state<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    etag: Option<String>,
    last_modified: Option<String>,
    now: i64,
) -> Result<(), DbErr> {
    use super::entities::feed_state;
    use sea_orm::sea_query::OnConflict;
    feed_state::Entity::insert(feed_state::ActiveModel {
        site_id: Set(site_id),
        etag: Set(etag),
        last_modified: Set(last_modified),
        polled_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(feed_state::Column::SiteId)
            .update_columns([
                feed_state::Column::Etag,
                feed_state::Column::LastModified,
                feed_state::Column::PolledAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}
