//! Stored row of the `domain_policies` table.

use crate::domain::Severity;
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub domain: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub public_comment: Option<String>,
    pub private_comment: Option<String>,
    pub obfuscate: bool,
    /// Where it came from (`local`, a blocklist source…).
    pub source: String,
    pub created_at: i64,
    pub updated_at: i64,
    /// SHA-256 (hex) of the full domain; the only way to match an obfuscated entry.
    pub digest: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
