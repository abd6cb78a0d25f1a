//! Our blocklist for other servers: the blocklist actor (a `Service` whose followers,
//! once an admin approves them, receive every policy change as it happens) and the
//! FIRES dataset it advertises (dataset, snapshot, `changes?since=`). The dataset is
//! public when the domain blocks are, and always open to approved followers' signed
//! GETs.

use crate::http::{auth, responses::ActivityJson};
use crate::{
    error::{Error, Result},
    federation::protocol::{
        actor::{Endpoints, LocalActor, PublicKeyJson},
        blocklist,
        collection::OrderedCollection,
    },
    services::{blocklists::published, remote::signatures},
    state::AppState,
};
use axum::{
    extract::{Query, State},
    http::request::Parts,
    response::{IntoResponse, Response},
};
use serde::Deserialize;

pub async fn actor(State(state): State<AppState>) -> Result<Response> {
    let urls = &state.urls;
    let (_, public_key_pem) = published::actor_keys(&state).await?;
    let host = state.settings.public_host();
    let mut actor = serde_json::to_value(LocalActor {
        context: blocklist::context(),
        id: urls.blocklist_actor(),
        kind: "Service",
        preferred_username: "blocklist".into(),
        name: format!("Domain policies of {host}"),
        summary: Some(format!(
            "The moderation blocklist of {host}. Servers that follow it (approved by an admin) receive each change as it happens."
        )),
        url: urls.blocklist_dataset(),
        inbox: urls.blocklist_inbox(),
        outbox: urls.blocklist_outbox(),
        followers: Some(urls.blocklist_followers()),
        following: None,
        featured: None,
        endpoints: Endpoints {
            shared_inbox: urls.shared_inbox(),
        },
        public_key: PublicKeyJson {
            id: urls.blocklist_key_id(),
            owner: urls.blocklist_actor(),
            public_key_pem: public_key_pem.clone(),
        },
        manually_approves_followers: true,
        discoverable: false,
        published: "2026-01-01T00:00:00Z".into(),
    })
    .map_err(|e| Error::Internal(e.into()))?;
    actor["blocklistDataset"] = serde_json::json!(urls.blocklist_dataset());
    Ok(ActivityJson(actor).into_response())
}

/// Changes go to followers only, never to an outbox anyone may read.
pub async fn outbox(State(state): State<AppState>) -> impl IntoResponse {
    ActivityJson(OrderedCollection::new(
        state.urls.blocklist_outbox(),
        Vec::new(),
    ))
}

pub async fn followers(State(state): State<AppState>) -> Result<Response> {
    let approved = published::approved_count(&state).await?;
    Ok(ActivityJson(OrderedCollection::count_only(
        state.urls.blocklist_followers(),
        approved,
    ))
    .into_response())
}

/// Public when the domain blocks are; otherwise approved followers (signed GET), or
/// staff when the visibility is `authenticated`.
async fn may_read(state: &AppState, parts: &Parts) -> Result<()> {
    let visibility = state.settings.blocklists.domain_blocks_visibility.as_str();
    if visibility == "public" {
        return Ok(());
    }
    if parts.headers.contains_key("signature") || parts.headers.contains_key("signature-input") {
        let path_and_query = parts
            .uri
            .path_and_query()
            .map(|p| p.as_str().to_string())
            .unwrap_or_else(|| parts.uri.path().to_string());
        let request =
            signatures::request_parts(state, &parts.method, &path_and_query, &parts.headers);
        let signer = signatures::verify(state, &request, b"").await?;
        return if published::is_approved(state, &signer.ap_id).await? {
            Ok(())
        } else {
            Err(Error::Forbidden(
                "only approved followers of the blocklist may read it".into(),
            ))
        };
    }
    if visibility == "authenticated" {
        auth::authenticate(state, &parts.headers).await?;
        return Ok(());
    }
    Err(Error::NotFound("blocklist dataset"))
}

pub async fn dataset(State(state): State<AppState>, parts: Parts) -> Result<Response> {
    may_read(&state, &parts).await?;
    Ok(ActivityJson(published::dataset(&state).await?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SnapshotQuery {
    #[serde(default)]
    after: Option<String>,
}

pub async fn snapshot(
    State(state): State<AppState>,
    Query(q): Query<SnapshotQuery>,
    parts: Parts,
) -> Result<Response> {
    may_read(&state, &parts).await?;
    Ok(ActivityJson(published::snapshot(&state, q.after.as_deref()).await?).into_response())
}

#[derive(Debug, Deserialize)]
pub struct ChangesQuery {
    #[serde(default)]
    since: Option<String>,
}

pub async fn changes(
    State(state): State<AppState>,
    Query(q): Query<ChangesQuery>,
    parts: Parts,
) -> Result<Response> {
    may_read(&state, &parts).await?;
    let since = match q.since.as_deref() {
        None | Some("") => 0,
        Some(s) => s
            .parse::<i64>()
            .map_err(|_| Error::BadRequest("since: a change_id from this dataset".into()))?,
    };
    Ok(ActivityJson(published::changes(&state, since).await?).into_response())
}
