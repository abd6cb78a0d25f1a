//! ActivityStreams wire types and the one place where they are read into domain values.
//! Incoming documents are parsed leniently (servers disagree on one-or-many, string-or-
//! object), outgoing ones are plain serde structs.

pub mod activity;
pub mod actor;
pub mod approval;
pub mod article;
pub mod blocklist;
pub mod collection;
pub mod export;
pub mod fires;
pub mod flag;
pub mod inbound;
pub mod journalist;
pub mod lenient;
pub mod note;
pub mod policy;
pub mod quote;
mod tombstone;

pub use tombstone::{tombstone, Tombstone};

use serde_json::Value;
use url::Url;

/// The `as:Public` collection, in its canonical form.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The `@context` we send: every extension term we use is declared (see
/// `policy::context_terms`), or a JSON-LD processor drops it.
pub fn context() -> Value {
    let mut terms = serde_json::json!({
        "sensitive": "as:sensitive",
        "toot": "http://joinmastodon.org/ns#",
        "featured": {"@id": "toot:featured", "@type": "@id"},
        "Emoji": "toot:Emoji"
    });
    if let (Some(ours), Value::Object(extensions)) =
        (terms.as_object_mut(), policy::context_terms())
    {
        ours.extend(extensions);
    }
    serde_json::json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
        "https://gotosocial.org/ns",
        terms
    ])
}

/// Why a document could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProtocolError {
    #[error("missing or invalid `{0}`")]
    Field(&'static str),
    #[error("unsupported object type `{0}`")]
    Type(String),
}

/// The id named by a property that may be a URL string, an object with `id` (or a Link
/// with `href`), or a list of those (the first usable one wins).
pub fn id_of(value: &Value) -> Option<Url> {
    match value {
        Value::String(s) => web_url(s),
        Value::Object(map) => map.get("id").or_else(|| map.get("href")).and_then(id_of),
        Value::Array(items) => items.iter().find_map(id_of),
        _ => None,
    }
}

/// `s` as a URL a page may link to or a server may fetch: http(s) only (never
/// `javascript:`, `data:` or `file:`). The one rule for every URL that comes from
/// elsewhere (documents received, files imported or restored).
pub fn web_url(s: &str) -> Option<Url> {
    Url::parse(s)
        .ok()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
}

/// A URL's host with its port when it has one: what an actor's `domain` is, and what
/// tells whether two ids are on the same server.
pub fn authority(url: &Url) -> Option<String> {
    match (url.host_str(), url.port()) {
        (Some(h), Some(p)) => Some(format!("{h}:{p}")),
        (Some(h), None) => Some(h.to_string()),
        _ => None,
    }
}

/// Every id a property names (one or many).
pub fn ids_of(value: &Value) -> Vec<Url> {
    match value {
        Value::Array(items) => items.iter().filter_map(id_of).collect(),
        other => id_of(other).into_iter().collect(),
    }
}

/// A string property, or `None` when absent, null or not a string.
pub fn str_of<'a>(value: &'a Value, key: &str) -> Option<&'a str> {
    value.get(key).and_then(Value::as_str)
}

/// The `type` of a document (the first one when it is a list, as in some JSON-LD).
pub fn type_of(value: &Value) -> Option<&str> {
    match value.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(items) => items.iter().find_map(Value::as_str),
        _ => None,
    }
}

/// Items of a one-or-many property.
pub fn many(value: Option<&Value>) -> Vec<&Value> {
    match value {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(Value::Null) | None => Vec::new(),
        Some(other) => vec![other],
    }
}
