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

/// Fetches an actor document and stores it with its keys, under the id asked for or
/// not at all: a URL that redirects to (or is confirmed as) another account is not
/// that account.
pub async fn fetch_and_store(
    state: &AppState,
    id: &Url,
) -> Result<remote_actor::Model, ActorError> {
    fetch_and_store_confirming(state, id, None).await
}

async fn fetch_and_store_confirming(
    state: &AppState,
    id: &Url,
    confirmed_key: Option<&str>,
) -> Result<remote_actor::Model, ActorError> {
    let fetched = state.fetcher.fetch(id).await?;
    let mut asked = id.clone();
    asked.set_fragment(None);
    if fetched.url != asked {
        return Err(ActorError::Invalid(format!(
            "{asked} answered as {}",
            fetched.url
        )));
    }
    store_doc_confirming(state, &fetched.json, confirmed_key).await
}

/// How a key id relates to an actor id. A key is the actor's when its id is the
/// actor's id with a fragment (Mastodon, Pleroma, Misskey, Lemmy: `actor#main-key`),
/// or one path segment below it (GoToSocial: `actor/main-key`); any other key id on
/// the same host is the actor's only once the key's own document names it as owner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyClaim {
    /// `actor#fragment`: no other actor can claim it.
    Own,
    /// `actor/segment`: the actor's unless the key URL is an actor of its own.
    Below,
    /// Anything else: needs the key document to say whose it is.
    Foreign,
}

/// How `key_id` relates to `actor_id` (see [`KeyClaim`]).
pub fn key_claim(key_id: &str, actor_id: &str) -> KeyClaim {
    let (Ok(mut key), Ok(mut actor)) = (Url::parse(key_id), Url::parse(actor_id)) else {
        return KeyClaim::Foreign;
    };
    key.set_fragment(None);
    actor.set_fragment(None);
    if key == actor {
        return KeyClaim::Own;
    }
    let below = key.origin() == actor.origin()
        && key.query().is_none()
        && actor.query().is_none()
        && key
            .path()
            .strip_prefix(actor.path().trim_end_matches('/'))
            .and_then(|rest| rest.strip_prefix('/'))
            .is_some_and(|segment| !segment.is_empty() && !segment.contains('/'));
    if below {
        KeyClaim::Below
    } else {
        KeyClaim::Foreign
    }
}

/// Stores an actor from its (already trusted) document, with the keys that are its
/// own (see [`KeyClaim`]).
pub async fn store_doc(
    state: &AppState,
    json: &serde_json::Value,
) -> Result<remote_actor::Model, ActorError> {
    store_doc_confirming(state, json, None).await
}

/// `store_doc`, where `confirmed_key` is a key id whose own document named this actor
/// as its owner.
async fn store_doc_confirming(
    state: &AppState,
    json: &serde_json::Value,
    confirmed_key: Option<&str>,
) -> Result<remote_actor::Model, ActorError> {
    let doc = RemoteActorDoc::parse(json).map_err(|e| ActorError::Invalid(e.to_string()))?;
    let Some(domain) = crate::federation::protocol::authority(&doc.id) else {
        return Err(ActorError::Invalid("actor id has no host".into()));
    };
    // Keys are decoded once here so that an unusable one is never stored; each must
    // be the actor's own (a key id elsewhere, even on the same host, could be anyone's:
    // a document does not give itself another account's key).
    let actor_id = doc.id.as_str();
    let decoded: Vec<(String, PublicKey, String)> = doc
        .keys
        .iter()
        .filter(|k| key_claim(&k.id, actor_id) != KeyClaim::Foreign || confirmed_key == Some(&k.id))
        .filter_map(|k| {
            let (decoded, text) = match &k.material {
                KeyMaterial::Pem(pem) => (PublicKey::from_pem(pem).ok()?, pem.clone()),
                KeyMaterial::Multibase(mb) => (PublicKey::from_multibase(mb).ok()?, mb.clone()),
            };
            Some((k.id.clone(), decoded, text))
        })
        .collect();
    // One key id may be listed twice (Misskey: `#ed25519-key` in `additionalPublicKeys`
    // as PEM and in `assertionMethod` as a Multikey); it is kept once. An id listed
    // with two different keys is ambiguous and kept not at all.
    let mut keys: Vec<(String, String, String)> = Vec::new();
    for (id, key, text) in &decoded {
        if keys.iter().any(|(kept, _, _)| kept == id) {
            continue;
        }
        if decoded.iter().any(|(other, k, _)| other == id && k != key) {
            tracing::info!(actor = %actor_id, key = %id, "key id listed with two keys: ignored");
            continue;
        }
        let algorithm = match key {
            PublicKey::Rsa(_) => "rsa",
            PublicKey::Ed25519(_) => "ed25519",
        };
        keys.push((id.clone(), algorithm.to_string(), text.clone()));
    }
    let main_pem = doc
        .keys
        .iter()
        .filter(|k| keys.iter().any(|(id, _, _)| *id == k.id))
        .find_map(|k| match &k.material {
            KeyMaterial::Pem(pem) => Some((k.id.clone(), pem.clone())),
            KeyMaterial::Multibase(_) => None,
        });
    let record = ActorRecord {
        ap_id: doc.id.to_string(),
        kind: doc.kind.clone(),
        domain,
        preferred_username: doc.preferred_username.clone(),
        // Plain text as written: escaped once, where HTML is written.
        name: doc.name.as_deref().map(crate::sanitize::plain_text),
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
    let taken_over: Vec<String> = record
        .keys
        .iter()
        .filter(|(id, _, _)| {
            key_claim(id, &record.ap_id) == KeyClaim::Own || confirmed_key == Some(id.as_str())
        })
        .map(|(id, _, _)| id.clone())
        .collect();
    Ok(storage::actors::upsert(&state.db, record, &taken_over).await?)
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
        // A key held under any claim weaker than `actor#…` is checked against its own
        // document once (rows stored before claims were checked, a same-host document
        // that listed someone else's key).
        let confirmed = actor
            .keys_fetched_at
            .is_some_and(|at| now_millis() - at < ACTOR_TTL_MS);
        if key_claim(key_id, &actor.ap_id) != KeyClaim::Foreign || confirmed {
            return Ok((decode(&key)?, actor));
        }
    }
    fetch_key_owner(state, key_id).await?;
    let (key, actor) = storage::actors::find_key(&state.db, key_id)
        .await?
        .ok_or_else(|| ActorError::UnknownKey(key_id.into()))?;
    Ok((decode(&key)?, actor))
}

/// The key with this id and its owner, as already stored (nothing is fetched): an
/// integrity proof is checked at the inbox only when its key is known there.
pub async fn stored_key(
    state: &AppState,
    key_id: &str,
) -> Result<Option<(PublicKey, remote_actor::Model)>, ActorError> {
    match storage::actors::find_key(&state.db, key_id).await? {
        Some((key, actor)) => Ok(Some((decode(&key)?, actor))),
        None => Ok(None),
    }
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
    // The key URL answered as an actor (its own, or GoToSocial's stub confirmed at the
    // actor's id), or as a key document at its own URL naming its owner.
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
    if !is_actor && fetched.url != url {
        return Err(ActorError::Invalid("key document has another id".into()));
    }
    let stored = if is_actor && owner == fetched.url {
        store_doc_confirming(state, json, Some(key_id)).await?
    } else {
        fetch_and_store_confirming(state, &owner, Some(key_id)).await?
    };
    // When the owner's keys were last confirmed: a key it holds under a weaker claim
    // than `actor#…` is trusted for as long as a cached actor is.
    if key_claim(key_id, &stored.ap_id) == KeyClaim::Foreign {
        storage::actors::touch_keys_fetched(&state.db, stored.id, now_millis()).await?;
    }
    Ok(stored)
}

/// `@name@host` for display.
pub fn handle(actor: &remote_actor::Model) -> String {
    match &actor.preferred_username {
        Some(name) => format!("@{name}@{}", actor.domain),
        None => actor.ap_id.clone(),
    }
}

/// An admin's look at a remote document (`GET /api/v1/admin/lookup`): fetched signed,
/// as the server would, and shown as it came.
pub async fn lookup(state: &AppState, uri: &str) -> crate::error::Result<serde_json::Value> {
    use crate::error::Error;
    let url =
        Url::parse(uri.trim()).map_err(|_| Error::Unprocessable("uri is not a URL".into()))?;
    let fetched = state
        .fetcher
        .fetch(&url)
        .await
        .map_err(|e| Error::BadGateway(e.to_string()))?;
    Ok(fetched.json)
}
