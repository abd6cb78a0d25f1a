//! What a deleted object of ours is served as: a `Tombstone` (with 410 Gone), so that
//! servers that fetch it drop their copy.

use serde::Serialize;

/// The `Tombstone` left where `id` was; `former_type` is what it was (`Article`, `Note`).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Tombstone {
    #[serde(rename = "@context")]
    pub context: &'static str,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub former_type: &'static str,
}

pub fn tombstone(id: impl Into<String>, former_type: &'static str) -> Tombstone {
    Tombstone {
        context: "https://www.w3.org/ns/activitystreams",
        id: id.into(),
        kind: "Tombstone",
        former_type,
    }
}
