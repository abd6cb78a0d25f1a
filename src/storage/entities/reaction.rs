//! Stored row of the `reactions` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reactions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `like` or `announce`.
    pub kind: String,
    pub actor_id: i64,
    pub object_ap_id: String,
    pub article_id: i64,
    pub comment_id: Option<i64>,
    pub activity_id: String,
    pub created_at: i64,
    /// A reaction's emoji (unicode, or a custom `:name:`); `None` for a plain like or
    /// a boost.
    pub emoji: Option<String>,
    /// A custom emoji's image URL (http(s) only), kept as data, never fetched by us.
    pub emoji_icon: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
