//! Domain policies as Mastodon's admin API pages and finds them (by id, newest first),
//! and the counts its measures ask for (follows and followers on a domain).

use super::entities::{domain_policy, follower, following, remote_actor};
use super::moderation::NewDomainPolicy;
use crate::domain::FollowState;
use sea_orm::{
    sea_query::{OnConflict, Query},
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

/// One policy by its id.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<domain_policy::Model>, DbErr> {
    domain_policy::Entity::find_by_id(id).one(db).await
}

/// The policies of these exact domains (a name and its parents, to find the rule
/// covering a name).
pub async fn of_domains<C: ConnectionTrait>(
    db: &C,
    domains: Vec<String>,
) -> Result<Vec<domain_policy::Model>, DbErr> {
    domain_policy::Entity::find()
        .filter(domain_policy::Column::Domain.is_in(domains))
        .all(db)
        .await
}

/// Where a page of policies starts and ends, by id (Mastodon's `max_id`, `since_id`,
/// `min_id`).
#[derive(Debug, Clone, Copy, Default)]
pub struct Window {
    pub limit: u64,
    /// Older than this id.
    pub max_id: Option<i64>,
    /// Newer than this id, the newest first.
    pub since_id: Option<i64>,
    /// Newer than this id, the ones right after it.
    pub min_id: Option<i64>,
}

/// A page of policies, the newest (highest id) first.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    window: Window,
) -> Result<Vec<domain_policy::Model>, DbErr> {
    let mut query = domain_policy::Entity::find();
    if let Some(max) = window.max_id {
        query = query.filter(domain_policy::Column::Id.lt(max));
    }
    if let Some(since) = window.since_id {
        query = query.filter(domain_policy::Column::Id.gt(since));
    }
    match window.min_id {
        // The ones right after `min_id`: ascending, then turned round.
        Some(min) => {
            let mut rows = query
                .filter(domain_policy::Column::Id.gt(min))
                .order_by_asc(domain_policy::Column::Id)
                .limit(window.limit)
                .all(db)
                .await?;
            rows.reverse();
            Ok(rows)
        }
        None => {
            query
                .order_by_desc(domain_policy::Column::Id)
                .limit(window.limit)
                .all(db)
                .await
        }
    }
}

/// Inserts a policy unless its domain has one already (then `None`): one statement,
/// so that two clients creating the same block at once cannot both succeed.
pub async fn insert_if_new<C: ConnectionTrait>(
    db: &C,
    p: NewDomainPolicy<'_>,
) -> Result<Option<domain_policy::Model>, DbErr> {
    let inserted = domain_policy::Entity::insert(domain_policy::ActiveModel {
        domain: Set(p.domain.to_string()),
        digest: Set(p.digest),
        severity: Set(p.severity),
        reject_media: Set(p.reject_media),
        reject_reports: Set(p.reject_reports),
        public_comment: Set(p.public_comment),
        private_comment: Set(p.private_comment),
        obfuscate: Set(p.obfuscate),
        source: Set(p.source.to_string()),
        created_at: Set(p.now),
        updated_at: Set(p.now),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(domain_policy::Column::Domain)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    if inserted == 0 {
        return Ok(None);
    }
    domain_policy::Entity::find()
        .filter(domain_policy::Column::Domain.eq(p.domain))
        .one(db)
        .await
}

/// Deletes a policy by id; whether it was there.
pub async fn delete<C: ConnectionTrait>(db: &C, id: i64) -> Result<bool, DbErr> {
    Ok(domain_policy::Entity::delete_by_id(id)
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// The actors' ids on `domain` (`host[:port]`) or its subdomains, as a subquery.
fn actors_on(domain: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(remote_actor::Column::Id)
        .from(remote_actor::Entity)
        .cond_where(
            Condition::any()
                .add(remote_actor::Column::Domain.eq(domain))
                .add(remote_actor::Column::Domain.like(format!("%.{domain}")))
                .add(remote_actor::Column::Domain.like(format!("{domain}:%")))
                .add(remote_actor::Column::Domain.like(format!("%.{domain}:%"))),
        )
        .to_owned()
}

/// When each follower of any of our sites on `domain` (or a subdomain) started
/// following (milliseconds).
pub async fn followers_since<C: ConnectionTrait>(db: &C, domain: &str) -> Result<Vec<i64>, DbErr> {
    follower::Entity::find()
        .select_only()
        .column(follower::Column::CreatedAt)
        .filter(follower::Column::ActorId.in_subquery(actors_on(domain)))
        .into_tuple::<i64>()
        .all(db)
        .await
}

/// The accepted follows of our sites: who (the actor's id, a URL) and since when.
pub async fn accepted_follows<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, i64)>, DbErr> {
    following::Entity::find()
        .select_only()
        .column(following::Column::TargetApId)
        .column(following::Column::CreatedAt)
        .filter(following::Column::State.eq(FollowState::Accepted))
        .into_tuple::<(String, i64)>()
        .all(db)
        .await
}

/// How many actors we know on `domain` (or a subdomain).
pub async fn actors_count<C: ConnectionTrait>(db: &C, domain: &str) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    remote_actor::Entity::find()
        .filter(remote_actor::Column::Id.in_subquery(actors_on(domain)))
        .count(db)
        .await
}
