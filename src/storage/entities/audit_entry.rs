//! Stored row of the `audit_log` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub moderator_id: Option<i64>,
    /// Who acted, as shown (a username, or `bootstrap` for the configured token).
    pub who: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    /// JSON details (reason, note, before/after).
    pub details: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
