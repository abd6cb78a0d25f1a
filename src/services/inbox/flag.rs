//! `Flag`: a report from another server (Mastodon sends it from its instance actor,
//! `object` = [account, status…]). Kept when it names something of ours; each reported
//! comment goes to the moderators' queue. Domains with `reject_reports` are ignored.

use super::Outcome;
use crate::{
    domain::now_millis,
    federation::protocol::{ids_of, str_of},
    services::{remote::actors, threads::comments::CommentError},
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
    if actor
        .host_str()
        .and_then(|h| state.moderation.domain_policy(h))
        .is_some_and(|p| p.reject_reports)
    {
        return Ok(Outcome::Ignored(
            "reports from this domain are rejected".into(),
        ));
    }
    let objects: Vec<String> = ids_of(activity.get("object").unwrap_or(&Value::Null))
        .into_iter()
        .map(|u| u.to_string())
        .collect();
    let mut ours = false;
    let mut comments = Vec::new();
    for object in &objects {
        let comment = storage::comments::find_by_ap_id(&state.db, object).await?;
        ours |= state.urls.is_local(object) || comment.is_some();
        comments.extend(comment);
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
        .map(crate::sanitize::text_of_html)
        .unwrap_or_default();
    let now = now_millis();
    storage::reports::insert_once(&state.db, id, reporter.id, &content, &objects, now).await?;
    for comment in comments {
        storage::reports::report_comment(
            &state.db,
            comment.id,
            "remote",
            "other",
            &content,
            &reporter.ap_id,
            now,
        )
        .await?;
    }
    Ok(Outcome::Done)
}
