//! Stored row of the `highlights` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "highlights")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub comment_id: i64,
    pub article_id: i64,
    /// The editorial note shown with it.
    pub note: Option<String>,
    pub editor_id: Option<i64>,
    pub editor_name: String,
    /// The editors' order within the article (smallest first).
    pub position: i64,
    /// The `Announce` that told the fediverse, for its `Undo`.
    pub announce_id: String,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
