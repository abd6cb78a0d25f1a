//! Stored row of the `rules` table.

use crate::domain::{Action, RuleKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rules")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `None`: every site.
    pub site_id: Option<i64>,
    pub kind: RuleKind,
    pub pattern: String,
    /// `reject`, `hide` or `hold`.
    pub action: Action,
    pub note: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
