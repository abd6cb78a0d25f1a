//! Stored row of the `sites` table.

use crate::domain::Mode;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "sites")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub origin: String,
    pub created_at: i64,
    pub moderation_mode: Mode,
    /// Hold comments of authors with fewer approved comments than this (0: off).
    pub hold_new_authors: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
