//! The audit log: every moderator's action, written in the transaction of the change.

use crate::services::staff::{Role, Staff};
use crate::{
    domain::from_millis,
    error::Result,
    state::AppState,
    storage::{self},
};
use chrono::SecondsFormat;
use serde::Serialize;

/// An audit entry as listed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AuditView {
    pub id: i64,
    pub who: String,
    pub action: String,
    pub target_type: String,
    pub target_id: String,
    pub details: serde_json::Value,
    pub at: String,
}

pub async fn audit_log(state: &AppState, staff: &Staff) -> Result<Vec<AuditView>> {
    staff.require(Role::Moderator)?;
    Ok(storage::staff::audit_log(&state.db, 500)
        .await?
        .into_iter()
        .map(|a| AuditView {
            id: a.id,
            who: a.who,
            action: a.action,
            target_type: a.target_type,
            target_id: a.target_id,
            details: serde_json::from_str(&a.details).unwrap_or_default(),
            at: from_millis(a.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
        })
        .collect())
}
