//! A site following a remote actor (another Tribune's site, a blocklist actor, any
//! account): resolve it, record the follow as pending, send `Follow`. And the counts
//! a site's `followers` and `following` collections show.

use crate::services::{delivery, remote::actors};
use crate::{
    domain::{now_millis, FollowState},
    error::{Error, Result},
    federation::protocol::activity,
    state::AppState,
    storage,
};
use sea_orm::TransactionTrait;
use serde::{Deserialize, Serialize};
use url::Url;

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct FollowRequest {
    /// Slug of the following site.
    pub site: String,
    /// The actor to follow: its URL, or `user@host` / `acct:user@host`.
    pub actor: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FollowingView {
    pub actor: String,
    pub state: FollowState,
    pub follow_id: String,
}

/// Sends a `Follow` from a site actor.
pub async fn follow(state: &AppState, req: FollowRequest) -> Result<FollowingView> {
    let site = state
        .site(&req.site)
        .ok_or_else(|| Error::Unprocessable(format!("unknown site {:?}", req.site)))?;
    let target = resolve(state, &req.actor).await?;
    let actor = actors::get_or_fetch(state, &target)
        .await
        .map_err(|e| Error::BadGateway(e.to_string()))?;
    let follow_id = state.urls.new_activity(&site.slug, "follow");
    let site_actor =
        Url::parse(&state.urls.site_actor(&site.slug)).map_err(|e| Error::Internal(e.into()))?;
    let follow_url = Url::parse(&follow_id).map_err(|e| Error::Internal(e.into()))?;
    let follow = activity::follow(&follow_url, &site_actor, &target);
    let txn = state.db.begin().await?;
    storage::follows::upsert_following(
        &txn,
        site.id,
        target.as_str(),
        &actor.inbox,
        &follow_id,
        now_millis(),
    )
    .await?;
    delivery::enqueue(&txn, site, &follow, std::slice::from_ref(&actor.inbox)).await?;
    txn.commit().await?;
    state.delivery_wakeup.notify_one();
    Ok(FollowingView {
        actor: target.to_string(),
        state: FollowState::Pending,
        follow_id,
    })
}

/// Who a site follows, with the state of each follow.
pub async fn following(state: &AppState, site: &str) -> Result<Vec<FollowingView>> {
    let site = state.site(site).ok_or(Error::NotFound("site"))?;
    Ok(storage::follows::list_following(&state.db, site.id)
        .await?
        .into_iter()
        .map(|f| FollowingView {
            actor: f.target_ap_id,
            state: f.state,
            follow_id: f.follow_activity_id,
        })
        .collect())
}

/// How many actors follow a site (its `followers` collection counts, never lists).
pub async fn follower_count(state: &AppState, site_id: i64) -> Result<u64> {
    Ok(storage::follows::count_followers(&state.db, site_id).await?)
}

/// How many actors a site follows, accepted follows only.
pub async fn following_count(state: &AppState, site_id: i64) -> Result<u64> {
    Ok(storage::follows::list_following(&state.db, site_id)
        .await?
        .into_iter()
        .filter(|f| f.state == crate::domain::FollowState::Accepted)
        .count() as u64)
}

/// An actor URL from a URL or a WebFinger handle.
async fn resolve(state: &AppState, actor: &str) -> Result<Url> {
    let actor = actor.trim();
    if let Ok(url) = Url::parse(actor) {
        if matches!(url.scheme(), "http" | "https") {
            return Ok(url);
        }
    }
    let handle = actor.trim_start_matches("acct:").trim_start_matches('@');
    let (_, host) = handle
        .split_once('@')
        .ok_or_else(|| Error::Unprocessable("actor must be a URL or user@host".into()))?;
    state
        .fetcher
        .webfinger(handle, host)
        .await
        .map_err(|e| Error::BadGateway(e.to_string()))
}
