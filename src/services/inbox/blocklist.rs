//! `Add`/`Remove` from the blocklist actor of a server we subscribe to: its FIRES
//! records change what that source lists, and the merge applies at once. The same
//! activity types from anyone else (Mastodon's pinned posts) are not ours to act on.

use super::Outcome;
use crate::{
    federation::protocol::inbound::Add, services::blocklists::subscriptions,
    services::threads::comments::CommentError, state::AppState,
};

/// `kind`: `Add` or `Remove` (which withdraws what it names).
pub async fn handle(state: &AppState, kind: &str, change: &Add) -> Result<Outcome, CommentError> {
    let actor = &change.actor;
    let Some(source) = subscriptions::push_source(state, actor).await? else {
        return Ok(Outcome::Ignored(format!(
            "{kind} from {actor}, not a blocklist we follow"
        )));
    };
    let mut records = Vec::with_capacity(change.objects.len());
    for object in &change.objects {
        match crate::blocklists::fires::parse_record(object) {
            Ok(Some(mut record)) => {
                if kind == "Remove" {
                    record.entry = None;
                }
                records.push(record);
            }
            Ok(None) => {}
            Err(e) => return Err(CommentError::Invalid(e.to_string())),
        }
    }
    if records.is_empty() {
        return Ok(Outcome::Ignored(format!("{kind} without domain records")));
    }
    subscriptions::apply_pushed(state, &source, records)
        .await
        .map_err(|e| CommentError::Transient(e.to_string()))?;
    Ok(Outcome::Done)
}
