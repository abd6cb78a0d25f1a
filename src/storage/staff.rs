//! Staff accounts, their API tokens (stored hashed) and the audit log.

use super::entities::{api_token, audit_entry, moderator};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

pub async fn insert_moderator<C: ConnectionTrait>(
    db: &C,
    username: &str,
    display_name: &str,
    password_hash: &str,
    role: &str,
    now: i64,
) -> Result<moderator::Model, DbErr> {
    moderator::ActiveModel {
        username: Set(username.to_string()),
        display_name: Set(display_name.to_string()),
        password_hash: Set(password_hash.to_string()),
        role: Set(role.to_string()),
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

pub async fn insert_token<C: ConnectionTrait>(
    db: &C,
    moderator_id: i64,
    token_hash: &str,
    name: &str,
    now: i64,
) -> Result<api_token::Model, DbErr> {
    api_token::ActiveModel {
        moderator_id: Set(moderator_id),
        token_hash: Set(token_hash.to_string()),
        name: Set(name.to_string()),
        created_at: Set(now),
        last_used_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
}

/// The moderator a token (by its hash) belongs to.
pub async fn moderator_by_token<C: ConnectionTrait>(
    db: &C,
    token_hash: &str,
) -> Result<Option<moderator::Model>, DbErr> {
    let Some(token) = api_token::Entity::find()
        .filter(api_token::Column::TokenHash.eq(token_hash))
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    find_moderator(db, token.moderator_id).await
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

pub async fn audit<C: ConnectionTrait>(db: &C, r: AuditRecord<'_>) -> Result<(), DbErr> {
    audit_entry::ActiveModel {
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
    Ok(())
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
