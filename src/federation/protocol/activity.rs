//! The envelope every inbound activity shares, and the outgoing activities we build.

use super::{context, id_of, type_of, ProtocolError};
use serde_json::{json, Value};
use url::Url;

/// What the inbox needs from any activity before it is stored.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// The activity's id; activities without one (transient, rare) get a content hash.
    pub id: String,
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
        let id = match value.get("id").and_then(id_of) {
            Some(id) => id.to_string(),
            None => {
                let digest = ring::digest::digest(&ring::digest::SHA256, body);
                let hex: String = digest.as_ref().iter().map(|b| format!("{b:02x}")).collect();
                format!("urn:sha256:{hex}")
            }
        };
        Ok(Self { id, kind, actor })
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
    json!({
        "@context": context(),
        "id": id,
        "type": "Accept",
        "actor": actor,
        "object": {
            "id": follow_id,
            "type": "Follow",
            "actor": follower,
            "object": actor,
        },
    })
}
