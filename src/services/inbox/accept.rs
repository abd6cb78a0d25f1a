//! `Accept`/`Reject` of a `Follow` we sent: a site's, or the instance actor's follow
//! of another server's blocklist actor; or of an `AnnounceRequest` the site actor sent
//! before boosting a highlighted reply (`services::consent`).

use super::Outcome;
use crate::{
    domain::now_millis, federation::protocol::inbound::Accept,
    services::threads::comments::CommentError, state::AppState, storage,
};

/// `accepted`: an `Accept`, else a `Reject` (read the same).
pub async fn handle(
    state: &AppState,
    accepted: bool,
    answer: &Accept,
) -> Result<Outcome, CommentError> {
    let kind = if accepted { "Accept" } else { "Reject" };
    use crate::services::consent::{self, AnnounceAnswer};
    match consent::announce_answered(state, accepted, answer).await? {
        None => {}
        Some(AnnounceAnswer::Ignored(why)) => return Ok(Outcome::Ignored(why)),
        Some(AnnounceAnswer::Rejected) => return Ok(Outcome::Done),
        Some(AnnounceAnswer::Authorized {
            request,
            authorization,
        }) => {
            return match crate::services::newsroom::highlights::announce_authorized(
                state,
                &request,
                &authorization,
            )
            .await
            {
                Ok(None) => Ok(Outcome::Done),
                Ok(Some(why)) => Ok(Outcome::Ignored(why.into())),
                Err(e) => Err(CommentError::Transient(e.to_string())),
            };
        }
    }
    let actor = &answer.actor;
    // Mastodon embeds the Follow; some servers send only its id.
    let follow_id = answer
        .object
        .as_ref()
        .ok_or_else(|| CommentError::Invalid(format!("{kind} without object")))?;
    let state_name = if accepted {
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
        accepted,
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
