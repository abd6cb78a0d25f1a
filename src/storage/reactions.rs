//! Likes, emoji reactions and boosts (`Like`, `EmojiReact`, `Announce`) of articles and
//! comments.

use super::entities::reaction;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DbErr,
    EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, SqlErr,
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
    /// An emoji reaction's emoji and its image; `None` for a plain like or a boost.
    pub emoji: Option<(&'a str, Option<&'a str>)>,
    pub now: i64,
}

/// The rows of one actor's reactions of `kind` to `object` with this emoji (`None`:
/// the plain one).
fn same(kind: &str, actor_id: i64, object: &str, emoji: Option<&str>) -> Condition {
    let c = Condition::all()
        .add(reaction::Column::Kind.eq(kind))
        .add(reaction::Column::ActorId.eq(actor_id))
        .add(reaction::Column::ObjectApId.eq(object));
    match emoji {
        Some(e) => c.add(reaction::Column::Emoji.eq(e)),
        None => c.add(reaction::Column::Emoji.is_null()),
    }
}

/// Records a reaction; one per actor, kind, object and emoji however often it is sent
/// (the unique index holds it; a race between two copies keeps the first). The new
/// row's id, `None` when it was already there.
pub async fn add<C: ConnectionTrait>(db: &C, r: NewReaction<'_>) -> Result<Option<i64>, DbErr> {
    let emoji = r.emoji.map(|(e, _)| e);
    let existing = reaction::Entity::find()
        .filter(same(r.kind, r.actor_id, r.object_ap_id, emoji))
        .one(db)
        .await?;
    if let Some(existing) = existing {
        let mut row: reaction::ActiveModel = existing.into();
        row.activity_id = Set(r.activity_id.to_string());
        row.update(db).await?;
        return Ok(None);
    }
    let inserted = reaction::ActiveModel {
        kind: Set(r.kind.to_string()),
        actor_id: Set(r.actor_id),
        object_ap_id: Set(r.object_ap_id.to_string()),
        article_id: Set(r.article_id),
        comment_id: Set(r.comment_id),
        activity_id: Set(r.activity_id.to_string()),
        created_at: Set(r.now),
        emoji: Set(emoji.map(str::to_string)),
        emoji_icon: Set(r.emoji.and_then(|(_, icon)| icon).map(str::to_string)),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(row) => Ok(Some(row.id)),
        Err(e) if matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => Ok(None),
        Err(e) => Err(e),
    }
}

/// How many different emoji one actor has put on one object.
pub async fn emoji_count<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    object: &str,
) -> Result<u64, DbErr> {
    reaction::Entity::find()
        .filter(reaction::Column::Kind.eq("like"))
        .filter(reaction::Column::ActorId.eq(actor_id))
        .filter(reaction::Column::ObjectApId.eq(object))
        .filter(reaction::Column::Emoji.is_not_null())
        .count(db)
        .await
}

/// How many of one actor's emoji on `object` came at or before row `id`: past the cap,
/// the row is one too many (reactions processed at once each passed the check before
/// any was stored).
pub async fn emoji_rank<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    object: &str,
    id: i64,
) -> Result<u64, DbErr> {
    reaction::Entity::find()
        .filter(reaction::Column::Kind.eq("like"))
        .filter(reaction::Column::ActorId.eq(actor_id))
        .filter(reaction::Column::ObjectApId.eq(object))
        .filter(reaction::Column::Emoji.is_not_null())
        .filter(reaction::Column::Id.lte(id))
        .count(db)
        .await
}

/// Removes one reaction row.
pub async fn delete<C: ConnectionTrait>(db: &C, id: i64) -> Result<(), DbErr> {
    reaction::Entity::delete_by_id(id).exec(db).await?;
    Ok(())
}

/// What an `Undo` says of the reaction it takes back, when it embeds it.
pub struct Undone<'a> {
    pub kind: &'a str,
    pub object: &'a str,
    /// The emoji undone; `None` for a plain like or a boost.
    pub emoji: Option<&'a str>,
}

/// Removes the reaction an `Undo` names: by the undone activity's id, or by what it
/// was about (servers that wrap a fresh copy of the `Like` give it a new id).
pub async fn remove<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    activity_id: Option<&str>,
    undone: Option<Undone<'_>>,
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
    if let (0, Some(u)) = (removed, undone) {
        removed += reaction::Entity::delete_many()
            .filter(same(u.kind, actor_id, u.object, u.emoji))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(removed)
}

/// One emoji's count on one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmojiCount {
    pub emoji: String,
    /// A custom emoji's image.
    pub icon: Option<String>,
    pub count: u64,
}

/// What readers see of the reactions to an article and its comments, per target
/// (`None`: the article itself).
#[derive(Debug, Default)]
pub struct ArticleReactions {
    /// `(likes, boosts)`; `likes` counts the actors who liked or reacted, once each.
    pub counts: HashMap<Option<i64>, (u64, u64)>,
    /// Per emoji (and image), most used first, then first used first.
    pub emoji: HashMap<Option<i64>, Vec<EmojiCount>>,
}

/// Counts per target in an article.
pub async fn counts_for_article<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
) -> Result<ArticleReactions, DbErr> {
    let rows = reaction::Entity::find()
        .filter(reaction::Column::ArticleId.eq(article_id))
        .order_by_asc(reaction::Column::Id)
        .all(db)
        .await?;
    let mut out = ArticleReactions::default();
    let mut likers: std::collections::HashSet<(Option<i64>, i64)> = Default::default();
    for row in rows {
        let entry = out.counts.entry(row.comment_id).or_default();
        match row.kind.as_str() {
            "like" => {
                if likers.insert((row.comment_id, row.actor_id)) {
                    entry.0 += 1;
                }
            }
            _ => entry.1 += 1,
        }
        if let (Some(emoji), "like") = (row.emoji, row.kind.as_str()) {
            let list = out.emoji.entry(row.comment_id).or_default();
            match list
                .iter_mut()
                .find(|e| e.emoji == emoji && e.icon == row.emoji_icon)
            {
                Some(e) => e.count += 1,
                None => list.push(EmojiCount {
                    emoji,
                    icon: row.emoji_icon,
                    count: 1,
                }),
            }
        }
    }
    for list in out.emoji.values_mut() {
        // Stable: equal counts keep the order they were first used in.
        list.sort_by_key(|e| std::cmp::Reverse(e.count));
    }
    Ok(out)
}

/// Whether one actor already reacted to `object` with `emoji`.
pub async fn has_emoji<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    object: &str,
    emoji: &str,
) -> Result<bool, DbErr> {
    Ok(reaction::Entity::find()
        .filter(same("like", actor_id, object, Some(emoji)))
        .count(db)
        .await?
        > 0)
}
