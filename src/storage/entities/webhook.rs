//! Stored row of the `webhooks` table (registered through the admin API).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhooks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub url: String,
    /// The HMAC key of its signatures: never shown again once given.
    pub secret: String,
    /// The event names it wants, comma-separated.
    pub events: String,
    /// A site's slug, or every site when `None`.
    pub site: Option<String>,
    pub created_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
