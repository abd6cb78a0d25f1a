//! Reports: `Flag`s received from other servers (and, later, from readers).

use super::entities::report;
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
) -> Result<(), DbErr> {
    report::Entity::insert(report::ActiveModel {
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
    Ok(())
}

/// The newest reports first.
pub async fn list<C: ConnectionTrait>(db: &C, limit: u64) -> Result<Vec<report::Model>, DbErr> {
    report::Entity::find()
        .order_by_desc(report::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
