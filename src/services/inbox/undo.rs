//! `Undo`: of a `Follow` (the follower is removed). Undoing likes and boosts comes with
//! their counts.

use super::Outcome;
use crate::{
    federation::protocol::{id_of, type_of},
    services::comments::CommentError,
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
    let object = activity.get("object").unwrap_or(&Value::Null);
    if object.is_object() && type_of(object) != Some("Follow") {
        return Ok(Outcome::Ignored(format!(
            "Undo of {}",
            type_of(object).unwrap_or("unknown")
        )));
    }
    let Some(follower) = storage::actors::find_by_ap_id(&state.db, actor.as_str()).await? else {
        return Ok(Outcome::Ignored("Undo from an unknown actor".into()));
    };
    let removed = match object.get("object").and_then(id_of) {
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
        None => match id_of(object) {
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
