//! Stored row of the `blocklist_followers` table: a server following our blocklist actor.

use crate::domain::FollowerState;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "blocklist_followers")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub actor_ap_id: String,
    pub inbox: String,
    pub follow_activity_id: String,
    pub state: FollowerState,
    pub created_at: i64,
    pub updated_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
