//! Stored row of the `blocklist_subscriptions` table.

use crate::domain::{FollowState, Retraction, Severity, SourceKind};
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "blocklist_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub url: String,
    pub name: String,
    /// Higher wins when sources disagree on comments.
    pub priority: i32,
    /// The most severe action this source may impose.
    pub max_severity: Severity,
    /// `false`: entries wait for review (drafts).
    pub auto_apply: bool,
    /// JSON list of domains (and their subdomains) this source may not touch.
    pub excludes: String,
    /// When the source drops an entry.
    pub retraction: Retraction,
    /// `Authorization` header sent with each fetch.
    pub authorization: Option<String>,
    pub interval_secs: i64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub fetched_at: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub kind: SourceKind,
    /// The last FIRES change read (`changes?since=`).
    pub cursor: Option<String>,
    /// Our `Follow` of an `activitypub` source, and its answer.
    pub follow_activity_id: Option<String>,
    pub follow_state: Option<FollowState>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
