//! Reports for moderators: `Flag`s from other servers, with who sent them.

use crate::{domain::from_millis, error::Result, state::AppState, storage};
use chrono::SecondsFormat;
use serde::Serialize;
use std::collections::HashMap;

/// A report as moderators see it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub activity_id: String,
    /// Who reported (an actor id; Mastodon reports come from its instance actor).
    pub actor: Option<String>,
    pub content: String,
    /// The AP ids the report names.
    pub objects: Vec<String>,
    pub created_at: String,
}

/// The newest reports first.
pub async fn list(state: &AppState) -> Result<Vec<ReportView>> {
    let rows = storage::reports::list(&state.db, 200).await?;
    let actors: HashMap<i64, String> =
        storage::actors::find_many(&state.db, rows.iter().map(|r| r.actor_id).collect())
            .await?
            .into_iter()
            .map(|a| (a.id, a.ap_id))
            .collect();
    Ok(rows
        .into_iter()
        .map(|r| ReportView {
            id: r.id,
            actor: actors.get(&r.actor_id).cloned(),
            objects: serde_json::from_str(&r.objects).unwrap_or_default(),
            created_at: from_millis(r.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
            activity_id: r.activity_id,
            content: r.content,
        })
        .collect())
}
