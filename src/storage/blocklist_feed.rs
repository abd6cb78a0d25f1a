//! What we publish of our blocklist: the current entries (by policy), the append-only
//! change log behind FIRES `changes?since=`, and the servers following our blocklist
//! actor.

use super::entities::{
    blocklist_change as change, blocklist_follower as follower, blocklist_published as published,
    domain_policy,
};
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::HashMap;

const CHUNK: usize = 500;

/// The policies of these domains, by domain.
pub async fn policies_for<C: ConnectionTrait>(
    db: &C,
    domains: &[String],
) -> Result<HashMap<String, domain_policy::Model>, DbErr> {
    let mut found = HashMap::new();
    for chunk in domains.chunks(CHUNK) {
        for p in domain_policy::Entity::find()
            .filter(domain_policy::Column::Domain.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            found.insert(p.domain.clone(), p);
        }
    }
    Ok(found)
}

/// What we publish now for these policy domains, by policy domain.
pub async fn published_for<C: ConnectionTrait>(
    db: &C,
    domains: &[String],
) -> Result<HashMap<String, published::Model>, DbErr> {
    let mut found = HashMap::new();
    for chunk in domains.chunks(CHUNK) {
        for p in published::Entity::find()
            .filter(published::Column::PolicyDomain.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            found.insert(p.policy_domain.clone(), p);
        }
    }
    Ok(found)
}

/// Serialises writers of the log, so that change ids become visible in order and a
/// reader's `since` never skips a change committed late (PostgreSQL; SQLite has one
/// writer at a time already). Readers are not blocked.
pub async fn lock_log<C: ConnectionTrait>(db: &C) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared("LOCK TABLE blocklist_changes IN EXCLUSIVE MODE")
            .await?;
    }
    Ok(())
}

/// Records changes: the log rows, the new published rows, the withdrawn ones.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    log: Vec<change::ActiveModel>,
    upserts: Vec<published::ActiveModel>,
    removals: Vec<String>,
) -> Result<(), DbErr> {
    let mut log = log.into_iter().peekable();
    while log.peek().is_some() {
        let batch: Vec<_> = log.by_ref().take(CHUNK).collect();
        change::Entity::insert_many(batch)
            .exec_without_returning(db)
            .await?;
    }
    let mut upserts = upserts.into_iter().peekable();
    while upserts.peek().is_some() {
        let batch: Vec<_> = upserts.by_ref().take(CHUNK).collect();
        published::Entity::insert_many(batch)
            .on_conflict(
                OnConflict::column(published::Column::PolicyDomain)
                    .update_columns([
                        published::Column::Domain,
                        published::Column::Digest,
                        published::Column::Severity,
                        published::Column::RejectMedia,
                        published::Column::RejectReports,
                        published::Column::PublicComment,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    for chunk in removals.chunks(CHUNK) {
        published::Entity::delete_many()
            .filter(published::Column::PolicyDomain.is_in(chunk.iter().cloned()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Changes after `since`, oldest first.
pub async fn changes_since<C: ConnectionTrait>(
    db: &C,
    since: i64,
    limit: u64,
) -> Result<Vec<change::Model>, DbErr> {
    change::Entity::find()
        .filter(change::Column::Id.gt(since))
        .order_by_asc(change::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The newest change id (0 when nothing was ever published).
pub async fn last_change_id<C: ConnectionTrait>(db: &C) -> Result<i64, DbErr> {
    Ok(change::Entity::find()
        .order_by_desc(change::Column::Id)
        .one(db)
        .await?
        .map(|c| c.id)
        .unwrap_or(0))
}

/// A page of the published entries, after the policy domain `after`.
pub async fn published_page<C: ConnectionTrait>(
    db: &C,
    after: Option<&str>,
    limit: u64,
) -> Result<Vec<published::Model>, DbErr> {
    let mut query = published::Entity::find().order_by_asc(published::Column::PolicyDomain);
    if let Some(after) = after {
        query = query.filter(published::Column::PolicyDomain.gt(after));
    }
    query.limit(limit).all(db).await
}

/// Records a `Follow` of our blocklist actor (pending until an admin decides; a
/// repeated follow keeps the decision).
pub async fn add_follower<C: ConnectionTrait>(
    db: &C,
    actor_ap_id: &str,
    inbox: &str,
    follow_activity_id: &str,
    now: i64,
) -> Result<follower::Model, DbErr> {
    follower::Entity::insert(follower::ActiveModel {
        actor_ap_id: Set(actor_ap_id.to_string()),
        inbox: Set(inbox.to_string()),
        follow_activity_id: Set(follow_activity_id.to_string()),
        state: Set("pending".into()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(follower::Column::ActorApId)
            .update_columns([
                follower::Column::Inbox,
                follower::Column::FollowActivityId,
                follower::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    follower::Entity::find()
        .filter(follower::Column::ActorApId.eq(actor_ap_id))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(actor_ap_id.to_string()))
}

pub async fn followers<C: ConnectionTrait>(db: &C) -> Result<Vec<follower::Model>, DbErr> {
    follower::Entity::find()
        .order_by_asc(follower::Column::Id)
        .all(db)
        .await
}

pub async fn follower<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<follower::Model>, DbErr> {
    follower::Entity::find_by_id(id).one(db).await
}

pub async fn follower_by_actor<C: ConnectionTrait>(
    db: &C,
    actor_ap_id: &str,
) -> Result<Option<follower::Model>, DbErr> {
    follower::Entity::find()
        .filter(follower::Column::ActorApId.eq(actor_ap_id))
        .one(db)
        .await
}

pub async fn set_follower_state<C: ConnectionTrait>(
    db: &C,
    id: i64,
    state: &str,
    now: i64,
) -> Result<(), DbErr> {
    follower::Entity::update_many()
        .col_expr(follower::Column::State, state.into())
        .col_expr(follower::Column::UpdatedAt, now.into())
        .filter(follower::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// `Undo(Follow)`: the follower goes.
pub async fn remove_follower<C: ConnectionTrait>(db: &C, actor_ap_id: &str) -> Result<u64, DbErr> {
    Ok(follower::Entity::delete_many()
        .filter(follower::Column::ActorApId.eq(actor_ap_id))
        .exec(db)
        .await?
        .rows_affected)
}

/// The inboxes of the approved followers.
pub async fn approved_inboxes<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, DbErr> {
    Ok(follower::Entity::find()
        .filter(follower::Column::State.eq("approved"))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.inbox)
        .collect())
}
