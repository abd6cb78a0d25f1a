//! `Flag`: a report from another server (Mastodon sends it from its instance actor,
//! `object` = [account, status…]). Kept when it names something of ours; each reported
//! comment goes to the moderators' queue. Domains with `reject_reports` are ignored.

use super::Outcome;
use crate::{
    domain::now_millis,
    federation::protocol::inbound::Flag,
    services::{remote::actors, threads::comments::CommentError},
    state::AppState,
    storage,
};

pub async fn handle(state: &AppState, flag: &Flag) -> Result<Outcome, CommentError> {
    let actor = &flag.actor;
    if actor
        .host_str()
        .and_then(|h| state.moderation.domain_policy(h))
        .is_some_and(|p| p.reject_reports)
    {
        return Ok(Outcome::Ignored(
            "reports from this domain are rejected".into(),
        ));
    }
    let objects: Vec<String> = flag.objects.iter().map(|u| u.to_string()).collect();
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
    let id = flag
        .id
        .as_deref()
        .ok_or_else(|| CommentError::Invalid("Flag without id".into()))?;
    let content = flag
        .content
        .as_deref()
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
