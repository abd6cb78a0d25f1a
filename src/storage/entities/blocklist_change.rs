//! Stored row of the `blocklist_changes` table: the append-only log of what we publish.

use crate::domain::{ListChange, Severity};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "blocklist_changes")]
pub struct Model {
    /// The change id (FIRES `change_id`): increasing, so `since` is a plain comparison.
    #[sea_orm(primary_key)]
    pub id: i64,
    pub domain: String,
    pub digest: String,
    pub action: ListChange,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
