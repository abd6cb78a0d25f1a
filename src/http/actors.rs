//! Our actors and their collections: each site's actor, and the instance actor that
//! signs our fetches. Browsers are sent to the site itself.

use super::responses::{wants_activity_json, ActivityJson};
use crate::{
    domain::from_millis,
    error::{Error, Result},
    federation::protocol::{
        actor::{Endpoints, LocalActor, PublicKeyJson},
        collection::OrderedCollection,
    },
    state::AppState,
    storage,
};
use axum::{
    extract::{Path, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
};
use chrono::SecondsFormat;

pub async fn site_actor(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let site = state.site(&slug).ok_or(Error::NotFound("site"))?;
    if !wants_activity_json(&headers) {
        return Ok(Redirect::to(site.origin.as_str()).into_response());
    }
    let urls = &state.urls;
    let id = urls.site_actor(&slug);
    Ok(ActivityJson(LocalActor {
        context: LocalActor::default_context(),
        kind: "Person",
        preferred_username: slug.clone(),
        name: site.name.clone(),
        summary: site.summary.clone(),
        url: site.origin.to_string(),
        inbox: urls.site_inbox(&slug),
        outbox: urls.site_outbox(&slug),
        followers: Some(urls.site_followers(&slug)),
        following: Some(urls.site_following(&slug)),
        featured: Some(urls.site_featured(&slug)),
        endpoints: Endpoints {
            shared_inbox: urls.shared_inbox(),
        },
        public_key: PublicKeyJson {
            id: urls.site_key_id(&slug),
            owner: id.clone(),
            public_key_pem: site.public_key_pem.clone(),
        },
        manually_approves_followers: false,
        discoverable: true,
        published: from_millis(site.created_at).to_rfc3339_opts(SecondsFormat::Secs, true),
        id,
    })
    .into_response())
}

pub async fn instance_actor(State(state): State<AppState>) -> Result<Response> {
    let urls = &state.urls;
    let host = state.settings.public_host();
    Ok(ActivityJson(LocalActor {
        context: LocalActor::default_context(),
        id: urls.instance_actor(),
        kind: "Application",
        preferred_username: host.clone(),
        name: format!("Tribune at {host}"),
        summary: None,
        url: urls.base().to_string(),
        inbox: urls.shared_inbox(),
        outbox: format!("{}/outbox", urls.instance_actor()),
        followers: None,
        following: None,
        featured: None,
        endpoints: Endpoints {
            shared_inbox: urls.shared_inbox(),
        },
        public_key: PublicKeyJson {
            id: urls.instance_key_id(),
            owner: urls.instance_actor(),
            public_key_pem: state.instance_public_key_pem.clone(),
        },
        manually_approves_followers: true,
        discoverable: false,
        published: "2026-01-01T00:00:00Z".into(),
    })
    .into_response())
}

pub async fn instance_outbox(State(state): State<AppState>) -> impl IntoResponse {
    ActivityJson(OrderedCollection::new(
        format!("{}/outbox", state.urls.instance_actor()),
        Vec::new(),
    ))
}

pub async fn site_outbox(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    state.site(&slug).ok_or(Error::NotFound("site"))?;
    Ok(ActivityJson(OrderedCollection::new(
        state.urls.site_outbox(&slug),
        Vec::new(),
    ))
    .into_response())
}

/// Followers are counted, not listed (as Mastodon does when hiding the network).
pub async fn site_followers(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let site = state.site(&slug).ok_or(Error::NotFound("site"))?;
    let total = storage::follows::count_followers(&state.db, site.id).await?;
    Ok(ActivityJson(OrderedCollection::count_only(
        state.urls.site_followers(&slug),
        total,
    ))
    .into_response())
}

pub async fn site_following(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    let site = state.site(&slug).ok_or(Error::NotFound("site"))?;
    let accepted = storage::follows::list_following(&state.db, site.id)
        .await?
        .into_iter()
        .filter(|f| f.state == crate::domain::FollowState::Accepted)
        .count();
    Ok(ActivityJson(OrderedCollection::count_only(
        state.urls.site_following(&slug),
        accepted as u64,
    ))
    .into_response())
}

/// Pinned objects (Mastodon's `featured`); filled by editorial highlights.
pub async fn site_featured(
    State(state): State<AppState>,
    Path(slug): Path<String>,
) -> Result<Response> {
    state.site(&slug).ok_or(Error::NotFound("site"))?;
    Ok(ActivityJson(OrderedCollection::new(
        state.urls.site_featured(&slug),
        Vec::new(),
    ))
    .into_response())
}
