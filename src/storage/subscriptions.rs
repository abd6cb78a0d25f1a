//! Blocklist subscriptions and what each source lists.

use super::entities::{blocklist_source_entry as entry, blocklist_subscription as sub};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

pub async fn insert<C: ConnectionTrait>(
    db: &C,
    row: sub::ActiveModel,
) -> Result<sub::Model, DbErr> {
    row.insert(db).await
}

pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<sub::Model>, DbErr> {
    sub::Entity::find()
        .order_by_asc(sub::Column::Id)
        .all(db)
        .await
}

pub async fn find<C: ConnectionTrait>(db: &C, id: i64) -> Result<Option<sub::Model>, DbErr> {
    sub::Entity::find_by_id(id).one(db).await
}

pub async fn delete<C: ConnectionTrait>(db: &C, id: i64) -> Result<u64, DbErr> {
    entry::Entity::delete_many()
        .filter(entry::Column::SubscriptionId.eq(id))
        .exec(db)
        .await?;
    Ok(sub::Entity::delete_by_id(id).exec(db).await?.rows_affected)
}

/// Records a fetch: its validators, or its error.
pub async fn fetched<C: ConnectionTrait>(
    db: &C,
    id: i64,
    etag: Option<String>,
    last_modified: Option<String>,
    error: Option<String>,
    now: i64,
) -> Result<(), DbErr> {
    let mut update = sub::Entity::update_many()
        .col_expr(sub::Column::FetchedAt, Some(now).into())
        .col_expr(sub::Column::LastError, error.clone().into());
    if error.is_none() {
        update = update
            .col_expr(sub::Column::Etag, etag.into())
            .col_expr(sub::Column::LastModified, last_modified.into());
    }
    update.filter(sub::Column::Id.eq(id)).exec(db).await?;
    Ok(())
}

/// Replaces what a source lists.
pub async fn replace_entries<C: ConnectionTrait>(
    db: &C,
    id: i64,
    rows: Vec<entry::ActiveModel>,
) -> Result<(), DbErr> {
    entry::Entity::delete_many()
        .filter(entry::Column::SubscriptionId.eq(id))
        .exec(db)
        .await?;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<_> = rows.by_ref().take(1_000).collect();
        entry::Entity::insert_many(batch)
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Every entry of every source.
pub async fn all_entries<C: ConnectionTrait>(db: &C) -> Result<Vec<entry::Model>, DbErr> {
    entry::Entity::find().all(db).await
}

/// What a listed entry says, as stored for its source.
pub struct EntryRow<'a> {
    pub subscription_id: i64,
    pub domain: &'a str,
    pub digest: Option<String>,
    pub severity: crate::domain::Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: Option<String>,
    pub private_comment: Option<String>,
    pub obfuscate: bool,
}

/// An entry row for `replace_entries`.
pub fn entry_row(e: EntryRow<'_>) -> entry::ActiveModel {
    entry::ActiveModel {
        subscription_id: Set(e.subscription_id),
        domain: Set(e.domain.to_string()),
        digest: Set(e.digest),
        severity: Set(e.severity),
        reject_media: Set(e.reject_media),
        reject_reports: Set(e.reject_reports),
        public_comment: Set(e.public_comment),
        private_comment: Set(e.private_comment),
        obfuscate: Set(e.obfuscate),
        ..Default::default()
    }
}

/// Switches a source between drafts and auto-apply; `false` if it does not exist.
pub async fn set_auto_apply<C: ConnectionTrait>(
    db: &C,
    id: i64,
    auto: bool,
) -> Result<bool, DbErr> {
    Ok(sub::Entity::update_many()
        .col_expr(sub::Column::AutoApply, auto.into())
        .filter(sub::Column::Id.eq(id))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}

/// Adds or replaces entries of a source (pushed or read from a change feed).
pub async fn upsert_entries<C: ConnectionTrait>(
    db: &C,
    rows: Vec<entry::ActiveModel>,
) -> Result<(), DbErr> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<_> = rows.by_ref().take(500).collect();
        entry::Entity::insert_many(batch)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([
                    entry::Column::SubscriptionId,
                    entry::Column::Domain,
                ])
                .update_columns([
                    entry::Column::Digest,
                    entry::Column::Severity,
                    entry::Column::RejectMedia,
                    entry::Column::RejectReports,
                    entry::Column::PublicComment,
                    entry::Column::PrivateComment,
                    entry::Column::Obfuscate,
                ])
                .to_owned(),
            )
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Drops entries a source retracted.
pub async fn delete_entries<C: ConnectionTrait>(
    db: &C,
    id: i64,
    domains: Vec<String>,
) -> Result<(), DbErr> {
    for chunk in domains.chunks(500) {
        entry::Entity::delete_many()
            .filter(entry::Column::SubscriptionId.eq(id))
            .filter(entry::Column::Domain.is_in(chunk.iter().cloned()))
            .exec(db)
            .await?;
    }
    Ok(())
}

/// Where a change feed was read up to.
pub async fn set_cursor<C: ConnectionTrait>(
    db: &C,
    id: i64,
    cursor: Option<String>,
) -> Result<(), DbErr> {
    sub::Entity::update_many()
        .col_expr(sub::Column::Cursor, cursor.into())
        .filter(sub::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Our follow of a source's blocklist actor, and its answer.
pub async fn set_follow<C: ConnectionTrait>(
    db: &C,
    id: i64,
    follow_activity_id: &str,
    state: crate::domain::FollowState,
) -> Result<(), DbErr> {
    sub::Entity::update_many()
        .col_expr(sub::Column::FollowActivityId, follow_activity_id.into())
        .col_expr(sub::Column::FollowState, Some(state).into())
        .filter(sub::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The `activitypub` source whose actor is `actor`.
pub async fn find_push_source<C: ConnectionTrait>(
    db: &C,
    actor: &str,
) -> Result<Option<sub::Model>, DbErr> {
    sub::Entity::find()
        .filter(sub::Column::Kind.eq(crate::domain::SourceKind::ActivityPub))
        .filter(sub::Column::Url.eq(actor))
        .one(db)
        .await
}

/// Sets the domains a source may not touch (a JSON list).
pub async fn set_excludes<C: ConnectionTrait>(
    db: &C,
    id: i64,
    excludes: &str,
) -> Result<bool, DbErr> {
    Ok(sub::Entity::update_many()
        .col_expr(sub::Column::Excludes, excludes.into())
        .filter(sub::Column::Id.eq(id))
        .exec(db)
        .await?
        .rows_affected
        > 0)
}
