//! `Move`: an account moved to another (Mastodon). Recorded when the new account
//! confirms it (`alsoKnownAs` names the old one).

use super::Outcome;
use crate::{
    federation::protocol::{id_of, ids_of},
    services::threads::comments::CommentError,
    state::AppState,
    storage,
};
use serde_json::Value;
use url::Url;

pub async fn handle(
    state: &AppState,
    activity: &Value,
    actor: &Url,
) -> Result<Outcome, CommentError> {
    let object = id_of(activity.get("object").unwrap_or(&Value::Null));
    if object.as_ref() != Some(actor) {
        return Err(CommentError::Invalid("Move of another account".into()));
    }
    let target = id_of(activity.get("target").unwrap_or(&Value::Null))
        .ok_or_else(|| CommentError::Invalid("Move without target".into()))?;
    let Some(old) = storage::actors::find_by_ap_id(&state.db, actor.as_str()).await? else {
        return Ok(Outcome::Ignored("Move of an unknown account".into()));
    };
    let new = state.fetcher.fetch(&target).await?;
    // The new account is the one named, not wherever its URL led.
    let mut named = target.clone();
    named.set_fragment(None);
    if new.url != named {
        return Err(CommentError::Invalid(
            "the Move target answered as another account".into(),
        ));
    }
    let confirmed = ids_of(new.json.get("alsoKnownAs").unwrap_or(&Value::Null))
        .iter()
        .any(|aka| aka == actor);
    if !confirmed {
        return Err(CommentError::Invalid(
            "the new account does not name the old one".into(),
        ));
    }
    storage::actors::set_moved_to(&state.db, old.id, target.as_str()).await?;
    Ok(Outcome::Done)
}
