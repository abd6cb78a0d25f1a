//! `Undo`: of a `Follow` (the follower is removed), of a like, an emoji reaction (only
//! that emoji) or a boost.

use super::Outcome;
use crate::{
    federation::protocol::inbound::{Undo, Undone},
    services::threads::comments::CommentError,
    state::AppState,
    storage,
};
use url::Url;

pub async fn handle(state: &AppState, undo: &Undo) -> Result<Outcome, CommentError> {
    let actor = &undo.actor;
    let object = &undo.object;
    match object.kind.as_deref() {
        Some("Follow") => {}
        Some("Like" | "EmojiReact" | "Announce") => {
            return Ok(undo_reaction(state, object, actor)
                .await?
                .unwrap_or_else(|| Outcome::Ignored("Undo of an unknown reaction".into())));
        }
        Some(other) => return Ok(Outcome::Ignored(format!("Undo of {other}"))),
        // Only the undone activity's id: a reaction, or else a follow.
        None => {
            if let Some(outcome) = undo_reaction(state, object, actor).await? {
                return Ok(outcome);
            }
        }
    }
    let blocklist = state.urls.blocklist_actor();
    if object.object.as_ref().map(Url::as_str) == Some(blocklist.as_str()) {
        return Ok(
            if crate::services::blocklists::published::unfollowed(state, actor).await? {
                Outcome::Done
            } else {
                Outcome::Ignored("Undo of a follow of our blocklist we did not have".into())
            },
        );
    }
    let Some(follower) = storage::actors::find_by_ap_id(&state.db, actor.as_str()).await? else {
        return Ok(Outcome::Ignored("Undo from an unknown actor".into()));
    };
    let removed = match &object.object {
        // The embedded Follow names the site.
        Some(target) => match state
            .urls
            .site_slug_of(target.as_str())
            .and_then(|s| state.site(s))
        {
            Some(site) => {
                storage::follows::remove_follower(&state.db, site.id, follower.id).await?
            }
            None => 0,
        },
        // Only the Follow's id: find the follow it started.
        None => match &object.id {
            Some(follow_id) => {
                storage::follows::remove_follower_by_follow_id(
                    &state.db,
                    follower.id,
                    follow_id.as_str(),
                )
                .await?
            }
            None => 0,
        },
    };
    if removed == 0 {
        return Ok(Outcome::Ignored("Undo of an unknown follow".into()));
    }
    Ok(Outcome::Done)
}

/// Undoes a like or boost; `None` when no reaction matched.
async fn undo_reaction(
    state: &AppState,
    object: &Undone,
    actor: &Url,
) -> Result<Option<Outcome>, CommentError> {
    let Some(reactor) = storage::actors::find_by_ap_id(&state.db, actor.as_str()).await? else {
        return Ok(Some(Outcome::Ignored("Undo from an unknown actor".into())));
    };
    let activity_id = object.id.as_ref().map(|u| u.to_string());
    let kind = match object.kind.as_deref() {
        Some("Announce") => Some("announce"),
        Some(_) => Some("like"),
        None => None,
    };
    let target = object.object.as_ref().map(|u| u.to_string());
    // A reaction's emoji: only that one goes, the actor's others stay.
    let by_target =
        kind.zip(target.as_deref())
            .map(|(kind, object_id)| storage::reactions::Undone {
                kind,
                object: object_id,
                emoji: object.emoji.as_deref(),
            });
    let removed =
        storage::reactions::remove(&state.db, reactor.id, activity_id.as_deref(), by_target)
            .await?;
    Ok((removed > 0).then_some(Outcome::Done))
}
