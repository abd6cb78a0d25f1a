//! Quotes (FEP-044f) as stored: comment rows marked with what they quote, written in one
//! transaction with that mark (a quote must never show as a top-level reply), read
//! apart from the thread's replies.

use super::{comments::NewComment, entities::comment};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

/// Stores a quote of `quote_of` once (by its AP id); returns the stored row either way.
pub async fn insert_once(
    db: &DatabaseConnection,
    row: NewComment,
    quote_of: &str,
    quote_request: Option<&str>,
) -> Result<comment::Model, DbErr> {
    if let Some(existing) = super::comments::find_by_ap_id(db, &row.ap_id).await? {
        return Ok(existing);
    }
    // The transaction writes first: on SQLite, one that read first could not write once
    // another writer committed (SQLITE_BUSY_SNAPSHOT).
    let txn = db.begin().await?;
    let (stored, _) = insert_new(&txn, row, quote_of, quote_request).await?;
    txn.commit().await?;
    Ok(stored)
}

/// Stores a quote with its mark in the caller's transaction (which must not have read
/// yet, on SQLite); the row, and whether this call stored it.
pub async fn insert_new<C: ConnectionTrait>(
    txn: &C,
    row: NewComment,
    quote_of: &str,
    quote_request: Option<&str>,
) -> Result<(comment::Model, bool), DbErr> {
    let (stored, inserted) = super::comments::insert_new(txn, row).await?;
    if !inserted {
        return Ok((stored, false));
    }
    comment::Entity::update_many()
        .col_expr(comment::Column::QuoteOf, Some(quote_of.to_string()).into())
        .col_expr(
            comment::Column::QuoteRequest,
            quote_request.map(str::to_string).into(),
        )
        .filter(comment::Column::Id.eq(stored.id))
        .exec(txn)
        .await?;
    let stored = comment::Entity::find_by_id(stored.id)
        .one(txn)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(format!("quote {}", stored.id)))?;
    Ok((stored, true))
}

/// Remembers the `QuoteRequest` of a quote first received as a `Create`.
pub async fn set_request<C: ConnectionTrait>(
    db: &C,
    id: i64,
    quote_request: &str,
) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(
            comment::Column::QuoteRequest,
            Some(quote_request.to_string()).into(),
        )
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Marks a quote's stamp revoked (`Some(at)`) or valid again (`None`).
pub async fn set_revoked<C: ConnectionTrait>(
    db: &C,
    id: i64,
    at: Option<i64>,
) -> Result<(), DbErr> {
    comment::Entity::update_many()
        .col_expr(comment::Column::QuoteRevokedAt, at.into())
        .filter(comment::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The latest `limit` published quotes of an article's objects (the article and its
/// staff replies), newest first: filtered here, so held or refused quotes (a spammer's)
/// never crowd the published ones out of the limit.
pub async fn for_article<C: ConnectionTrait>(
    db: &C,
    article_id: i64,
    limit: u64,
) -> Result<Vec<comment::Model>, DbErr> {
    comment::Entity::find()
        .filter(comment::Column::ArticleId.eq(article_id))
        .filter(comment::Column::QuoteOf.is_not_null())
        .filter(comment::Column::Status.eq(crate::domain::CommentStatus::Published))
        .filter(comment::Column::DeletedAt.is_null())
        .filter(comment::Column::SuppressedBy.is_null())
        .order_by_desc(comment::Column::Published)
        .order_by_desc(comment::Column::Id)
        .limit(limit)
        .all(db)
        .await
}
