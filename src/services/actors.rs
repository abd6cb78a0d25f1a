//! Remote actors: fetched (signed GET) when first seen, cached with their keys, and the
//! key lookup that signature verification relies on.

use crate::{
    domain::{millis, now_millis},
    federation::{
        fetch::FetchError,
        protocol::{actor::RemoteActorDoc, actor::ACTOR_TYPES, id_of, type_of},
        signatures::PublicKey,
    },
    state::AppState,
    storage::{self, actors::ActorRecord, entities::remote_actor},
};
use url::Url;

/// How long a cached actor is trusted before it is fetched again.
const ACTOR_TTL_MS: i64 = 24 * 3600 * 1000;

/// Why an actor could not be had.
#[derive(Debug, thiserror::Error)]
pub enum ActorError {
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("not an actor document: {0}")]
    Invalid(String),
    #[error("actor does not list key {0}")]
    UnknownKey(String),
    #[error("database: {0}")]
    Database(#[from] sea_orm::DbErr),
}

/// The actor with this id, from the cache while fresh, else fetched. A failed refresh
/// falls back to the cached copy.
pub async fn get_or_fetch(state: &AppState, id: &Url) -> Result<remote_actor::Model, ActorError> {
    let cached = storage::actors::find_by_ap_id(&state.db, id.as_str()).await?;
    if let Some(actor) = &cached {
        if now_millis() - actor.fetched_at < ACTOR_TTL_MS {
            return Ok(actor.clone());
        }
    }
    match fetch_and_store(state, id, None).await {
        Ok(actor) => Ok(actor),
        Err(e) => match cached {
            Some(actor) if !matches!(e, ActorError::Fetch(FetchError::Gone)) => Ok(actor),
            _ => Err(e),
        },
    }
}

/// Fetches an actor document and stores it. `key_id` picks which of its keys we keep.
pub async fn fetch_and_store(
    state: &AppState,
    id: &Url,
    key_id: Option<&str>,
) -> Result<remote_actor::Model, ActorError> {
    let fetched = state.fetcher.fetch(id).await?;
    store_doc(state, &fetched.json, key_id).await
}

/// Stores an actor from its (already trusted) document.
pub async fn store_doc(
    state: &AppState,
    json: &serde_json::Value,
    key_id: Option<&str>,
) -> Result<remote_actor::Model, ActorError> {
    let doc = RemoteActorDoc::parse(json).map_err(|e| ActorError::Invalid(e.to_string()))?;
    let key = match key_id {
        Some(k) => Some((
            k.to_string(),
            doc.key(k)
                .ok_or_else(|| ActorError::UnknownKey(k.into()))?
                .to_string(),
        )),
        None => doc.keys.first().cloned(),
    };
    let domain = match (doc.id.host_str(), doc.id.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => return Err(ActorError::Invalid("actor id has no host".into())),
    };
    let record = ActorRecord {
        ap_id: doc.id.to_string(),
        kind: doc.kind.clone(),
        domain,
        preferred_username: doc.preferred_username.clone(),
        name: doc
            .name
            .as_deref()
            .map(crate::services::content::plain_text),
        url: doc.url.clone(),
        avatar_url: doc.avatar.clone(),
        inbox: doc.inbox.to_string(),
        shared_inbox: doc.shared_inbox.as_ref().map(Url::to_string),
        public_key_id: key.as_ref().map(|(id, _)| id.clone()),
        public_key_pem: key.map(|(_, pem)| pem),
        published: doc.published.map(millis),
        fetched_at: now_millis(),
    };
    Ok(storage::actors::upsert(&state.db, record).await?)
}

/// The key that verifies signatures with `key_id`, and the actor who owns it. Only the
/// actor document (or the key document naming its owner) is fetched.
pub async fn verification_key(
    state: &AppState,
    key_id: &str,
) -> Result<(PublicKey, remote_actor::Model), ActorError> {
    if let Some(actor) = storage::actors::find_by_key_id(&state.db, key_id).await? {
        if let Some(pem) = &actor.public_key_pem {
            let key = PublicKey::from_pem(pem).map_err(|e| ActorError::Invalid(e.to_string()))?;
            return Ok((key, actor));
        }
    }
    let url = Url::parse(key_id).map_err(|_| ActorError::Invalid("keyId is not a URL".into()))?;
    let fetched = state.fetcher.fetch(&url).await?;
    let json = &fetched.json;
    // GoToSocial keyIds have no #fragment and fetching one may return a key document
    // (`owner`) rather than the actor: follow it to the owner.
    let is_actor = type_of(json).is_some_and(|t| ACTOR_TYPES.contains(&t));
    let actor = if is_actor {
        store_doc(state, json, Some(key_id)).await?
    } else {
        let owner = json
            .get("owner")
            .and_then(id_of)
            .ok_or_else(|| ActorError::Invalid("key document without owner".into()))?;
        if owner.host() != url.host() {
            return Err(ActorError::Invalid("key owner on another host".into()));
        }
        fetch_and_store(state, &owner, Some(key_id)).await?
    };
    let pem = actor
        .public_key_pem
        .as_deref()
        .ok_or_else(|| ActorError::UnknownKey(key_id.into()))?;
    let key = PublicKey::from_pem(pem).map_err(|e| ActorError::Invalid(e.to_string()))?;
    Ok((key, actor))
}

/// `@name@host` for display.
pub fn handle(actor: &remote_actor::Model) -> String {
    match &actor.preferred_username {
        Some(name) => format!("@{name}@{}", actor.domain),
        None => actor.ap_id.clone(),
    }
}
