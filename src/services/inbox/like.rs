//! `Like` of an article or a comment (Pleroma's and Akkoma's `EmojiReact` counts as
//! one): a count in the thread API.

use super::{react, Outcome, Reaction};
use crate::{
    federation::protocol::inbound::Like, services::threads::comments::CommentError, state::AppState,
};

pub async fn handle(state: &AppState, like: &Like) -> Result<Outcome, CommentError> {
    react(
        state,
        Reaction {
            kind: "like",
            id: like.id.as_deref(),
            actor: &like.actor,
            object: like.object.as_ref(),
        },
    )
    .await
}
