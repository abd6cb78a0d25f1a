//! Actors: reading remote ones (Person, Service, Group, Application, Organization) and
//! serving our own (site actors and the instance actor).

use super::{context, id_of, ids_of, many, str_of, type_of, ProtocolError};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;
use url::Url;

/// Actor types we accept as authors and followers.
pub const ACTOR_TYPES: [&str; 5] = ["Person", "Service", "Group", "Application", "Organization"];

/// A remote actor, as read from its document.
#[derive(Debug, Clone, PartialEq)]
pub struct RemoteActorDoc {
    pub id: Url,
    pub kind: String,
    pub preferred_username: Option<String>,
    pub name: Option<String>,
    /// The profile page people click (`url`), falling back to the id.
    pub url: Option<String>,
    pub avatar: Option<String>,
    pub inbox: Url,
    pub shared_inbox: Option<Url>,
    /// Keys from `publicKey` (PEM, one or many), `additionalPublicKeys` (Misskey's
    /// Ed25519 key, PEM) and `assertionMethod` (FEP-521a Multikeys, Fedify's and
    /// Misskey's), each only if its `owner` / `controller` (when given) is this actor.
    pub keys: Vec<KeyDoc>,
    /// `movedTo` of an account that moved.
    pub moved_to: Option<Url>,
    pub published: Option<DateTime<Utc>>,
}

impl RemoteActorDoc {
    pub fn parse(value: &Value) -> Result<Self, ProtocolError> {
        let kind = type_of(value).ok_or(ProtocolError::Field("type"))?;
        if !ACTOR_TYPES.contains(&kind) {
            return Err(ProtocolError::Type(kind.to_string()));
        }
        let id = value
            .get("id")
            .and_then(id_of)
            .ok_or(ProtocolError::Field("id"))?;
        let inbox = value
            .get("inbox")
            .and_then(id_of)
            .ok_or(ProtocolError::Field("inbox"))?;
        let shared_inbox = value
            .get("endpoints")
            .and_then(|e| e.get("sharedInbox"))
            .and_then(id_of);
        // Misskey lists its Ed25519 key in `additionalPublicKeys` beside the RSA
        // `publicKey` (same `Key` shape: `id`, `owner`, `publicKeyPem`). A key whose
        // `owner` (or a Multikey whose `controller`) names someone else is not this
        // actor's, whatever its id says.
        let owned_by = |k: &Value, field: &str| {
            k.get(field)
                .is_none_or(|owner| id_of(owner).is_some_and(|o| o == id))
        };
        let mut keys: Vec<KeyDoc> = many(value.get("publicKey"))
            .into_iter()
            .chain(many(value.get("additionalPublicKeys")))
            .filter(|k| owned_by(k, "owner"))
            .filter_map(|k| {
                Some(KeyDoc {
                    id: str_of(k, "id")?.to_string(),
                    material: KeyMaterial::Pem(str_of(k, "publicKeyPem")?.to_string()),
                })
            })
            .collect();
        keys.extend(
            many(value.get("assertionMethod"))
                .into_iter()
                .filter(|k| owned_by(k, "controller"))
                .filter_map(|k| {
                    Some(KeyDoc {
                        id: str_of(k, "id")?.to_string(),
                        material: KeyMaterial::Multibase(
                            str_of(k, "publicKeyMultibase")?.to_string(),
                        ),
                    })
                }),
        );
        let url = value.get("url").and_then(profile_url);
        let avatar = value.get("icon").and_then(image_url);
        Ok(Self {
            preferred_username: str_of(value, "preferredUsername").map(str::to_string),
            name: str_of(value, "name").map(str::to_string),
            url,
            avatar,
            kind: kind.to_string(),
            published: str_of(value, "published").and_then(|p| p.parse().ok()),
            moved_to: value.get("movedTo").and_then(id_of),
            id,
            inbox,
            shared_inbox,
            keys,
        })
    }

    /// Whether the actor lists a key with this id.
    pub fn has_key(&self, key_id: &str) -> bool {
        self.keys.iter().any(|k| k.id == key_id)
    }
}

/// The accounts an actor says it also is (`alsoKnownAs`, one or many): a `Move`
/// target names the account it moved from there.
pub fn also_known_as(value: &Value) -> Vec<Url> {
    value.get("alsoKnownAs").map(ids_of).unwrap_or_default()
}

/// One verification key of an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyDoc {
    pub id: String,
    pub material: KeyMaterial,
}

/// How a key is written on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMaterial {
    /// `publicKeyPem` (RSA or Ed25519 SPKI).
    Pem(String),
    /// `publicKeyMultibase` (multicodec-prefixed, base58btc).
    Multibase(String),
}

/// `url` may be a string, a Link or a list of Links (PeerTube, Lemmy): prefer HTML.
fn profile_url(value: &Value) -> Option<String> {
    let links = many(Some(value));
    let html = links
        .iter()
        .find(|l| str_of(l, "mediaType").is_some_and(|m| m.starts_with("text/html")));
    html.or(links.first())
        .and_then(|l| id_of(l))
        .map(|u| u.to_string())
}

/// `icon` may be an Image, a list of Images or a URL.
fn image_url(value: &Value) -> Option<String> {
    many(Some(value)).into_iter().find_map(|img| match img {
        Value::String(_) => id_of(img).map(|u| u.to_string()),
        other => other.get("url").and_then(id_of).map(|u| u.to_string()),
    })
}

/// A local actor as served: a site actor (`Person`, which every server shows as a
/// normal, followable account) or the instance actor (`Application`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LocalActor {
    #[serde(rename = "@context")]
    pub context: Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub preferred_username: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    pub url: String,
    pub inbox: String,
    pub outbox: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub followers: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub following: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub featured: Option<String>,
    pub endpoints: Endpoints,
    pub public_key: PublicKeyJson,
    pub manually_approves_followers: bool,
    pub discoverable: bool,
    pub published: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoints {
    pub shared_inbox: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PublicKeyJson {
    pub id: String,
    pub owner: String,
    pub public_key_pem: String,
}

impl LocalActor {
    /// The `@context` actors are served with.
    pub fn default_context() -> Value {
        context()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Misskey ≥ 2025: the RSA key in `publicKey`, the Ed25519 one in
    /// `additionalPublicKeys` (and, newer, both again in `assertionMethod`).
    fn misskey_actor(ed_owner: &str, ed_controller: &str) -> Value {
        let id = "https://mk.example/users/9x1";
        json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "type": "Person", "id": id, "inbox": format!("{id}/inbox"),
            "publicKey": {"id": format!("{id}#main-key"), "type": "Key", "owner": id,
                          "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nRSA\n-----END PUBLIC KEY-----\n"},
            "additionalPublicKeys": [
                {"id": format!("{id}#ed25519-key"), "type": "Key", "owner": ed_owner,
                 "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nED\n-----END PUBLIC KEY-----\n"}
            ],
            "assertionMethod": [
                {"id": format!("{id}#ed25519-key"), "type": "Multikey", "controller": ed_controller,
                 "publicKeyMultibase": "z6Mk"}
            ]
        })
    }

    #[test]
    fn keys_listed_in_additional_public_keys_are_read() {
        let id = "https://mk.example/users/9x1";
        let doc = RemoteActorDoc::parse(&misskey_actor(id, id)).unwrap();
        let ids: Vec<&str> = doc.keys.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                format!("{id}#main-key"),
                format!("{id}#ed25519-key"),
                format!("{id}#ed25519-key")
            ]
        );
        assert!(matches!(&doc.keys[1].material, KeyMaterial::Pem(p) if p.contains("ED")));
        assert!(doc.has_key(&format!("{id}#ed25519-key")));
    }

    #[test]
    fn a_key_owned_or_controlled_by_someone_else_is_not_the_actors() {
        let id = "https://mk.example/users/9x1";
        let other = "https://mk.example/users/other";
        let doc = RemoteActorDoc::parse(&misskey_actor(other, other)).unwrap();
        let ids: Vec<&str> = doc.keys.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, [format!("{id}#main-key")]);
        // A key without `owner` (GoToSocial's stub documents, older servers) stays.
        let mut bare = misskey_actor(id, id);
        bare["additionalPublicKeys"][0]
            .as_object_mut()
            .unwrap()
            .remove("owner");
        assert_eq!(RemoteActorDoc::parse(&bare).unwrap().keys.len(), 3);
    }
}
