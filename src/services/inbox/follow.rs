//! `Follow` of a site actor: recorded and answered with `Accept` (sites accept every
//! follower), in one transaction with the outbox row that carries the answer. A follow
//! of our blocklist actor waits for an admin instead.

use super::Outcome;
use crate::{
    domain::now_millis,
    federation::protocol::{activity, inbound::Follow},
    services::{delivery, remote::actors, threads::comments::CommentError},
    state::AppState,
    storage,
};
use sea_orm::TransactionTrait;
use url::Url;

pub async fn handle(state: &AppState, follow: &Follow) -> Result<Outcome, CommentError> {
    let actor = &follow.actor;
    let object = follow
        .object
        .as_ref()
        .ok_or_else(|| CommentError::Invalid("Follow without object".into()))?;
    if object.as_str() == state.urls.blocklist_actor() {
        let follow_id = follow
            .id
            .as_deref()
            .ok_or_else(|| CommentError::Invalid("Follow without id".into()))?;
        crate::services::blocklists::published::followed(state, follow_id, actor).await?;
        return Ok(Outcome::Done);
    }
    if let Some(username) = state.urls.staff_username_of(object.as_str()) {
        return journalist_followed(state, follow, username).await;
    }
    let Some(site) = state
        .urls
        .site_slug_of(object.as_str())
        .and_then(|slug| state.site(slug))
    else {
        return Ok(Outcome::Ignored(format!(
            "Follow of {object}, not a site actor"
        )));
    };
    let follow_id = follow
        .id
        .as_deref()
        .ok_or_else(|| CommentError::Invalid("Follow without id".into()))?;
    let follower = actors::get_or_fetch(state, actor).await?;
    let site_actor = Url::parse(&state.urls.site_actor(&site.slug))
        .map_err(|e| CommentError::Invalid(e.to_string()))?;
    let accept_id = Url::parse(&state.urls.new_activity(&site.slug, "accept"))
        .map_err(|e| CommentError::Invalid(e.to_string()))?;
    let accept = activity::accept_follow(&accept_id, &site_actor, follow_id, actor);

    let now = now_millis();
    let txn = state.db.begin().await?;
    storage::follows::add_follower(&txn, site.id, follower.id, follow_id, now).await?;
    delivery::enqueue(&txn, site, &accept, std::slice::from_ref(&follower.inbox)).await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(Outcome::Done)
}

/// A `Follow` of a journalist's actor: refused with a `Reject` signed by them, so the
/// follower's server does not keep a request pending forever. What they write reaches
/// the site's followers (the site boosts it): the site is what to follow.
async fn journalist_followed(
    state: &AppState,
    follow: &Follow,
    username: &str,
) -> Result<Outcome, CommentError> {
    use crate::services::newsroom::journalists;
    let (Some(follow_id), true) = (
        follow.id.as_deref(),
        journalists::is_alive(state, username)
            .await
            .map_err(|e| CommentError::Transient(e.to_string()))?,
    ) else {
        return Ok(Outcome::Ignored(format!(
            "Follow of {username}, no such actor"
        )));
    };
    let follower = actors::get_or_fetch(state, &follow.actor).await?;
    journalists::keys(state, username)
        .await
        .map_err(|e| CommentError::Transient(e.to_string()))?;
    let actor = state.urls.staff_actor(username);
    let reject = activity::reject_follow(
        &format!("{actor}#rejects/{}", uuid::Uuid::new_v4()),
        &actor,
        follow_id,
        &follow.actor,
    );
    delivery::enqueue_as(
        &state.db,
        &journalists::key_owner(username),
        &state.urls.staff_key_id(username),
        &reject,
        std::slice::from_ref(&follower.inbox),
    )
    .await?;
    state.delivery_wakeup.notify_one();
    Ok(Outcome::Done)
}
