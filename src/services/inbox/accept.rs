//! `Accept`/`Reject` of a `Follow` we sent: a site's, or the instance actor's follow
//! of another server's blocklist actor.

use super::Outcome;
use crate::{
    domain::now_millis, federation::protocol::id_of, services::threads::comments::CommentError,
    state::AppState, storage,
};
use serde_json::Value;
use url::Url;

pub async fn handle(
    state: &AppState,
    kind: &str,
    activity: &Value,
    actor: &Url,
) -> Result<Outcome, CommentError> {
    // Mastodon embeds the Follow; some servers send only its id.
    let follow_id = id_of(activity.get("object").unwrap_or(&Value::Null))
        .ok_or_else(|| CommentError::Invalid(format!("{kind} without object")))?;
    let state_name = if kind == "Accept" {
        crate::domain::FollowState::Accepted
    } else {
        crate::domain::FollowState::Rejected
    };
    let changed = storage::follows::set_following_state(
        &state.db,
        follow_id.as_str(),
        actor.as_str(),
        state_name,
        now_millis(),
    )
    .await?;
    if changed {
        return Ok(Outcome::Done);
    }
    // Else perhaps the follow of a blocklist source: then catch up with it at once.
    if crate::services::blocklists::subscriptions::follow_answered(
        state,
        follow_id.as_str(),
        actor,
        kind == "Accept",
    )
    .await?
    {
        Ok(Outcome::Done)
    } else {
        Ok(Outcome::Ignored(format!(
            "{kind} of a follow we did not send"
        )))
    }
}
