//! Staff accounts, their API tokens (stored hashed) and the audit log.

use super::entities::{api_token, audit_entry, moderator};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait,
    DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub async fn insert_moderator<C: ConnectionTrait>(
    db: &C,
    username: &str,
    display_name: &str,
    password_hash: &str,
    role: crate::domain::Role,
    now: i64,
) -> Result<moderator::Model, DbErr> {
    moderator::ActiveModel {
        username: Set(username.to_string()),
        display_name: Set(display_name.to_string()),
        password_hash: Set(password_hash.to_string()),
        role: Set(role),
        disabled: Set(false),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await
}

pub async fn find_moderator_by_name<C: ConnectionTrait>(
    db: &C,
    username: &str,
) -> Result<Option<moderator::Model>, DbErr> {
    moderator::Entity::find()
        .filter(moderator::Column::Username.eq(username))
        .one(db)
        .await
}

pub async fn find_moderator<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<moderator::Model>, DbErr> {
    moderator::Entity::find_by_id(id).one(db).await
}

pub async fn moderators<C: ConnectionTrait>(db: &C) -> Result<Vec<moderator::Model>, DbErr> {
    moderator::Entity::find()
        .order_by_asc(moderator::Column::Id)
        .all(db)
        .await
}

/// A new token or session (by its hash).
pub struct NewToken<'a> {
    pub moderator_id: i64,
    pub token_hash: &'a str,
    pub name: &'a str,
    /// `api` or `session`.
    pub kind: &'a str,
    pub expires_at: i64,
    pub now: i64,
}

pub async fn insert_token<C: ConnectionTrait>(
    db: &C,
    t: NewToken<'_>,
) -> Result<api_token::Model, DbErr> {
    api_token::ActiveModel {
        moderator_id: Set(t.moderator_id),
        token_hash: Set(t.token_hash.to_string()),
        name: Set(t.name.to_string()),
        kind: Set(t.kind.to_string()),
        expires_at: Set(Some(t.expires_at)),
        created_at: Set(t.now),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// A token (by its hash) of `kind` and the moderator it belongs to.
pub async fn token_and_moderator<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    kind: &str,
) -> Result<Option<(api_token::Model, moderator::Model)>, DbErr> {
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .filter(api_token::Column::Kind.eq(kind))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    Ok(find_moderator(db, token.moderator_id)
        .await?
        .map(|m| (token, m)))
}

/// Notes a token's use (what idle session expiry counts from).
pub async fn touch_token<C: ConnectionTrait>(db: &C, id: i64, now: i64) -> Result<(), DbErr> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
        .filter(api_token::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes tokens past their expiry, sessions idle since before `idle_before`, and
/// rows from before expiries created before `legacy_before`. Returns how many went.
pub async fn purge_expired<C: ConnectionTrait>(
    db: &C,
    now: i64,
    idle_before: i64,
    legacy_before: i64,
) -> Result<u64, DbErr> {
    let expired = Condition::any()
        .add(api_token::Column::ExpiresAt.lte(now))
        .add(
            Condition::all()
                .add(api_token::Column::ExpiresAt.is_null())
                .add(api_token::Column::CreatedAt.lte(legacy_before)),
        )
        .add(
            Condition::all()
                .add(api_token::Column::Kind.eq("session"))
                .add(
                    Condition::any()
                        .add(api_token::Column::LastUsedAt.lte(idle_before))
                        .add(
                            Condition::all()
                                .add(api_token::Column::LastUsedAt.is_null())
                                .add(api_token::Column::CreatedAt.lte(idle_before)),
                        ),
                ),
        );
    Ok(api_token::Entity::delete_many()
        .filter(expired)
        .exec(db)
        .await?
        .rows_affected)
}

/// Moves a token's expiry (operators shortening a leaked token's life; tests).
pub async fn set_token_expiry<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
    expires_at: i64,
) -> Result<(), DbErr> {
    api_token::Entity::update_many()
        .col_expr(api_token::Column::ExpiresAt, Expr::value(expires_at))
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// One audit entry.
pub struct AuditRecord<'a> {
    pub moderator_id: Option<i64>,
    pub who: &'a str,
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: &'a str,
    pub details: serde_json::Value,
    pub now: i64,
}

/// Writes an audit row; its id (what an undo names).
pub async fn audit<C: ConnectionTrait>(db: &C, r: AuditRecord<'_>) -> Result<i64, DbErr> {
    let row = audit_entry::ActiveModel {
        moderator_id: Set(r.moderator_id),
        who: Set(r.who.to_string()),
        action: Set(r.action.to_string()),
        target_type: Set(r.target_type.to_string()),
        target_id: Set(r.target_id.to_string()),
        details: Set(r.details.to_string()),
        created_at: Set(r.now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(row.id)
}

pub async fn audit_log<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<audit_entry::Model>, DbErr> {
    audit_entry::Entity::find()
        .order_by_desc(audit_entry::Column::Id)
        .limit(limit)
        .all(db)
        .await
}

pub async fn delete_token<C: ConnectionTrait>(db: &C, token_hash: &str) -> Result<(), DbErr> {
    api_token::Entity::delete_many()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .exec(db)
        .await?;
    Ok(())
}

/// A new password (its hash) for a staff account; its tokens and sessions end with it.
pub async fn set_password<C: ConnectionTrait>(
    db: &C,
    id: i64,
    password_hash: &str,
) -> Result<(), DbErr> {
    moderator::Entity::update_many()
        .col_expr(moderator::Column::PasswordHash, password_hash.into())
        .filter(moderator::Column::Id.eq(id))
        .exec(db)
        .await?;
    api_token::Entity::delete_many()
        .filter(api_token::Column::ModeratorId.eq(id))
        .exec(db)
        .await?;
    Ok(())
}
