//! Stored row of the `outbox_activities` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: String,
    /// Owner of the signing key in `keypairs` (`instance` or `site:<slug>`).
    pub signer_key: String,
    pub signer_key_id: String,
    pub raw: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
