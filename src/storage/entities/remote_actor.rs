//! Stored row of the `remote_actors` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "remote_actors")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ap_id: String,
    pub kind: String,
    pub domain: String,
    pub preferred_username: Option<String>,
    pub name: Option<String>,
    pub url: Option<String>,
    pub avatar_url: Option<String>,
    pub inbox: String,
    pub shared_inbox: Option<String>,
    pub public_key_id: Option<String>,
    pub public_key_pem: Option<String>,
    pub published: Option<i64>,
    pub fetched_at: i64,
    pub deleted_at: Option<i64>,
    /// Where the account moved (`Move`).
    pub moved_to: Option<String>,
    /// When its keys were last fetched to verify a failing signature (rate limit).
    pub keys_fetched_at: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
