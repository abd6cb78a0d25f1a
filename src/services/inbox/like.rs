//! `Like` of an article or a comment, and emoji reactions: Pleroma's, Akkoma's and
//! Misskey's `EmojiReact`, Misskey's `Like` with `_misskey_reaction`. A plain like is
//! one per actor; one actor may react with several different emoji (Pleroma and Akkoma
//! allow it), up to `MAX_EMOJI_PER_ACTOR` on one object, so that no one can grow rows
//! without bound. Counts per emoji in the thread API.

use super::{react, Outcome, Reaction};
use crate::{
    federation::protocol::inbound::Like, services::threads::comments::CommentError,
    state::AppState, storage,
};
use url::Url;

/// The most different emoji one actor keeps on one object; more are ignored.
pub const MAX_EMOJI_PER_ACTOR: u64 = 10;

pub async fn handle(state: &AppState, like: &Like) -> Result<Outcome, CommentError> {
    let emoji = like.emoji();
    react(
        state,
        Reaction {
            kind: "like",
            id: like.id.as_deref(),
            actor: &like.actor,
            object: like.object.as_ref(),
            emoji: emoji.as_ref(),
        },
    )
    .await
}

/// Whether `actor_id` may add `emoji` to `object`: it is already there (a repeat), or
/// the actor has fewer than the cap there.
pub(super) async fn room_for(
    state: &AppState,
    actor_id: i64,
    object: &str,
    emoji: &str,
) -> Result<bool, CommentError> {
    let count = storage::reactions::emoji_count(&state.db, actor_id, object).await?;
    if count < MAX_EMOJI_PER_ACTOR {
        return Ok(true);
    }
    Ok(storage::reactions::has_emoji(&state.db, actor_id, object, emoji).await?)
}

/// After storing a new emoji: whether it is within the cap counted in arrival order;
/// if not it is removed again (several reactions processed at once all passed
/// `room_for` before any was stored).
pub(super) async fn kept(
    state: &AppState,
    actor_id: i64,
    object: &str,
    row: i64,
) -> Result<bool, CommentError> {
    if storage::reactions::emoji_rank(&state.db, actor_id, object, row).await?
        <= MAX_EMOJI_PER_ACTOR
    {
        return Ok(true);
    }
    storage::reactions::delete(&state.db, row).await?;
    Ok(false)
}

pub(super) fn too_many(object: &Url) -> Outcome {
    Outcome::Ignored(format!(
        "{MAX_EMOJI_PER_ACTOR} emoji on {object} already from this actor"
    ))
}
