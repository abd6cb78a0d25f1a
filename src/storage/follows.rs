//! Followers of our site actors, and the remote actors our sites follow.

use super::entities::{follower, following, remote_actor};
use crate::domain::FollowState;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder,
};

/// Records `actor_id` as a follower of `site_id` (idempotent).
pub async fn add_follower<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    actor_id: i64,
    follow_activity_id: &str,
    now: i64,
) -> Result<(), DbErr> {
    follower::Entity::insert(follower::ActiveModel {
        site_id: Set(site_id),
        actor_id: Set(actor_id),
        follow_activity_id: Set(follow_activity_id.to_string()),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([follower::Column::SiteId, follower::Column::ActorId])
            .update_column(follower::Column::FollowActivityId)
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Removes a follower (`Undo(Follow)`); returns how many rows went.
pub async fn remove_follower<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    actor_id: i64,
) -> Result<u64, DbErr> {
    Ok(follower::Entity::delete_many()
        .filter(follower::Column::SiteId.eq(site_id))
        .filter(follower::Column::ActorId.eq(actor_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// Removes the follow that `follow_activity_id` started, if `actor_id` made it.
pub async fn remove_follower_by_follow_id<C: ConnectionTrait>(
    db: &C,
    actor_id: i64,
    follow_activity_id: &str,
) -> Result<u64, DbErr> {
    Ok(follower::Entity::delete_many()
        .filter(follower::Column::ActorId.eq(actor_id))
        .filter(follower::Column::FollowActivityId.eq(follow_activity_id))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn count_followers<C: ConnectionTrait>(db: &C, site_id: i64) -> Result<u64, DbErr> {
    follower::Entity::find()
        .filter(follower::Column::SiteId.eq(site_id))
        .count(db)
        .await
}

/// The followers of a site, as actors, oldest first.
pub async fn followers<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
) -> Result<Vec<remote_actor::Model>, DbErr> {
    let rows = follower::Entity::find()
        .filter(follower::Column::SiteId.eq(site_id))
        .order_by_asc(follower::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.actor_id).collect();
    super::actors::find_many(db, ids).await
}

/// Our site's follow of a remote actor: `pending` until it answers.
pub async fn upsert_following<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    target_ap_id: &str,
    target_inbox: &str,
    follow_activity_id: &str,
    now: i64,
) -> Result<(), DbErr> {
    following::Entity::insert(following::ActiveModel {
        site_id: Set(site_id),
        target_ap_id: Set(target_ap_id.to_string()),
        target_inbox: Set(target_inbox.to_string()),
        follow_activity_id: Set(follow_activity_id.to_string()),
        state: Set(FollowState::Pending),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::columns([following::Column::SiteId, following::Column::TargetApId])
            .update_columns([
                following::Column::FollowActivityId,
                following::Column::TargetInbox,
                following::Column::State,
                following::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Sets the state of the follow sent as `follow_activity_id`, if `target` is who it
/// was sent to. Returns whether a row changed.
pub async fn set_following_state<C: ConnectionTrait>(
    db: &C,
    follow_activity_id: &str,
    target_ap_id: &str,
    state: FollowState,
    now: i64,
) -> Result<bool, DbErr> {
    let result = following::Entity::update_many()
        .col_expr(following::Column::State, state.into())
        .col_expr(following::Column::UpdatedAt, now.into())
        .filter(following::Column::FollowActivityId.eq(follow_activity_id))
        .filter(following::Column::TargetApId.eq(target_ap_id))
        .exec(db)
        .await?;
    Ok(result.rows_affected > 0)
}

pub async fn list_following<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
) -> Result<Vec<following::Model>, DbErr> {
    following::Entity::find()
        .filter(following::Column::SiteId.eq(site_id))
        .order_by_asc(following::Column::Id)
        .all(db)
        .await
}

/// Where to deliver to a site's followers: each one's shared inbox (or inbox), once.
pub async fn follower_inboxes<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
) -> Result<Vec<String>, DbErr> {
    let mut inboxes: Vec<String> = followers(db, site_id)
        .await?
        .into_iter()
        .filter(|a| a.deleted_at.is_none())
        .map(|a| a.shared_inbox.unwrap_or(a.inbox))
        .collect();
    inboxes.sort();
    inboxes.dedup();
    Ok(inboxes)
}
