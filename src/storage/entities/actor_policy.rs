//! Stored row of the `actor_policies` table.

use crate::domain::ActorPolicyAction;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "actor_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_ap_id: String,
    pub action: ActorPolicyAction,
    pub reason: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
