//! Stored row of the `blocklist_published` table: one entry of the list we publish,
//! as followers last heard of it.

use crate::domain::Severity;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "blocklist_published")]
pub struct Model {
    /// The policy it publishes (`domain_policies.domain`).
    #[sea_orm(primary_key, auto_increment = false)]
    pub policy_domain: String,
    /// The domain as published (obfuscated when the policy says so).
    pub domain: String,
    /// SHA-256 (hex) of the full domain.
    pub digest: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
