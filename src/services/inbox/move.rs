//! `Move`: an account moved to another (Mastodon). Recorded when the new account
//! confirms it (`alsoKnownAs` names the old one).

use super::Outcome;
use crate::{
    federation::protocol::{actor::also_known_as, inbound::Move},
    services::threads::comments::CommentError,
    state::AppState,
    storage,
};

pub async fn handle(state: &AppState, moved: &Move) -> Result<Outcome, CommentError> {
    let actor = &moved.actor;
    if moved.object.as_ref() != Some(actor) {
        return Err(CommentError::Invalid("Move of another account".into()));
    }
    let target = moved
        .target
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("Move without target".into()))?;
    let Some(old) = storage::actors::find_by_ap_id(&state.db, actor.as_str()).await? else {
        return Ok(Outcome::Ignored("Move of an unknown account".into()));
    };
    let new = state.fetcher.fetch(target).await?;
    // The new account is the one named, not wherever its URL led.
    let mut named = target.clone();
    named.set_fragment(None);
    if new.url != named {
        return Err(CommentError::Invalid(
            "the Move target answered as another account".into(),
        ));
    }
    let confirmed = also_known_as(&new.json).iter().any(|aka| aka == actor);
    if !confirmed {
        return Err(CommentError::Invalid(
            "the new account does not name the old one".into(),
        ));
    }
    storage::actors::set_moved_to(&state.db, old.id, target.as_str()).await?;
    Ok(Outcome::Done)
}
