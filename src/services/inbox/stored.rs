//! Stored inbound activities as admins inspect them (poison ones set aside with their
//! error).

use crate::{error::Result, state::AppState, storage};

/// A stored inbound activity as admins see it.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InboxView {
    pub id: i64,
    pub activity: String,
    pub actor: String,
    pub kind: String,
    pub status: crate::domain::InboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub received_at: i64,
}

/// The latest 200 stored activities in `status` (none in a status that does not exist).
pub async fn by_status(state: &AppState, status: &str) -> Result<Vec<InboxView>> {
    let Some(status) = crate::domain::InboxStatus::parse(status) else {
        return Ok(Vec::new());
    };
    Ok(storage::inbox::by_status(&state.db, status, 200)
        .await?
        .into_iter()
        .map(|a| InboxView {
            id: a.id,
            activity: a.activity_id,
            actor: a.actor_id,
            kind: a.kind,
            status: a.status,
            attempts: a.attempts,
            last_error: a.last_error,
            received_at: a.received_at,
        })
        .collect())
}
