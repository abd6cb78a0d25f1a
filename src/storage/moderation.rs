//! Moderation rows: rules, domain and actor policies, comment verdicts and the counts
//! the rules need (repeats, rates, an author's record).

use super::entities::{actor_policy, comment, domain_policy, remote_actor, rule};
use crate::domain::{Action, ActorPolicyAction, CommentStatus, Mode, RuleKind, Severity};
use sea_orm::{
    sea_query::OnConflict, ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition,
    ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

// ---- rules

pub async fn rules_for_site<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
) -> Result<Vec<rule::Model>, DbErr> {
    rule::Entity::find()
        .filter(
            Condition::any()
                .add(rule::Column::SiteId.eq(site_id))
                .add(rule::Column::SiteId.is_null()),
        )
        .order_by_asc(rule::Column::Id)
        .all(db)
        .await
}

pub async fn all_rules<C: ConnectionTrait>(db: &C) -> Result<Vec<rule::Model>, DbErr> {
    rule::Entity::find()
        .order_by_asc(rule::Column::Id)
        .all(db)
        .await
}

pub async fn insert_rule<C: ConnectionTrait>(
    db: &C,
    site_id: Option<i64>,
    kind: RuleKind,
    pattern: &str,
    action: Action,
    note: Option<String>,
    now: i64,
) -> Result<rule::Model, DbErr> {
    rule::ActiveModel {
        site_id: Set(site_id),
        kind: Set(kind),
        pattern: Set(pattern.to_string()),
        action: Set(action),
        note: Set(note),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn delete_rule<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<rule::Model>, DbErr> {
    let Some(found) = rule::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    rule::Entity::delete_by_id(id).exec(db).await?;
    Ok(Some(found))
}

// ---- domain policies

/// What the inbox and the rules need of a domain policy: `(domain, severity,
/// reject_media, reject_reports, digest)`.
pub type PolicyFacts = (String, Severity, bool, bool, Option<String>);

/// Hands every domain policy's facts to `each`, row by row: a million of them are read
/// at start, and holding them all at once as rows would take ~450 MB.
pub async fn each_domain_policy(
    db: &sea_orm::DatabaseConnection,
    mut each: impl FnMut(PolicyFacts),
) -> Result<(), DbErr> {
    use futures::TryStreamExt;
    let mut rows = domain_policy::Entity::find()
        .select_only()
        .column(domain_policy::Column::Domain)
        .column(domain_policy::Column::Severity)
        .column(domain_policy::Column::RejectMedia)
        .column(domain_policy::Column::RejectReports)
        .column(domain_policy::Column::Digest)
        .into_tuple::<PolicyFacts>()
        .stream(db)
        .await?;
    while let Some(row) = rows.try_next().await? {
        each(row);
    }
    Ok(())
}

pub async fn domain_policies<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<domain_policy::Model>, DbErr> {
    domain_policy::Entity::find()
        .order_by_asc(domain_policy::Column::Domain)
        .all(db)
        .await
}

/// What an admin sets for a domain.
pub struct NewDomainPolicy<'a> {
    pub domain: &'a str,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: Option<String>,
    pub private_comment: Option<String>,
    pub obfuscate: bool,
    pub source: &'a str,
    pub now: i64,
    /// SHA-256 (hex) of the full domain.
    pub digest: Option<String>,
}

pub async fn upsert_domain_policy<C: ConnectionTrait>(
    db: &C,
    p: NewDomainPolicy<'_>,
) -> Result<domain_policy::Model, DbErr> {
    let row = domain_policy::Model {
        id: 0,
        domain: p.domain.to_string(),
        severity: p.severity,
        reject_media: p.reject_media,
        reject_reports: p.reject_reports,
        public_comment: p.public_comment,
        private_comment: p.private_comment,
        obfuscate: p.obfuscate,
        source: p.source.to_string(),
        created_at: p.now,
        updated_at: p.now,
        digest: p.digest,
    };
    upsert_domain_policies(db, vec![row]).await?;
    domain_policy::Entity::find()
        .filter(domain_policy::Column::Domain.eq(p.domain))
        .one(db)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(p.domain.to_string()))
}

pub async fn delete_domain_policy<C: ConnectionTrait>(db: &C, domain: &str) -> Result<u64, DbErr> {
    Ok(domain_policy::Entity::delete_many()
        .filter(domain_policy::Column::Domain.eq(domain))
        .exec(db)
        .await?
        .rows_affected)
}

// ---- actor policies

pub async fn actor_policy<C: ConnectionTrait>(
    db: &C,
    actor_ap_id: &str,
) -> Result<Option<actor_policy::Model>, DbErr> {
    actor_policy::Entity::find()
        .filter(actor_policy::Column::ActorApId.eq(actor_ap_id))
        .one(db)
        .await
}

pub async fn actor_policies<C: ConnectionTrait>(db: &C) -> Result<Vec<actor_policy::Model>, DbErr> {
    actor_policy::Entity::find()
        .order_by_asc(actor_policy::Column::Id)
        .all(db)
        .await
}

pub async fn upsert_actor_policy<C: ConnectionTrait>(
    db: &C,
    actor_ap_id: &str,
    action: ActorPolicyAction,
    reason: Option<String>,
    now: i64,
) -> Result<actor_policy::Model, DbErr> {
    let replace = OnConflict::column(actor_policy::Column::ActorApId)
        .update_columns([actor_policy::Column::Action, actor_policy::Column::Reason])
        .to_owned();
    put_actor_policy(db, actor_ap_id, action, reason, now, replace).await
}

/// Sets a trust level (`allow` or `watch`) on an actor, never over a block (a block is
/// lifted on purpose, not by trusting). The policy as it stands afterwards.
pub async fn set_actor_level<C: ConnectionTrait>(
    db: &C,
    actor_ap_id: &str,
    action: ActorPolicyAction,
    reason: Option<String>,
    now: i64,
) -> Result<actor_policy::Model, DbErr> {
    let unless_blocked = OnConflict::column(actor_policy::Column::ActorApId)
        .update_columns([
            actor_policy::Column::Action,
            actor_policy::Column::Reason,
            actor_policy::Column::CreatedAt,
        ])
        .action_and_where(actor_policy::Column::Action.ne(ActorPolicyAction::Block))
        .to_owned();
    put_actor_policy(db, actor_ap_id, action, reason, now, unless_blocked).await
}

/// Inserts an actor's policy, or does `on_conflict` to the one there; the policy as it
/// stands afterwards.
async fn put_actor_policy<C: ConnectionTrait>(
    db: &C,
    actor_ap_id: &str,
    action: ActorPolicyAction,
    reason: Option<String>,
    now: i64,
    on_conflict: OnConflict,
) -> Result<actor_policy::Model, DbErr> {
    actor_policy::Entity::insert(actor_policy::ActiveModel {
        actor_ap_id: Set(actor_ap_id.to_string()),
        action: Set(action),
        reason: Set(reason),
        created_at: Set(now),
        ..Default::default()
    })
    .on_conflict(on_conflict)
    .exec_without_returning(db)
    .await?;
    actor_policy(db, actor_ap_id)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(actor_ap_id.to_string()))
}

/// Removes an actor's trust level (`allow` or `watch`), leaving a block in place.
pub async fn clear_actor_level<C: ConnectionTrait>(
    db: &C,
    actor_ap_id: &str,
) -> Result<u64, DbErr> {
    Ok(actor_policy::Entity::delete_many()
        .filter(actor_policy::Column::ActorApId.eq(actor_ap_id))
        .filter(
            actor_policy::Column::Action
                .is_in([ActorPolicyAction::Allow, ActorPolicyAction::Watch]),
        )
        .exec(db)
        .await?
        .rows_affected)
}

/// The policies on these actors (one page of the queue's authors).
pub async fn actor_policies_of<C: ConnectionTrait>(
    db: &C,
    actor_ap_ids: Vec<String>,
) -> Result<Vec<actor_policy::Model>, DbErr> {
    if actor_ap_ids.is_empty() {
        return Ok(Vec::new());
    }
    actor_policy::Entity::find()
        .filter(actor_policy::Column::ActorApId.is_in(actor_ap_ids))
        .all(db)
        .await
}

pub async fn delete_actor_policy<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<actor_policy::Model>, DbErr> {
    let Some(found) = actor_policy::Entity::find_by_id(id).one(db).await? else {
        return Ok(None);
    };
    actor_policy::Entity::delete_by_id(id).exec(db).await?;
    Ok(Some(found))
}

// ---- suppression (retroactive blocks)

/// Ids of the actors of a domain and its subdomains.
pub async fn actor_ids_of_domain<C: ConnectionTrait>(
    db: &C,
    domain: &str,
) -> Result<Vec<i64>, DbErr> {
    let rows = remote_actor::Entity::find()
        .filter(
            Condition::any()
                .add(remote_actor::Column::Domain.eq(domain))
                .add(remote_actor::Column::Domain.like(format!("%.{domain}")))
                .add(remote_actor::Column::Domain.like(format!("{domain}:%")))
                .add(remote_actor::Column::Domain.like(format!("%.{domain}:%"))),
        )
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|a| a.id).collect())
}

/// Hides every comment of these authors behind `tag` (those already hidden by another
/// block keep that one). Returns how many.
pub async fn suppress<C: ConnectionTrait>(
    db: &C,
    author_ids: Vec<i64>,
    tag: &str,
) -> Result<u64, DbErr> {
    if author_ids.is_empty() {
        return Ok(0);
    }
    Ok(comment::Entity::update_many()
        .col_expr(comment::Column::SuppressedBy, Some(tag.to_string()).into())
        .filter(comment::Column::AuthorId.is_in(author_ids))
        .filter(comment::Column::SuppressedBy.is_null())
        .exec(db)
        .await?
        .rows_affected)
}

/// Lifts the block `tag`: its comments come back as they were.
pub async fn unsuppress<C: ConnectionTrait>(db: &C, tag: &str) -> Result<u64, DbErr> {
    Ok(comment::Entity::update_many()
        .col_expr(comment::Column::SuppressedBy, Option::<String>::None.into())
        .filter(comment::Column::SuppressedBy.eq(tag))
        .exec(db)
        .await?
        .rows_affected)
}

// ---- counts for the rules

/// An author's published comments, counted up to `cap` (all a threshold needs).
pub async fn approved_count<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
    cap: u32,
) -> Result<u32, DbErr> {
    let rows = comment::Entity::find()
        .select_only()
        .column(comment::Column::Id)
        .filter(comment::Column::AuthorId.eq(author_id))
        .filter(comment::Column::Status.eq(CommentStatus::Published))
        .limit(u64::from(cap))
        .into_tuple::<i64>()
        .all(db)
        .await?;
    Ok(rows.len() as u32)
}

/// Of an author's latest `sample` comments since `since`: how many, and how many were
/// rejected or hidden. Walks the author's index from the newest, whatever their total.
pub async fn recent_record<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
    since: i64,
    sample: u32,
) -> Result<(u32, u32), DbErr> {
    let statuses = comment::Entity::find()
        .select_only()
        .column(comment::Column::Status)
        .filter(comment::Column::AuthorId.eq(author_id))
        .filter(comment::Column::CreatedAt.gte(since))
        .order_by_desc(comment::Column::Id)
        .limit(u64::from(sample))
        .into_tuple::<CommentStatus>()
        .all(db)
        .await?;
    let removed = statuses.iter().filter(|s| s.is_removed()).count();
    Ok((statuses.len() as u32, removed as u32))
}

// ---- moderators' decisions

/// A moderator's decision on a comment.
#[derive(Clone, Copy)]
pub struct Decision<'a> {
    pub status: CommentStatus,
    pub reason: Option<&'a str>,
    pub note: Option<&'a str>,
    pub by: &'a str,
    pub now: i64,
}

impl<'a> Decision<'a> {
    /// Published, with no removal reason.
    pub fn publish(by: &'a str, now: i64) -> Self {
        Decision {
            status: CommentStatus::Published,
            reason: None,
            note: None,
            by,
            now,
        }
    }
}

pub async fn decide<C: ConnectionTrait>(db: &C, id: i64, d: Decision<'_>) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::Status, d.status.into())
        .col_expr(
            comment::Column::ModerationReason,
            d.reason.map(str::to_string).into(),
        )
        .col_expr(
            comment::Column::ModerationNote,
            d.note.map(str::to_string).into(),
        )
        .col_expr(comment::Column::ModeratedBy, Some(d.by.to_string()).into())
        .col_expr(comment::Column::ModeratedAt, Some(d.now).into())
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Sets a comment's verdict (automatic decisions and re-checks).
pub async fn set_verdict<C: ConnectionTrait>(
    db: &C,
    id: i64,
    status: CommentStatus,
    verdict: &str,
) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::Status, status.into())
        .col_expr(comment::Column::Verdict, Some(verdict.to_string()).into())
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The moderation queue: comments in `statuses`, optionally of one article or site's
/// articles, newest first.
pub async fn queue<C: ConnectionTrait>(
    db: &C,
    statuses: &[CommentStatus],
    article_ids: Option<Vec<i64>>,
    comment_ids: Option<Vec<i64>>,
    limit: u64,
) -> Result<Vec<comment::Model>, DbErr> {
    let mut query = comment::Entity::find().filter(comment::Column::DeletedAt.is_null());
    if !statuses.is_empty() {
        query = query.filter(comment::Column::Status.is_in(statuses.iter().copied()));
    }
    if let Some(ids) = article_ids {
        query = query.filter(comment::Column::ArticleId.is_in(ids));
    }
    if let Some(ids) = comment_ids {
        query = query.filter(comment::Column::Id.is_in(ids));
    }
    query
        .order_by_desc(comment::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub async fn find_comment<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<comment::Model>, DbErr> {
    comment::Entity::find_by_id(id).one(db).await
}

/// Comments of a site's articles, for a re-check.
pub async fn comments_of_articles<C: ConnectionTrait>(
    db: &C,
    article_ids: Vec<i64>,
) -> Result<Vec<comment::Model>, DbErr> {
    comment::Entity::find()
        .filter(comment::Column::ArticleId.is_in(article_ids))
        .filter(comment::Column::DeletedAt.is_null())
        .order_by_asc(comment::Column::Id)
        .all(db)
        .await
}

pub async fn set_site_mode<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
    mode: Mode,
    hold_new_authors: Option<i32>,
) -> Result<(), DbErr> {
    use super::entities::site;
    let mut update =
        site::Entity::update_many().col_expr(site::Column::ModerationMode, mode.into());
    if let Some(n) = hold_new_authors {
        update = update.col_expr(site::Column::HoldNewAuthors, n.into());
    }
    update.filter(site::Column::Id.eq(site_id)).exec(db).await?;
    Ok(())
}

pub async fn set_article_mode<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
    mode: Option<Mode>,
) -> Result<(), DbErr> {
    use super::entities::article;
    article::Entity::update_many()
        .col_expr(article::Column::ModerationMode, mode.into())
        .filter(article::Column::Id.eq(article_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Article ids of a site.
pub async fn article_ids_of_site<C: ConnectionTrait>(
    db: &C,
    site_id: i64,
) -> Result<Vec<i64>, DbErr> {
    use super::entities::article;
    article::Entity::find()
        .select_only()
        .column(article::Column::Id)
        .filter(article::Column::SiteId.eq(site_id))
        .into_tuple::<i64>()
        .all(db)
        .await
}

/// An author's latest comments (for the console's context view).
pub async fn recent_by_author<C: ConnectionTrait>(
    db: &C,
    author_id: i64,
    limit: u64,
) -> Result<Vec<comment::Model>, DbErr> {
    comment::Entity::find()
        .filter(comment::Column::AuthorId.eq(author_id))
        .order_by_desc(comment::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Upserts many policies at once (blocklist imports), in batches.
pub async fn upsert_domain_policies<C: ConnectionTrait>(
    db: &C,
    rows: Vec<domain_policy::Model>,
) -> Result<(), DbErr> {
    for batch in rows.chunks(1_000) {
        domain_policy::Entity::insert_many(batch.iter().map(|p| domain_policy::ActiveModel {
            domain: Set(p.domain.clone()),
            digest: Set(p.digest.clone()),
            severity: Set(p.severity),
            reject_media: Set(p.reject_media),
            reject_reports: Set(p.reject_reports),
            public_comment: Set(p.public_comment.clone()),
            private_comment: Set(p.private_comment.clone()),
            obfuscate: Set(p.obfuscate),
            source: Set(p.source.clone()),
            created_at: Set(p.created_at),
            updated_at: Set(p.updated_at),
            ..Default::default()
        }))
        .on_conflict(
            OnConflict::column(domain_policy::Column::Domain)
                .update_columns([
                    domain_policy::Column::Digest,
                    domain_policy::Column::Severity,
                    domain_policy::Column::RejectMedia,
                    domain_policy::Column::RejectReports,
                    domain_policy::Column::PublicComment,
                    domain_policy::Column::PrivateComment,
                    domain_policy::Column::Obfuscate,
                    domain_policy::Column::Source,
                    domain_policy::Column::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    }
    Ok(())
}

/// Every remote actor's id and domain (to match a large list in memory).
pub async fn actor_domains<C: ConnectionTrait>(db: &C) -> Result<Vec<(i64, String)>, DbErr> {
    remote_actor::Entity::find()
        .select_only()
        .column(remote_actor::Column::Id)
        .column(remote_actor::Column::Domain)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await
}

/// Changes where a policy says it comes from.
pub async fn set_domain_policy_source<C: ConnectionTrait>(
    db: &C,
    domain: &str,
    source: &str,
) -> Result<(), DbErr> {
    domain_policy::Entity::update_many()
        .col_expr(domain_policy::Column::Source, source.into())
        .filter(domain_policy::Column::Domain.eq(domain))
        .exec(db)
        .await?;
    Ok(())
}

/// A comment as the rate and repetition rules see it.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct RecentRow {
    pub id: i64,
    pub author_id: Option<i64>,
    pub domain: Option<String>,
    pub text_hash: Option<i64>,
    pub simhash: Option<i64>,
    pub created_at: i64,
}

/// Up to `limit` comments with an id above `after_id`, newest first, with their
/// authors' domains (walks the primary key, whatever the table's size).
pub async fn recent_rows<C: ConnectionTrait>(
    db: &C,
    after_id: i64,
    limit: u64,
) -> Result<Vec<RecentRow>, DbErr> {
    use sea_orm::FromQueryResult;
    RecentRow::find_by_statement(sea_orm::Statement::from_string(
        db.get_database_backend(),
        format!(
            "SELECT c.id, c.author_id, a.domain, c.text_hash, c.simhash, c.created_at \
             FROM comments c LEFT JOIN remote_actors a ON a.id = c.author_id \
             WHERE c.id > {after_id} ORDER BY c.id DESC LIMIT {limit}"
        ),
    ))
    .all(db)
    .await
}
