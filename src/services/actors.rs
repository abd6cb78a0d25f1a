//! Remote actors: fetched (signed GET) when first seen, cached with their keys, and the
//! key lookup that signature verification relies on.

use crate::{
    domain::{millis, now_millis},
    federation::{
        fetch::FetchError,
        protocol::{
            actor::{KeyMaterial, RemoteActorDoc, ACTOR_TYPES},
            id_of, type_of,
        },
        signatures::PublicKey,
    },
    state::AppState,
    storage::{
        self,
        actors::ActorRecord,
        entities::{actor_key, remote_actor},
    },
};
use url::Url;

/// How long a cached actor is trusted before it is fetched again.
const ACTOR_TTL_MS: i64 = 24 * 3600 * 1000;
/// How often a failing signature may make us fetch the signer's keys again.
const KEY_REFETCH_INTERVAL_MS: i64 = 5 * 60 * 1000;

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
    match fetch_and_store(state, id).await {
        Ok(actor) => Ok(actor),
        Err(e) => match cached {
            Some(actor) if !matches!(e, ActorError::Fetch(FetchError::Gone)) => Ok(actor),
            _ => Err(e),
        },
    }
}

/// Fetches an actor document and stores it with its keys.
pub async fn fetch_and_store(
    state: &AppState,
    id: &Url,
) -> Result<remote_actor::Model, ActorError> {
    let fetched = state.fetcher.fetch(id).await?;
    store_doc(state, &fetched.json).await
}

/// Stores an actor from its (already trusted) document, with every key it lists.
pub async fn store_doc(
    state: &AppState,
    json: &serde_json::Value,
) -> Result<remote_actor::Model, ActorError> {
    let doc = RemoteActorDoc::parse(json).map_err(|e| ActorError::Invalid(e.to_string()))?;
    let domain = match (doc.id.host_str(), doc.id.port()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_string(),
        _ => return Err(ActorError::Invalid("actor id has no host".into())),
    };
    // Keys are decoded once here so that an unusable one is never stored; each must
    // live under the actor's own URL (a key id on another host could be anyone's).
    let keys: Vec<(String, String, String)> = doc
        .keys
        .iter()
        .filter(|k| {
            Url::parse(&k.id).is_ok_and(|u| u.host() == doc.id.host() && u.port() == doc.id.port())
        })
        .filter_map(|k| {
            let (decoded, text) = match &k.material {
                KeyMaterial::Pem(pem) => (PublicKey::from_pem(pem).ok()?, pem.clone()),
                KeyMaterial::Multibase(mb) => (PublicKey::from_multibase(mb).ok()?, mb.clone()),
            };
            let algorithm = match decoded {
                PublicKey::Rsa(_) => "rsa",
                PublicKey::Ed25519(_) => "ed25519",
            };
            Some((k.id.clone(), algorithm.to_string(), text))
        })
        .collect();
    let main_pem = doc.keys.iter().find_map(|k| match &k.material {
        KeyMaterial::Pem(pem) => Some((k.id.clone(), pem.clone())),
        KeyMaterial::Multibase(_) => None,
    });
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
        public_key_id: main_pem.as_ref().map(|(id, _)| id.clone()),
        public_key_pem: main_pem.map(|(_, pem)| pem),
        published: doc.published.map(millis),
        fetched_at: now_millis(),
        moved_to: doc.moved_to.as_ref().map(Url::to_string),
        keys,
    };
    Ok(storage::actors::upsert(&state.db, record).await?)
}

fn decode(key: &actor_key::Model) -> Result<PublicKey, ActorError> {
    let decoded = if key.public_key.starts_with("-----") {
        PublicKey::from_pem(&key.public_key)
    } else {
        PublicKey::from_multibase(&key.public_key)
    };
    decoded.map_err(|e| ActorError::Invalid(e.to_string()))
}

/// The key that verifies signatures with `key_id`, and the actor who owns it. Only the
/// actor document (or the key document naming its owner) is fetched.
pub async fn verification_key(
    state: &AppState,
    key_id: &str,
) -> Result<(PublicKey, remote_actor::Model), ActorError> {
    if let Some((key, actor)) = storage::actors::find_key(&state.db, key_id).await? {
        return Ok((decode(&key)?, actor));
    }
    fetch_key_owner(state, key_id).await?;
    let (key, actor) = storage::actors::find_key(&state.db, key_id)
        .await?
        .ok_or_else(|| ActorError::UnknownKey(key_id.into()))?;
    Ok((decode(&key)?, actor))
}

/// After a signature failed with a cached key: fetch the signer's actor again (keys
/// rotate), at most once every few minutes per actor. `None` when rate limited.
pub async fn refetch_key(
    state: &AppState,
    key_id: &str,
    actor: &remote_actor::Model,
) -> Result<Option<(PublicKey, remote_actor::Model)>, ActorError> {
    let now = now_millis();
    if actor
        .keys_fetched_at
        .is_some_and(|at| now - at < KEY_REFETCH_INTERVAL_MS)
    {
        return Ok(None);
    }
    storage::actors::touch_keys_fetched(&state.db, actor.id, now).await?;
    let id = Url::parse(&actor.ap_id).map_err(|e| ActorError::Invalid(e.to_string()))?;
    let refreshed = fetch_and_store(state, &id).await?;
    storage::actors::touch_keys_fetched(&state.db, refreshed.id, now).await?;
    match storage::actors::find_key(&state.db, key_id).await? {
        Some((key, owner)) => Ok(Some((decode(&key)?, owner))),
        None => Err(ActorError::UnknownKey(key_id.into())),
    }
}

/// Fetches whoever owns `key_id`: its URL gives the actor (Mastodon: `actor#main-key`),
/// a stub actor to be fetched in full (GoToSocial: `…/main-key`, no fragment) or a key
/// document naming its `owner`.
async fn fetch_key_owner(
    state: &AppState,
    key_id: &str,
) -> Result<remote_actor::Model, ActorError> {
    let mut url =
        Url::parse(key_id).map_err(|_| ActorError::Invalid("keyId is not a URL".into()))?;
    url.set_fragment(None);
    let fetched = state.fetcher.fetch(&url).await?;
    let json = &fetched.json;
    let is_actor = type_of(json).is_some_and(|t| ACTOR_TYPES.contains(&t));
    let owner = if is_actor {
        json.get("id").and_then(id_of)
    } else {
        json.get("owner")
            .or_else(|| json.get("controller"))
            .and_then(id_of)
    }
    .ok_or_else(|| ActorError::Invalid("key document without owner".into()))?;
    if owner.host() != url.host() || owner.port() != url.port() {
        return Err(ActorError::Invalid("key owner on another host".into()));
    }
    if is_actor && owner == url {
        store_doc(state, json).await
    } else {
        fetch_and_store(state, &owner).await
    }
}

/// `@name@host` for display.
pub fn handle(actor: &remote_actor::Model) -> String {
    match &actor.preferred_username {
        Some(name) => format!("@{name}@{}", actor.domain),
        None => actor.ap_id.clone(),
    }
}
