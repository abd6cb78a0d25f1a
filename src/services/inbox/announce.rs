//! `Announce` (boost) of an article or a comment: a count in the thread API. Announces
//! of anything else (relays, Lemmy's wrapped activities) are ignored.

use super::{react, Outcome, Reaction};
use crate::{
    federation::protocol::inbound::Announce, services::threads::comments::CommentError,
    state::AppState,
};

pub async fn handle(state: &AppState, announce: &Announce) -> Result<Outcome, CommentError> {
    react(
        state,
        Reaction {
            kind: "announce",
            id: announce.id.as_deref(),
            actor: &announce.actor,
            object: announce.object.as_ref(),
            emoji: None,
        },
    )
    .await
}
