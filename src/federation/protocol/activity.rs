//! The envelope every inbound activity shares, and the outgoing activities we build.

use super::{context, id_of, type_of, ProtocolError};
use serde_json::{json, Value};
use url::Url;

/// What the inbox needs from any activity before it is stored.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The activity's id; activities without one (transient, rare) get a content hash.
    pub id: String,
    /// Whether `id` is the activity's own (not the content hash we made up).
    pub has_own_id: bool,
    pub kind: String,
    pub actor: Url,
}

impl Envelope {
    pub fn parse(value: &Value, body: &[u8]) -> Result<Self, ProtocolError> {
        if !value.is_object() {
            return Err(ProtocolError::Field("activity"));
        }
        let kind = type_of(value)
            .ok_or(ProtocolError::Field("type"))?
            .to_string();
        let actor = value
            .get("actor")
            .and_then(id_of)
            .ok_or(ProtocolError::Field("actor"))?;
        let own_id = value.get("id").and_then(id_of);
        let has_own_id = own_id.is_some();
        let id = match own_id {
            Some(id) => id.to_string(),
            None => {
                format!("urn:sha256:{}", crate::domain::sha256_hex(body))
            }
        };
        Ok(Self {
            id,
            has_own_id,
            kind,
            actor,
        })
    }
}

/// `Follow` of `object` by `actor`.
pub fn follow(id: &Url, actor: &Url, object: &Url) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": "Follow",
        "actor": actor,
        "object": object,
    })
}

/// `Accept` of a received `Follow`, embedding it as Mastodon expects.
pub fn accept_follow(id: &Url, actor: &Url, follow_id: &str, follower: &Url) -> Value {
    answer_follow("Accept", id.as_str(), actor.as_str(), follow_id, follower)
}

/// `Reject` of a received `Follow`, embedding it (Mastodon then drops the pending
/// request rather than showing it as waiting forever).
pub fn reject_follow(id: &str, actor: &str, follow_id: &str, follower: &Url) -> Value {
    answer_follow("Reject", id, actor, follow_id, follower)
}

fn answer_follow(kind: &str, id: &str, actor: &str, follow_id: &str, follower: &Url) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": kind,
        "actor": actor,
        "object": {
            "id": follow_id,
            "type": "Follow",
            "actor": follower,
            "object": actor,
        },
    })
}

/// `Create`, `Update` of an object we publish, addressed like the object.
pub fn wrap(kind: &str, id: &str, actor: &str, object: Value) -> Value {
    let to = object
        .get("to")
        .cloned()
        .unwrap_or_else(|| json!([super::PUBLIC]));
    let cc = object.get("cc").cloned().unwrap_or_else(|| json!([]));
    json!({
        "@context": context(),
        "id": id,
        "type": kind,
        "actor": actor,
        "published": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "to": to,
        "cc": cc,
        "object": object,
    })
}

/// `Announce` (a boost) of `object` by `actor`: public, and to `cc` (the followers,
/// the author of what is boosted).
pub fn announce(id: &str, actor: &str, cc: &[String], object: &str) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": "Announce",
        "actor": actor,
        "published": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        "to": [super::PUBLIC],
        "cc": cc,
        "object": object,
    })
}

/// `Undo` of an activity we sent, addressed as it was and naming it by its id, type,
/// actor and object (what Mastodon matches it by).
pub fn undo(id: &str, original: &Value) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": "Undo",
        "actor": original["actor"],
        "to": original["to"],
        "cc": original["cc"],
        "object": {
            "id": original["id"],
            "type": original["type"],
            "actor": original["actor"],
            "object": original["object"],
        },
    })
}

/// `Delete` of an object we published, with its `Tombstone`.
pub fn delete(id: &str, actor: &str, object_id: &str, followers: &str) -> Value {
    json!({
        "@context": context(),
        "id": id,
        "type": "Delete",
        "actor": actor,
        "to": [super::PUBLIC],
        "cc": [followers],
        "object": {"id": object_id, "type": "Tombstone"},
    })
}
