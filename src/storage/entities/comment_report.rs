//! Stored row of the `comment_reports` table.

use crate::domain::ReportStatus;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comment_reports")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub comment_id: i64,
    /// `reader` or `remote` (a `Flag`).
    pub source: String,
    pub reason: String,
    pub content: String,
    /// The reporting actor's id, or a hash of a reader's address.
    pub reporter: String,
    pub status: ReportStatus,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
