//! What we publish of our blocklist: the current entries (by policy), the append-only
//! change log behind FIRES `changes?since=`, and the servers following our blocklist
//! actor.

use super::entities::{
    blocklist_change as change, blocklist_follower as follower, blocklist_published as published,
    domain_policy,
};
use crate::domain::FollowerState;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbBackend, DbErr,
    EntityTrait, QueryFilter, QueryOrder, QuerySelect, Statement,
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

/// Records changes: the log rows (their `id` is ignored: the database numbers them),
/// the new published rows, the withdrawn ones.
pub async fn record<C: ConnectionTrait>(
    db: &C,
    log: Vec<change::Model>,
    upserts: Vec<published::Model>,
    removals: Vec<String>,
) -> Result<(), DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        record_postgres(db, &log, &upserts).await?;
    } else {
        for batch in log.chunks(CHUNK) {
            change::Entity::insert_many(batch.iter().map(|c| change::ActiveModel {
                domain: Set(c.domain.clone()),
                digest: Set(c.digest.clone()),
                action: Set(c.action),
                severity: Set(c.severity),
                reject_media: Set(c.reject_media),
                reject_reports: Set(c.reject_reports),
                public_comment: Set(c.public_comment.clone()),
                created_at: Set(c.created_at),
                ..Default::default()
            }))
            .exec_without_returning(db)
            .await?;
        }
        for batch in upserts.chunks(CHUNK) {
            published::Entity::insert_many(batch.iter().map(|p| published::ActiveModel {
                policy_domain: Set(p.policy_domain.clone()),
                domain: Set(p.domain.clone()),
                digest: Set(p.digest.clone()),
                severity: Set(p.severity),
                reject_media: Set(p.reject_media),
                reject_reports: Set(p.reject_reports),
                public_comment: Set(p.public_comment.clone()),
            }))
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
    }
    for chunk in removals.chunks(CHUNK) {
        published::Entity::delete_many()
            .filter(published::Column::PolicyDomain.is_in(chunk.iter().cloned()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// PostgreSQL: a multi-row `VALUES` insert costs ~0.1 ms a row to bind and plan; one
/// JSON parameter per 10,000 rows, unpacked by `json_to_recordset`, is ~20x cheaper
/// (a 100,000-domain import).
async fn record_postgres<C: ConnectionTrait>(
    db: &C,
    log: &[change::Model],
    upserts: &[published::Model],
) -> Result<(), DbErr> {
    const ROWS: usize = 10_000;
    for batch in log.chunks(ROWS) {
        let rows: Vec<serde_json::Value> = batch
            .iter()
            .map(|c| {
                serde_json::json!({"domain": c.domain, "digest": c.digest, "action": c.action,
                    "severity": c.severity, "reject_media": c.reject_media,
                    "reject_reports": c.reject_reports, "public_comment": c.public_comment,
                    "created_at": c.created_at})
            })
            .collect();
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO blocklist_changes (domain, digest, action, severity, reject_media, \
             reject_reports, public_comment, created_at) \
             SELECT domain, digest, action, severity, reject_media, reject_reports, \
             public_comment, created_at FROM json_to_recordset($1::json) AS x(domain text, \
             digest text, action text, severity text, reject_media boolean, \
             reject_reports boolean, public_comment text, created_at bigint)",
            [serde_json::Value::Array(rows).to_string().into()],
        ))
        .await?;
    }
    for batch in upserts.chunks(ROWS) {
        let rows: Vec<serde_json::Value> = batch
            .iter()
            .map(|p| {
                serde_json::json!({"policy_domain": p.policy_domain, "domain": p.domain,
                    "digest": p.digest, "severity": p.severity, "reject_media": p.reject_media,
                    "reject_reports": p.reject_reports, "public_comment": p.public_comment})
            })
            .collect();
        db.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "INSERT INTO blocklist_published (policy_domain, domain, digest, severity, \
             reject_media, reject_reports, public_comment) \
             SELECT policy_domain, domain, digest, severity, reject_media, reject_reports, \
             public_comment FROM json_to_recordset($1::json) AS x(policy_domain text, \
             domain text, digest text, severity text, reject_media boolean, \
             reject_reports boolean, public_comment text) \
             ON CONFLICT (policy_domain) DO UPDATE SET domain = EXCLUDED.domain, \
             digest = EXCLUDED.digest, severity = EXCLUDED.severity, \
             reject_media = EXCLUDED.reject_media, reject_reports = EXCLUDED.reject_reports, \
             public_comment = EXCLUDED.public_comment",
            [serde_json::Value::Array(rows).to_string().into()],
        ))
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
        state: Set(FollowerState::Pending),
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
    state: FollowerState,
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
        .filter(follower::Column::State.eq(FollowerState::Approved))
        .all(db)
        .await?
        .into_iter()
        .map(|f| f.inbox)
        .collect())
}
