//! Stored row of the `inbox_activities` table.

use crate::domain::InboxStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "inbox_activities")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub activity_id: String,
    pub actor_id: String,
    pub kind: String,
    pub raw: String,
    pub status: InboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub received_at: i64,
    pub next_attempt_at: i64,
    pub locked_until: Option<i64>,
    pub processed_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
