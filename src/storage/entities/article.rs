//! Stored row of the `articles` table.

use crate::domain::Mode;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "articles")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub site_id: i64,
    pub ap_id: String,
    pub url: String,
    pub title: String,
    pub summary: Option<String>,
    pub published: i64,
    pub created_at: i64,
    pub updated_at: i64,
    pub deleted_at: Option<i64>,
    /// Overrides the site's mode when set.
    pub moderation_mode: Option<Mode>,
    /// When staff, the CMS or the site's feed vouched for it; `None` for a page that
    /// registered itself from a reader's visit (never federated until confirmed).
    pub confirmed_at: Option<i64>,
    /// The staff member (`moderators.id`) who signs it: their journalist actor is named
    /// in its `attributedTo` beside the site's.
    pub author_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
