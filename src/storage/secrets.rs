//! The server's own secrets (e.g. the HMAC key of readers' address hashes): made once,
//! stored, and the same for every process and after every restart.

use super::entities::server_secret;
use crate::domain::now_millis;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

/// The secret called `name`, stored with `generate()` when absent. Two processes
/// starting at once agree on one value: the first insert wins.
pub async fn get_or_create<C: ConnectionTrait>(
    db: &C,
    name: &str,
    generate: impl FnOnce() -> Result<String, DbErr>,
) -> Result<String, DbErr> {
    if let Some(found) = find(db, name).await? {
        return Ok(found);
    }
    server_secret::Entity::insert(server_secret::ActiveModel {
        name: Set(name.to_string()),
        value: Set(generate()?),
        created_at: Set(now_millis()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(server_secret::Column::Name)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    find(db, name)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(name.to_string()))
}

async fn find<C: ConnectionTrait>(db: &C, name: &str) -> Result<Option<String>, DbErr> {
    Ok(server_secret::Entity::find()
        .filter(server_secret::Column::Name.eq(name))
        .one(db)
        .await?
        .map(|s| s.value))
}
