//! Stored row of the `moderators` table.

use crate::domain::Role;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "moderators")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub disabled: bool,
    pub created_at: i64,
    /// The console's language chosen by the staff member (`fr`, `en`…).
    pub language: Option<String>,
    /// How they sign beside their name ("cheffe du service Société").
    pub title: Option<String>,
    /// Where alerts are e-mailed (none: no e-mail).
    pub email: Option<String>,
    /// The last `alert_events.id` a digest of theirs covered.
    pub digest_after: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
