//! Likes and boosts (`Like`, `Announce`) of articles and comments.

use super::entities::reaction;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};
use std::collections::HashMap;

/// What a reaction is about.
pub struct NewReaction<'a> {
    pub kind: &'a str,
    pub actor_id: i64,
    pub object_ap_id: &'a str,
    pub article_id: i64,
    pub comment_id: Option<i64>,
    pub activity_id: &'a str,
    pub now: i64,
}

/// Records a reaction; one per actor, kind and object however often it is sent.
pub async fn add<C: ConnectionTrait>(db: &C, r: NewReaction<'_>) -> Result<(), DbErr> {
    reaction::Entity::insert(reaction::ActiveModel {
        kind: Set(r.kind.to_string()),
        actor_id: Set(r.actor_id),
        object_ap_id: Set(r.object_ap_id.to_string()),
        article_id: Set(r.article_id),
        comment_id: Set(r.comment_id),
        activity_id: Set(r.activity_id.to_string()),
        created_at: Set(r.now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([
            reaction::Column::Kind,
            reaction::Column::ActorId,
            reaction::Column::ObjectApId,
        ])
        .update_column(reaction::Column::ActivityId)
        .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Removes the reaction an `Undo` names: by the undone activity's id, or by what it
/// was about (servers that wrap a fresh copy of the `Like` give it a new id).
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    activity_id: Option<&str>,
    kind_and_object: Option<(&str, &str)>,
) -> Result<u64, DbErr> {
    let mut removed = 0;
    if let Some(id) = activity_id {
        removed += reaction::Entity::delete_many()
            .filter(reaction::Column::ActorId.eq(actor_id))
            .filter(reaction::Column::ActivityId.eq(id))
            .exec(db)
            .await?
            .rows_affected;
    }
    if let (0, Some((kind, object))) = (removed, kind_and_object) {
        removed += reaction::Entity::delete_many()
            .filter(reaction::Column::ActorId.eq(actor_id))
            .filter(reaction::Column::Kind.eq(kind))
            .filter(reaction::Column::ObjectApId.eq(object))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(removed)
}

/// Counts per target in an article: `None` is the article itself. `(likes, boosts)`.
pub async fn counts_for_article<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
) -> Result<HashMap<Option<i64>, (u64, u64)>, DbErr> {
    let rows = reaction::Entity::find()
        .filter(reaction::Column::ArticleId.eq(article_id))
        .all(db)
        .await?;
    let mut counts: HashMap<Option<i64>, (u64, u64)> = HashMap::new();
    for row in rows {
        let entry = counts.entry(row.comment_id).or_default();
        match row.kind.as_str() {
            "like" => entry.0 += 1,
            _ => entry.1 += 1,
        }
    }
    Ok(counts)
}
