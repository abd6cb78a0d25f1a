//! `Flag`: a report from another server (Mastodon sends it from its instance actor,
//! `object` = [account, status…]). Stored when it names something of ours, for the
//! moderators' queue.

use super::Outcome;
use crate::{
    domain::now_millis,
    federation::protocol::{ids_of, str_of},
    services::{actors, comments::CommentError},
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
    let objects: Vec<String> = ids_of(activity.get("object").unwrap_or(&Value::Null))
        .into_iter()
        .map(|u| u.to_string())
        .collect();
    let mut ours = false;
    for object in &objects {
        ours |= state.urls.is_local(object)
            || storage::comments::find_by_ap_id(&state.db, object)
                .await?
                .is_some();
    }
    if !ours {
        return Ok(Outcome::Ignored("Flag of nothing of ours".into()));
    }
    let reporter = actors::get_or_fetch(state, actor).await?;
    let id = activity
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| CommentError::Invalid("Flag without id".into()))?;
    let content = str_of(activity, "content")
        .map(crate::services::content::plain_text)
        .unwrap_or_default();
    storage::reports::insert_once(&state.db, id, reporter.id, &content, &objects, now_millis())
        .await?;
    Ok(Outcome::Done)
}
