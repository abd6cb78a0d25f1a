//! Local key pairs (the instance actor's and each site actor's), generated on first use
//! and kept in the database so they survive restarts.

use super::entities::keypair;
use crate::domain::now_millis;
use sea_orm::{
    sea_query::OnConflict, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter,
};

/// The key pair of `owner` (`instance` or `site:<slug>`), created with `generate` when
/// absent. Two processes starting at once agree on one key: the first insert wins.
pub async fn get_or_create<C: ConnectionTrait>(
    db: &C,
    owner: &str,
    generate: impl FnOnce() -> Result<(String, String), DbErr>,
) -> Result<keypair::Model, DbErr> {
    if let Some(found) = find(db, owner).await? {
        return Ok(found);
    }
    let (public_key_pem, private_key_pem) = generate()?;
    keypair::Entity::insert(keypair::ActiveModel {
        owner: Set(owner.to_string()),
        public_key_pem: Set(public_key_pem),
        private_key_pem: Set(private_key_pem),
        created_at: Set(now_millis()),
        ..Default::default()
    })
    .on_conflict(
        OnConflict::column(keypair::Column::Owner)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(db)
    .await?;
    find(db, owner)
        .await?
        .ok_or_else(|| DbErr::RecordNotFound(owner.to_string()))
}

/// The key pair of `owner`, if it exists.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    owner: &str,
) -> Result<Option<keypair::Model>, DbErr> {
    keypair::Entity::find()
        .filter(keypair::Column::Owner.eq(owner))
        .one(db)
        .await
}
