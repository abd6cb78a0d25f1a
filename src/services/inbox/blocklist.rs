//! `Add`/`Remove` from the blocklist actor of a server we subscribe to: its FIRES
//! records change what that source lists, and the merge applies at once. The same
//! activity types from anyone else (Mastodon's pinned posts) are not ours to act on.

use super::Outcome;
use crate::{
    federation::protocol::many, services::blocklists::subscriptions,
    services::threads::comments::CommentError, state::AppState,
};
use serde_json::Value;
use url::Url;

pub async fn handle(
    state: &AppState,
    kind: &str,
    activity: &Value,
    actor: &Url,
) -> Result<Outcome, CommentError> {
    let Some(source) = subscriptions::push_source(state, actor).await? else {
        return Ok(Outcome::Ignored(format!(
            "{kind} from {actor}, not a blocklist we follow"
        )));
    };
    let objects = many(activity.get("object"));
    let mut records = Vec::with_capacity(objects.len());
    for object in objects {
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
